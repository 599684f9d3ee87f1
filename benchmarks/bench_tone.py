"""Speed and memory of :func:`complaintlab.tone.score` — and what a million replies would take.

Run: ``.venv/bin/python benchmarks/bench_tone.py [N]``. Uses the company replies of the
Customer Support on Twitter sample when ``COMPLAINTLAB_DATA`` points at it, otherwise the
bundled agent replies, repeated to N texts (default 20,000), in their six languages. Reports
replies per second with languages given and with languages detected, the peak memory of one
call (tracemalloc, in a separate run), and the time a million replies would take at that rate.
Scoring is per reply and streams: the CLI (``complaintlab tone``) keeps memory flat by chunks.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import pandas as pd

from complaintlab.config import data_dir
from complaintlab.tone import score
from complaintlab.tone.evaluate import gold_replies


def replies(n: int) -> tuple[list[str], list[str]]:
    texts, langs = [], []
    root = data_dir()
    path = None if root is None else root / "twcs_customer_support" / "twcs_first5000.csv"
    if path is not None and path.exists():
        frame = pd.read_csv(path, dtype=str)
        company = frame[frame["inbound"].str.lower() == "false"]["text"].dropna().tolist()
        texts, langs = company, ["en"] * len(company)
    gold = gold_replies()
    texts += gold["text"].tolist()
    langs += gold["lang"].tolist()
    repeat = n // len(texts) + 1
    return (texts * repeat)[:n], (langs * repeat)[:n]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    texts, langs = replies(n)
    print(f"{len(texts):,} replies, {sum(map(len, texts)) / len(texts):.0f} characters on average")
    score(texts[:50], langs[:50])  # load the six lexicons once
    for label, given in (("languages given", langs), ("languages detected", None)):
        start = time.perf_counter()
        out = score(texts, given)
        seconds = time.perf_counter() - start
        rate = len(texts) / seconds
        print(f"score, {label:18} {seconds:6.2f} s  ({rate:,.0f} replies/s; "
              f"1,000,000 replies ≈ {1e6 / rate / 60:.0f} min on one core)")  # fmt: skip
    tracemalloc.start()
    score(texts[:5000], langs[:5000])
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"peak memory, 5,000 replies {peak:6.0f} MiB (Python allocations during score)")
    print("features found:", out.drop(columns=["lang", "tone_score"]).sum().to_dict())


if __name__ == "__main__":
    main()
