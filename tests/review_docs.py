"""Stores for the review tests: a small document with a wrong bead, and the seed given as two files."""

from __future__ import annotations

import shutil
from pathlib import Path

from npfterm.evaluate import parse_beads
from npfterm.models import Alignment, Bead, RunInfo, Sentence
from npfterm.store.db import Store

SEED_DIR = Path(__file__).resolve().parent / "data" / "seed-gold"

INFO = RunInfo(version="0.1.0", mode="hybrid", bead_types=((1, 1), (1, 0), (0, 1)))
XSS = "<script>alert(1)</script>"
SMALL_ZH = ("科技创新是核心要素。", "要发展碳中和产业。")
SMALL_EN = (XSS, "Sci-tech innovation is the core element.", "Develop carbon neutrality industries.")
# The gold beads the seed article opens with (three English lines of their own, the first pair, one more).
SEED_GOLD_HEAD = parse_beads((SEED_DIR / "seed.gold").read_text(encoding="utf-8"))[:5]
WRONG_SEED_BEAD = ((0,), (0, 1, 2, 3, 4))


def small_store(path: Path) -> int:
    """A store with one document whose first bead wrongly takes in an English line holding markup."""
    zh = tuple(Sentence(t, "zh", i) for i, t in enumerate(SMALL_ZH))
    en = tuple(Sentence(t, "en", i) for i, t in enumerate(SMALL_EN))
    beads = (Bead((0,), (0, 1), 0.45), Bead((1,), (2,), 0.92))
    with Store.open(path) as store:
        return store.add_alignment(Alignment(zh, en, beads, INFO, "small.txt"), source_path="/x/small.txt", content_hash="s")


def seed_files(folder: Path) -> tuple[Path, Path]:
    """The seed as two files, one sentence per line (copies of the gold's, in ``folder``)."""
    zh, en = folder / "seed.zh.sents", folder / "seed.en.sents"
    shutil.copyfile(SEED_DIR / "seed.zh.sents", zh)
    shutil.copyfile(SEED_DIR / "seed.en.sents", en)
    return zh, en


def seed_store(path: Path, folder: Path) -> int:
    """The seed aligned as two files; if the aligner no longer makes the wrong first bead, it is made here."""
    from npfterm.alignment.document import AlignOptions
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
