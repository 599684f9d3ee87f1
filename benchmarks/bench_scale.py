"""Scaling of :func:`complaintlab.io.score_file` from 10,000 to 1,000,000 replies, CSV to CSV.

Run: ``make bench`` (after ``bench_vs_vader.py``), or
``.venv/bin/python benchmarks/bench_scale.py [--sizes 10000,100000] [--classify-up-to N]
[--jobs 2] [--no-write]``.

For each size N, ``benchmarks/corpus.py`` writes N generated replies in the six languages
(seed 0, with a ``lang`` column) to a temporary CSV file; then every measurement --
``task="tone"`` at every size, ``task="classify"`` up to ``--classify-up-to``, and
``n_jobs=--jobs`` against ``n_jobs=1`` at the largest size -- runs ``score_file`` in a fresh
Python process, so that its peak memory is its own. That process first loads the task's
lexicons or model (timed as start-up), then times the ``score_file`` call and reports its own
peak RSS (``VmHWM``); meanwhile this script polls the memory of the process and its workers
(psutil and ``/proc``): its RSS plus the workers' private memory, for n_jobs > 1.
VADER's texts/s on the corpus's English texts, measured in the same run, gives the ratios.

Writes its section of ``benchmarks/RESULTS.md`` between ``<!-- scale -->`` and
``<!-- /scale -->`` (``bench_vs_vader.py`` keeps that section when it rewrites the file) and
the plot ``benchmarks/scaling.png``. No dates, no paths.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from corpus import iter_corpus, make_corpus, real_source, write_corpus  # script's folder

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
PLOT = HERE / "scaling.png"
BEGIN, END = "<!-- scale -->", "<!-- /scale -->"
MB = 1e6
SEED = 0

# Issue 10's targets.
LINEARITY = 0.20  # per-text time at the largest size within ±20 % of the next size down
MEMORY_MB = 500  # peak RSS at 1,000,000 texts
SPEEDUP = 1.4  # n_jobs=2 over n_jobs=1 on a 2-core machine


# --- one measurement, in its own process ------------------------------------------------------


def _measure_here(spec: dict) -> None:
    """Warm up, run one ``score_file`` call, print a JSON line: seconds and peak RSS (bytes).

    The warm-up scores one text of each language in the input's first rows with the task's
    function, so the one-off loading of lexicons and models is timed apart from the file.
    """
    start = time.perf_counter()
    from complaintlab.io import score_file

    if spec["task"] == "tone":
        from complaintlab.tone import score as scorer
    else:
        from complaintlab.taxonomy import classify as scorer
    first = pd.read_csv(spec["src"], nrows=200, dtype=str).drop_duplicates("lang")
    scorer(first["text"].tolist(), first["lang"].tolist())
    ready = time.perf_counter()
    report = score_file(spec["src"], spec["dst"], "text", spec["task"], lang_column="lang",
                        columns=["id", "text"], chunksize=spec["chunksize"],
                        n_jobs=spec["n_jobs"], progress=False)  # fmt: skip
    done = time.perf_counter()
    print(json.dumps({"seconds": done - ready, "startup_seconds": ready - start,
                      "own_peak": _own_peak(), "rows_out": report.rows_written,
                      "ok": report.ok}))  # fmt: skip


def _own_peak() -> int:
    """This process's peak RSS in bytes.

    On Linux ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would not do, since Linux
    carries it across ``exec`` and so reports the parent's size at the fork when that is larger.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit


