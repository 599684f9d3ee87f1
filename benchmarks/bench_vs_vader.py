"""Throughput of complaintlab's text functions against VADER, on the same English texts.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_vs_vader.py [N]``, default 5,000).
The texts are distinct English agent replies: the company replies of the Customer Support on
Twitter sample when ``COMPLAINTLAB_DATA`` points at it, then the bundled English replies, at
most N (no text is repeated: a cache of whole texts would not be measured as speed). Each
function runs on all of them after a warm-up, at least five times and for at least a second
of CPU time; the best run's CPU time counts. VADER (``vaderSentiment``) is the sentiment tool
a researcher would otherwise reach for; the machines are shared and noisy, so ratios to VADER
measured in the same round matter more than absolute rates (three rounds).
Writes ``benchmarks/RESULTS.md`` (no dates, no paths), keeping the section that
``bench_scale.py`` writes between ``<!-- scale -->`` and ``<!-- /scale -->``.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

import pandas as pd

from complaintlab.config import data_dir
from complaintlab.corpus import load_responses
from complaintlab.taxonomy import classify
from complaintlab.text import detect_language, normalize
from complaintlab.tone import score
from complaintlab.tone.evaluate import gold_replies

RESULTS = Path(__file__).with_name("RESULTS.md")
SCALE = ("<!-- scale -->", "<!-- /scale -->")  # bench_scale.py's section, kept on rewrite


def scale_section() -> str:
    """The section ``bench_scale.py`` wrote into RESULTS.md, markers included; "" if none."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    start, end = old.find(SCALE[0]), old.find(SCALE[1])
    return old[start:end + len(SCALE[1])] if 0 <= start < end else ""


def english_texts(n: int) -> tuple[list[str], str]:
    root = data_dir()
    path = None if root is None else root / "twcs_customer_support" / "twcs_first5000.csv"
    texts, sources = [], []
    if path is not None and path.exists():
        frame = pd.read_csv(path, dtype=str)
        texts = frame.loc[frame["inbound"].str.lower() == "false", "text"].dropna().tolist()
        sources.append("company replies of the Customer Support on Twitter sample")
    texts += gold_replies("en")["text"].tolist() + load_responses("en")["text"].dropna().tolist()
    sources.append("the bundled English agent replies")
    return list(dict.fromkeys(texts))[:n], " and ".join(sources)


ROUNDS = 3  # every function is measured once per round, VADER first
BUDGET = 1.0  # seconds of CPU time per function and round (and at least five runs)


def rate(run, texts, repeats: int = 5, budget: float = BUDGET) -> float:
    """Texts per second of the best run: at least ``repeats`` runs and ``budget`` seconds
    of CPU time, so that a fast function is sampled over as long a stretch of a noisy
    machine as a slow one."""
    run(texts)  # warm up: lexicons, models, caches of words seen
    times: list[float] = []
    while len(times) < repeats or sum(times) < budget:
        times.append(_cpu(run, texts))
    return len(texts) / min(times)


def _cpu(run, texts) -> float:
    start = time.process_time()
    run(texts)
    return time.process_time() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    texts, source = english_texts(n)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    langs = ["en"] * len(texts)
    runs = {
        "VADER polarity_scores (peer)": lambda ts: [vader.polarity_scores(t) for t in ts],
        "tone.score (languages given)": lambda ts: score(ts, langs[: len(ts)]),
        "taxonomy.classify (languages given)": lambda ts: classify(ts, langs[: len(ts)]),
        "text.normalize": lambda ts: [normalize(t, "en") for t in ts],
        "text.detect_language": lambda ts: [detect_language(t) for t in ts],
    }
    rounds = [{name: rate(run, texts) for name, run in runs.items()} for _ in range(ROUNDS)]
    peer = "VADER polarity_scores (peer)"
    rows = []
    for name in runs:
        rates = [r[name] for r in rounds]
        ratios = sorted(r[name] / r[peer] for r in rounds)
        rows.append(f"| {name} | {statistics.median(rates):,.0f} | "
                    f"{statistics.median(ratios):.2f}× | {ratios[0]:.2f}–{ratios[-1]:.2f}× |")
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in
                         ("pandas", "numpy", "scikit-learn", "vaderSentiment"))  # fmt: skip
    report = "\n".join([
        "# Benchmarks",
        "",
        "Written by `benchmarks/bench_vs_vader.py` (`make bench`). Texts per second on the same",
        f"{len(texts):,} distinct English texts ({source}, "
        f"{sum(map(len, texts)) / len(texts):.0f} characters on average), one process, CPU",
        f"time of the best run after a warm-up (at least five runs and {BUDGET:.0f} s of runs per",
        f"function). {ROUNDS} rounds, each measuring VADER and then every function; the ratio to",
        "VADER is taken within a round, and the table gives the median over rounds and the",
        "range.",
        "",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} logical CPUs, "
        f"Python {platform.python_version()}; {versions}.",
        "",
        "| function | texts/s | × VADER | range |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        "Targets (issue 10): `tone.score` at least 20× VADER, `classify` at least 5×.",
        "",
    ])  # fmt: skip
    kept = scale_section()
    RESULTS.write_text(report + (f"\n{kept}\n" if kept else ""), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
