"""Files → text: the only module that opens source files.

Everything downstream works on one clean ``str``: decoded with a real
detector (never the locale), line endings unified, NFC-normalised, and for
Markdown the markup stripped.  Every way a source can be unusable becomes an
``InputError`` whose one-line message says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from npfterm.errors import InputError, NotTextError
from npfterm.text.boundaries import is_marker

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_LINE_CHARS",
    "DOCUMENT_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "decode_bytes",
    "normalise",
    "read_bytes",
    "read_text",
    "source_label",
    "strip_markdown",
]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
DOCUMENT_SUFFIXES = frozenset({".docx", ".pdf", *HTML_SUFFIXES})  # read by text.docx, text.pdf, text.html
STDIN_NAME = "<stdin>"

_MIB = 1024 * 1024

# Longest BOMs first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# The two Chinese legacy families; a detector's guess in either is widened to
# the superset codec, which decodes everything the narrower one does.
_GB_FAMILY = frozenset({"gb2312", "gbk", "cp936", "gb18030", "euc_cn", "hz"})
_BIG5_FAMILY = frozenset({"big5", "big5hkscs", "cp950"})
_GB = "gb18030"
_BIG5 = "big5hkscs"

# The 500 most frequent Chinese characters (simplified, by character frequency
# in jieba's word list) plus their traditional forms.  Text decoded with the
# wrong legacy codec is valid but made of rare characters, so the share of
# these tells GB from Big5 where a detector guesses on too few bytes.
_COMMON_HAN = frozenset(
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可"
    "过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所"
    "如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城"
    "十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首共马形己儿司太目基领"
    "队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边"
    "据集联古广完质阳难增历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃"
    "观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早况病境证编"
    "國為這個來會時學說們於後發對長過著業裡經門動進區開產軍還種現機體與當兩實麼關從內沒將員東頭間無見戰點"
    "場數樣問並萬級應資務氣漢總電聲設義統處馬兒領隊計別權話報給變書幾華議稱決張導術結師達題條規縣風運組聽"
    "濟黨論強黃選記卻職號類傳帶幹農邊據聯廣質陽難歷專認車臺遊舉線團備爭眾連調轉該爾讓較際親單紅價約亞則屬"
    "積圖準極裝許參觀魚辦復遠構隨劃勢熱網語鐵斷愛紀況證編爲裏衆喫羣説"
    "，。、；：？！“”‘’《》（）「」『』【】…—"
)
# Share of non-ASCII characters that must be common Chinese before a GB/Big5
# reading overrides the detector's guess; real Chinese prose scores 0.6–0.9,
# a wrong-codec reading well under 0.1.
_MIN_CJK_SCORE = 0.3
# Share of control characters above which decoded bytes are not text.
_MAX_CONTROL_SHARE = 0.01
# C0/C1 controls other than tab, line breaks and ESC (ANSI colour in logs).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# Characters of a decoded text scored for Chinese-likeness (a prefix is enough).
_SCORE_SAMPLE = 100_000
# Share of NUL bytes on one side of the byte pairs that marks BOM-less UTF-16.
_UTF16_NUL_SIDE = 0.9
# BOM-less UTF-16 that is not mostly Chinese has a NUL in at least this share of
# its byte pairs (every ASCII character has one); stray NULs in UTF-8 are far fewer.
_UTF16_MIN_NUL_PAIRS = 0.2

_NEWLINES = re.compile(r"\r\n?")

# --- Markdown ---------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+) *$")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_BLOCKQUOTE = re.compile(r"^ {0,3}(?:> ?)+")
_LIST_MARKER = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_REFERENCE_LINK = re.compile(r"!?\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Emphasis delimiters: never a backslash-escaped one, never inside a word.
_INLINE_CODE = re.compile(r"(?<!\\)(`+)(.+?)\1")
_STRONG = re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1")
_EMPHASIS_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?![\w_])")
_STRIKE = re.compile(r"(?<!\\)~~(?=\S)(.+?)(?<=[^\s\\])~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")


def read_text(source: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read one source file (``"-"`` is stdin) as clean, normalised text.

    Markdown files come back as plain text; Word (.docx), HTML and PDF files as
    their text (``text.docx``, ``text.html``, ``text.pdf``); anything else as is.
    """
    name = source_label(source)
    data = read_bytes(source, max_bytes=max_bytes)
    if not data:
        raise InputError(f"{name} is empty; give a file that contains text")
    extract = None if _is_stdin(source) else _document_reader(Path(source).suffix.lower())
    text = normalise(extract(data, name) if extract else decode_bytes(data, name))
    if not text.strip():
        raise InputError(f"{name} contains only whitespace; give a file that contains text")
    _check_line_lengths(text, name)
    if not _is_stdin(source) and Path(source).suffix.lower() in MARKDOWN_SUFFIXES:
        text = strip_markdown(text)
        if all(not line.strip() or is_marker(line) for line in text.split("\n")):
            raise InputError(f"{name} has no text outside its Markdown markup; give a file that contains text")
    return text


