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


# --- glossaries streamed into the store (issue 17): read while stored, all or nothing --------------------

import hashlib  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

from npfterm.cli import app  # noqa: E402
from npfterm.errors import InputError  # noqa: E402
from npfterm.formats.reading import StreamedTerms, open_import  # noqa: E402
from npfterm.models import TermPair  # noqa: E402
from npfterm.store.db import Store  # noqa: E402


def tbx(n: int, v3: bool = False, skipped: int = 0) -> str:
    entry, lang, group = ("conceptEntry", "langSec", "termSec") if v3 else ("termEntry", "langSet", "tig")
    root = '<tbx type="TBX-Basic" xmlns="urn:iso:std:iso:30042:ed-2">' if v3 else '<martif type="TBX-Basic">'
    entries = "".join(
        f'<{entry} id="c{i}"><note>npfterm: evidence imported; score 0.{i % 10}000; count {i + 1}</note>'
        f'<{lang} xml:lang="zh-CN"><{group}><term>术语{i}</term><note>pinyin: shùyǔ</note></{group}></{lang}>'
        + (f'<{lang} xml:lang="en"><{group}><term>term {i}</term>'
           f'<descrip type="context">an example {i}</descrip></{group}></{lang}>' if i >= skipped else "")
        + f"</{entry}>\n"
        for i in range(n)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{root}<text><body>\n{entries}</body></text></{"tbx" if v3 else "martif"}>\n'


@pytest.mark.parametrize("suffix, sep", [(".csv", ","), (".tsv", "\t")])
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_glossary_streamed_into_the_store_reads_as_the_whole_file_parse(tmp_path, monkeypatch, suffix, sep, variant):
    data = variant_bytes(variant, sep)
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 97)
    path = tmp_path / f"glossary{suffix}"
    path.write_bytes(data)
    opened, whole = open_import(path), parse(data, path.name)
    assert isinstance(opened, StreamedTerms) == (variant not in READ_WHOLE)
    if isinstance(opened, StreamedTerms):
        assert tuple(opened) == whole.terms and tuple(opened.notes) == whole.parsed.notes
        assert opened.rows == 200 and opened.content_hash == whole.content_hash
        assert opened.detection == whole.detection
    else:
        assert opened.terms == whole.terms


@pytest.mark.parametrize("v3", [False, True])
def test_a_termbase_streamed_an_entry_at_a_time_reads_as_the_whole_file_parse(tmp_path, monkeypatch, v3):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 61)  # entries cut between reads
    path = tmp_path / "terms.tbx"
    path.write_text(tbx(50, v3, skipped=3), encoding="utf-8")
    opened, whole = open_import(path), parse(path.read_bytes(), path.name)
    assert isinstance(opened, StreamedTerms)
    terms = tuple(opened)
    assert len(terms) == 47 and terms == whole.terms
    assert tuple(opened.notes) == whole.parsed.notes == ("terms.tbx: skipped 3 of 50 entries without both a Chinese and an English term",)
    assert terms[0] == TermPair(
        zh="术语3", en="term 3", evidence="imported", score=0.3, count=4, pinyin="shùyǔ", example_en="an example 3"
    )


def test_a_tmx_given_as_tbx_is_refused_from_its_root_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 64)
    path = tmp_path / "memory.tbx"
    path.write_text("<tmx><header/><body>" + "<tu><tuv xml:lang='zh'><seg>中</seg></tuv></tu>" * 1000 + "</body></tmx>")
    opened = open_import(path)
    with pytest.raises(FormatError, match=r"the root element is <tmx>, not <martif> or <tbx>; is it a TMX file\?"):
        for _ in opened:  # type: ignore[union-attr]
            pass
    assert opened._sources[0]._read <= 4096 < path.stat().st_size // 10  # type: ignore[union-attr]  # the head, no more


def big_csv(path: Path, rows: int, last: str = "") -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("zh,en,score\n")
        for i in range(rows):
            fh.write(f"术语{i},term {i},0.5\n")
        fh.write(last)


