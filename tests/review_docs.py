"""Stores for the review tests: a small document with a wrong bead, and the seed given as two files."""

from __future__ import annotations

from pathlib import Path

from npfterm.models import Alignment, Bead, RunInfo, Sentence
from npfterm.store.db import Store

INFO = RunInfo(version="0.1.0", mode="hybrid", bead_types=((1, 1), (1, 0), (0, 1)))
XSS = "<script>alert(1)</script>"
SMALL_ZH = ("科技创新是核心要素。", "要发展碳中和产业。")
SMALL_EN = (XSS, "Sci-tech innovation is the core element.", "Develop carbon neutrality industries.")
# The gold beads the seed article opens with: three English lines of their own, then the first pair.
SEED_GOLD_HEAD = [((), (0,)), ((), (1,)), ((), (2,)), ((0,), (3,)), ((), (4,))]
WRONG_SEED_BEAD = ((0,), (0, 1, 2, 3, 4))


def small_store(path: Path) -> int:
    """A store with one document whose first bead wrongly takes in an English line holding markup."""
    zh = tuple(Sentence(t, "zh", i) for i, t in enumerate(SMALL_ZH))
    en = tuple(Sentence(t, "en", i) for i, t in enumerate(SMALL_EN))
    beads = (Bead((0,), (0, 1), 0.45), Bead((1,), (2,), 0.92))
    with Store.open(path) as store:
        return store.add_alignment(Alignment(zh, en, beads, INFO, "small.txt"), source_path="/x/small.txt", content_hash="s")


def seed_files(folder: Path) -> tuple[Path, Path]:
    """The bundled article (the seed) as two files, one sentence per line, as the gold has them."""
    from npfterm.text.parse import bilingual_from_text

    article = Path(__file__).resolve().parents[1] / "corpora" / "npf-xi-2024-01-31.txt"
    text = bilingual_from_text(article.read_text(encoding="utf-8"), source="seed")
    zh, en = folder / "seed.zh.sents", folder / "seed.en.sents"
    zh.write_text("".join(s.text + "\n" for s in text.zh), encoding="utf-8")
    en.write_text("".join(s.text + "\n" for s in text.en), encoding="utf-8")
    return zh, en


def seed_store(path: Path, folder: Path) -> int:
    """The seed aligned as two files; if the aligner no longer makes the wrong first bead, it is made here."""
    from npfterm.align.document import AlignOptions
    from npfterm.pipeline import align_files
    from npfterm.store.ingest import ingest

    zh, en = seed_files(folder)
    alignment = align_files([str(zh), str(en)], AlignOptions(mode="hybrid"), sentences=True)
    with Store.open(path) as store:
        doc_id = ingest(alignment, [str(zh), str(en)], store).doc_id
        assert doc_id is not None
        first = alignment.beads[0]
        if (first.zh, first.en) != WRONG_SEED_BEAD:
            rest = [b for b in alignment.beads if not set(b.en) & {0, 1, 2, 3, 4} and 0 not in b.zh]
            wrong = Alignment(alignment.zh, alignment.en, (Bead(*WRONG_SEED_BEAD, 0.7996), *rest), alignment.info, alignment.source)
            store.save_review(doc_id, wrong)
    return doc_id
