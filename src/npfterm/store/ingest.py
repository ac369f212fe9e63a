"""Aligned documents into the store: identity (hash, source path), term extraction, one write.

Shared by ``npfterm align``, ``npfterm terms`` and the bundled-corpus
bootstrap, so a document enters the store the same way whichever command
brought it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from npfterm.errors import InputError
from npfterm.models import Alignment, TermPair

if TYPE_CHECKING:  # pragma: no cover
    from npfterm.store.db import DocumentInfo, Store


@dataclass(frozen=True)
class Ingested:
    """What one document added: its id in the store and the term pairs found in it."""

    doc_id: int | None
    terms: tuple[TermPair, ...]
    replaced: str = ""  # what storing it replaced, e.g. "replaces the earlier version of /a/x.txt"
    kept_reviewed: int = 0  # reviewed beads of the stored version, kept instead of this alignment


def source_path(inputs: Sequence[str], digest: str = "") -> str:
    """The inputs as one stable identity: resolved paths joined by " + "; stdin is ``-:`` and the content hash."""
    return " + ".join(stdin_key(digest) if p == "-" else str(Path(p).resolve()) for p in inputs)


def stdin_key(digest: str) -> str:
    """How a document read from stdin is identified: ``-:`` and the first 16 hex digits of its hash."""
    return "-:" + digest[:16]


def content_hash(inputs: Sequence[str], texts: Sequence[str] | None = None) -> str:
    """SHA-256 over the inputs' bytes (or given texts, e.g. for stdin), in order."""
    digest = hashlib.sha256()
    for n, path in enumerate(inputs):
        if texts is not None:
            data = texts[n].encode("utf-8")
        else:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def alignment_hash(alignment: Alignment) -> str:
    """A content hash from the aligned sentences, for inputs that cannot be re-read (stdin)."""
    digest = hashlib.sha256()
    for s in (*alignment.zh, *alignment.en):
        digest.update(f"{s.lang}\t{s.text}\n".encode("utf-8"))
    return digest.hexdigest()


def extract(alignment: Alignment, store: "Store | None" = None) -> list[TermPair]:
    """Term pairs of the document; with a store, termhood and co-occurrence count its documents too."""
    from npfterm.terms.extract import extract_terms

    return extract_terms(alignment, stats=store)


def ingest(
    alignment: Alignment,
    inputs: Sequence[str],
    store: "Store | None",
    terms: Sequence[TermPair] | None = None,
    *,
    name: str | None = None,
    replace_reviewed: bool = False,
) -> Ingested:
    """Extract the document's terms (unless given) and, given a store, save document and terms in one transaction.

    The document is identified by its resolved path(s) (stdin: ``-:`` and its
    content hash), so the same name from another folder is another document;
    ``name`` stores it under that name instead, replacing the document of that name.
    A stored version with reviewed beads is kept (``kept_reviewed`` says how
    many) unless ``replace_reviewed``: a person's corrections are not
    overwritten by aligning again.
    """
    if terms is None:
        terms = extract(alignment, store)
    if store is None:
        return Ingested(None, tuple(terms))
    readable = all(p != "-" and os.path.isfile(p) for p in inputs)
    digest = content_hash(inputs) if readable else alignment_hash(alignment)
    key = source_path(inputs, digest)
    earlier = store.replaced_by(key, name)
    reviewed = {} if replace_reviewed else store.reviewed_beads([d.id for d in earlier])
    if reviewed:
        return Ingested(min(reviewed), tuple(terms), kept_reviewed=sum(reviewed.values()))
    doc_id = store.add_alignment(alignment, source_path=key, content_hash=digest, terms=terms, name=name)
    return Ingested(doc_id, tuple(terms), replacement_note(earlier, digest))


def replacement_note(earlier: "Sequence[DocumentInfo]", digest: str) -> str:
    """What storing a document replaced, in words; empty when it replaced nothing."""
    if not earlier or (len(earlier) == 1 and earlier[0].content_hash == digest):
        return ""  # nothing, or the same content again: nothing worth saying
    if len(earlier) == 1:
        return f"replaces the earlier version of {earlier[0].source_path}, document {earlier[0].id}"
    return "replaces documents " + ", ".join(str(d.id) for d in earlier)


def add_terms(store: "Store", terms: Iterable[TermPair]) -> int:
    """Add glossary term pairs (no document) to the store, with pinyin for those that arrive without it."""
    return store.add_terms(_with_pinyin(t) for t in terms)


def _with_pinyin(term: TermPair) -> TermPair:
    """Pinyin for a glossary term that arrives without it.

    A glossary can hold millions of rows, so its words come from plain jieba
    (about 0.1 ms a term) rather than the tagged, merged tokens of term
    extraction (about 1.3 ms); a term that is one dictionary headword stays
    one word either way (碳中和 → tànzhōnghé).  Only the set of headwords is
    loaded for that test, not the dictionary (~10 MB against ~40 MB).
    """
    from npfterm.terms.extract import term_pinyin
    from npfterm.text.lexicon import cedict_headwords
    from npfterm.text.tokens import has_han, zh_words

    if term.pinyin or not has_han(term.zh):
        return term
    words = [term.zh] if term.zh in cedict_headwords() else zh_words(term.zh)
    return replace(term, pinyin=term_pinyin(term.zh, words))
