"""The public Python API: align texts or files, extract term pairs, keep and query a store.

Everything the command line does is reachable from here in a few lines::

    import npfterm
    a = npfterm.align(zh_text, en_text)
    for pair in a.pairs():
        print(pair.score, pair.zh, pair.en)

Functions raise :class:`npfterm.NpftermError` subclasses on bad input; they
never print or exit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Sequence, TextIO

from npfterm.alignment.document import AlignOptions
from npfterm.alignment.parts import align_documents
from npfterm.errors import InputError
from npfterm.lookup import LookupResult, lookup
from npfterm.models import AlignedPair, Alignment, TermPair
from npfterm.pipeline import align_files
from npfterm.store import db
from npfterm.store.ingest import extract, ingest
from npfterm.text.parse import bilingual_from_pair, bilingual_from_sentence_lines
from npfterm.text.read import DEFAULT_MAX_BYTES

__all__ = ["align", "align_file", "extract_terms", "Store"]


def _options(mode: str) -> AlignOptions:
    try:
        return AlignOptions(mode=mode)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _as_text(side: str | Sequence[str]) -> str:
    return side if isinstance(side, str) else "\n".join(side)


def align(
    zh: str | Sequence[str],
    en: str | Sequence[str],
    *,
    mode: str = "hybrid",
    sentences: bool = False,
    source: str = "",
) -> Alignment:
    """Align a Chinese text with an English one.

    ``zh`` and ``en`` are whole texts (paragraphs, any sentence layout), or,
    with ``sentences=True``, one sentence per line (a string or a list of
    strings), used as given.  The two may come in either order: the language
    is told from the text.  ``mode`` is ``"hybrid"`` (dictionary, sentence
    encoder and length) or ``"lexical"`` (no encoder).

    Several articles in each text, separated by marker lines (a form feed,
    ``<doc …>``/``</doc>``, ``---`` and the like; see ``npfterm.text.boundaries``),
    are paired article by article and no pair crosses from one to the next;
    when the two texts hold different numbers of articles, a
    ``DocumentCountWarning`` says so and they are aligned as one.
    """
    options = _options(mode)
    zh_text, en_text = _as_text(zh), _as_text(en)
    if sentences:
        text = bilingual_from_sentence_lines(zh_text, en_text, source, source)
    else:
        text = bilingual_from_pair(zh_text, en_text, source, source)
    return align_documents(text, options)


def align_file(
    path: str | os.PathLike[str],
    path2: str | os.PathLike[str] | None = None,
    *,
    mode: str = "hybrid",
    sentences: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Alignment:
    """Align one bilingual file, or a Chinese file and an English file (in either order).

    Plain text and Markdown in any common encoding; ``sentences=True`` takes
    two files that are already one sentence per line.
    """
    inputs = [os.fspath(path)] + ([os.fspath(path2)] if path2 is not None else [])
    return align_files(inputs, _options(mode), sentences=sentences, max_bytes=max_bytes)


def extract_terms(alignment: Alignment, store: "Store | None" = None) -> list[TermPair]:
    """Term pairs of one aligned document, best first.

    With a store, termhood and co-occurrence also count the documents it holds.
    """
    return extract(alignment, store.db if store is not None else None)


class Store:
    """A store file: aligned documents, their translation units and term pairs.

    ``Store()`` opens the default store (``$NPFTERM_DB``, else the user data
    directory); ``Store(path)`` opens or creates that file.  Use it as a
    context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.db = db.Store.open(path, create=create)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def path(self) -> Path:
        return self.db.path

    def add(
        self,
        alignment: Alignment,
        *,
        terms: Sequence[TermPair] | None = None,
        paths: Sequence[str | os.PathLike[str]] = (),
        name: str | None = None,
        replace_reviewed: bool = False,
    ) -> int:
        """Store an aligned document and its term pairs (extracted unless given); the document's id.

        The same rules as ``npfterm align``: a document is identified by the
        ``paths`` it was read from (without them, by the hash of its
        sentences), so adding it again replaces it; ``name`` stores it under
        that name; a stored version with reviewed beads is kept unless
        ``replace_reviewed``.
        """
        inputs = [os.fspath(p) for p in paths] or ["-"]
        stored = ingest(alignment, inputs, self.db, terms, name=name, replace_reviewed=replace_reviewed)
        assert stored.doc_id is not None  # a store was given
        return stored.doc_id

    def lookup(self, query: str, *, limit: int = 10) -> LookupResult:
        """Term pairs matching ``query`` (Chinese, English or pinyin) with bilingual examples."""
        return lookup(self.db, query, limit=limit)

    def documents(self) -> list[db.DocumentInfo]:
        return self.db.documents()

    def pairs(self, *, min_score: float = 0.0) -> Iterator[AlignedPair]:
        """Every stored translation unit, document by document."""
        return self.db.iter_pairs(min_score=min_score)

    def terms(self, *, min_score: float = 0.0) -> Iterator[TermPair]:
        return self.db.iter_terms(min_score=min_score)

    def export_tm(
        self,
        output: str | os.PathLike[str] | TextIO,
        *,
        format: str = "tmx",
        min_score: float = 0.0,
        src_lang: str = "zh-CN",
        tgt_lang: str = "en-US",
    ) -> int:
        """Write the translation memory to a path (replaced atomically) or an open text stream; units written."""
        from npfterm.formats.writing import export_meta, export_pairs

        meta = export_meta(self.db.documents(), src_lang, tgt_lang)
        return export_pairs(format, self.db.iter_pairs(min_score=min_score), output, meta)

    def export_terms(
        self,
        output: str | os.PathLike[str] | TextIO,
        *,
        format: str = "tbx",
        min_score: float = 0.0,
        src_lang: str = "zh-CN",
        tgt_lang: str = "en-US",
    ) -> int:
        """Write the term pairs to a path or an open text stream; pairs written."""
        from npfterm.formats.writing import export_meta, export_terms

        meta = export_meta(self.db.documents(), src_lang, tgt_lang)
        return export_terms(format, self.db.iter_terms(min_score=min_score), output, meta)
