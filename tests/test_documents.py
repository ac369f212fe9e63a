"""The documents translators have: .docx (bilingual tables as pairs), .html and text .pdf, and their bad cousins."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from documents import encrypted_docx, encrypted_pdf, scanned_pdf, write_docx, write_pdf, zip_of_something_else

from npfterm.cli import app
from npfterm.errors import InputError
from npfterm.text.read import read_text

ROWS = [
    ("新质生产力是创新起主导作用的先进生产力质态。", "New productive forces are an advanced form of productivity driven by innovation."),
    ("科技创新能够催生新产业、新模式、新动能。", "Sci-tech innovation can generate new industries, new models and new growth drivers."),
    ("我们要扩大高水平对外开放。", "We should open wider to the outside world at a high level."),
]
HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>新质生产力</title></head><body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻</a></li><li><a href="/en">English</a></li></ul></nav>
<article><h1>新质生产力</h1>
{zh}
{en}
</article>
<footer><p>版权所有 © 2024 新华网 | Copyright © 2024 Xinhua. All rights reserved. 联系我们 | 网站地图</p></footer>
</body></html>"""


def pairs(cli, path: Path) -> list[tuple[str, str]]:
    result = cli.invoke(app, ["align", str(path), "--mode", "lexical", "--no-store", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    return [(r["zh"], r["en"]) for r in map(json.loads, result.stdout.splitlines())]


def test_a_docx_bilingual_table_aligns_row_by_row(cli, tmp_path):
    path = write_docx(tmp_path / "table.docx", table=ROWS)
    assert read_text(path) == "\n\n".join(cell for row in ROWS for cell in row)
    assert pairs(cli, path) == ROWS


def test_docx_paragraphs_are_read_in_order(tmp_path):
    path = write_docx(tmp_path / "p.docx", [zh for zh, _ in ROWS] + [en for _, en in ROWS])
    assert read_text(path) == "\n\n".join([zh for zh, _ in ROWS] + [en for _, en in ROWS])


def test_an_html_page_aligns_without_its_navigation_and_footer(cli, tmp_path):
    path = tmp_path / "page.html"
    zh = "\n".join(f"<p>{zh}</p>" for zh, _ in ROWS)
    en = "\n".join(f"<p>{en}</p>" for _, en in ROWS)
    path.write_text(HTML.format(zh=zh, en=en), encoding="utf-8")
    text = read_text(path)
    assert "首页" not in text and "All rights reserved" not in text
    found = [p for p in pairs(cli, path) if p[0] and p[1]]  # the heading may join the first sentence
    assert [en for _, en in found] == [en for _, en in ROWS]
    assert all(zh.endswith(row_zh) for (zh, _), (row_zh, _) in zip(found, ROWS))


def test_a_gbk_html_page_is_decoded_from_its_meta_charset(tmp_path):
    path = tmp_path / "gbk.html"
    page = HTML.replace("utf-8", "gbk").replace("©", "").format(zh=f"<p>{ROWS[0][0]}</p>", en=f"<p>{ROWS[0][1]}</p>")
    path.write_bytes(page.encode("gbk"))
    assert ROWS[0][0] in read_text(path)


def test_a_text_pdf_aligns_with_its_lines_joined_into_sentences(cli, tmp_path):
    lines = []
    for zh, en in ROWS:  # each sentence broken over two lines, as a PDF lays it out
        lines += [zh[: len(zh) // 2], zh[len(zh) // 2 :]]
    for _, en in ROWS:
        words = en.split()
        lines += [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
    path = write_pdf(tmp_path / "doc.pdf", lines)
    assert [p for p in pairs(cli, path) if p[0] and p[1]] == ROWS


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: scanned_pdf(p / "scan.pdf"), "scan.pdf has no text layer (a scanned PDF?); npfterm reads text, not images: run OCR on it first"),
        (lambda p: encrypted_pdf(p / "locked.pdf", ["秘密。", "Secret."]), "locked.pdf is encrypted (it needs a password to open); save a copy without a password"),
        (lambda p: encrypted_docx(p / "locked.docx"), "locked.docx is password-protected (encrypted); save an unprotected copy and align that"),
        (lambda p: zip_of_something_else(p / "photos.docx"), "photos.docx is a zip file but not a Word document (it has no word/document.xml)"),
    ],
)
def test_bad_documents_get_one_line_and_exit_2(cli, tmp_path, make, message):
    path = make(tmp_path)
    result = cli.invoke(app, ["align", str(path), "--no-store"])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {path.parent / message}\n")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "is an old binary Word (.doc) file"),
        ("text.docx", "新质生产力。New productive forces.".encode(), "is not a Word document (not a zip file)"),
        ("broken.pdf", b"%PDF-1.7\nthis is not a PDF body", "is not a readable PDF"),
        ("empty.html", b"<html><head><title>x</title></head><body><div></div></body></html>", "has no main text"),
    ],
)
def test_other_unreadable_documents_say_what_they_are(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        read_text(path)


def test_a_folder_of_documents_is_found_and_paired(tmp_path):
    from npfterm.batch import discover

    write_docx(tmp_path / "report.zh.docx", [zh for zh, _ in ROWS])
    write_docx(tmp_path / "report.en.docx", [en for _, en in ROWS])
    write_pdf(tmp_path / "memo.pdf", [ROWS[0][0], ROWS[0][1]])
    found = {d.name: tuple(Path(p).name for p in d.paths) for d in discover([str(tmp_path)])}
    assert found == {"report": ("report.zh.docx", "report.en.docx"), "memo": ("memo.pdf",)}
