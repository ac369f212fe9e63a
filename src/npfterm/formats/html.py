"""The HTML report of one alignment: one self-contained file with pairs, unmatched sentences, settings and a picture.

The picture is an SVG of the alignment path over the sentence similarity
matrix (``npfterm.alignment.similarity``), the matrix embedded as a PNG data URI.
No script, no font, nothing fetched: a Content-Security-Policy in the file
forbids it, so the report opens the same offline.  Every piece of text is
HTML-escaped: a sentence ``<script>…`` shows as text.
"""

from __future__ import annotations

import base64
import struct
import zlib
from html import escape
from typing import TextIO

import numpy as np

from npfterm.alignment.similarity import SimilarityMatrix, spans
from npfterm.formats.writing import ExportMeta
from npfterm.models import Alignment

LOW, HIGH = 0.5, 0.8  # below LOW: low confidence; from HIGH: high (see README, Quality)
MAX_PIXELS = 800  # the matrix image is at most this many pixels a side (blocks keep their best cell)
EMPTY = (240, 240, 240)
INK = np.array([35, 57, 91], dtype=np.float32)

STYLE = """
body { font: 15px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; margin: 1.5em auto; padding: 0 1em; max-width: 80em; color: #1d1d1f; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .3em .5em; vertical-align: top; text-align: left; }
td.n, th.n { width: 3em; text-align: right; color: #777; } td.s, th.s { width: 4.5em; text-align: right; }
th.zh { width: 40%; }
tr.high td.s { color: #2a6b2a; } tr.mid { background: #fff7d1; } tr.low { background: #fde3e0; }
tr.unmatched { color: #888; background: #f4f4f4; } tr.reviewed { background: #eef3fb; }
.legend span { display: inline-block; padding: 0 .5em; margin-right: .4em; border-radius: 3px; }
.legend .mid { background: #fff7d1; } .legend .low { background: #fde3e0; } .legend .unmatched { background: #f4f4f4; color: #888; }
.legend .reviewed { background: #eef3fb; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dl.settings dt { color: #555; } dl.settings dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
figure { margin: 0; } figcaption { color: #555; font-size: .9em; }
svg image { image-rendering: pixelated; }
"""


