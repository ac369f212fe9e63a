"""The sentence encoder wrapper: one unit vector per text, repeats encoded once."""

from __future__ import annotations

import numpy as np
import pytest

from npfterm.alignment import embeddings


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    embeddings._cache.clear()
    return embeddings.encode(["新质生产力", "new productive forces", "新质生产力", "猫"])


def test_one_unit_row_per_text(vectors: np.ndarray) -> None:
    assert vectors.shape == (4, embeddings.DIM)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_repeated_text_same_vector_and_cached_once(vectors: np.ndarray) -> None:
    assert np.array_equal(vectors[0], vectors[2])
    assert len(embeddings._cache) == 3


def test_translation_closer_than_unrelated(vectors: np.ndarray) -> None:
    assert vectors[0] @ vectors[1] > vectors[3] @ vectors[1]


def test_cached_result_equals_fresh(vectors: np.ndarray) -> None:
    again = embeddings.encode(["猫", "新质生产力"])
    assert np.array_equal(again, vectors[[3, 0]])
