"""readers: encodings, normalisation, Markdown, and every unusable-input error."""

from __future__ import annotations

import codecs
import functools
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from npfterm.errors import InputError
from npfterm.text.read import (
    DEFAULT_MAX_BYTES,
    MAX_LINE_CHARS,
    decode_bytes,
    read_bytes,
    read_text,
    source_label,
    strip_markdown,
)

MIB = 1024 * 1024


def _chinese_paragraphs(text: str) -> str:
    """The seed's Chinese-only lines (the mixed line excluded)."""
    return "\n".join(line for line in text.split("\n") if line and "\u4e00" <= line[0] <= "\u9fff")


@functools.cache
def _to_traditional() -> Callable[[str], str]:
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC("s2tw").convert


def _traditional(text: str) -> str:
    return _to_traditional()(text)


def _error(source: str | Path, **kwargs: int) -> str:
    with pytest.raises(InputError) as info:
        read_text(source, **kwargs)
    return str(info.value)


# --- encodings ----------------------------------------------------------------

BOM_ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE),
    ("utf-32-be", codecs.BOM_UTF32_BE),
]


@pytest.mark.parametrize(("codec", "bom"), BOM_ENCODINGS, ids=lambda v: v if isinstance(v, str) else v.hex() or "-")
def test_unicode_encodings_round_trip_the_seed(tmp_path: Path, seed_text: str, codec: str, bom: bytes) -> None:
    path = tmp_path / "seed.txt"
    path.write_bytes(bom + seed_text.encode(codec))
    assert read_text(path) == seed_text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(seed_text: str, codec: str) -> None:
    assert decode_bytes(seed_text.encode(codec)) == seed_text


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_gb_encodings_round_trip_the_seed(tmp_path: Path, seed_text: str, codec: str) -> None:
    text = seed_text if codec != "gb2312" else _chinese_paragraphs(seed_text)
    path = tmp_path / "seed.txt"
    path.write_bytes(text.encode(codec))
    assert read_text(path) == text


@pytest.mark.parametrize("codec", ["big5", "big5hkscs", "cp950"])
def test_big5_round_trips_the_seed_in_traditional_characters(tmp_path: Path, seed_text: str, codec: str) -> None:
    text = _traditional(seed_text)
    path = tmp_path / "seed.txt"
    path.write_bytes(text.encode(codec))
    assert read_text(path) == text


def test_chinese_paragraphs_alone_decode_in_each_legacy_encoding(seed_text: str) -> None:
    simplified = _chinese_paragraphs(seed_text)
    traditional = _traditional(simplified)
    assert decode_bytes(simplified.encode("gbk")) == simplified
    assert decode_bytes(simplified.encode("gb18030")) == simplified
    assert decode_bytes(traditional.encode("big5")) == traditional


def test_short_lines_are_not_confused_between_gbk_and_big5(seed_text: str) -> None:
    # The detector alone reads short GBK as Big5, Shift-JIS or UTF-16; the
    # common-character check must settle every one of these.
    lines = [line[:n] for line in _chinese_paragraphs(seed_text).split("\n") for n in (5, 12, 20)]
    for line in lines:
        assert decode_bytes(line.encode("gbk")) == line
        traditional = _traditional(line)
        assert decode_bytes(traditional.encode("big5")) == traditional


@pytest.mark.parametrize("text", ["新质生产力", "臺灣的經濟發展", "這是一個測試，我們正在檢查編碼。"])
def test_very_short_samples(text: str) -> None:
    for codec in ("gb18030", "big5"):
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue
        assert decode_bytes(data) == text


def test_non_chinese_legacy_text_is_left_to_the_detector() -> None:
    text = "Привет, как дела? Всё хорошо, спасибо. Это обычный текст на русском языке."
    assert decode_bytes(text.encode("cp1251")) == text


# --- normalisation ----------------------------------------------------------------


def test_line_endings_bom_and_nfc_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Cafe\u0301\r\n新质\r生产力\n".encode())
    assert read_text(path) == "Café\n新质\n生产力\n"


def test_text_is_otherwise_unchanged(tmp_path: Path) -> None:
    text = "  indented  \n\n\ttabs\t and  *stars* and # hash\n"
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    assert read_text(path) == text


# --- Markdown ------------------------------------------------------------------------

MARKDOWN = """\
# Future industries #

Setext heading
==============

Most **Chinese** regions set *goals* and _targets_ with `GDP` figures.
See [the guideline](https://example.org/g "title") and ![a chart](img.png).
> Quoted 新质生产力 line
> > nested

- first item
* second item
1. numbered item
2) other numbered
- [x] done task

```python
print("code is removed")
```

---

Text with <b>bold</b> tags<br/> and ~~struck~~ words and \\*escaped\\* stars.
Plain snake_case_name stays, as does 2*3*4.
<!-- a comment -->
[ref]: https://example.org
"""

MARKDOWN_PLAIN = """\
Future industries

Setext heading


Most Chinese regions set goals and targets with GDP figures.
See the guideline and a chart.
Quoted 新质生产力 line
nested

first item
second item
numbered item
other numbered
done task





---

Text with bold tags and struck words and *escaped* stars.
Plain snake_case_name stays, as does 2*3*4.


"""


def test_markdown_is_returned_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert read_text(path) == MARKDOWN_PLAIN


def test_markdown_keeps_one_line_per_line() -> None:
    assert strip_markdown(MARKDOWN).count("\n") == MARKDOWN.count("\n")


