"""Throughput of the text layer: texts per second for normalize, detect_language, tokenize.

Run: ``.venv/bin/python benchmarks/bench_text.py [N]``. Uses the real public data samples
when ``COMPLAINTLAB_DATA`` points at them (a mix of all six languages), otherwise the
project's own language-identification sentences, repeated to N texts. Timings are
machine-dependent, so they live here and not in the unit tests.
"""

from __future__ import annotations

import sys
import time

import pandas as pd

from complaintlab.config import data_dir
from complaintlab.datasets import load_langid_sentences
from complaintlab.text import detect_languages, normalize, tokenize

REAL_SAMPLES = [
    ("arabic_arsarcasm/arsarcasm_tweets_sample3000.csv", "tweet"),
    ("persian_digikala_food_reviews/parsinlu_digikala_food_reviews.csv", "review"),
    ("hebrew_sentiment/hebrew_facebook_comments_sample3000.csv", "text"),
    ("xed_emotion_bg_ru/xed_subtitles_bg_ru.csv", "text"),
    ("twcs_customer_support/twcs_first5000.csv", "text"),
]


def corpus(n: int) -> list[str]:
    root = data_dir()
    if root is None:
        texts = load_langid_sentences()["text"].tolist()
    else:
        texts = [t for path, col in REAL_SAMPLES for t in pd.read_csv(root / path)[col].dropna()]
    return (texts * (n // len(texts) + 1))[:n]


def timed(label: str, func, texts: list[str]) -> None:
    start = time.perf_counter()
    func(texts)
    seconds = time.perf_counter() - start
    print(f"{label:<16} {len(texts) / seconds:>10,.0f} texts/s  ({seconds:.2f} s)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    texts = corpus(n)
    print(f"{len(texts):,} texts, {sum(map(len, texts)) / len(texts):.0f} characters on average")
    timed("detect_languages", detect_languages, texts)  # first call also loads the word lists
    timed("detect (warm)", detect_languages, texts)
    timed("normalize", lambda ts: [normalize(t) for t in ts], texts)
    timed("tokenize", lambda ts: [tokenize(t) for t in ts], texts)


if __name__ == "__main__":
    main()
