"""alignment.subunits: beads with several Chinese sentences split into sentence-level units for CAT tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from npfterm.alignment.subunits import bead_text, best_split, sentence_units
from npfterm.models import AlignedPair
from npfterm.text.lexicon import load_cedict

MAC_DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mac-dev"
ZH = ("我过二十一岁生日以前，是一个童男子。", "那天晚上我引诱了陈清扬和我到山上去。")
EN = ("Until my twenty-first birthday I was a virgin, but that night I lured Chen Qingyang up the mountain with me.",)


@pytest.fixture(scope="module")
def lexicon():
    return load_cedict()


def test_a_2_1_bead_is_cut_at_the_clause_boundary_the_evidence_supports(lexicon):
    split = best_split(ZH, EN, lexicon)
    assert split is not None
    assert [piece for piece, _, _ in split] == [
        "Until my twenty-first birthday I was a virgin,",
        "but that night I lured Chen Qingyang up the mountain with me.",
    ]
    assert all(0 < support < 1 for _, support, _ in split)
    assert [sentences for _, _, sentences in split] == [(0,), (0,)]


def test_no_clause_boundary_no_split(lexicon):
    assert best_split(("可是她说，快，混蛋。", "还拧我的腿。"), ("But she said hurry up you bastard and pinched my leg.",), lexicon) is None


def test_a_split_the_evidence_contradicts_is_not_made(lexicon):
    """The English pieces come in the other order: each sentence's matches lie in the other piece."""
    en = ("That night I lured Chen Qingyang up the mountain with me, until my twenty-first birthday I was a virgin.",)
    assert best_split(ZH, en, lexicon) is None


def test_a_2_2_bead_splits_at_the_sentence_end(lexicon):
    en = ("Until my twenty-first birthday I was a virgin.", "That night I lured Chen Qingyang up the mountain with me.")
    split = best_split(ZH, en, lexicon)
    assert split is not None and [(p, s) for p, _, s in split] == [(en[0], (0,)), (en[1], (1,))]


def test_sentence_units_mark_the_pieces_and_score_them_lower(lexicon):
    bead = AlignedPair("".join(ZH), EN[0], (3, 4), (7,), 0.8, "doc")
    one = AlignedPair("陈清扬说。", "Chen Qingyang said.", (5,), (8,), 0.9, "doc")
    units = list(sentence_units([bead_text(bead, ZH, EN), bead_text(one)], lexicon))
    assert [(u.zh, u.zh_ids, u.en_ids, u.part_of) for u in units] == [
        (ZH[0], (3,), (7,), "2-1"), (ZH[1], (4,), (7,), "2-1"), (one.zh, (5,), (8,), ""),
    ]
    assert all(u.score < bead.score for u in units[:2]) and units[2] == one


def test_an_imported_unit_without_stored_sentences_is_split_from_its_text(lexicon):
    bead = AlignedPair("".join(ZH), EN[0], (0, 1), (0,), 1.0)
    assert [u.zh for u in sentence_units([bead_text(bead)], lexicon)] == list(ZH)


@pytest.mark.slow
def test_export_tm_units_sentence_writes_the_pieces(cli, tmp_path, lexicon):
    from npfterm.cli import app

    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("\n".join((*ZH, "陈清扬说。")) + "\n", encoding="utf-8")
    en.write_text("\n".join((*EN, "Chen Qingyang said.")) + "\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert cli.invoke(app, ["align", "--sentences", str(zh), str(en), "--db", str(db), "-f", "beads", "-o", str(tmp_path / "a")]).exit_code == 0
    out = tmp_path / "s.tmx"
    result = cli.invoke(app, ["export", "tm", "--units", "sentence", "--db", str(db), "-o", str(out)])
    assert (result.exit_code, result.stderr) == (0, f"Wrote 3 translation units to {out}\n")
    text = out.read_text(encoding="utf-8")
    assert text.count('<prop type="x-npfterm-piece-of">2-1</prop>') == 2
    assert '<prop type="x-npfterm-units">sentence</prop>' in text
    assert f"<seg>{ZH[0]}</seg>" in text and "<seg>Until my twenty-first birthday I was a virgin,</seg>" in text
    dtd_path = Path(__file__).resolve().parents[1] / ".." / "shared" / "spec" / "tmx14.dtd"
    if dtd_path.is_file():
        from lxml import etree

        dtd = etree.DTD(str(dtd_path))
        assert dtd.validate(etree.parse(str(out))), dtd.error_log


def test_units_is_for_translation_memories(cli, tmp_path):
    from npfterm.cli import app

    result = cli.invoke(app, ["export", "terms", "--units", "sentence", "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and "--units is for tm" in result.stderr


@pytest.mark.slow
def test_mac_dev_001_sentence_segments_find_an_exact_unit(cli, tmp_path):
    """The acceptance case without OmegaT: the share of 001's Chinese lines (sentence segments) that equal
    the Chinese of an exported unit, with and without --units sentence (scripts/omegat-check.sh runs OmegaT)."""
    if not (MAC_DEV / "zh" / "001").is_file():
        pytest.skip(f"MAC-Dev not found at {MAC_DEV}")
    from lxml import etree

    from npfterm.cli import app

    db = tmp_path / "s.sqlite"
    zh, en = MAC_DEV / "zh" / "001", MAC_DEV / "en" / "001"
    assert cli.invoke(app, ["align", "--sentences", str(zh), str(en), "--db", str(db), "-f", "beads", "-o", str(tmp_path / "a")]).exit_code == 0
    lines = [x for x in zh.read_text(encoding="utf-8").splitlines() if x.strip()]
    shares = {}
    for units in ("bead", "sentence"):
        out = tmp_path / f"{units}.tmx"
        assert cli.invoke(app, ["export", "tm", "--units", units, "--db", str(db), "-o", str(out)]).exit_code == 0
        segs = {s.text for s in etree.parse(str(out)).iter("seg")}
        shares[units] = sum(line in segs for line in lines) / len(lines)
    assert shares["bead"] < 0.9 and shares["sentence"] >= 0.97, shares
