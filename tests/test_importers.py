"""Importers: what TMX, TBX, CSV/TSV and JSON Lines files from other tools become,
and how malformed or hostile files are refused (with the line at fault)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from npfterm.errors import FormatError, InputError
from npfterm.formats.reading import LangCodes, detect_format, load, parse
from npfterm.models import TermPair

SPEC = Path(__file__).resolve().parents[1] / ".." / "shared" / "spec"


def spec_file(name: str) -> bytes:
    path = SPEC / "examples" / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path.read_bytes()


def tmx(units: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return (
        f'{declaration}\n<tmx version="1.4">\n<header srclang="zh-CN" creationtool="t" creationtoolversion="1" '
        f'segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>\n<body>\n{units}</body>\n</tmx>\n'
    ).encode("utf-8")


def tu(zh: str, en: str, zh_lang: str = "zh-CN", en_lang: str = "en-US", props: str = "") -> str:
    return (
        f'<tu>{props}<tuv xml:lang="{zh_lang}"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="{en_lang}"><seg>{en}</seg></tuv></tu>\n'
    )


def error_of(data: bytes, name: str, fmt: str | None = None) -> str:
    with pytest.raises(FormatError) as info:
        parse(data, name, fmt)
    return str(info.value)


# --- TMX --------------------------------------------------------------------


def test_the_sample_tmx():
    imported = parse(spec_file("sample-zh-en.tmx"), "sample-zh-en.tmx")
    assert imported.fmt == "tmx" and len(imported.content_hash) == 64
    assert [(p.zh, p.en, p.score, p.kind, p.doc) for p in imported.pairs] == [
        ("发展新质生产力是推动高质量发展的内在要求。",
         "Developing new-quality productive forces is an intrinsic requirement for promoting high-quality development.",
         0.93, "1-1", "sample-zh-en.tmx"),
        ("我们要加快建设现代化产业体系。", 'We must speed up building a modern industrial system & R<D> "capacity".',
         0.88, "1-1", "sample-zh-en.tmx"),
    ]
    assert [p.zh_ids for p in imported.pairs] == [(0,), (1,)]
    assert ("creationtool", "npfterm") in imported.parsed.settings


def test_inline_codes_are_dropped_and_highlighted_text_kept():
    seg_zh = '这是<bpt i="1">&lt;b&gt;</bpt>粗体<ept i="1">&lt;/b&gt;</ept>字<ph x="2">{1}</ph>。'
    seg_en = 'This is <hi type="bold">bold <it pos="begin">&lt;i&gt;</it>text</hi>.'
    assert [(p.zh, p.en) for p in parse(tmx(tu(seg_zh, seg_en)), "m.tmx").pairs] == [("这是粗体字。", "This is bold text.")]


@pytest.mark.parametrize("zh_lang, en_lang", [("zh", "en"), ("ZH-cn", "EN-gb"), ("zh_Hant_TW", "en_US"), ("zho", "eng")])
def test_any_code_of_the_language_marks_its_side(zh_lang, en_lang):
    assert [(p.zh, p.en) for p in parse(tmx(tu("中文", "English", zh_lang, en_lang)), "m.tmx").pairs] == [("中文", "English")]


def test_tmx_1_1_lang_attribute_and_reversed_order():
    unit = '<tu><tuv lang="EN"><seg>English</seg></tuv><tuv lang="ZH"><seg>中文</seg></tuv></tu>\n'
    assert [(p.zh, p.en) for p in parse(tmx(unit), "m.tmx").pairs] == [("中文", "English")]


def test_src_lang_picks_one_variant():
    unit = (
        '<tu><tuv xml:lang="zh-CN"><seg>简体</seg></tuv><tuv xml:lang="zh-TW"><seg>繁體</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>English</seg></tuv></tu>\n'
    )
    assert [p.zh for p in parse(tmx(unit), "m.tmx").pairs] == ["简体"]
    assert [p.zh for p in parse(tmx(unit), "m.tmx", langs=LangCodes(zh="zh-tw")).pairs] == ["繁體"]


def test_npfterm_props_are_read_back():
    props = '<prop type="x-align-score">0.4200</prop><prop type="x-align-type">2-1</prop><prop type="x-source-doc">a.txt</prop>'
    units = tu("一。二。", "One and two.", props=props) + tu("三。", "Three.")
    pairs = parse(tmx(units), "m.tmx").pairs
    assert [(p.score, p.zh_ids, p.en_ids, p.doc) for p in pairs] == [(0.42, (0, 1), (0,), "a.txt"), (1.0, (2,), (1,), "m.tmx")]


def test_units_without_both_languages_are_skipped_and_counted():
    units = tu("中文", "English") + tu("中文", "Deutsch", en_lang="de-DE") + tu("", "empty")
    imported = parse(tmx(units), "m.tmx")
    assert len(imported.pairs) == 1
    assert imported.parsed.notes == ("m.tmx: skipped 2 of 3 units without both a Chinese and an English segment",)


@pytest.mark.parametrize(
    "declaration, codec",
    [
        ('<?xml version="1.0" encoding="GB18030"?>', "gb18030"),
        ("<?xml version='1.0' encoding='gbk'?>", "gbk"),
        ('<?xml version="1.0" encoding="Big5"?>', "big5"),
        ('<?xml version="1.0" encoding="UTF-16"?>', "utf-16"),
        ('<?xml version="1.0" encoding="UTF-8"?>', "utf-8-sig"),
        ("", "utf-8"),
    ],
)
def test_encoding_comes_from_the_declaration(declaration, codec):
    text = tmx(tu("繁體中文", "Traditional Chinese"), declaration).decode("utf-8")
    assert [(p.zh, p.en) for p in parse(text.encode(codec), "m.tmx").pairs] == [("繁體中文", "Traditional Chinese")]


@pytest.mark.parametrize(
    "data, message",
    [
        (tmx(tu("中文", "English") * 3).replace(b"</tuv></tu>\n<tu>", b"</tuv></tux>\n<tu>", 1),
         "m.tmx: line 5: mismatched tag: expected </tu> to close <tu> from line 5"),
        (b"<tmx><body><tu><tuv xml:lang='zh'><seg>a &nbsp; b</seg></tuv></tu></body></tmx>", "m.tmx: line 1: undefined entity"),
        (b"this is not XML at all", "m.tmx: line 1: syntax error"),
        (b"<?xml version='1.0'?>\n<tmx>\n<body>\n", "m.tmx: line 4: the file ends inside <body> (opened on line 3); is it truncated?"),
        (tmx(tu("中文", "English")).replace(b'<tuv xml:lang="zh-CN">', b"<tuv>"), "m.tmx: line 5: <tuv> has no xml:lang attribute"),
        (tmx(tu("中文", "English")).replace("<seg>中文</seg>".encode(), b""), "m.tmx: line 5: <tuv> has no <seg>"),
        (tmx(tu("中", "E", props='<prop type="x-align-score">high</prop>')),
         "m.tmx: line 5: x-align-score 'high' is not a number between 0 and 1"),
        (tmx(""), "m.tmx: line 4: the TMX file holds no translation units"),
        (b'<martif type="TBX-Basic"/>', "m.tmx: line 1: the root element is <martif>, not <tmx>; is it a TBX file?"),
        (b"<tmx version='1.4'><header/></tmx>", "m.tmx: line 1: <tmx> has no <body>"),
        (tmx(tu("中文", "Deutsch", en_lang="de")),
         "m.tmx: no translation unit has both a Chinese and an English segment (languages in the file: de, zh-CN)"),
        ('<?xml version="1.0" encoding="x-klingon"?><tmx/>'.encode(), "m.tmx: line 1: unknown encoding 'x-klingon' in the XML declaration"),
        ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx>\n中文</tmx>'.encode("gb18030"),
         "m.tmx: line 3: the bytes are not valid utf-8, as the file declares"),
    ],
)
def test_malformed_tmx_names_the_line(data, message):
    assert error_of(data, "m.tmx", "tmx") == message


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>&lol9;</seg></tuv>
<tuv xml:lang="en"><seg>&lol9;</seg></tuv></tu></body></tmx>
"""