def test_streamed_rows_are_not_held(tmp_path, monkeypatch):
    """Memory while reading a streamed glossary does not grow with its length (the rows are never listed)."""
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 4096)  # what one read holds is not what is measured

    def peak(rows: int) -> int:
        path = tmp_path / f"g{rows}.csv"
        big_csv(path, rows)
        opened = open_import(path)
        tracemalloc.start()
        count = sum(1 for _ in opened)  # type: ignore[union-attr]
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert count == rows
        return peak

    small, large = peak(5_000), peak(40_000)
    assert large < small * 1.5 + 200_000, (small, large)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_bad_last_row_of_a_large_streamed_glossary_leaves_the_store_as_it_was(tmp_path, cli):
    db = tmp_path / "s.sqlite"
    first = tmp_path / "first.csv"
    first.write_text("zh,en\n中文,Chinese\n术语5,an older term\n", encoding="utf-8")
    assert cli.invoke(app, ["import", str(first), "--db", str(db)]).exit_code == 0
    before = digest(db)
    big = tmp_path / "big.csv"
    big_csv(big, 30_000, last="术语末,last term,-1\n")
    result = cli.invoke(app, ["import", str(big), "--db", str(db)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: big.csv line 30002: score '-1' is not a non-negative number\n"
    assert digest(db) == before
    assert not any(Path(f"{db}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal"))
    with Store.open(db, create=False) as store:
        assert sorted((t.zh, t.en) for t in store.iter_terms()) == [("中文", "Chinese"), ("术语5", "an older term")]


def test_a_bad_last_entry_of_a_streamed_termbase_leaves_no_new_store(tmp_path, cli, private_store):
    bad = tmp_path / "bad.tbx"
    bad.write_text(tbx(2000).replace('<langSet xml:lang="zh-CN"><tig><term>术语1999', "<langSet><tig><term>术语1999"), encoding="utf-8")
    result = cli.invoke(app, ["import", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == "Error: bad.tbx: line 2002: <langSet> has no xml:lang attribute\n"
    assert not private_store.exists() and not private_store.parent.joinpath("npfterm.db-wal").exists()


def test_repeated_rows_are_counted_by_the_store_while_streaming(tmp_path, cli):
    path = tmp_path / "g.tsv"
    path.write_text("zh\ten\n" + "".join(f"术语{i % 700}\tterm {i % 700}\n" for i in range(1000)) + "中\t\n", encoding="utf-8")
    result = cli.invoke(app, ["import", str(path), "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Warning: g.tsv: skipped 1 of 1001 rows without both a Chinese and an English term",
        "Note: 300 rows of g.tsv repeat a pair given above",
        "Imported 700 term pairs from g.tsv (TSV glossary read as term pairs; format from the .tsv suffix)",
    ]


def test_store_add_terms_consumes_an_iterator_and_rolls_back_when_it_fails(tmp_path):
    def terms(fail: bool):
        for i in range(5000):
            yield TermPair(zh=f"词{i % 3000}", en=f"word {i % 3000}", evidence="imported", pinyin="cí")
        if fail:
            raise FormatError("g.csv line 5002: bad")

    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        assert store.add_terms(terms(False)) == 3000
        before = store.stats() if hasattr(store, "stats") else None
        with pytest.raises(FormatError):
            store.add_terms(TermPair(zh=t.zh + "x", en=t.en, evidence="imported") for t in terms(True))
        assert len(list(store.iter_terms())) == 3000
        assert (store.stats() if hasattr(store, "stats") else None) == before
        assert store.add_terms(terms(False)) == 3000  # the same glossary again: the same witness


def test_a_glossary_changed_between_the_two_reads_is_refused(tmp_path):
    path = tmp_path / "g.csv"
    big_csv(path, 100)
    opened = open_import(path)
    big_csv(path, 101)
    with pytest.raises(InputError, match="g.csv changed while it was being read"):
        for _ in opened:  # type: ignore[union-attr]
            pass


def test_a_glossary_from_a_pipe_is_read_once_whole(tmp_path):
    """A pipe cannot be read twice: it is parsed whole, as before."""
    import os
    import threading

    fifo = tmp_path / "g.csv"
    os.mkfifo(fifo)
    text = "zh,en\n" + "".join(f"术语{i},term {i}\n" for i in range(50))
    writer = threading.Thread(target=lambda: fifo.write_text(text, encoding="utf-8"))
    writer.start()
    opened = open_import(fifo)
    writer.join()
    assert not isinstance(opened, StreamedTerms) and len(opened.terms) == 50
