"""TBX v3 output against the official schemas: LTAC's core structure RNG and the TBX-Basic dialect's Schematron.

The schemas are in ``tests/data/tbx`` (see SOURCE.md there).  Each check is
shown to fail on a file that breaks it, so a schema that silently accepts
everything cannot pass the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from tbx_schematron import schematron_failures

from npfterm.formats.writing import ExportMeta, export_terms
from npfterm.models import TermPair

SCHEMAS = Path(__file__).resolve().parent / "data" / "tbx"
SEED = Path(__file__).resolve().parents[1] / "corpora" / "npf-xi-2024-01-31.txt"
CORE_RNG = SCHEMAS / "TBXcoreStructV03.rng"
BASIC_SCH = SCHEMAS / "TBX-Basic_DCA.sch"
META = ExportMeta(tool_version="0.1.0", signature="npfterm:0.1.0|mode:lexical", src_lang="zh-CN", tgt_lang="en-US")
TERMS = (
    TermPair("新质生产力", "new-quality productive forces", "parenthetical", 0.93, 2,
             "xīnzhì shēngchǎnlì", "发展新质生产力。", "Develop new-quality productive forces."),
    TermPair("研发", "R&D <research>", "aligned", 0.5, 1, "yánfā"),
    TermPair("中止", "aborting", "imported"),
)


@pytest.fixture(scope="module")
def core() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(CORE_RNG)))


def written(tmp_path: Path, terms=TERMS, meta=META) -> etree._ElementTree:
    out = tmp_path / "terms.tbx"
    export_terms("tbx3", terms, out, meta)
    return etree.parse(str(out))


def test_tbx3_is_valid_against_the_core_structure(tmp_path, core):
    doc = written(tmp_path)
    assert core.validate(doc), core.error_log


def test_tbx3_is_valid_against_tbx_basic(tmp_path):
    assert schematron_failures(BASIC_SCH, written(tmp_path)) == []


def test_tbx3_without_a_signature_is_valid_too(tmp_path, core):
    doc = written(tmp_path, meta=ExportMeta(tool_version="0.1.0"))
    assert core.validate(doc), core.error_log
    assert schematron_failures(BASIC_SCH, doc) == []


@pytest.mark.slow
def test_the_seed_article_terms_are_valid(tmp_path, core):
    from typer.testing import CliRunner

    from npfterm.cli import app

    out = tmp_path / "seed.tbx"
    result = CliRunner().invoke(app, ["terms", str(SEED), "--no-store", "-f", "tbx3",
                                      "--mode", "lexical", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = etree.parse(str(out))
    assert len(doc.getroot().findall(".//{*}conceptEntry")) > 10
    assert core.validate(doc), core.error_log
    assert schematron_failures(BASIC_SCH, doc) == []


def test_the_core_schema_refuses_a_second_source_desc(tmp_path, core):
    """The bug of issue 15: two sourceDesc in fileDesc."""
    doc = written(tmp_path)
    source_desc = doc.getroot().find(".//{*}sourceDesc")
    source_desc.addnext(etree.fromstring('<sourceDesc xmlns="urn:iso:std:iso:30042:ed-2"><p>x</p></sourceDesc>'))
    assert not core.validate(doc)
    assert "sourceDesc" in str(core.error_log)


def test_the_dialect_rules_refuse_a_wrong_dialect_and_data_category(tmp_path):
    doc = written(tmp_path)
    doc.getroot().set("type", "TBX-Core")
    term_sec = doc.getroot().find(".//{*}termSec")
    term_sec.append(etree.fromstring('<termNote xmlns="urn:iso:std:iso:30042:ed-2" type="partOfSpeech">nounish</termNote>'))
    failures = schematron_failures(BASIC_SCH, doc)
    assert "The name of this dialect should be TBX-Basic." in failures
    assert any(f.startswith("/partOfSpeech/ type may be") for f in failures)