def test_a_comment_over_several_lines_keeps_its_line_breaks() -> None:
    """Regression (found by test_properties): a multi-line <!-- --> took its line
    breaks with it, so lines after it shifted and the line count shrank."""
    assert strip_markdown("a\n<!-- x\ny -->\nb") == "a\n\n\nb"
    assert strip_markdown("Text <!-- one\ntwo --> more\nlast") == "Text \n more\nlast"


def test_markdown_suffix_is_case_insensitive_and_txt_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a.MARKDOWN").write_text("## Heading\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("## Heading\n", encoding="utf-8")
    assert read_text(tmp_path / "a.MARKDOWN") == "Heading\n"
    assert read_text(tmp_path / "a.txt") == "## Heading\n"


def test_markdown_with_only_markup_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "only.md"
    path.write_text("```\ncode\n```\n---\n", encoding="utf-8")
    assert _error(path) == f"{path} has no text outside its Markdown markup; give a file that contains text"


# --- stdin ---------------------------------------------------------------------------


class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_dash_reads_stdin_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin("新质生产力是先进生产力。\r\n".encode("gb18030")))
    assert read_text("-") == "新质生产力是先进生产力。\n"


def test_stdin_errors_name_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b""))
    assert _error("-") == "<stdin> is empty; give a file that contains text"
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"x" * 2048))
    assert _error("-", max_bytes=1024) == "<stdin> is larger than 1.0 KB; the limit is 1 KB"


# --- errors --------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert _error(path) == f"file not found: {path}; check the path"


def test_directory(tmp_path: Path) -> None:
    assert _error(tmp_path) == f"{tmp_path} is a directory; give the path of a text file"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text", encoding="utf-8")

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)  # chmod does not stop root
    assert _error(path) == f"cannot read {path}: permission denied; check the file's permissions"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _error(path) == f"{path} is empty; give a file that contains text"


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\r\n\u3000\n", encoding="utf-8")
    assert _error(path) == f"{path} contains only whitespace; give a file that contains text"


BINARY_MESSAGE = "{} looks like a binary file, not text; give a plain-text or Markdown file"


def test_elf_executable_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "program"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(8) + bytes(range(256)) * 8)
    assert _error(path) == BINARY_MESSAGE.format(path)


def test_a_real_executable_is_binary() -> None:
    exe = Path(sys.executable).resolve()
    assert _error(exe, max_bytes=exe.stat().st_size + 1) == BINARY_MESSAGE.format(exe)


@pytest.mark.parametrize(
    "data",
    [b"\x00" * 64, b"ok " * 10 + b"\x01\x02\x03\x04\x05\x06", bytes(range(1, 32)) * 20],
    ids=["only-nul", "controls", "all-controls"],
)
def test_nul_and_control_bytes_are_binary(data: bytes) -> None:
    with pytest.raises(InputError, match="looks like a binary file"):
        decode_bytes(data, "x")


@pytest.mark.parametrize(
    "data",
    [b"hello\x00world", b"One line.\nTwo \x00lines.\n", "第一行。\n第二行\x00。\n\n".encode()],
    ids=["odd-length", "even-length", "chinese"],
)
def test_a_stray_nul_in_text_is_named_not_read_as_utf16(data: bytes) -> None:
    # an even-length file with one NUL once read as BOM-less UTF-16: a page of rare characters
    with pytest.raises(InputError) as info:
        decode_bytes(data, "x.txt")
    line = data[: data.index(b"\x00")].count(b"\n") + 1
    assert str(info.value) == (
        f"x.txt contains NUL bytes (the first on line {line}), which text never holds; "
        "the file may be damaged: remove them or re-save it as UTF-8"
    )


def test_broken_bom_says_how_to_fix_it() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "x.txt")
    assert str(info.value) == (
        "x.txt starts with a UTF-16 byte-order mark but is not valid UTF-16; re-save it as UTF-8"
    )


def test_file_larger_than_the_limit_names_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: nothing is written, stat reports the size
        fh.truncate(210 * MIB)
    assert _error(path) == f"{path} is 210.0 MB; the limit is 64 MB"
    assert DEFAULT_MAX_BYTES == 64 * MIB


def test_max_bytes_is_adjustable(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_text("x" * 3000, encoding="utf-8")
    assert _error(path, max_bytes=2048) == f"{path} is 2.9 KB; the limit is 2 KB"
    assert read_text(path, max_bytes=3000) == "x" * 3000


def test_overlong_line_names_line_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("short\nalso short\n" + "a" * (MAX_LINE_CHARS + 1) + "\n", encoding="utf-8")
    assert _error(path) == (
        f"{path}: line 3 has 1,000,001 characters; the limit is 1,000,000 per line (is it really a text file?)"
    )


def test_line_at_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("a" * MAX_LINE_CHARS, encoding="utf-8")
    assert len(read_text(path)) == MAX_LINE_CHARS


def test_read_bytes_gives_raw_bytes_with_the_same_path_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "raw.bin"
    path.write_bytes(b"\xff\xfe raw")
    assert read_bytes(path) == b"\xff\xfe raw"
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"piped"))
    assert read_bytes("-") == b"piped"
    with pytest.raises(InputError, match="^file not found: "):
        read_bytes(tmp_path / "missing")
    assert source_label("-") == "<stdin>" and source_label(path) == str(path)
