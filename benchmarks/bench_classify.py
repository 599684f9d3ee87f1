"""Speed and memory of :func:`complaintlab.taxonomy.classify` on 10,000 texts.

Run: ``.venv/bin/python benchmarks/bench_classify.py [N]``. Uses the real public data
samples when ``COMPLAINTLAB_DATA`` points at them (complaints, tweets, reviews and comments in
the six languages), otherwise the bundled complaints repeated to N texts. Reports the one-off
training of the default model separately from classifying, and the peak memory of the
classify call (tracemalloc, in a second run). Target: 10,000 texts in seconds, not minutes.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import pandas as pd
from bench_text import REAL_SAMPLES  # the benchmarks folder is the script's path

from complaintlab.config import data_dir
from complaintlab.corpus import load_complaints
from complaintlab.taxonomy import classify, default_model

# the real samples of the text benchmark, plus English consumer complaints (CFPB)
_REAL = [("cfpb_complaints/cfpb_complaints_2015_2020_sample.csv", "Consumer complaint narrative"),
         *REAL_SAMPLES]


def corpus(n: int) -> list[str]:
    root = data_dir()
    texts: list[str] = []
    if root is not None:
        for path, column in _REAL:
            if (root / path).exists():
                frame = pd.read_csv(root / path, dtype=str, nrows=5000)
                if column in frame.columns:
                    texts += frame[column].dropna().tolist()
    if not texts:
        texts = load_complaints()["text"].tolist()
    return (texts * (n // len(texts) + 1))[:n]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    texts = corpus(n)
    print(f"{len(texts):,} texts, {sum(map(len, texts)) / len(texts):.0f} characters on average")
    start = time.perf_counter()
    default_model()
    print(f"train default model  {time.perf_counter() - start:6.2f} s (once per session)")
    start = time.perf_counter()
    out = classify(pd.Series(texts))
    seconds = time.perf_counter() - start
    print(f"classify             {seconds:6.2f} s  ({len(texts) / seconds:,.0f} texts/s)")
    tracemalloc.start()  # a second, traced run: tracing slows Python down several times
    classify(pd.Series(texts))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"peak memory          {peak:6.0f} MiB (Python allocations during classify)")
    print("languages:", out["lang"].value_counts().sort_index().to_dict())


if __name__ == "__main__":
    main()
