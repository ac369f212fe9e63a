"""Shared fixtures: the seed gold data lives outside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seed-gold"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The seed-gold folder; tests that need it skip when it is absent."""
    if not (SEED_DIR / "seed.txt").is_file():
        pytest.skip(f"seed gold data not found at {SEED_DIR}")
    return SEED_DIR


@pytest.fixture(scope="session")
def seed_text(seed_dir: Path) -> str:
    """The bilingual seed article, as UTF-8 text."""
    return (seed_dir / "seed.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def private_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default store at a temporary file so no test touches the user's store."""
    db = tmp_path_factory.mktemp("store") / "npfterm.db"
    monkeypatch.setenv("NPFTERM_DB", str(db))
    return db
