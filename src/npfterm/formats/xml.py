"""XML for TMX and TBX: escaping for the writers, a safe streaming parser for the readers.

Text is escaped by hand rather than through an XML library so writers can
stream; the price is that the rules live here, in one place: ``& < >`` always,
quotes in attributes, carriage returns as ``&#13;`` (a parser would otherwise
turn them into line feeds), and characters XML 1.0 cannot hold removed.
Removals are counted per file and reported once, as one warning, because a
warning per segment would bury the user.

Untrusted XML → a small tree whose elements know their line numbers.

TMX and TBX files come from anywhere, so parsing follows three rules:

* No entity is ever expanded and no external resource is ever loaded.
  defusedxml's parser refuses any ``<!ENTITY`` declaration the moment expat
  reads it, which stops an entity-expansion bomb ("billion laughs") and an
  external-entity (XXE) file before any memory is spent on them.  A plain
  ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` is fine: expat never fetches it.
* The encoding comes from the BOM or the XML declaration, decoded by Python
  (expat alone cannot read GB18030 or Big5, which Chinese tools still write).
* Every error names the file and line, so a user can open the file there.

A large file need not be held whole: :class:`XmlStream` reads it a piece at a
time and hands out its repeated elements (TMX ``tu``) one by one.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape, quoteattr

from npfterm.errors import FormatError

# Characters XML 1.0 forbids anywhere (controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ENTITIES = {"\r": "&#13;"}
_LANG_CODE = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")


class XmlCharacterWarning(UserWarning):
    """Text held characters XML 1.0 cannot represent; they were removed."""


def strip_forbidden(value: str) -> tuple[str, int]:
    """``value`` without the characters XML 1.0 forbids, and how many were removed."""
    return _FORBIDDEN.subn("", value)


def is_lang_code(code: str) -> bool:
    """A BCP 47-shaped code (``zh-CN``, ``en``, ``zh-Hans-CN``), as xml:lang needs."""
    return bool(_LANG_CODE.match(code))


@dataclass
class XmlEscaper:
    """Escapes text for one output file and remembers what it had to remove."""

    removed: int = 0
    fields: int = 0

    def _clean(self, value: str) -> str:
        cleaned, count = strip_forbidden(value)
        if count:
            self.removed += count
            self.fields += 1
        return cleaned

    def text(self, value: str) -> str:
        """Escaped element content."""
        return escape(self._clean(value), _TEXT_ENTITIES)

    def attr(self, value: str) -> str:
        """A quoted, escaped attribute value (quotes included)."""
        return quoteattr(self._clean(value))

    def warn(self, what: str) -> None:
        """One warning for the whole file (``what``: its format), if anything was removed."""
        if self.removed:
            warnings.warn(
                f"removed {self.removed} character(s) that XML 1.0 does not allow "
                f"from {self.fields} text field(s) of the {what} output",
                XmlCharacterWarning,
                stacklevel=3,
            )


XML_NS = "{http://www.w3.org/XML/1998/namespace}"

_DECLARATION = re.compile(rb"^<\?xml\s[^>]*?\?>")
_ENCODING = re.compile(rb"""(\sencoding\s*=\s*)(["'])([A-Za-z][A-Za-z0-9._-]*)\2""")
_EXPAT_POSITION = re.compile(r": line \d+, column \d+$")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<?" in UTF-16 without a BOM (XML 1.0, appendix F)
_UTF16_SNIFF = ((b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))


@dataclass(frozen=True)
class Node:
    """One element: local tag name, attributes, line, and its content in order.

    ``content`` mixes text (``str``) and child elements (``Node``) as they
    appear, which TMX segments with inline codes need.  Namespaces are dropped
    from tag names (TBX v3 has one, TBX 2008 none); ``xml:lang`` is kept as
    ``"xml:lang"`` among the attributes.
    """

    tag: str
    attrs: dict[str, str]
    line: int
    content: list["str | Node"] = field(default_factory=list)

    @property
    def children(self) -> Iterator["Node"]:
        return (c for c in self.content if isinstance(c, Node))

    def find(self, tag: str) -> "Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list["Node"]:
        return [c for c in self.children if c.tag == tag]

    def iter(self, tag: str) -> Iterator["Node"]:
        """Every descendant (and self) with this tag, in document order."""
        if self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def text(self) -> str:
        """All text inside, children included."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.content)


def _local(name: str) -> str:
    if name.startswith(XML_NS):
        return "xml:" + name[len(XML_NS) :]
    return name.rsplit("}", 1)[-1]


# Bytes read from the file per step when streaming; the first step reads at
# least _HEAD_BYTES, which hold the BOM and the XML declaration.
CHUNK_BYTES = 1 << 20
_HEAD_BYTES = 4096


class Readable(Protocol):
    """What the streaming reader needs of a file: ``read``."""

    def read(self, size: int = -1, /) -> bytes: ...


#: Deepest element nesting read: TMX and TBX need about ten levels; a thousand is an attack.
MAX_DEPTH = 100


class _TooDeep(Exception):
    """An element opened more than :data:`MAX_DEPTH` levels down (raised inside expat, reported by ``_reporting``)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Builder:
    """An ElementTree parser target that builds ``Node``s with expat's line numbers.

    With ``split=(parent, units)``, each element named in ``units`` whose parent is a
    ``parent`` element is taken out of the tree when it closes and queued for
    :meth:`take`: a streaming reader hands it out and forgets it.
    """

    def __init__(self, split: tuple[str, frozenset[str]] | None = None) -> None:
        self.expat: object = None  # set once the parser exists
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.split = split
        self.done: list[Node] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(self.expat.CurrentLineNumber)  # type: ignore[attr-defined]
        node = Node(_local(tag), {_local(k): v for k, v in attrs.items()}, self.expat.CurrentLineNumber)  # type: ignore[attr-defined]
        if self.stack:
            self.stack[-1].content.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        if self.split and node.tag in self.split[1] and self.stack and self.stack[-1].tag == self.split[0]:
            self.stack[-1].content.pop()  # nothing follows a child in its parent until it closes
            self.done.append(node)

    def data(self, text: str) -> None:
        if self.stack:
            top = self.stack[-1]
            if self.split and top.tag == self.split[0] and text.isspace():
                return  # the line breaks between units
            top.content.append(text)

    def close(self) -> Node | None:
        return self.root

    def take(self) -> list[Node]:
        done, self.done = self.done, []
        return done


def declared_encoding(data: bytes) -> str:
    """The encoding XML 1.0 says to use: BOM, else the declaration, else UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    for sniff, codec in _UTF16_SNIFF:
        if data.startswith(sniff):
            return codec
    declaration = _DECLARATION.match(data)
    if declaration:
        found = _ENCODING.search(declaration.group(0))
        if found:
            return found.group(3).decode("ascii").lower()
    return "utf-8"


def _utf8_chunks(source: Readable, name: str, size: int) -> Iterator[bytes]:
    """The document re-encoded as UTF-8 a piece at a time, its declaration saying so, line breaks untouched."""
    data = b""
    while len(data) < _HEAD_BYTES:  # the first piece holds the whole declaration (or the whole file)
        more = source.read(max(size, _HEAD_BYTES - len(data)))
        if not more:
            break
        data += more
    encoding = declared_encoding(data)
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise FormatError(f"{name}: line 1: unknown encoding {encoding!r} in the XML declaration") from None
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    lines = 0  # line breaks in the text decoded so far
    first = True
    while True:
        final = not data
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            line = lines + exc.object[: exc.start].decode(codec, errors="replace").count("\n") + 1
            raise FormatError(f"{name}: line {line}: the bytes are not valid {encoding}, as the file declares") from None
        lines += text.count("\n")
        utf8 = text.encode("utf-8")
        if first and text:
            first = False
            utf8 = text.removeprefix("\ufeff").encode("utf-8")
            declaration = _DECLARATION.match(utf8)
            if declaration:
                fixed = _ENCODING.sub(rb"\1\2UTF-8\2", declaration.group(0))
                utf8 = fixed + utf8[declaration.end() :]
        if utf8:
            yield utf8
        if final:
            return
        data = source.read(size)


@contextlib.contextmanager
def _reporting(name: str, parser: Any, builder: _Builder) -> Iterator[None]:
    """Parser errors as ``FormatError`` naming the file and line."""
    from defusedxml import DefusedXmlException, EntitiesForbidden

    try:
        yield
    except _TooDeep as exc:
        raise FormatError(f"{name}: line {exc.line}: elements nested more than {MAX_DEPTH} deep; is this a TMX or TBX file?") from None
    except ParseError as exc:
        line = exc.position[0]
        message = _explain(_EXPAT_POSITION.sub("", str(exc)), builder.stack)
        raise FormatError(f"{name}: line {line}: {message}") from None
    except EntitiesForbidden as exc:
        raise FormatError(
            f"{name}: line {parser.parser.CurrentLineNumber}: declares the XML entity {exc.name!r}; "
            "npfterm never expands XML entities (a defence against entity bombs and file disclosure): "
            "remove the <!ENTITY> declarations"
        ) from None
    except DefusedXmlException as exc:
        raise FormatError(
            f"{name}: line {parser.parser.CurrentLineNumber}: refers to an external resource ({exc}); "
            "npfterm never loads external entities"
        ) from None


class XmlStream:
    """Untrusted XML read from a file a piece at a time, by the same rules as :func:`parse_xml`.

    Iterating yields each ``unit`` element (``unit`` may name several) whose
    parent is a ``parent`` element as soon as it closes, and keeps no
    reference to it: memory holds one piece of the file and the units not yet
    handed out, never the whole tree.  ``root`` is the document element
    without those units (a TMX file's header, say); it is complete once the
    iteration has ended.  ``check_root`` is called with the root as soon as
    it has opened, so a file of the wrong kind is refused before it is read.
    """

    def __init__(
        self, source: Readable, name: str, *, parent: str | None = None, unit: str | tuple[str, ...] | None = None,
        check_root: Callable[[Node], object] | None = None,
    ) -> None:
        self._source = source
        self.name = name
        units = frozenset((unit,) if isinstance(unit, str) else unit or ())
        self._builder = _Builder(split=(parent, units) if parent and units else None)
        self._check_root = check_root

    @property
    def root(self) -> Node | None:
        return self._builder.root

    def __iter__(self) -> Iterator[Node]:
        from defusedxml.ElementTree import DefusedXMLParser

        builder = self._builder
        parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        builder.expat = parser.parser
        with _reporting(self.name, parser, builder):
            for chunk in _utf8_chunks(self._source, self.name, CHUNK_BYTES):
                parser.feed(chunk)
                if self._check_root is not None and builder.root is not None:
                    self._check_root(builder.root)
                    self._check_root = None
                yield from builder.take()
            parser.close()
        yield from builder.take()
        if builder.root is None:
            raise FormatError(f"{self.name}: no XML element found")


def parse_xml(data: bytes, name: str) -> Node:
    """Parse untrusted XML bytes; ``FormatError`` naming the line for anything wrong."""
    stream = XmlStream(io.BytesIO(data), name)
    for _ in stream:
        pass
    assert stream.root is not None  # XmlStream raises for a document without an element
    return stream.root


def _explain(message: str, open_elements: list[Node]) -> str:
    """expat's message, naming the element left open where that is what went wrong."""
    if not open_elements:
        return message
    last = open_elements[-1]
    if message in ("no element found", "unclosed token"):  # expat's words for an early end of file
        return f"the file ends inside <{last.tag}> (opened on line {last.line}); is it truncated?"
    if message == "mismatched tag":
        return f"mismatched tag: expected </{last.tag}> to close <{last.tag}> from line {last.line}"
    return message


def clean_text(text: str) -> str:
    """Segment or term text as the rest of npfterm expects it: NFC, no invisible format characters."""
    from npfterm.text.read import remove_invisible

    return unicodedata.normalize("NFC", remove_invisible(text))
