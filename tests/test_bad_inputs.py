"""Bad input of every kind, through the CLI, in one table.

Each case builds its bad input in a temporary folder, runs one command and
checks the exit code and the message.  Every case also checks the contract of
README's "Errors and exit codes": no traceback (nor an uncaught exception, which
CliRunner would swallow), one line on stderr (a usage error: click's usage block
ending in one ``Error:`` line), nothing on stdout, no file in the folder changed
or added (no partial output), the default store not created, and an answer in
seconds, not minutes.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from documents import encrypted_docx, encrypted_pdf, scanned_pdf, zip_of_something_else
from typer.testing import CliRunner

from npfterm.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "npf-xi-2024-01-31.txt"
_LINES = CORPUS.read_text(encoding="utf-8").splitlines()
_HAN = re.compile("[\u4e00-\u9fff]")
_LATIN = re.compile("[A-Za-z]")
ZH = "\n".join([line for line in _LINES if _HAN.search(line) and not _LATIN.search(line)][:3]) + "\n"
EN = "\n".join([line for line in _LINES if _LATIN.search(line) and not _HAN.search(line)][:3]) + "\n"
BILINGUAL = EN + "\n" + ZH

ALIGN = ("align", "--mode", "lexical", "--no-store")
TERMS = ("terms", "--mode", "lexical", "--no-store")
BUSY_TIMEOUT = "0.2"  # seconds npfterm waits for a locked store in these tests
TIME_LIMIT = 15.0  # seconds: a refusal must be quick (nothing here legitimately takes more than ~2 s)

Cleanup = Callable[[], None] | None
Build = Callable[[Path], Cleanup]


# --- builders: each writes its input into the folder; some return a cleanup ---------------


def files(contents: dict[str, str | bytes] | None = None) -> Build:
    """Files by name; text as UTF-8."""

    def build(tmp: Path) -> Cleanup:
        for name, content in (contents or {}).items():
            (tmp / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return None

    return build


def even(text: str) -> bytes:
    """UTF-8 of an even length: with a NUL in it, BOM-less UTF-16 is a candidate reading."""
    data = text.encode("utf-8")
    return data if len(data) % 2 == 0 else data + b"\n"


def both(*builds: Build) -> Build:
    def build(tmp: Path) -> Cleanup:
        cleanups = [c for c in (b(tmp) for b in builds) if c is not None]

        def cleanup() -> None:
            for c in cleanups:
                c()

        return cleanup

    return build


def folder(name: str, mode: int | None = None) -> Build:
    def build(tmp: Path) -> Cleanup:
        path = tmp / name
        path.mkdir()
        if mode is None:
            return None
        path.chmod(mode)
        return lambda: path.chmod(0o755)

    return build


def unreadable(name: str) -> Build:
    def build(tmp: Path) -> Cleanup:
        path = tmp / name
        path.write_text(BILINGUAL, encoding="utf-8")
        path.chmod(0o000)
        return lambda: path.chmod(0o644)

    return build


def executable_copy(name: str) -> Build:
    """The first 64 KB of the running Python interpreter (an ELF or Mach-O binary)."""
    return files({name: Path(sys.executable).resolve().read_bytes()[:65536]})


def long_line(name: str, megabytes: int = 10) -> Build:
    """The bilingual sample repeated on one line, with no newline at all."""
    one = " ".join(BILINGUAL.split())
    return files({name: one * (megabytes * 1024 * 1024 // len(one.encode()) + 1)})


def document(make: Callable[[Path], Path]) -> Build:
    """A document built by tests/documents.py."""

    def build(tmp: Path) -> Cleanup:
        make(tmp)
        return None

    return build


def store(name: str) -> Build:
    """An npfterm store holding one term pair."""

    def build(tmp: Path) -> Cleanup:
        from npfterm.models import TermPair
        from npfterm.store.db import Store

        with Store.open(tmp / name) as s:
            s.add_terms([TermPair(zh="新质生产力", en="new productive forces", score=1.0, count=1, evidence="imported")])
        return None

    return build


def locked_store(name: str) -> Build:
    """A store another process is writing to: a connection holds ``BEGIN EXCLUSIVE`` during the run."""

    def build(tmp: Path) -> Cleanup:
        store(name)(tmp)
        holder = sqlite3.connect(tmp / name, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")

        def release() -> None:
            holder.execute("ROLLBACK")
            holder.close()

        return release

    return build


def symlink(name: str, target: str) -> Build:
    def build(tmp: Path) -> Cleanup:
        (tmp / name).symlink_to(target)
        return None

    return build


def nested_xml(name: str, head: str, open_: str, inner: str, close: str, tail: str, depth: int = 1000) -> Build:
    """An XML file with ``depth`` ``<g>`` elements nested inside one element (a segment or a term)."""
    return files({name: head + open_ + "<g>" * depth + inner + "</g>" * depth + close + tail})


NESTED_TMX = nested_xml(
    "nested.tmx", '<?xml version="1.0"?>\n<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>中文</seg></tuv>'
    '<tuv xml:lang="en">', "<seg>", "deep", "</seg>", "</tuv></tu></body></tmx>\n",
)
NESTED_TBX = nested_xml(
    "nested.tbx", '<?xml version="1.0"?>\n<martif type="TBX"><text><body><termEntry>'
    '<langSet xml:lang="zh"><tig><term>科技</term></tig></langSet><langSet xml:lang="en"><tig>', "<term>", "technology",
    "</term>", "</tig></langSet></termEntry></body></text></martif>\n",
)


NOTHING = files()

TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<tmx version="1.4">\n'
    '<header srclang="zh-CN" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" '
    'creationtool="x" creationtoolversion="1"/>\n'
    "<body>\n"
)
TRUNCATED_TMX = (
    TMX_HEAD
    + '<tu><tuv xml:lang="zh-CN"><seg>科技创新</seg></tuv><tuv xml:lang="en-US"><seg>Sci-tech innovation</seg></tuv></tu>\n'
    + '<tu><tuv xml:lang="zh-CN"><seg>新质生产力</seg></tuv>\n'
    + '<tuv xml:lang="en-US"><seg>new productive'
)
MISMATCHED_TBX = (
    '<?xml version="1.0"?>\n<martif type="TBX"><text><body>\n'
    '<termEntry><langSet xml:lang="zh"><tig><term>科技</term></tig></langSet></termEntry>\n'
    "</bod></text></martif>\n"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{k} "{("&lol%s;" % (k - 1 or "")) * 10}">\n' for k in range(1, 10))
    + "]>\n"
    + '<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>&lol9;</seg></tuv>'
    + '<tuv xml:lang="en"><seg>lol</seg></tuv></tu></body></tmx>\n'
)
XXE_TMX = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n'
    '<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>中文</seg></tuv>'
    '<tuv xml:lang="en"><seg>&x;</seg></tuv></tu></body></tmx>\n'
)
GLOSSARY = "zh,en\n新质生产力,new productive forces\n"
NOT_A_DATABASE = "Meeting notes, not a database.\n" * 20


# --- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: int
    message: str  # a regular expression the ``Error:`` line must match (re.search)
    build: Build = NOTHING
    stdin: str | None = None
    usage: bool = False  # a click usage error: "Usage: …", "Try …", "", then the one Error line
    not_as_root: bool = False  # permissions do not stop root
    keeps_result: str = ""  # a regex for the result, which reaches stdout before the store refuses it


CASES = [
    # -- the path itself
    Case("missing-file", (*ALIGN, "missing.txt"), 2, r"^Error: file not found: missing\.txt; check the path$"),
    Case("missing-second-file", (*ALIGN, "zh.txt", "en2.txt"), 2, r"^Error: file not found: en2\.txt",
         files({"zh.txt": ZH})),
    Case("directory-for-terms", (*TERMS, "adir"), 2, r"^Error: adir is a directory; give the path of a text file$",
         folder("adir")),
    Case("empty-directory-for-align", (*ALIGN, "adir"), 2, r"^Error: no documents found in adir; expected ",
         folder("adir")),
    Case("directory-for-import", ("import", "adir"), 2, r"^Error: adir is a directory; give the path of a file to import$",
         folder("adir")),
    Case("permission-denied", (*ALIGN, "secret.txt"), 2,
         r"^Error: cannot read secret\.txt: permission denied; check the file's permissions$",
         unreadable("secret.txt"), not_as_root=True),
    # -- what the file holds
    Case("empty-file", (*ALIGN, "empty.txt"), 2, r"^Error: empty\.txt is empty; give a file that contains text$",
         files({"empty.txt": ""})),
    Case("empty-stdin", (*ALIGN, "-"), 2, r"^Error: <stdin> is empty", stdin=""),
    Case("whitespace-only", (*ALIGN, "blank.txt"), 2, r"^Error: blank\.txt contains only whitespace",
         files({"blank.txt": " \n\t\n\u3000\r\n\n"})),
    Case("markup-only-markdown", (*ALIGN, "notes.md"), 2, r"^Error: notes\.md has no text outside its Markdown markup",
         files({"notes.md": "```\n科技创新 innovation\n```\n\n---\n"})),
    Case("binary-executable", (*ALIGN, "python.bin"), 2, r"^Error: python\.bin looks like a binary file, not text",
         executable_copy("python.bin")),
    Case("binary-elf-with-nuls", (*ALIGN, "prog"), 2, r"^Error: prog looks like a binary file, not text",
         files({"prog": b"\x7fELF\x02\x01\x01\x00" + bytes(4096) + bytes(range(256)) * 16})),
    # -- documents (issue 15): a scanned or encrypted PDF, an encrypted docx, a zip that is no Word document
    Case("scanned-pdf", (*ALIGN, "scan.pdf"), 2, r"^Error: scan\.pdf has no text layer \(a scanned PDF\?\)",
         document(lambda tmp: scanned_pdf(tmp / "scan.pdf"))),
    Case("encrypted-pdf", (*ALIGN, "locked.pdf"), 2, r"^Error: locked\.pdf is encrypted \(it needs a password to open\)",
         document(lambda tmp: encrypted_pdf(tmp / "locked.pdf", ["秘密。", "Secret."]))),
    Case("encrypted-docx", (*TERMS, "locked.docx"), 2, r"^Error: locked\.docx is password-protected \(encrypted\)",
         document(lambda tmp: encrypted_docx(tmp / "locked.docx"))),
    Case("zip-that-is-not-a-docx", (*ALIGN, "photos.docx"), 2,
         r"^Error: photos\.docx is a zip file but not a Word document \(it has no word/document\.xml\)$",
         document(lambda tmp: zip_of_something_else(tmp / "photos.docx"))),
    Case("nul-byte-in-text", (*ALIGN, "damaged.txt"), 2,
         r"^Error: damaged\.txt contains NUL bytes \(the first on line 4\)",
         files({"damaged.txt": even(EN + "\x00" + BILINGUAL)})),
    Case("no-chinese", (*ALIGN, "en.txt"), 2,
         r"^Error: no Chinese text found in en\.txt; align needs both Chinese and English$", files({"en.txt": EN})),
    Case("no-english", (*ALIGN, "zh.txt"), 2,
         r"^Error: no English text found in zh\.txt; align needs both Chinese and English$", files({"zh.txt": ZH})),
    Case("two-chinese-files", (*ALIGN, "zh.txt", "zh2.txt"), 2,
         r"^Error: no English text found in zh\.txt or zh2\.txt \(both are Chinese\)", files({"zh.txt": ZH, "zh2.txt": ZH})),
    Case("ten-megabyte-line", (*ALIGN, "long.txt"), 2,
         r"^Error: long\.txt: line 1 has [\d,]+ characters; the limit is 1,000,000 per line", long_line("long.txt")),
    # -- import: malformed files change nothing
    Case("truncated-tmx", ("import", "memory.tmx"), 2,
         r"^Error: memory\.tmx: line 7: the file ends inside <seg> \(opened on line 7\); is it truncated\?$",
         files({"memory.tmx": TRUNCATED_TMX})),
    Case("mismatched-tbx", ("import", "terms.tbx"), 2,
         r"^Error: terms\.tbx: line 4: mismatched tag: expected </body> to close <body> from line 2$",
         files({"terms.tbx": MISMATCHED_TBX})),
    Case("csv-without-zh-en-columns", ("import", "glossary.csv"), 2,
         r"^Error: glossary\.csv: cannot tell which column holds the Chinese and which the English terms",
         files({"glossary.csv": "id,price\n1,2.50\n2,3.75\n"})),
    Case("empty-csv", ("import", "glossary.csv"), 2, r"^Error: glossary\.csv is empty; nothing to import$",
         files({"glossary.csv": ""})),
    Case("binary-csv", ("import", "glossary.csv"), 2,
         r"^Error: glossary\.csv looks like a binary file, not text; import a TMX, TBX, CSV/TSV, xlsx or JSON Lines file",
         executable_copy("glossary.csv")),
    Case("malformed-workbook", ("import", "glossary.xlsx"), 2,
         r"^Error: glossary\.xlsx is not a readable Excel workbook \(\.xlsx\): [^\n]+$",
         files({"glossary.xlsx": b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)) * 8})),
    Case("billion-laughs", ("import", "bomb.tmx"), 2,
         r"^Error: bomb\.tmx: line 3: declares the XML entity 'lol'; npfterm never expands XML entities",
         files({"bomb.tmx": BILLION_LAUGHS})),
    Case("external-entity", ("import", "xxe.tmx"), 2,
         r"^Error: xxe\.tmx: line 2: declares the XML entity 'x'; npfterm never expands XML entities",
         files({"xxe.tmx": XXE_TMX})),
    # -- usage
    Case("align-unknown-format", (*ALIGN, "doc.txt", "--format", "xml"), 2,
         r"^Error: Invalid value for --format: 'xml' is not one of: table, ", files({"doc.txt": BILINGUAL}), usage=True),
    Case("terms-unknown-format", (*TERMS, "doc.txt", "--format", "xml"), 2,
         r"^Error: Invalid value for --format: 'xml' is not one of: table, ", files({"doc.txt": BILINGUAL}), usage=True),
    Case("export-unknown-format", ("export", "terms", "--format", "xml"), 2,
         r"^Error: Invalid value for --format: 'xml' is not one of: tsv, ", usage=True),
    Case("import-unknown-format", ("import", "glossary.csv", "--format", "ods"), 2,
         r"^Error: Invalid value for --format: 'ods' is not one of: auto, ", files({"glossary.csv": GLOSSARY}), usage=True),
    Case("lookup-empty-query", ("lookup", ""), 2, r"^Error: the query is empty; give a term in Chinese, English or pinyin$"),
    Case("lookup-blank-query", ("lookup", " \u3000 "), 2, r"^Error: the query is empty"),
    # -- outputs that cannot be written
    Case("align-output-directory-missing", (*ALIGN, "doc.txt", "--format", "tsv", "-o", "nowhere/out.tsv"), 1,
         r"^Error: cannot write nowhere/out\.tsv: directory nowhere does not exist$", files({"doc.txt": BILINGUAL})),
    Case("terms-output-directory-missing", ("terms", "doc.txt", "--format", "tbx", "-o", "nowhere/terms.tbx"), 1,
         r"^Error: cannot write nowhere/terms\.tbx: directory nowhere does not exist$", files({"doc.txt": BILINGUAL})),
    Case("export-output-directory-missing", ("export", "terms", "--db", "s.db", "-o", "nowhere/terms.tbx"), 1,
         r"^Error: cannot write nowhere/terms\.tbx: directory nowhere does not exist$", store("s.db")),
    Case("align-output-directory-read-only", (*ALIGN, "doc.txt", "--format", "tsv", "-o", "ro/out.tsv"), 1,
         r"^Error: cannot write ro/out\.tsv: no permission to write in ro$",
         both(files({"doc.txt": BILINGUAL}), folder("ro", 0o555)), not_as_root=True),
    # -- the store
    Case("db-is-a-text-file-align", ("align", "--mode", "lexical", "doc.txt", "--db", "notes.txt"), 1,
         r"^Error: notes\.txt is not an npfterm store \(file is not a database\)$",
         files({"doc.txt": BILINGUAL, "notes.txt": NOT_A_DATABASE})),
    Case("db-is-a-text-file-import", ("import", "glossary.csv", "--db", "notes.txt"), 1,
         r"^Error: notes\.txt is not an npfterm store \(file is not a database\)$",
         files({"glossary.csv": GLOSSARY, "notes.txt": NOT_A_DATABASE})),
    Case("db-is-a-text-file-lookup", ("lookup", "科技", "--db", "notes.txt"), 1,
         r"^Error: notes\.txt is not an npfterm store \(file is not a database\)$",
         files({"notes.txt": NOT_A_DATABASE})),
    Case("store-locked-by-another-process", ("align", "--mode", "lexical", "-f", "beads", "doc.txt", "--db", "locked.db"), 1,
         r"^Error: the store locked\.db is locked by another npfterm process; try again$",
         both(files({"doc.txt": BILINGUAL}), locked_store("locked.db")), keeps_result=r"(\[[\d,]*\]:\[[\d,]*\]\n)+"),
    Case("terms-into-locked-store", ("terms", "--mode", "lexical", "-f", "tsv", "doc.txt", "--db", "locked.db"), 1,
         r"^Error: the store locked\.db is locked by another npfterm process; try again$",
         both(files({"doc.txt": BILINGUAL}), locked_store("locked.db")), keeps_result=r"zh\ten\tpinyin\t.*\n(.*\n)+"),
    Case("import-into-locked-store", ("import", "glossary.csv", "--db", "locked.db"), 1,
         r"^Error: the store locked\.db is locked by another npfterm process; try again$",
         both(files({"glossary.csv": GLOSSARY}), locked_store("locked.db"))),
    # -- outputs that would destroy an input or the store (nothing the user owns is ever destroyed)
    Case("output-is-the-input", (*ALIGN, "clob.txt", "-o", "clob.txt", "-f", "tsv"), 2,
         r"^Error: will not write clob\.txt: it is an input of this run; choose another output$",
         files({"clob.txt": BILINGUAL})),
    Case("output-is-the-second-input", (*ALIGN, "zh.txt", "en.txt", "-f", "jsonl", "-o", "en.txt"), 2,
         r"^Error: will not write en\.txt: it is an input of this run", files({"zh.txt": ZH, "en.txt": EN})),
    Case("terms-output-is-the-input", (*TERMS, "doc.txt", "-f", "tsv", "-o", "doc.txt"), 2,
         r"^Error: will not write doc\.txt: it is an input of this run", files({"doc.txt": BILINGUAL})),
    Case("output-is-the-store", ("align", "--mode", "lexical", "doc.txt", "--db", "s.db", "-o", "s.db", "-f", "jsonl"), 2,
         r"^Error: will not write s\.db: it is the store; choose another output$",
         both(files({"doc.txt": BILINGUAL}), store("s.db"))),
    Case("output-is-the-store-wal", ("align", "--mode", "lexical", "doc.txt", "--db", "s.db", "-o", "s.db-wal", "-f", "tsv"), 2,
         r"^Error: will not write s\.db-wal: it is part of the store s\.db",
         both(files({"doc.txt": BILINGUAL}), store("s.db"))),
    Case("terms-output-is-the-store", ("terms", "--mode", "lexical", "doc.txt", "--db", "s.db", "-o", "s.db", "-f", "tsv"), 2,
         r"^Error: will not write s\.db: it is the store", both(files({"doc.txt": BILINGUAL}), store("s.db"))),
    Case("export-onto-the-store", ("export", "tm", "--db", "s.db", "-o", "s.db"), 2,
         r"^Error: will not write s\.db: it is the store", store("s.db")),
    Case("export-moses-onto-the-store", ("export", "tm", "-f", "moses", "--db", "s.zh", "-o", "s"), 2,
         r"^Error: will not write s\.zh: it is the store", store("s.zh")),
    Case("folder-output-onto-its-inputs", (*ALIGN, "docs", "-o", "docs/", "-f", "table"), 2,
         r"^Error: will not write docs/doc\.txt: it is an input of this run",
         both(folder("docs"), files({"docs/doc.txt": BILINGUAL}))),
    Case("moses-output-onto-its-inputs", (*ALIGN, "corpus.zh", "corpus.en", "-f", "moses", "-o", "corpus"), 2,
         r"^Error: will not write corpus\.(zh|en): it is an input of this run",
         files({"corpus.zh": ZH, "corpus.en": EN})),
    Case("output-symlink-to-the-input", (*ALIGN, "doc.txt", "-f", "tsv", "-o", "link.tsv"), 2,
         r"^Error: will not write link\.tsv: it is an input of this run",
         both(files({"doc.txt": BILINGUAL}), symlink("link.tsv", "doc.txt"))),
    Case("gbk-and-utf8-lines-mixed", (*ALIGN, "mixed.txt"), 2,
         r"^Error: mixed\.txt mixes encodings: line 4 is UTF-8, line 2 is GBK/GB18030; re-save the file in one encoding",
         files({"mixed.txt": (EN.splitlines()[0] + "\n").encode() + (ZH.splitlines()[0] + "\n").encode("gbk")
                + (EN.splitlines()[1] + "\n").encode() + (ZH.splitlines()[1] + "\n").encode("utf-8")})),
    Case("same-file-twice", (*ALIGN, "doc.txt", "doc.txt"), 2,
         r"^Error: doc\.txt is given twice; give one bilingual file, or a Chinese and an English file$",
         files({"doc.txt": BILINGUAL})),
    # -- numbers and nesting out of range
    Case("max-size-overflow", (*ALIGN, "doc.txt", "--max-size", "10000000000000"), 2,
         r"^Error: Invalid value for '--max-size': Input should be less than or equal to 1000000$", files({"doc.txt": BILINGUAL}),
         usage=True),
    Case("import-max-size-overflow", ("import", "glossary.csv", "--max-size", "10000000000000"), 2,
         r"^Error: Invalid value for '--max-size'", files({"glossary.csv": GLOSSARY}), usage=True),
    Case("lookup-limit-overflow", ("lookup", "科技", "-n", "9223372036854775808"), 2,
         r"^Error: Invalid value for '--limit' / '-n': Input should be less than or equal to 10000$", usage=True),
    Case("lookup-query-of-a-megabyte", ("lookup", "zhong" * 200_000), 2,
         r"^Error: the query is 1,000,000 characters long; the limit is 1,000$"),
    Case("tmx-nested-1000-deep", ("import", "nested.tmx"), 2,
         r"^Error: nested\.tmx: line 2: elements nested more than \d+ deep", NESTED_TMX),
    Case("tbx-nested-1000-deep", ("import", "nested.tbx"), 2,
         r"^Error: nested\.tbx: line 2: elements nested more than \d+ deep", NESTED_TBX),
    Case("jsonl-deep-array", ("import", "deep.jsonl"), 2,
         r"^Error: deep\.jsonl line 2: nested too deep; a record is one flat JSON object$",
         files({"deep.jsonl": '{"zh": "科技", "en": "technology"}\n' + "[" * 100_000 + "]" * 100_000 + "\n"})),
    Case("jsonl-count-too-large", ("import", "big.jsonl"), 2,
         r"^Error: big\.jsonl line 1: 'count' should be a whole number from 0 to 1,000,000,000,000$",
         files({"big.jsonl": '{"zh": "科技", "en": "technology", "count": 100000000000000000000000}\n'})),
    Case("jsonl-count-of-5000-digits", ("import", "big.jsonl"), 2,
         r"^Error: big\.jsonl line 1: 'count' should be a whole number from 0 to 1,000,000,000,000$",
         files({"big.jsonl": '{"zh": "科技", "en": "technology", "count": ' + "9" * 5000 + "}\n"})),
    Case("jsonl-nan-score", ("import", "nan.jsonl"), 2,
         r"^Error: nan\.jsonl line 2: 'score' should be a number from 0 to 1, not NaN$",
         files({"nan.jsonl": '{"zh": "人才", "en": "talent"}\n{"zh": "科技", "en": "technology", "score": NaN}\n'})),
    Case("import-dev-zero-as-jsonl", ("import", "/dev/zero", "-f", "jsonl"), 2, r"^Error: zero looks like a binary file, not text"),
    # -- the store cannot be opened by an output's command: the output comes first
    Case("batch-output-folder-read-only", (*ALIGN, "docs", "-f", "tsv", "-o", "ro/"), 1,
         r"^Error: cannot write ro/: no permission to write in ro$",
         both(folder("docs"), files({"docs/doc.txt": BILINGUAL}), folder("ro", 0o555)), not_as_root=True),
    # -- score
    Case("score-malformed-beads", ("score", "gold.align", "test.align"), 2,
         r"^Error: test\.align: line 2: not a bead: '\[1\]-\[1\]'$",
         files({"gold.align": "[0]:[0]\n[1]:[1]\n", "test.align": "[0]:[0]\n[1]-[1]\n"})),
    Case("score-prose-instead-of-beads", ("score", "gold.align", "doc.txt"), 2,
         r"^Error: doc\.txt: line 1: not a bead: ", files({"gold.align": "[0]:[0]\n", "doc.txt": BILINGUAL})),
    Case("score-empty-gold", ("score", "gold.align", "test.align"), 2, r"^Error: gold\.align is empty",
         files({"gold.align": "", "test.align": "[0]:[0]\n"})),
]

_SECRET = Path("/etc/passwd")


def _permissions_apply(tmp: Path) -> bool:
    """Whether a file without read permission is unreadable here (root reads it anyway)."""
    probe = tmp / ".probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_bytes()
    except PermissionError:
        return True
    else:
        return False
    finally:
        probe.chmod(0o644)
        probe.unlink()


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` and its bytes (SQLite's shared-memory index aside: readers write to it)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.name.endswith("-shm") or not path.is_file():
            continue
        try:
            out[str(path.relative_to(root))] = path.read_bytes()
        except PermissionError:
            out[str(path.relative_to(root))] = b"<unreadable>"
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_with_one_line_and_nothing_written(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_store: Path
) -> None:
    if case.not_as_root and not _permissions_apply(tmp_path):
        pytest.skip("file permissions do not stop this user (root)")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NPFTERM_BUSY_TIMEOUT", BUSY_TIMEOUT)
    cleanup = case.build(tmp_path)
    try:
        before = _snapshot(tmp_path)
        started = time.monotonic()
        result = CliRunner().invoke(app, list(case.args), input=case.stdin)
        elapsed = time.monotonic() - started
        after = _snapshot(tmp_path)
    finally:
        if cleanup is not None:
            cleanup()

    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == case.code, result.output
    if case.keeps_result:
        assert re.fullmatch(case.keeps_result, result.stdout), result.stdout
    else:
        assert result.stdout == ""
    lines = result.stderr.splitlines()
    if case.usage:
        assert lines[0].startswith("Usage: npfterm ") and lines[-2:-1] == [""], result.stderr
    else:
        assert len(lines) == 1, result.stderr
    assert [line for line in lines if line.startswith("Error: ")] == lines[-1:]
    assert re.search(case.message, lines[-1]), lines[-1]

    assert after == before, "a file was added, removed or changed"
    assert not private_store.exists(), "a refused run created the default store"
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"
    if _SECRET.is_file():
        secret = _SECRET.read_text(errors="replace").splitlines()[0]
        assert secret not in result.output