def refused_quickly_in_flat_memory(data: bytes, name: str) -> str:
    """Parse hostile bytes; the refusal must take well under a second and a few MB at most."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = error_of(data, name)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 4 * 1024 * 1024
    return message


def test_an_entity_expansion_bomb_is_refused_fast_in_flat_memory():
    message = refused_quickly_in_flat_memory(BILLION_LAUGHS, "bomb.tmx")
    assert message == (
        "bomb.tmx: line 3: declares the XML entity 'lol'; npfterm never expands XML entities "
        "(a defence against entity bombs and file disclosure): remove the <!ENTITY> declarations"
    )


@pytest.mark.parametrize("fmt", ["tmx", "tbx"])
def test_an_external_entity_is_never_read(tmp_path, fmt):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSWORD", encoding="utf-8")
    root = "tmx" if fmt == "tmx" else "martif"
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n]>\n'
        f"<{root}><body><tu><tuv xml:lang='zh'><seg>&xxe;</seg></tuv></tu></body></{root}>\n"
    ).encode()
    message = refused_quickly_in_flat_memory(data, f"evil.{fmt}")
    assert message.startswith(f"evil.{fmt}: line 3: declares the XML entity 'xxe'; npfterm never expands XML entities")
    assert "TOP-SECRET" not in message


def test_an_external_parameter_entity_is_refused():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd">\n%remote;\n]>\n<tmx/>'
    assert error_of(data, "p.tmx").startswith("p.tmx: line 3: declares the XML entity 'remote'")


def test_a_doctype_naming_the_tmx_dtd_is_fine_and_never_fetched():
    data = tmx(tu("中文", "English"), '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "http://example.invalid/tmx14.dtd">')
    assert len(parse(data, "m.tmx").pairs) == 1


# --- TBX --------------------------------------------------------------------


def test_the_tbx_2008_sample():
    terms = parse(spec_file("sample-tbx2008-basic.tbx"), "sample.tbx").terms
    assert terms == (
        TermPair("新质生产力", "new-quality productive forces", "imported", extra=(("note", "economics"),)),
    )


def test_the_tbx_v3_sample():
    terms = parse(spec_file("sample-tbx-v3-core.tbx"), "sample.tbx").terms
    assert terms == (TermPair("新质生产力", "new-quality productive forces", "imported"),)


def tbx(entries: str) -> bytes:
    return f'<martif type="TBX-Basic" xml:lang="en"><text><body>\n{entries}</body></text></martif>\n'.encode()


def test_synonyms_pair_up_and_ntig_is_read():
    entry = (
        '<termEntry><langSet xml:lang="zh-CN"><tig><term>人工智能</term></tig></langSet>\n'
        '<langSet xml:lang="en"><tig><term>artificial intelligence</term></tig>'
        "<ntig><termGrp><term>AI</term></termGrp></ntig></langSet></termEntry>\n"
    )
    assert [(t.zh, t.en) for t in parse(tbx(entry), "g.tbx").terms] == [("人工智能", "artificial intelligence"), ("人工智能", "AI")]


def test_entries_without_both_languages_are_skipped_and_counted():
    entries = (
        '<termEntry><langSet xml:lang="zh"><tig><term>中文</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Chinese</term></tig></langSet></termEntry>\n'
        '<termEntry><langSet xml:lang="zh"><tig><term>只有中文</term></tig></langSet></termEntry>\n'
    )
    imported = parse(tbx(entries), "g.tbx")
    assert [(t.zh, t.en) for t in imported.terms] == [("中文", "Chinese")]
    assert imported.parsed.notes == ("g.tbx: skipped 1 of 2 entries without both a Chinese and an English term",)


@pytest.mark.parametrize(
    "data, message",
    [
        (tbx('<termEntry>\n<langSet xml:lang="zh"><tig><note>x</note></tig></langSet></termEntry>\n'),
         "g.tbx: line 3: <tig> has no <term>"),
        (tbx('<termEntry>\n<langSet><tig><term>中</term></tig></langSet></termEntry>\n'),
         "g.tbx: line 3: <langSet> has no xml:lang attribute"),
        (tbx('<termEntry><langSet xml:lang="zh"><tig><term>中</term></tig></langSet>\n</termEntry></langSet>\n'),
         "g.tbx: line 3: mismatched tag: expected </body> to close <body> from line 1"),
        (tbx(""), "g.tbx: line 1: the TBX file holds no <termEntry> elements"),
        (b"<martif/>", "g.tbx: line 1: <martif> has no <text><body>"),
        (b"<tmx/>", "g.tbx: line 1: the root element is <tmx>, not <martif> or <tbx>; is it a TMX file?"),
        (tbx('<termEntry><langSet xml:lang="de"><tig><term>Wort</term></tig></langSet></termEntry>\n'),
         "g.tbx: no entry has both a Chinese and an English term"),
    ],
)
def test_malformed_tbx_names_the_line(data, message):
    assert error_of(data, "g.tbx", "tbx") == message


# --- CSV / TSV glossaries ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "zh,en\n新质生产力,new productive forces\n人工智能,AI\n",
        "English,Chinese\nnew productive forces,新质生产力\nAI,人工智能\n",
        "英文,中文\nnew productive forces,新质生产力\nAI,人工智能\n",
        "target,source\nnew productive forces,新质生产力\nAI,人工智能\n",
        "id,en-US,zh-CN\n1,new productive forces,新质生产力\n2,AI,人工智能\n",
        "Term,Translation\n新质生产力,new productive forces\n人工智能,AI\n",
        "new productive forces,新质生产力\nAI,人工智能\n",
        "新质生产力;new productive forces\n人工智能;AI\n",
        '"note, with comma",新质生产力,new productive forces\n"",人工智能,AI\n',
        "\ufeffzh,en\r\n新质生产力,new productive forces\r\n\r\n人工智能,AI\r\n",
    ],
)
def test_csv_columns_are_found_by_name_or_content(text):
    terms = parse(text.encode("utf-8"), "g.csv").terms
    assert [(t.zh, t.en, t.evidence) for t in terms] == [
        ("新质生产力", "new productive forces", "imported"), ("人工智能", "AI", "imported")
    ]


def test_a_gbk_csv_is_decoded():
    data = "中文,英文\n新质生产力,new productive forces\n人工智能,artificial intelligence\n".encode("gbk")
    assert [t.zh for t in parse(data, "g.csv").terms] == ["新质生产力", "人工智能"]


def test_the_omegat_sample_glossary():
    terms = parse(spec_file("omegat-glossary.txt"), "omegat-glossary.txt").terms
    assert [(t.zh, t.en) for t in terms] == [("新质生产力", "new-quality productive forces"), ("现代化产业体系", "modern industrial system")]


def test_known_columns_and_notes_come_back():
    text = (
        "中文,英文,拼音,score,count,备注\n"
        "新质生产力,new productive forces,xīn zhì,0.9,3,\"coined 2023, Heilongjiang\"\n"
        "'=重要,'-based,,,,\n"
    )
    assert parse(text.encode(), "g.csv").terms == (
        TermPair("新质生产力", "new productive forces", "imported", 0.9, 3, "xīn zhì",
                 extra=(("note", "coined 2023, Heilongjiang"),)),
        TermPair("=重要", "-based", "imported"),
    )


def test_rows_missing_a_side_are_skipped_and_counted():
    imported = parse("zh\ten\n中文\tChinese\n只有中文\t\n".encode(), "g.tsv")
    assert [(t.zh, t.en) for t in imported.terms] == [("中文", "Chinese")]
    assert imported.parsed.notes == ("g.tsv: skipped 1 of 2 rows without both a Chinese and an English term",)


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("glossary.csv", "zh,en,comment\n中文,Chinese,x\n" + "人工智能,AI,\n" * 4 + "太短\n",
         "glossary.csv line 7: 1 column(s), expected at least 2 (Chinese in column 1, English in column 2)"),
        ("glossary.csv", 'zh,en\n中文,Chinese\n"multi\nline",x\n人工智能,"AI\n', "glossary.csv line 5: unexpected end of data"),
        ("glossary.csv", 'zh,en\n中文,Chinese\n"人工"智能,AI\n', "glossary.csv line 3: ',' expected after '\"'"),
        ("glossary.csv", "zh,en,score\n中文,Chinese,0.5\n人工智能,AI,high\n",
         "glossary.csv line 3: score 'high' is not a non-negative number"),
        ("glossary.tsv", "zh\ten\tcount\n中文\tChinese\t2.5\n", "glossary.tsv line 2: count '2.5' is not a non-negative number"),
        ("glossary.csv", "1,2\n3,4\n", "glossary.csv: cannot tell which column holds the Chinese and which the English terms; "
         "add a header row naming them zh and en"),
        ("glossary.csv", "zh,en\n", "glossary.csv: the glossary has a header but no rows"),
        ("glossary.csv", "zh,en\n中文,\n", "glossary.csv: no row has both a Chinese and an English term"),
    ],
)
def test_malformed_glossary_names_the_line(name, text, message):
    assert error_of(text.encode("utf-8"), name) == message


def test_a_binary_file_is_not_a_glossary():
    with pytest.raises(InputError, match="looks like a binary file"):
        parse(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8, "g.csv")


# --- JSON Lines -------------------------------------------------------------


def test_jsonl_beads_and_terms():
    beads = b'{"zh": "\xe4\xb8\xad", "en": "Chinese", "zh_ids": [0], "en_ids": [0, 1], "score": 0.5}\n\n'
    assert [(p.zh, p.en_ids, p.doc) for p in parse(beads, "a.jsonl").pairs] == [("中", (0, 1), "a.jsonl")]
    terms = b'[{"zh": "\xe4\xb8\xad", "en": "Chinese", "evidence": "aligned", "count": 2, "extra": {"note": "x"}}]'
    assert parse(terms, "t.json").terms == (TermPair("中", "Chinese", "imported", 1.0, 2, extra=(("note", "x"),)),)


@pytest.mark.parametrize(
    "data, message",
    [
        (b'{"zh": "a", "en": "b"}\n{"zh": "a", "en": \n', "a.jsonl line 2: not valid JSON (Expecting value)"),
        (b'{"zh": "a", "en": "b", "score": "high"}\n', "a.jsonl line 1: 'score' should be a float, not \"high\""),
        (b'{"zh": "a"}\n', "a.jsonl line 1: no 'en'"),
        (b'{"zh": "a", "en": "b", "zh_ids": [0, -1], "en_ids": []}\n', "a.jsonl line 1: 'zh_ids' should be a list of sentence numbers"),
        (b'{"zh": "a", "en": "b"}\n{"zh": "a", "en": "b", "zh_ids": [0], "en_ids": [0]}\n',
         "a.jsonl line 2: the file mixes beads and term pairs; import them separately"),
        (b'[1]', "a.jsonl element 1: expected a JSON object"),
    ],
)
def test_malformed_jsonl(data, message):
    assert error_of(data, "a.jsonl") == message


# --- formats, languages, files ----------------------------------------------


@pytest.mark.parametrize(
    "name, head, fmt",
    [
        ("memory.TMX", b"", "tmx"),
        ("terms.tbx", b"", "tbx"),
        ("glossary.utf8", b"", "tsv"),
        ("export.xml", b'\xef\xbb\xbf<?xml version="1.0"?>\n<tmx version="1.4">', "tmx"),
        ("export.xml", b'<?xml version="1.0"?>\n<martif type="TBX-Basic">', "tbx"),
        ("export", '<?xml version="1.0" encoding="UTF-16"?><tbx>'.encode("utf-16"), "tbx"),
        ("glossary.txt", "中文\tChinese\n".encode(), "tsv"),
        ("glossary.txt", "中文,Chinese\n".encode(), "csv"),
        ("pairs.txt", b'{"zh": "x"}\n', "jsonl"),
    ],
)
def test_format_detection(name, head, fmt):
    assert detect_format(name, head) == fmt


def test_undetectable_format():
    with pytest.raises(FormatError, match=r"notes.txt: cannot tell the file's format \(tmx, tbx, csv, tsv, jsonl, json, xlsx\)$"):
        detect_format("notes.txt", b"just some words\n")


@pytest.mark.parametrize(
    "code, langs, side",
    [
        ("zh-CN", LangCodes(), "zh"),
        ("ZH_hant", LangCodes(), "zh"),
        ("cmn", LangCodes(), "zh"),
        ("en-GB", LangCodes(), "en"),
        ("de-DE", LangCodes(), None),
        ("zh-CN", LangCodes(zh="zh-TW"), None),
        ("zh-tw", LangCodes(zh="zh-TW"), "zh"),
        ("x-chinese", LangCodes(zh="x-chinese"), "zh"),
    ],
)
def test_language_codes(code, langs, side):
    assert langs.side(code) == side


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: d / "missing.tmx", "file not found: {p}; check the path"),
        (lambda d: d, "{p} is a directory; give the path of a file to import"),
        (lambda d: (d / "empty.csv").write_text("  \n") and d / "empty.csv", "{p} is empty; nothing to import"),
    ],
)
def test_file_problems(tmp_path, setup, message):
    path = setup(tmp_path)
    with pytest.raises(InputError) as info:
        load(path)
    assert str(info.value) == message.format(p=path)


def test_size_limit(tmp_path):
    path = tmp_path / "big.tmx"
    path.write_bytes(b" " * 1024 * 1024 + tmx(tu("中", "E")))
    with pytest.raises(InputError, match=r"big.tmx is 1.0 MB; the limit is 1 MB$"):
        load(path, max_bytes=1024 * 1024)


def test_a_role_header_gives_way_to_what_the_cells_hold():
    """git's zh_TW glossary: English under 原文 (source), Chinese under 翻譯 (translation)."""
    data = ",原文,翻譯,解釋\n詞彙,,,\n,abort,中止,\n,branches,分支,\n,lo fi,低保真,\n".encode()
    terms = parse(data, "git.csv").terms
    assert [(t.zh, t.en) for t in terms] == [("中止", "abort"), ("分支", "branches"), ("低保真", "lo fi")]


def test_a_language_header_is_trusted():
    data = "english,chinese\nabort,中止\nHEAD,HEAD\n".encode()
    assert [(t.zh, t.en) for t in parse(data, "g.csv").terms] == [("中止", "abort"), ("HEAD", "HEAD")]


@pytest.mark.parametrize(
    ("name", "given", "fmt", "kind", "reason"),
    [
        ("g.csv", None, "csv", "term pairs", "the .csv suffix"),
        ("m.tmx", None, "tmx", "translation units", "the .tmx suffix"),
        ("g.txt", None, "tbx", "term pairs", "its content"),
        ("g.txt", "tsv", "tsv", "term pairs", "the format given"),
    ],
)
def test_detection_says_what_it_chose_and_why(name, given, fmt, kind, reason):
    from npfterm.formats.reading import detect

    found = detect(name, b"<?xml version='1.0'?><martif>", given)
    assert (found.fmt, found.kind, found.reason) == (fmt, kind, reason)