def _document_reader(suffix: str) -> Callable[[bytes, str], str] | None:
    """The text extractor for a document format (.docx, .html, .pdf), loaded only when one is read."""
    if suffix == ".docx":
        from npfterm.text.docx import docx_text

        return docx_text
    if suffix in HTML_SUFFIXES:
        from npfterm.text.html import html_text

        return html_text
    if suffix == ".pdf":
        from npfterm.text.pdf import pdf_text

        return pdf_text
    return None


def read_bytes(source: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A source's raw bytes (``"-"`` is stdin), at most ``max_bytes`` of them.

    Every way the path itself is unusable (missing, a directory, unreadable,
    too large) is an ``InputError``; what the bytes hold is the caller's concern.
    """
    if _is_stdin(source):
        return _read_stdin(max_bytes)
    return _read_file(Path(source), source_label(source), max_bytes)


def source_label(source: str | os.PathLike[str]) -> str:
    """How messages name a source: the path as given, or ``<stdin>``."""
    return STDIN_NAME if _is_stdin(source) else os.fspath(source)


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """Decode bytes of unknown encoding: BOM, then strict UTF-8, then detection.

    Raises ``InputError`` when the bytes are not text in any encoding we trust.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(codec), name)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name} starts with a {label} byte-order mark but is not valid {label}; "
                    "re-save it as UTF-8"
                ) from None
    if b"\x00" in data:  # text never holds NUL; UTF-16/32 always does
        return _checked(_decode_with_nul(data, name), name)
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    text = _detect(data)
    if text is None:
        mixed = _mixed_encodings(data)
        if mixed:
            raise InputError(
                f"{name} mixes encodings: line {mixed[0]} is UTF-8, line {mixed[1]} is GBK/GB18030; "
                "re-save the file in one encoding (UTF-8)"
            )
        raise _binary(name)
    return _checked(text, name)


def _mixed_encodings(data: bytes) -> tuple[int, int] | None:
    """(a UTF-8 line, a GB18030 line) when every line is one or the other and both occur; else None."""
    utf8 = gb = 0
    for number, line in enumerate(data.split(b"\n"), 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                return None
            gb = gb or number
        else:
            if not line.isascii():
                utf8 = utf8 or number
    return (utf8, gb) if utf8 and gb else None


def normalise(text: str) -> str:
    """CRLF and lone CR → LF, no BOM, no invisible format characters, Unicode NFC; nothing else changes."""
    text = _NEWLINES.sub("\n", text)
    return unicodedata.normalize("NFC", remove_invisible(text))


#: Zero-width characters, bidi controls, word joiners, soft hyphens and stray BOMs: invisible, yet they
#: split words, numbers and terms for every matcher, and would travel into exported memories.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def remove_invisible(text: str) -> str:
    """``text`` without invisible format characters (see ``_INVISIBLE``)."""
    return _INVISIBLE.sub("", text)


def strip_markdown(text: str) -> str:
    """Markdown → plain text, one output line per input line.

    Fenced code and link definitions become blank lines, so paragraph breaks
    and line numbers survive.  A thematic break (``---``, ``* * *``) stays as
    it is: it may separate documents (text.boundaries).
    """
    out: list[str] = []
    fence: str | None = None
    previous = ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if opening:
            fence = opening.group(1)
            out.append("")
            continue
        if _LINK_DEFINITION.match(line) or (previous.strip() and _SETEXT_UNDERLINE.match(line)):
            out.append("")
            previous = ""
            continue
        if _RULE.match(line):  # after the setext check: ``---`` under a line of text underlines it (CommonMark)
            out.append(line.strip())
            previous = ""
            continue
        previous = line
        out.append(_strip_inline(_strip_block_markers(line)))
    # a comment goes, its line breaks stay: one output line per input line
    return _HTML_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), "\n".join(out))