def _png(rgb: np.ndarray) -> bytes:
    """An RGB array (h, w, 3) of uint8 as a PNG file (no library needed)."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _shrink(values: np.ndarray) -> np.ndarray:
    """Blocks of the matrix, each its best cell, so the image stays at most MAX_PIXELS a side."""
    n, m = values.shape
    fy, fx = -(-n // MAX_PIXELS), -(-m // MAX_PIXELS)
    if fy == 1 and fx == 1:
        return values
    padded = np.full((-(-n // fy) * fy, -(-m // fx) * fx), np.nan, dtype=np.float32)
    padded[:n, :m] = values
    blocks = padded.reshape(padded.shape[0] // fy, fy, padded.shape[1] // fx, fx)
    with np.errstate(all="ignore"):
        empty = np.isnan(blocks).all(axis=(1, 3))
        best = np.nanmax(np.where(np.isnan(blocks), -1.0, blocks), axis=(1, 3))
    return np.where(empty, np.nan, best).astype(np.float32)


def matrix_png(values: np.ndarray) -> bytes:
    """White (the least similar pair) to ink (the most similar); cells not computed in light grey."""
    small = _shrink(values)
    finite = small[np.isfinite(small)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    v = np.nan_to_num((small - low) / max(high - low, 1e-9), nan=0.0)[..., None]
    rgb = 255.0 - v * (255.0 - INK)
    rgb[np.isnan(small)] = EMPTY
    return _png(np.clip(np.rint(rgb), 0, 255).astype(np.uint8))


def _kind(zh: tuple[int, ...], en: tuple[int, ...], score: float, evidence: str) -> str:
    names = ["unmatched" if not (zh and en) else "high" if score >= HIGH else "mid" if score >= LOW else "low"]
    if evidence == "reviewed":
        names.append("reviewed")
    return " ".join(names)


def _figure(alignment: Alignment, matrix: SimilarityMatrix) -> str:
    n, m = len(alignment.zh), len(alignment.en)
    if n == 0 or m == 0:
        return "<p>One side has no sentences: there is no matrix to draw.</p>"
    width = 720
    height = int(min(max(width * n / m, 160), 900))
    image = base64.b64encode(matrix_png(matrix.values)).decode("ascii")
    colour = {"high": "#2a6b2a", "mid": "#c9a400", "low": "#c0392b"}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {m} {n}"'
        ' preserveAspectRatio="none" role="img" aria-label="alignment path over the similarity matrix">',
        f'<image x="0" y="0" width="{m}" height="{n}" preserveAspectRatio="none" href="data:image/png;base64,{image}"/>',
        f'<rect x="0" y="0" width="{m}" height="{n}" fill="none" stroke="#999" vector-effect="non-scaling-stroke"/>',
    ]
    points = ["M0 0"]
    for k, ((i0, i1, j0, j1), bead) in enumerate(zip(spans(alignment), alignment.beads), 1):
        points.append(f"L{j1} {i1}")
        if bead.zh and bead.en:
            kind = _kind(bead.zh, bead.en, bead.score, bead.evidence).split()[0]
            parts.append(
                f'<rect x="{j0}" y="{i0}" width="{j1 - j0}" height="{i1 - i0}" fill="none" stroke="{colour[kind]}"'
                f' stroke-width="2" vector-effect="non-scaling-stroke"><title>#{k}: zh {escape(str(list(bead.zh)))}'
                f" / en {escape(str(list(bead.en)))}, score {bead.score:.2f}</title></rect>"
            )
    parts.append(
        f'<path d="{" ".join(points)}" fill="none" stroke="#e67e22" stroke-width="1.5" stroke-opacity=".8"'
        ' vector-effect="non-scaling-stroke"/>'
    )
    parts.append("</svg>")
    band = "every sentence pair" if matrix.band is None else f"sentence pairs within {matrix.band} sentences of the path"
    caption = (
        f"Chinese sentences 1–{n} down, English sentences 1–{m} across. Darker cells: more similar, from white "
        f"for the least to dark blue for the most similar pair ({band}; dictionary overlap{' and sentence embeddings' if alignment.info.mode == 'hybrid' else ''}). "
        "Boxes: the pairs (green ≥ 0.8, yellow ≥ 0.5, red below); the orange line: the alignment path, "
        "running straight across or down where sentences are unmatched."
    )
    return f"<figure>{''.join(parts)}<figcaption>{escape(caption)}</figcaption></figure>"


def write_html(alignment: Alignment, matrix: SimilarityMatrix, out: TextIO, meta: ExportMeta) -> None:
    """The report for one alignment, written as one HTML file."""
    title = f"npfterm alignment of {alignment.source or 'a document'}"
    pairs = list(alignment.pairs())
    complete = [p for p in pairs if p.complete]
    low = sum(1 for p in complete if p.score < LOW)
    zh_alone = [alignment.zh[i] for p in pairs if not p.en_ids for i in p.zh_ids]
    en_alone = [alignment.en[j] for p in pairs if not p.zh_ids for j in p.en_ids]
    w = out.write
    w("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    w("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
    w(f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n")
    w(
        f"<p>{len(alignment.zh)} Chinese and {len(alignment.en)} English sentences; {len(complete)} pairs "
        f"({low} below {LOW}), {len(zh_alone)} Chinese and {len(en_alone)} English sentences unmatched.</p>\n"
    )
    w("<h2>Alignment path</h2>\n" + _figure(alignment, matrix) + "\n")
    w("<h2>Pairs</h2>\n<p class=\"legend\">Confidence: <span>≥ 0.8</span><span class=\"mid\">0.5–0.8</span>"
      "<span class=\"low\">below 0.5</span><span class=\"unmatched\">unmatched</span>"
      "<span class=\"reviewed\">reviewed</span></p>\n")
    w("<table>\n<thead><tr><th class=\"n\">#</th><th class=\"zh\">zh</th><th>en</th><th class=\"s\">score</th></tr></thead>\n<tbody>\n")
    for k, p in enumerate(pairs, 1):
        w(
            f"<tr class=\"{_kind(p.zh_ids, p.en_ids, p.score, p.evidence)}\"><td class=\"n\">{k}</td>"
            f"<td lang=\"zh\">{escape(p.zh) or '—'}</td><td lang=\"en\">{escape(p.en) or '—'}</td>"
            f"<td class=\"s\">{p.score:.2f}</td></tr>\n"
        )
    w("</tbody>\n</table>\n<h2>Unmatched sentences</h2>\n")
    for lang, items in (("Chinese", zh_alone), ("English", en_alone)):
        w(f"<h3>{lang} ({len(items)})</h3>\n<ul>\n")
        for s in items:
            w(f"<li>{s.index + 1}. {escape(s.text)}</li>\n")
        w("</ul>\n")
    w("<h2>Settings</h2>\n<dl class=\"settings\">\n")
    settings: list[tuple[str, str]] = [
        ("npfterm", meta.tool_version), ("signature", alignment.info.signature()),
        ("sources", ", ".join(meta.sources)), ("languages", f"{meta.src_lang} → {meta.tgt_lang}"),
    ]
    settings += [(k, str(v)) for k, v in alignment.info.as_dict().items() if k not in ("signature", "version", "tool")]
    for key, value in settings:
        w(f"<dt>{escape(key)}</dt><dd>{escape(value)}</dd>\n")
    w("</dl>\n</body>\n</html>\n")
