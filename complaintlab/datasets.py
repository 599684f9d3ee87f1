"""One front door to every data set of the course.

- Our own corpora (the repository's ``datasets/`` folder, installed with the package):
  :func:`load_complaints`, :func:`load_responses`, :func:`load_annotations`,
  :func:`load_langid_sentences`, checked against ``datapackage.json`` by :func:`validate`.
- A researcher's own export: :func:`read_complaints` (CSV, JSON Lines, Excel).
- Real public formats: :func:`load_cfpb` (CFPB Consumer Complaint Database) and
  :func:`load_twcs` (Customer Support on Twitter).
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import pandas as pd

from complaintlab.corpus import (
    CATEGORIES,
    COMPLAINANT_TYPES,
    LANGS,
    SEVERITIES,
    TONE_FEATURES,
    agreement,
    count_tables,
    label_association,
    load_annotations,
    load_complaints,
    load_responses,
)
from complaintlab.errors import DatasetError
from complaintlab.public_data import iter_cfpb, load_cfpb, load_parsinlu_reviews, load_twcs
from complaintlab.reading import LoadReport, read_complaints
from complaintlab.schema import validate

__all__ = [
    "CATEGORIES",
    "COMPLAINANT_TYPES",
    "LANGS",
    "REAL_LANGID_SAMPLES",
    "SEVERITIES",
    "TONE_FEATURES",
    "DatasetError",
    "LoadReport",
    "agreement",
    "count_tables",
    "iter_cfpb",
    "label_association",
    "load_annotations",
    "load_cfpb",
    "load_complaints",
    "load_langid_sentences",
    "load_parsinlu_reviews",
    "load_responses",
    "load_twcs",
    "read_complaints",
    "real_data_langid_accuracy",
    "validate",
]

_LANGID_COLUMNS = ["lang", "kind", "text"]


def load_langid_sentences(path: str | Path | None = None) -> pd.DataFrame:
    """Load the language-identification test sentences (``datasets/langid_sentences.tsv``).

    By default the copy installed with the package is read; ``path`` reads another file in the
    same format.

    Returns a DataFrame with columns ``lang`` (expected answer: he ar fa ru bg en or und),
    ``kind`` (complaint, reply, chat, brand, emoji, pair, other) and ``text``, one row per
    line of the file, in file order. Raises ``ValueError`` naming the line of any row that
    does not have exactly three fields, and naming missing columns.

    Examples
    --------
    >>> frame = load_langid_sentences()
    >>> list(frame.columns)
    ['lang', 'kind', 'text']
    """
    if path is None:
        ref = resources.files("complaintlab._datasets").joinpath("langid_sentences.tsv")
        name, text = "langid_sentences.tsv", ref.read_text(encoding="utf-8")
    else:
        name, text = Path(path).name, Path(path).read_text(encoding="utf-8")
    with io.StringIO(text, newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != _LANGID_COLUMNS:
            raise ValueError(f"{name}: header must be {_LANGID_COLUMNS}, got {header}")
        rows = []
        for line_number, row in enumerate(reader, start=2):
            if len(row) != 3:
                raise ValueError(
                    f"{name}, line {line_number}: expected 3 fields, got {len(row)}"
                )
            rows.append(row)
    return pd.DataFrame(rows, columns=_LANGID_COLUMNS)


#: Real public samples with a known language: (data set folder, file, text column, language);
#: language ``None`` means the file has its own ``lang`` column.
REAL_LANGID_SAMPLES = (
    ("arabic_arsarcasm", "arsarcasm_tweets_sample3000.csv", "tweet", "ar"),
    ("persian_digikala_food_reviews", "parsinlu_digikala_food_reviews.csv", "review", "fa"),
    ("hebrew_sentiment", "hebrew_facebook_comments_sample3000.csv", "text", "he"),
    ("cfpb_complaints", "cfpb_complaints_2015_2020_sample.csv",
     "Consumer complaint narrative", "en"),
    ("xed_emotion_bg_ru", "xed_subtitles_bg_ru.csv", "text", None),
)  # fmt: skip


def real_data_langid_accuracy(min_chars: int = 20) -> pd.DataFrame:
    """Accuracy of :func:`complaintlab.text.detect_languages` on the real public samples.

    Texts shorter than ``min_chars`` characters (and empty ones) are left out. Returns one row
    per data set: ``data set``, ``lang``, ``texts``, ``accuracy``. Needs the real data
    (``COMPLAINTLAB_DATA``); raises :class:`~complaintlab.config.DataNotFoundError` without it.
    """
    from complaintlab.config import require_data
    from complaintlab.text import detect_languages

    rows = []
    for folder, file, column, lang in REAL_LANGID_SAMPLES:
        frame = pd.read_csv(require_data(folder) / file).dropna(subset=[column])
        frame = frame[frame[column].str.len() >= min_chars]
        expected = frame["lang"] if lang is None else lang
        accuracy = float((detect_languages(frame[column]) == expected).mean())
        rows.append((folder, lang or "bg+ru", len(frame), round(accuracy, 4)))
    return pd.DataFrame(rows, columns=["data set", "lang", "texts", "accuracy"])
