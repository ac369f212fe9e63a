"""CSV and TSV glossaries loaded from disk are read a line at a time, with the same result as the whole-file parse."""

from __future__ import annotations

import pytest

from npfterm.errors import FormatError
from npfterm.formats import reading
from npfterm.formats import xml as xmltree
from npfterm.formats.reading import load, parse


def glossary(n: int, sep: str = ",", newline: str = "\n", header: bool = True) -> str:
    rows = [f"术语{i}{sep}term {i}{sep}note {i}" for i in range(n)]
    rows.insert(n // 2, "")  # a blank line is skipped, and still counts as a line
    if sep == ",":
        rows[3] = '人工智能,"artificial intelligence, AI","a note\nover two lines"'
    return newline.join((["zh" + sep + "en" + sep + "note"] if header else []) + rows) + newline


def variant_bytes(variant: str, sep: str) -> bytes:
    """The glossary as a file of the given kind (``sep`` is "," or tab; "semicolons" uses ";" for CSV)."""
    if variant == "semicolons":
        sep = ";" if sep == "," else sep
    text = {
        "crlf": lambda: glossary(200, sep, newline="\r\n"),
        "no header": lambda: glossary(200, sep, header=False),
        "no final newline": lambda: glossary(200, sep).rstrip("\n"),
        "decomposed": lambda: glossary(200, sep).replace("note 7", "cafe\u0301"),  # NFC, as the whole path makes it
        "lone cr": lambda: glossary(200, sep, newline="\r"),
    }.get(variant, lambda: glossary(200, sep))()
    encoding = {"bom": "utf-8-sig", "gb18030": "gb18030", "utf-16": "utf-16"}.get(variant, "utf-8")
    return text.encode(encoding)


VARIANTS = ["utf-8", "crlf", "bom", "semicolons", "no header", "no final newline", "decomposed",
            "gb18030", "utf-16", "lone cr"]
READ_WHOLE = ("gb18030", "utf-16", "lone cr")  # read whole, as before: another encoding, old Mac line ends


@pytest.mark.parametrize("suffix, sep", [(".csv", ","), (".tsv", "\t")])
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_glossary_loaded_from_disk_equals_the_whole_file_parse(tmp_path, monkeypatch, suffix, sep, variant):
    data = variant_bytes(variant, sep)
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 97)  # lines cut between reads
    path = tmp_path / f"glossary{suffix}"
    path.write_bytes(data)
    read_whole = []
    monkeypatch.setattr(reading, "read_bytes", lambda *a: read_whole.append(a) or path.read_bytes())
    loaded, whole = load(path), parse(data, path.name)
    assert bool(read_whole) == (variant in READ_WHOLE)
    assert loaded.terms == whole.terms and loaded.parsed.notes == whole.parsed.notes
    assert loaded.content_hash == whole.content_hash
    assert len(loaded.terms) == 200


def test_a_bad_csv_row_is_named_the_same_streamed_or_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 97)
    text = glossary(100).replace("术语70,term 70", '术语70,"term 70', 1)  # an unclosed quote
    text = text.replace("术语71,term 71,note 71", '术语71,"x"y,z', 1)
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as streamed:
        load(path)
    with pytest.raises(FormatError) as whole:
        parse(path.read_bytes(), "g.csv")
    assert str(streamed.value) == str(whole.value)
    assert str(streamed.value).startswith("g.csv line ")
