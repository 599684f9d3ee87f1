"""The corpora we wrote ourselves, in the repository's ``datasets/`` folder.

For now: the language-identification test sentences, and (re-exported from
:mod:`complaintlab.public_data`) the loaders for the CFPB and TWCS public formats. The
complaint, response and annotation corpora and their loaders arrive with the data issue.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from complaintlab.errors import DatasetError
from complaintlab.public_data import load_cfpb, load_twcs
from complaintlab.reading import LoadReport, read_complaints

__all__ = [
    "DATASETS_DIR",
    "DatasetError",
    "LoadReport",
    "load_cfpb",
    "load_langid_sentences",
    "load_twcs",
    "read_complaints",
]

#: The folder that holds the project's own corpora.
DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
_LANGID_COLUMNS = ["lang", "kind", "text"]


def load_langid_sentences(path: str | Path | None = None) -> pd.DataFrame:
    """Load the language-identification test sentences (``datasets/langid_sentences.tsv``).

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
    path = Path(path) if path is not None else DATASETS_DIR / "langid_sentences.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != _LANGID_COLUMNS:
            raise ValueError(f"{path.name}: header must be {_LANGID_COLUMNS}, got {header}")
        rows = []
        for line_number, row in enumerate(reader, start=2):
            if len(row) != 3:
                raise ValueError(
                    f"{path.name}, line {line_number}: expected 3 fields, got {len(row)}"
                )
            rows.append(row)
    return pd.DataFrame(rows, columns=_LANGID_COLUMNS)
