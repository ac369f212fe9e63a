"""Shared fixtures: the seed gold (shipped in tests/data), a CLI runner, a private default store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from typer.testing import CliRunner

SEED_DIR = Path(__file__).resolve().parent / "data" / "seed-gold"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The seed-gold folder: the reference article, its sentences, gold beads and gold term pairs."""
    return SEED_DIR


@pytest.fixture(scope="session")
def seed_path(seed_dir: Path) -> Path:
    """The bilingual seed article's path."""
    return seed_dir / "seed.txt"


@pytest.fixture()
def cli() -> "CliRunner":
    """A CliRunner whose results keep stdout and stderr apart."""
    from typer.testing import CliRunner

    return CliRunner()


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