def _strip_block_markers(line: str) -> str:
    line = _BLOCKQUOTE.sub("", line)
    if _HEADING.match(line):
        return _HEADING_CLOSE.sub("", _HEADING.sub("", line))
    return _LIST_MARKER.sub(r"\1", line)


def _strip_inline(line: str) -> str:
    line = _IMAGE_OR_LINK.sub(r"\1", line)
    line = _REFERENCE_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    line = _INLINE_CODE.sub(lambda m: m.group(2).strip(), line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS_STAR.sub(r"\1", line)
    line = _EMPHASIS_UNDERSCORE.sub(r"\1", line)
    line = _STRIKE.sub(r"\1", line)
    return _ESCAPE.sub(r"\1", line)


# --- reading ----------------------------------------------------------------


def _is_stdin(source: str | os.PathLike[str]) -> bool:
    return isinstance(source, str) and source == "-"


def _read_file(path: Path, name: str, max_bytes: int) -> bytes:
    with open_limited(path, max_bytes) as fh:
        return _read_limited(fh, name, max_bytes)


@contextlib.contextmanager
def open_limited(
    path: str | os.PathLike[str], max_bytes: int, *, wanted: str = "a text file"
) -> Iterator[io.BufferedReader]:
    """The file open for reading, refused from its size before a byte is read.

    Every way the path is unusable is an ``InputError`` naming it; ``wanted``
    says what the command expected instead of a directory.
    """
    name = os.fspath(path)
    try:
        file = Path(path)
        if file.is_dir():
            raise InputError(f"{name} is a directory; give the path of {wanted}")
        with file.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise _too_large(name, size, max_bytes)
            yield fh
    except FileNotFoundError:
        raise InputError(f"file not found: {name}; check the path") from None
    except PermissionError:
        raise InputError(f"cannot read {name}: permission denied; check the file's permissions") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a directory; give the path of {wanted}") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None


def _read_stdin(max_bytes: int) -> bytes:
    return _read_limited(sys.stdin.buffer, STDIN_NAME, max_bytes)


def _read_limited(fh: BinaryIO, name: str, max_bytes: int) -> bytes:
    """Read at most ``max_bytes``; more is an error (a pipe, or a file that grew since stat)."""
    return read_at_most(fh, name, max_bytes)


_PIECE = 1 << 20  # bytes read at a time by read_at_most


def read_at_most(fh: BinaryIO, name: str, max_bytes: int) -> bytes:
    """Everything ``fh`` holds, in pieces: a large limit reserves no memory up front; past it, an InputError."""
    pieces: list[bytes] = []
    total = 0
    while True:
        piece = fh.read(min(_PIECE, max_bytes + 1 - total))
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)
        total += len(piece)
        if total > max_bytes:
            raise over_limit(name, max_bytes)


def over_limit(name: str, max_bytes: int) -> InputError:
    """A stream that went past the limit while being read (a pipe, or a file that grew since stat)."""
    return InputError(f"{name} is larger than {_size(max_bytes)}; the limit is {_limit(max_bytes)}", hint=("max_bytes", None))


def _too_large(name: str, size: int, max_bytes: int) -> InputError:
    return InputError(f"{name} is {_size(size)}; the limit is {_limit(max_bytes)}", hint=("max_bytes", None))


def _size(n: int) -> str:
    """A byte count for a message: ``210.0 MB``, ``12.5 KB``, ``300 bytes``."""
    if n >= _MIB:
        return f"{n / _MIB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _limit(n: int) -> str:
    """A limit for a message: ``64 MB`` when whole, else like ``_size``."""
    for unit, label in ((_MIB, "MB"), (1024, "KB")):
        if n >= unit and n % unit == 0:
            return f"{n // unit} {label}"
    return _size(n)


def _check_line_lengths(text: str, name: str) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"{name}: line {number} has {len(line):,} characters; the limit is "
                f"{MAX_LINE_CHARS:,} per line (is it really a text file?)"
            )


