"""The HTML report: self-contained, escaped, with the path drawn over the similarity matrix."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from npfterm.alignment import similarity
from npfterm.alignment.similarity import SimilarityMatrix, similarity_matrix, spans
from npfterm.cli import app
from npfterm.formats.html import matrix_png, write_html
from npfterm.formats.writing import ExportMeta
from npfterm.models import Alignment, Bead, RunInfo, Sentence
from review_docs import XSS

INFO = RunInfo(version="0.1.0", mode="lexical", bead_types=((1, 1), (1, 0), (0, 1)))
ZH = ("科技创新是核心要素。", "要发展碳中和产业。")
EN = (XSS, "Sci-tech innovation is the core element.", "Develop carbon neutrality industries.")


def alignment() -> Alignment:
    return Alignment(
        tuple(Sentence(t, "zh", i) for i, t in enumerate(ZH)),
        tuple(Sentence(t, "en", i) for i, t in enumerate(EN)),
        (Bead((), (0,), 0.2), Bead((0,), (1,), 0.62), Bead((1,), (2,), 0.93, "reviewed")),
        INFO, "doc.txt",
    )


def report(a: Alignment | None = None) -> str:
    a = a or alignment()
    out = io.StringIO()
    write_html(a, similarity_matrix(a), out, ExportMeta(tool_version="0.1.0", sources=("doc.txt",)))
    return out.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_report_is_self_contained_and_escaped():
    html = report()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r'(src|href)="(https?:|//)', html)  # nothing fetched
    assert re.search(r'<image [^>]*href="data:image/png;base64,', html)
    assert html.count("<rect ") == 3  # the frame and the two pairs
    assert '<path d="M0 0 L1 0 L2 1 L3 2"' in html  # x: English, y: Chinese
    assert "<dt>signature</dt><dd>npfterm:0.1.0|mode:lexical|beads:1-1,1-0,0-1</dd>" in html
    assert '<tr class="mid"><td class="n">2</td>' in html and '<tr class="high reviewed">' in html
    assert "<h3>English (1)</h3>\n<ul>\n<li>1. &lt;script&gt;" in html


def test_spans_follow_the_beads():
    assert spans(alignment()) == [(0, 0, 0, 1), (0, 1, 1, 2), (1, 2, 2, 3)]


def test_similarity_is_highest_on_the_translations():
    values = similarity_matrix(alignment()).values
    assert values.shape == (2, 3) and np.all((values >= 0) & (values <= 1))
    assert values[0].argmax() == 1 and values[1].argmax() == 2


def test_a_long_document_gets_a_band_around_the_path(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(similarity, "MAX_CELLS", 4)
    monkeypatch.setattr(similarity, "BAND", 0)
    matrix = similarity_matrix(alignment())
    assert matrix.band == 0 and np.isnan(matrix.values).any() and not np.isnan(matrix.values[0, 1])


def test_the_matrix_image_shrinks_to_at_most_800_pixels_and_keeps_the_best_cell():
    values = np.zeros((2000, 30), dtype=np.float32)
    values[1234, 7] = 1.0
    values[:, 29] = np.nan
    data = matrix_png(values)
    width, height = png_size(data)
    assert (width, height) == (30, 667)
    pixels = np.frombuffer(zlib.decompress(data[41:-12]), dtype=np.uint8).reshape(height, 1 + width * 3)[:, 1:]
    darkest = pixels.reshape(height, width, 3).sum(axis=2)
    assert np.unravel_index(darkest.argmin(), darkest.shape) == (1234 // 3, 7)
    assert tuple(pixels.reshape(height, width, 3)[0, 29]) == (240, 240, 240)


def test_align_writes_the_report(tmp_path: Path):
    zh, en = tmp_path / "a.zh", tmp_path / "a.en"
    zh.write_text("".join(t + "\n" for t in ZH), encoding="utf-8")
    en.write_text("".join(t + "\n" for t in EN), encoding="utf-8")
    out = tmp_path / "report.html"
    args = ["align", str(zh), str(en), "--sentences", "--mode", "lexical", "--no-store"]
    result = CliRunner().invoke(app, [*args, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and result.output.startswith(f"Wrote {out}: 2 zh / 3 en sentences")
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "&lt;script&gt;" in html and "mode:lexical" in html
    batch = CliRunner().invoke(app, ["align", str(zh), str(en), str(zh), "--format", "html", "--no-store"])
    assert batch.exit_code == 2 and "the HTML report shows one document" in batch.output


def test_an_empty_side_has_no_picture():
    a = Alignment((Sentence("中文。", "zh", 0),), (), (Bead((0,), (), 0.0),), INFO, "zh-only.txt")
    matrix = SimilarityMatrix(np.zeros((1, 0), dtype=np.float32), None)
    out = io.StringIO()
    write_html(a, matrix, out, ExportMeta())
    assert "there is no matrix to draw" in out.getvalue()
