"""Threads: how many threads this process's numerical libraries may use, set once per process.

numpy's OpenBLAS (and any OpenMP runtime) starts one thread per core, and the
sentence encoder is numpy matrix products.  Our products are small, so extra
threads mostly spin: on two shared cores one hybrid process burned twice the
CPU of the same run with ``OPENBLAS_NUM_THREADS=1``.  Every process that
aligns (the main one, each pool or Dask worker) therefore limits its pools to
``NPFTERM_THREADS`` (default 1) through threadpoolctl, whatever the
environment says; ``--workers`` decides how many such processes run.
"""

from __future__ import annotations

import os
from typing import Mapping

from npfterm.errors import SettingError

ENV = "NPFTERM_THREADS"
DEFAULT_THREADS = 1

_applied: tuple[int, int] | None = None  # (pid, threads) last set in this process


def configured_threads(environ: Mapping[str, str] = os.environ) -> int:
    """``NPFTERM_THREADS`` as a positive integer (default 1); ``SettingError`` when it is not one."""
    raw = environ.get(ENV, "").strip()
    if not raw:
        return DEFAULT_THREADS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingError(f"{ENV} must be a whole number of threads, 1 or more (got {raw!r})")
    return value


def limit_threads(threads: int | None = None) -> int:
    """Limit this process's BLAS and OpenMP thread pools to ``threads`` (default: configured).

    Cheap after the first call; a forked child sets its own limits again.
    Returns the number of threads now allowed.
    """
    global _applied
    count = configured_threads() if threads is None else max(1, threads)
    if _applied == (os.getpid(), count):
        return count
    import numpy  # noqa: F401 - threadpoolctl only sees libraries already loaded
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=count)  # called, not entered: stays in force for the process
    _applied = (os.getpid(), count)
    return count