# --- decoding ---------------------------------------------------------------


def _binary(name: str) -> NotTextError:
    return NotTextError(f"{name} looks like a binary file, not text; give a plain-text or Markdown file")


def _checked(text: str, name: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file)."""
    if _mostly_controls(text):
        raise _binary(name)
    return text


def _mostly_controls(text: str) -> bool:
    controls = sum(1 for _ in _CONTROLS.finditer(text))
    return controls > 0 and controls > _MAX_CONTROL_SHARE * len(text)


def _decode_with_nul(data: bytes, name: str) -> str:
    """BOM-less UTF-16, else an error: UTF-8 text damaged by NUL bytes, or a binary file.

    UTF-16 puts (nearly) every NUL on the same side of its pair: ASCII
    characters put theirs on the high-byte side; a binary file scatters them.
    A few NULs in bytes that are UTF-8 text without them are damage, not
    UTF-16, unless the UTF-16 reading is common Chinese (whose code units are
    often ASCII bytes): read as UTF-16 they would be a page of rare characters.
    """
    utf16 = _utf16_without_bom(data)
    if _utf8_text(data.replace(b"\x00", b"")) and (
        utf16 is None
        or (data.count(0) < _UTF16_MIN_NUL_PAIRS * len(data) / 2 and _chinese_score(utf16) < _MIN_CJK_SCORE)
    ):
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(
            f"{name} contains NUL bytes (the first on line {line}), which text never holds; "
            "the file may be damaged: remove them or re-save it as UTF-8"
        )
    if utf16 is None:
        raise _binary(name)
    return utf16


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    odd = data[1::2].count(0)
    even = data[0::2].count(0)
    if odd >= _UTF16_NUL_SIDE * (odd + even):
        codec = "utf-16-le"
    elif even >= _UTF16_NUL_SIDE * (odd + even):
        codec = "utf-16-be"
    else:
        return None
    return _try_decode(data, codec)


def _utf8_text(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 text: valid, not blank, not mostly control characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and not _mostly_controls(text)


def _detect(data: bytes) -> str | None:
    """Ask charset-normalizer, then let Chinese-likeness settle GB against Big5.

    Short Chinese texts fool the detector (GBK read as Big5, Shift-JIS or even
    UTF-16), so both Chinese supersets are always tried and the reading made of
    common characters wins when it is clearly Chinese.
    """
    from charset_normalizer import from_bytes  # slow to import; only needed here

    guesses = [_widen(match.encoding) for match in from_bytes(data)]
    # Without NUL bytes the text is not UTF-16/32; a guess of it is noise.
    guesses = [enc for enc in guesses if not enc.startswith(("utf_16", "utf_32", "utf-16", "utf-32"))]
    readings: dict[str, str] = {}
    for codec in dict.fromkeys([*guesses, _GB, _BIG5]):
        text = _try_decode(data, codec)
        if text is not None:
            readings[codec] = text
    chinese = {codec: _chinese_score(readings[codec]) for codec in (_GB, _BIG5) if codec in readings}
    if chinese:
        first_chinese = next((g for g in guesses if g in (_GB, _BIG5)), _GB)
        best = max(chinese, key=lambda codec: (chinese[codec], codec == first_chinese))
        if chinese[best] >= _MIN_CJK_SCORE or (guesses and guesses[0] in (_GB, _BIG5)):
            return readings[best]
    for codec in guesses:
        if codec in readings:
            return readings[codec]
    return readings.get(_GB)


def _widen(encoding: str) -> str:
    """Map a detected Chinese codec to its superset; leave others alone."""
    key = encoding.lower().replace("-", "_")
    if key in _GB_FAMILY:
        return _GB
    if key in _BIG5_FAMILY:
        return _BIG5
    return key


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        if codec == _BIG5:  # HKSCS lacks a few cp950 extensions
            return _try_decode(data, "cp950")
        return None


def _chinese_score(text: str) -> float:
    """Share of non-ASCII, non-space characters that are common in Chinese."""
    wide = [ch for ch in text[:_SCORE_SAMPLE] if ord(ch) > 0x7F and not ch.isspace()]
    if not wide:
        return 0.0
    return sum(ch in _COMMON_HAN for ch in wide) / len(wide)
