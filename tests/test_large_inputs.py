"""Large inputs: refused before they are read when over ``--max-size``, and a TMX memory read a
piece at a time (benchmarks/large_input.py has the figures for 200 MB files)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.errors import FormatError
from npfterm.formats import reading as importers
from npfterm.formats import xml as xmltree
from npfterm.formats.reading import load, parse
from npfterm.formats.tmx import read_tmx

MIB = 1024 * 1024
runner = CliRunner()


def sparse(path: Path, size: int) -> Path:
    """A file that stat reports as ``size`` bytes without any being written."""
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def test_align_refuses_a_200_mb_file_from_its_size(tmp_path):
    big = sparse(tmp_path / "huge.txt", 200 * MIB)
    db = tmp_path / "store.db"
    result = runner.invoke(app, ["align", str(big), "--db", str(db)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {big} is 200.0 MB; the limit is 64 MB; use --max-size\n"
    assert not db.exists()


def test_align_reads_stdin_only_up_to_the_limit(tmp_path):
    """A pipe that never ends: align stops reading at the limit and says so."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "npfterm", "align", "-", "--max-size", "1", "--db", str(tmp_path / "s.db")],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    fed = [0]

    def feed() -> None:
        line = "新质生产力是先进生产力。\nNew-quality productive forces are advanced productivity.\n".encode() * 200
        try:
            while fed[0] < 50 * MIB:  # bounded, in case the limit is not
                proc.stdin.write(line)  # type: ignore[union-attr]
                fed[0] += len(line)
        except (BrokenPipeError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    err = proc.stderr.read()  # type: ignore[union-attr]  # (communicate would close stdin: an early end of input)
    proc.wait(120)
    feeder.join(30)
    assert proc.returncode == 2
    assert err.decode() == "Error: <stdin> is larger than 1.0 MB; the limit is 1 MB; use --max-size\n"
    assert fed[0] < 4 * MIB  # the limit, the pipe's buffer and one write; never the 50 MB on offer


@pytest.mark.parametrize("name", ["memory.tmx", "glossary.csv"])
def test_import_refuses_a_file_over_the_limit_before_reading_it(tmp_path, name):
    big = sparse(tmp_path / name, 300 * MIB)
    db = tmp_path / "store.db"
    result = runner.invoke(app, ["import", str(big), "--db", str(db)])
    assert (result.exit_code, result.stderr) == (2, f"Error: {big} is 300.0 MB; the limit is 256 MB; use --max-size\n")
    assert not db.exists()


# --- TMX streaming ---------------------------------------------------------------------------------


def memory(units: int, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    body = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>第{i}句：发展新质生产力。</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>Sentence {i}: develop new-quality productive forces.</seg></tuv></tu>\n'
        for i in range(units)
    )
    return f'{declaration}\n<tmx version="1.4">\n<header srclang="zh-CN" creationtool="t"/>\n<body>\n{body}</body>\n</tmx>\n'


class Counting(io.BytesIO):
    """A file that counts what has been read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data


def test_tmx_units_are_handed_out_while_the_file_is_still_being_read(monkeypatch):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 4096)
    source = Counting(memory(2000).encode("utf-8"))
    stream = xmltree.XmlStream(source, "m.tmx", parent="body", unit="tu")
    taken_at_first = None
    count = 0
    for unit in stream:
        if taken_at_first is None:
            taken_at_first = source.taken
        assert unit.tag == "tu"
        count += 1
    assert count == 2000
    assert taken_at_first is not None and taken_at_first <= 2 * 4096 < len(source.getvalue())
    body = stream.root.find("body")  # type: ignore[union-attr]
    assert body is not None and body.content == []  # no unit stays in the tree
    assert stream.root.find("header").attrs["creationtool"] == "t"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "declaration, codec",
    [
        ('<?xml version="1.0" encoding="UTF-8"?>', "utf-8-sig"),
        ('<?xml version="1.0" encoding="GB18030"?>', "gb18030"),
        ('<?xml version="1.0" encoding="Big5"?>', "big5"),
        ('<?xml version="1.0" encoding="UTF-16"?>', "utf-16"),
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_tmx_read_in_small_pieces_gives_the_same_pairs(monkeypatch, declaration, codec, chunk):
    """Multi-byte characters split between two reads are decoded whole, in every encoding."""
    text = memory(30, declaration).replace("发展新质生产力", "發展新質生產力" if codec == "big5" else "发展新质生产力")
    data = text.encode(codec)
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 1 << 20)
    whole = read_tmx(io.BytesIO(data), "m.tmx").pairs
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", chunk)
    assert read_tmx(io.BytesIO(data), "m.tmx").pairs == whole
    assert len(whole) == 30 and whole[29].en == "Sentence 29: develop new-quality productive forces."


def test_bad_bytes_late_in_a_large_tmx_name_their_line(monkeypatch):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 1000)
    data = memory(500).encode("utf-8")
    at = data.index("第400句".encode())
    with pytest.raises(FormatError) as info:
        read_tmx(io.BytesIO(data[:at] + b"\xff" + data[at:]), "m.tmx")
    line = data[:at].count(b"\n") + 1
    assert str(info.value) == f"m.tmx: line {line}: the bytes are not valid utf-8, as the file declares"


def test_a_tmx_file_loaded_from_disk_is_streamed_and_hashed_like_its_bytes(tmp_path, monkeypatch):
    path = tmp_path / "memory.tmx"
    path.write_text(memory(300), encoding="utf-8")
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 512)
    loaded = load(path)
    whole = parse(path.read_bytes(), "memory.tmx")
    assert loaded.pairs == whole.pairs and loaded.parsed.settings == whole.parsed.settings
    assert loaded.content_hash == whole.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


# --- JSON Lines streaming ----------------------------------------------------------------------------


def beads_jsonl(n: int, newline: str = "\n") -> str:
    records = [
        json.dumps({"zh": f"第{i}句：发展新质生产力。", "en": f"Sentence {i}.", "zh_ids": [i], "en_ids": [i], "score": 0.5},
                   ensure_ascii=False)
        for i in range(n)
    ]
    records.insert(n // 2, "")  # a blank line counts as a line
    return newline.join(records) + newline


@pytest.mark.parametrize(
    "variant, data",
    [
        ("utf-8", beads_jsonl(200).encode("utf-8")),
        ("crlf", beads_jsonl(200, "\r\n").encode("utf-8")),
        ("bom", beads_jsonl(200).encode("utf-8-sig")),
        ("no final newline", beads_jsonl(200).rstrip("\n").encode("utf-8")),
        ("terms", "".join(json.dumps({"zh": f"术语{i}", "en": f"term {i}"}) + "\n" for i in range(200)).encode()),
        # read whole, as before: another encoding, a JSON array, old Mac line ends
        ("gb18030", beads_jsonl(200).encode("gb18030")),
        ("utf-16", beads_jsonl(200).encode("utf-16")),
        ("array", ("[" + beads_jsonl(200).strip().replace("\n\n", "\n").replace("\n", ",") + "]").encode("utf-8")),
        ("lone cr", beads_jsonl(200, "\r").encode("utf-8")),
    ],
)
def test_jsonl_loaded_from_disk_equals_the_whole_file_parse(tmp_path, monkeypatch, variant, data):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 333)  # lines cut between reads
    path = tmp_path / "memory.jsonl"
    path.write_bytes(data)
    read_whole = []
    monkeypatch.setattr(importers, "read_bytes", lambda *a: read_whole.append(a) or path.read_bytes())
    loaded, whole = load(path), parse(data, "memory.jsonl")
    assert bool(read_whole) == (variant in ("gb18030", "utf-16", "array", "lone cr"))
    assert (loaded.pairs, loaded.terms, loaded.content_hash) == (whole.pairs, whole.terms, whole.content_hash)
    assert len(loaded.pairs) + len(loaded.terms) == 200


def test_a_bad_jsonl_line_is_named_the_same_streamed_or_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(xmltree, "CHUNK_BYTES", 333)
    lines = beads_jsonl(100).split("\n")
    lines[70] = lines[70][:-1]  # line 71 loses its closing brace
    path = tmp_path / "memory.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FormatError) as streamed:
        load(path)
    with pytest.raises(FormatError) as whole:
        parse(path.read_bytes(), "memory.jsonl")
    assert str(streamed.value) == str(whole.value) == "memory.jsonl line 71: not valid JSON (Expecting ',' delimiter)"
