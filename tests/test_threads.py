"""threads: NPFTERM_THREADS parsing and the BLAS/OpenMP limits it sets in this process."""

from __future__ import annotations

import numpy  # noqa: F401 - loads the BLAS that threadpoolctl reports
import pytest
from threadpoolctl import threadpool_info
from typer.testing import CliRunner

from npfterm.cli import app
from npfterm.errors import SettingError
from npfterm.threads import DEFAULT_THREADS, configured_threads, limit_threads


@pytest.mark.parametrize(("raw", "expected"), [("", DEFAULT_THREADS), ("1", 1), (" 3 ", 3)])
def test_configured_threads_reads_the_variable(raw: str, expected: int) -> None:
    assert configured_threads({"NPFTERM_THREADS": raw}) == expected


def test_configured_threads_defaults_to_one_without_the_variable() -> None:
    assert configured_threads({}) == 1


@pytest.mark.parametrize("raw", ["0", "-2", "two", "1.5"])
def test_configured_threads_refuses_what_is_not_a_positive_count(raw: str) -> None:
    with pytest.raises(SettingError, match="NPFTERM_THREADS must be a whole number"):
        configured_threads({"NPFTERM_THREADS": raw})


def _blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] in ("blas", "openmp")}


def test_limit_threads_sets_every_numerical_pool_of_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _blas_threads(), "numpy's BLAS should be visible to threadpoolctl"
    try:
        assert limit_threads(2) == 2
        assert _blas_threads() == {2}
        monkeypatch.delenv("NPFTERM_THREADS", raising=False)
        assert limit_threads() == 1
        assert _blas_threads() == {1}
        monkeypatch.setenv("NPFTERM_THREADS", "2")
        assert limit_threads() == 2
        assert _blas_threads() == {2}
    finally:
        limit_threads(1)


def test_align_refuses_a_bad_thread_count_before_reading(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPFTERM_THREADS", "many")
    result = CliRunner().invoke(app, ["align", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert result.output.strip() == "Error: NPFTERM_THREADS must be a whole number of threads, 1 or more (got 'many')"
