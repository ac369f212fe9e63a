"""Glue from paths to results: read → parse → split → align.

The only place that knows both about files and about algorithms; everything
it calls is a pure function over text or plain data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from npfterm.alignment.document import AlignOptions
from npfterm.alignment.parts import align_documents
from npfterm.errors import InputError
from npfterm.models import Alignment, BilingualText
from npfterm.text.lexicon import Lexicon
from npfterm.text.parse import (
    bilingual_from_pair,
    bilingual_from_sentence_lines,
    bilingual_from_text,
)
from npfterm.text.read import DEFAULT_MAX_BYTES, read_text


def source_name(path: str) -> str:
    """How a source is named in results: the file name, or ``<stdin>``."""
    return "<stdin>" if path == "-" else Path(path).name


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def load_bilingual(
    inputs: Sequence[str], *, sentences: bool = False, max_bytes: int = DEFAULT_MAX_BYTES
) -> BilingualText:
    """One interleaved document, or two monolingual ones in either order."""
    if not 1 <= len(inputs) <= 2:
        raise InputError(f"align takes one bilingual file or two monolingual files, not {len(inputs)}")
    if list(inputs).count("-") > 1:
        raise InputError("stdin ('-') can be read only once")
    if len(inputs) == 2 and "-" not in inputs and _same_file(*inputs):
        raise InputError(f"{source_name(inputs[1])} is given twice; give one bilingual file, or a Chinese and an English file")
    texts = [read_text(p, max_bytes=max_bytes) for p in inputs]
    names = [source_name(p) for p in inputs]
    if len(inputs) == 1:
        if sentences:
            raise InputError("sentence-per-line input needs two files: Chinese and English, one sentence per line", hint=("sentences", None))
        return bilingual_from_text(texts[0], source=names[0])
    if sentences:
        return bilingual_from_sentence_lines(texts[0], texts[1], names[0], names[1])
    return bilingual_from_pair(texts[0], texts[1], names[0], names[1])


def align_files(
    inputs: Sequence[str],
    options: AlignOptions = AlignOptions(),
    *,
    sentences: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lexicon: Lexicon | None = None,
) -> Alignment:
    """Read, parse, split and align; the library entry point behind ``npfterm align``.

    An input combining several documents (text.boundaries) is aligned document
    by document, and still gives one alignment.
    """
    text = load_bilingual(inputs, sentences=sentences, max_bytes=max_bytes)
    return align_documents(text, options, lexicon)