def _private(member: psutil.Process, rss: int) -> int:
    """Memory only this process holds (USS: its private pages); ``rss`` if unknown."""
    total, found = 0, False
    try:
        with open(f"/proc/{member.pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
                    found = True
    except OSError:
        pass
    return total if found else rss


def _tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """Memory of ``proc`` and its descendants, in bytes: two sums.

    The first is ``proc``'s RSS plus each descendant's private memory (USS), what the
    workers add to the main process; the second adds up everyone's RSS, which counts the
    pages a forked worker still shares with its parent once per process.
    """
    try:
        main = proc.memory_info().rss
        workers = proc.children(recursive=True)
    except psutil.Error:
        return 0, 0
    added = summed = main
    for worker in workers:
        try:
            resident = worker.memory_info().rss
        except psutil.Error:
            continue
        summed += resident
        added += _private(worker, resident)
    return added, summed


def measure(src: Path, dst: Path, task: str, n_jobs: int, chunksize: int) -> dict:
    """Seconds and peak memory (MB) of one ``score_file`` run in a fresh process.

    ``peak_mb``: the larger of the process's own peak RSS and the polled peak of its RSS plus
    its workers' private memory; ``rss_sum_mb``: the polled peak of everyone's RSS added up.
    """
    spec = {"src": str(src), "dst": str(dst), "task": task, "n_jobs": n_jobs,
            "chunksize": chunksize}  # fmt: skip
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        child = subprocess.Popen([sys.executable, __file__, "--measure", json.dumps(spec)],
                                 stdout=out)  # fmt: skip
        proc, tree, summed = psutil.Process(child.pid), 0, 0
        while child.poll() is None:
            now = _tree_memory(proc)
            tree, summed = max(tree, now[0]), max(summed, now[1])
            time.sleep(0.1)
        out.seek(0)
        lines = out.read().strip().splitlines()
    if child.returncode != 0 or not lines:
        raise RuntimeError(f"score_file ({task}, n_jobs={n_jobs}) failed: exit {child.returncode}")
    result = json.loads(lines[-1])
    if not result["ok"]:
        raise RuntimeError(f"score_file ({task}, n_jobs={n_jobs}) rejected or altered rows")
    own = result["own_peak"]
    return {"task": task, "n_jobs": n_jobs, "seconds": result["seconds"],
            "startup": result["startup_seconds"], "rows_out": result["rows_out"],
            "peak_mb": max(own, tree) / MB, "rss_sum_mb": max(own, summed) / MB}  # fmt: skip


# --- the corpus and the peer ------------------------------------------------------------------


def corpus_stats(n: int) -> tuple[float, float]:
    """Mean characters per text and the share of distinct texts among the first ``n``."""
    chars, hashes = 0, []
    for chunk in iter_corpus(n, "replies", SEED):
        chars += int(chunk["text"].str.len().sum())
        hashes.append(pd.util.hash_pandas_object(chunk["text"], index=False).to_numpy())
    return chars / n, np.unique(np.concatenate(hashes)).size / n


def vader_rate(rows: int = 60_000) -> tuple[float, int]:
    """VADER's texts/s on the English texts among the corpus's first ``rows`` rows."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    frame = make_corpus(rows, "replies", SEED)
    texts = frame.loc[frame["lang"] == "en", "text"].tolist()
    vader = SentimentIntensityAnalyzer()
    for text in texts[:20]:  # warm up
        vader.polarity_scores(text)
    start = time.perf_counter()
    for text in texts:
        vader.polarity_scores(text)
    return len(texts) / (time.perf_counter() - start), len(texts)


# --- report -----------------------------------------------------------------------------------


def machine() -> str:
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("pandas", "numpy", "pyarrow"))
    memory = psutil.virtual_memory().total / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} logical CPUs, "
            f"{memory:.0f} GiB RAM, Python {platform.python_version()}; {versions}")  # fmt: skip


def targets(runs: pd.DataFrame, capacity: float | None = None) -> list[str]:
    """The targets' table: for each task measured at more than one size (tone first), time
    per text and peak memory at the largest size, and the n_jobs speed-up there."""
    rows = ["| target (issue 10) | measured | met |", "|---|---:|:-:|"]
    for task in sorted(runs["task"].unique(), key=lambda t: (t != "tone", t)):
        one = runs[(runs["task"] == task) & (runs["n_jobs"] == 1)].set_index("texts")
        sizes = sorted(one.index)
        top = sizes[-1]
        note = "" if top == 1_000_000 else f" (set at 1,000,000; measured at {top:,})"
        if len(sizes) > 1:
            below = sizes[-2]
            change = one.loc[top, "us_per_text"] / one.loc[below, "us_per_text"] - 1
            rows.append(f"| {task}, n_jobs=1: time per text at {top:,} within ±20 % of "
                        f"{below:,} | {change:+.0%} | {_met(abs(change) <= LINEARITY)} |")
        peak = one.loc[top, "peak_mb"]
        rows.append(f"| {task}, n_jobs=1: peak RSS at {top:,} below {MEMORY_MB} MB{note} "
                    f"| {peak:,.0f} MB | {_met(peak < MEMORY_MB)} |")  # fmt: skip
        parallel = runs[(runs["task"] == task) & (runs["texts"] == top) & (runs["n_jobs"] > 1)]
        for _, run in parallel.iterrows():
            gain = one.loc[top, "seconds"] / run["seconds"]
            cores = os.cpu_count() or 1
            met = _met(gain >= SPEEDUP) if cores >= run["n_jobs"] else f"n/a ({cores} CPU)"
            rows.append(f"| {task}: n_jobs={run['n_jobs']} over n_jobs=1 at {top:,}, at least "
                        f"{SPEEDUP}×{note} | {gain:.2f}× | {met} |")  # fmt: skip
    if capacity is not None:
        jobs = int(runs["n_jobs"].max())
        rows.append(f"| (the machine itself: {jobs} processes of pure-CPU loops over one) "
                    f"| {capacity:.2f}× | |")  # fmt: skip
    return rows


def _busy(n: int) -> int:
    total = 0
    for _ in range(n):
        total += 1
    return total


def parallel_capacity(jobs: int = 2, n: int = 20_000_000, repeats: int = 3) -> float:
    """How much faster ``jobs`` processes finish ``jobs`` equal pure-CPU loops than one
    process finishes them one after the other: the machine's own ceiling for n_jobs (on a
    shared virtual machine it can be far below the number of CPUs it reports)."""
    import multiprocessing

    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        _busy(n)
        one = time.perf_counter() - start
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            start = time.perf_counter()
            pool.map(_busy, [n] * jobs)
            both = time.perf_counter() - start
        best = max(best, jobs * one / both)
    return best


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def section(runs: pd.DataFrame, chars: float, distinct: dict, vader: tuple[float, int],
            chunksize: int, source: str | None, fmt: str = "CSV",
            capacity: float | None = None) -> str:  # fmt: skip
    peer, peer_n = vader
    table = ["| task | n_jobs | texts | distinct | start-up (s) | seconds | texts/s | µs/text "
             "| peak memory (MB) | × VADER |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for _, run in runs.iterrows():
        memory = f"{run['peak_mb']:,.0f}"
        if run["n_jobs"] > 1:
            memory += f" (RSS sum {run['rss_sum_mb']:,.0f})"
        table.append(f"| {run['task']} | {run['n_jobs']} | {run['texts']:,} "
                     f"| {distinct[run['texts']]:.0%} | {run['startup']:,.1f} "
                     f"| {run['seconds']:,.1f} | {run['rate']:,.0f} | {run['us_per_text']:,.1f} "
                     f"| {memory} | {run['rate'] / peer:.2f}× |")  # fmt: skip
    real = (f"half of the English ones are recombined from the {source}" if source
            else "the real samples were not found: English is recombined bundled replies only")
    return "\n".join([
        BEGIN,
        "## Scaling of `io.score_file`",
        "",
        "Written by `benchmarks/bench_scale.py` (`make bench`). `complaintlab.io.score_file`",
        "reads N generated replies from CSV (`id`, `lang`, `text`; languages given) and writes",
        f"`id`, `text` and the scores to {fmt}, {chunksize:,} rows at a time. The replies come",
        f"from `benchmarks/corpus.py` (seed {SEED}): the bundled agent replies of the six",
        "languages in equal shares, recombined sentence by sentence into new replies of the",
        f"sources' lengths, {chars:.0f} characters on average; {real}.",
        "Few source replies means repeats at large N: *distinct* is the share of texts unlike",
        "every earlier one.",
        "",
        "Each run is a fresh process. *Start-up* is its imports and the one-off loading of the",
        "task's lexicons or model; *seconds* is the `score_file` call after it, and the rates",
        "are computed from it. *Peak memory* is the process's peak RSS, interpreter and imports",
        "included; for n_jobs > 1, the peak of its RSS plus its workers' private memory (USS,",
        "polled every 0.1 s), with the workers' and its RSS simply added up in brackets (that",
        "counts the pages forked workers share with the main process once per process).",
        "",
        f"Machine: {machine()}.",
        "",
        *table,
        "",
        f"VADER `polarity_scores`: {peer:,.0f} texts/s on the {peer_n:,} English texts among the",
        "corpus's first rows, in memory, one process, in the same run. The ratio sets it against",
        "`score_file`'s whole file-to-file rate over all six languages.",
        "",
        *targets(runs, capacity),
        "",
        "The last line is the ceiling for any n_jobs speed-up on this machine in this run: two",
        "processes of a pure-CPU loop against one (a virtual machine's CPUs may be shared).",
        "",
        "![Time and peak memory of score_file against N](scaling.png)",
        END,
    ])  # fmt: skip


def write_section(text: str) -> None:
    """Put ``text`` (delimited by the markers) into RESULTS.md, replacing an earlier one."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    start, end = old.find(BEGIN), old.find(END)
    if 0 <= start < end:
        new = old[:start] + text + old[end + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def plot(runs: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for (task, n_jobs), group in runs.groupby(["task", "n_jobs"], sort=True):
        label = f"{task}, n_jobs={n_jobs}"
        style = {"color": "C0" if task == "tone" else "C1", "marker": "o" if n_jobs == 1 else "s",
                 "linestyle": "-" if n_jobs == 1 else "--", "label": label}  # fmt: skip
        left.plot(group["texts"], group["seconds"], **style)
        right.plot(group["texts"], group["peak_mb"], **style)
    tone = runs[(runs["task"] == "tone") & (runs["n_jobs"] == 1)].sort_values("texts")
    ref = tone.iloc[-1]
    xs = np.array([runs["texts"].min(), runs["texts"].max()], dtype=float)
    left.plot(xs, xs * ref["seconds"] / ref["texts"], ":", color="grey",
              label="linear (through tone at the largest N)")  # fmt: skip
    right.axhline(MEMORY_MB, color="grey", linestyle=":", label=f"target {MEMORY_MB} MB")
    left.set(xscale="log", yscale="log", xlabel="texts (N)", ylabel="seconds",
             title="score_file: time against N")  # fmt: skip
    top = max(MEMORY_MB, runs["peak_mb"].max()) * 1.1
    right.set(xscale="log", xlabel="texts (N)", ylabel="peak memory (MB)", ylim=(0, top),
              title="score_file: peak memory against N")  # fmt: skip
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


# --- main -------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    return sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000, 1_000_000],
                        help="comma-separated numbers of texts (default 10000,100000,1000000)")
    parser.add_argument("--classify-up-to", type=int, default=1_000_000, metavar="N",
                        help="also time task='classify' at sizes up to N (0: never)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="n_jobs compared with n_jobs=1 at the largest size (1: skip)")
    parser.add_argument("--chunksize", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="what score_file writes")
    parser.add_argument("--no-write", action="store_true",
                        help="print the section; leave RESULTS.md and scaling.png alone")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        _measure_here(json.loads(args.measure))
        return
    if not args.sizes or min(args.sizes) <= 0:
        parser.error("--sizes needs positive numbers")

    peer = vader_rate()
    print(f"VADER: {peer[0]:,.0f} texts/s on {peer[1]:,} English texts", flush=True)
    records, distinct, chars = [], {}, 0.0
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="complaintlab-bench-") as tmp:
            src, dst = Path(tmp) / "replies.csv", Path(tmp) / f"scores.{args.format}"
            start = time.perf_counter()
            write_corpus(src, n, "replies", SEED, chunksize=100_000)
            made = time.perf_counter() - start
            chars, distinct[n] = corpus_stats(n)
            print(f"{n:,} replies written in {made:.1f} s ({chars:.0f} characters on average, "
                  f"{distinct[n]:.0%} distinct)", flush=True)  # fmt: skip
            plan = [("tone", 1)]
            if n <= args.classify_up_to:
                plan.append(("classify", 1))
            if n == args.sizes[-1] and args.jobs > 1:
                plan += [(task, args.jobs) for task, _ in list(plan)]
            for task, n_jobs in plan:
                run = measure(src, dst, task, n_jobs, args.chunksize)
                if run["rows_out"] != n:
                    raise RuntimeError(f"score_file wrote {run['rows_out']:,} rows, not {n:,}")
                run["texts"] = n
                records.append(run)
                print(f"  {task:8} n_jobs={n_jobs}: start-up {run['startup']:4.1f} s, "
                      f"{run['seconds']:8.1f} s  {n / run['seconds']:10,.0f} texts/s  "
                      f"peak {run['peak_mb']:6,.0f} MB (RSS sum {run['rss_sum_mb']:,.0f})",
                      flush=True)  # fmt: skip
                dst.unlink(missing_ok=True)
    runs = pd.DataFrame(records)
    runs["rate"] = runs["texts"] / runs["seconds"]
    runs["us_per_text"] = runs["seconds"] / runs["texts"] * 1e6
    runs = runs.sort_values(["task", "n_jobs", "texts"], ascending=[False, True, True],
                            ignore_index=True)  # fmt: skip
    capacity = parallel_capacity(args.jobs) if args.jobs > 1 else None
    text = section(runs, chars, distinct, peer, args.chunksize, real_source("replies"),
                   args.format.replace("csv", "CSV").replace("parquet", "Parquet"), capacity)
    print(text)
    if not args.no_write:
        write_section(text)
        plot(runs, PLOT)


if __name__ == "__main__":
    main()
