"""``n_jobs`` for the batch functions: contiguous chunks of rows in a pool of processes.

Each worker runs the same function on its chunk; the chunks are put back together in input
order, so the result is identical to ``n_jobs=1``. On Linux the workers are forked and share
what the parent has already loaded (lexicons, the trained :func:`~complaintlab.classify`
model); elsewhere they start fresh and load it themselves. The pool is kept for the next
call (a file scored chunk by chunk reuses the same workers, with their caches warm) and
closed when Python exits.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import pairwise

import pandas as pd

#: Below this many rows per worker a pool costs more than it saves: work stays in-process.
MIN_ROWS_PER_JOB = 2_000


def check_n_jobs(n_jobs, func: str) -> int:
    """The number of processes ``n_jobs`` asks for: a positive int, or -1 for every CPU.

    Examples
    --------
    >>> check_n_jobs(2, "score")
    2
    >>> check_n_jobs(0, "score")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: n_jobs of score must be a positive number of processes or -1 (all CPUs), got 0
    """
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or (n_jobs < 1 and n_jobs != -1):
        raise ValueError(f"n_jobs of {func} must be a positive number of processes or -1 "
                         f"(all CPUs), got {n_jobs!r}")  # fmt: skip
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def map_rows(work: Callable[[pd.Series, list], pd.DataFrame], series: pd.Series, langs: list,
             n_jobs: int) -> pd.DataFrame:  # fmt: skip
    """``work(series, langs)``, split over ``n_jobs`` processes; same rows, same order."""
    jobs = min(n_jobs, max(1, len(series) // MIN_ROWS_PER_JOB))
    if jobs <= 1:
        return work(series, langs)
    parts = jobs * 4  # smaller pieces even out the workers' load
    bounds = [len(series) * i // parts for i in range(parts + 1)]
    pieces = [(series.iloc[a:b], langs[a:b]) for a, b in pairwise(bounds) if b > a]  # fmt: skip
    try:
        done = list(_pool(work, jobs).map(work, *zip(*pieces, strict=True)))
    except BrokenProcessPool:  # a worker died (killed, out of memory): one fresh try
        _POOLS.pop((work, jobs)).shutdown(cancel_futures=True)
        done = list(_pool(work, jobs).map(work, *zip(*pieces, strict=True)))
    return pd.concat(done)


def submit(work: Callable, jobs: int, *args) -> Future:
    """Run ``work(*args)`` in the kept pool of ``jobs`` processes; returns its future."""
    return _pool(work, jobs).submit(work, *args)


_POOLS: dict[tuple[Callable, int], ProcessPoolExecutor] = {}


def _pool(work: Callable, jobs: int) -> ProcessPoolExecutor:
    """The pool for this function and size, started on first use and then reused."""
    pool = _POOLS.get((work, jobs))
    if pool is None:
        pool = _POOLS[(work, jobs)] = ProcessPoolExecutor(max_workers=jobs,
                                                          mp_context=_context())  # fmt: skip
    return pool


@atexit.register
def shutdown() -> None:
    """Stop every pool's workers (run at exit; harmless to call earlier)."""
    while _POOLS:
        _POOLS.popitem()[1].shutdown(cancel_futures=True)
