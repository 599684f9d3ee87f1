"""Exceptions shared by complaintlab's loaders and validators."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DatasetError", "OverlapError", "check_frame"]


class DatasetError(ValueError):
    """A data file or table that cannot be used as it is, with every problem listed.

    ``problems`` holds one line per problem (row, column, value); the message shows the first
    20 and counts the rest.

    Examples
    --------
    >>> err = DatasetError("x.csv", ["data row 3, column 'lang': 'xx'"])
    >>> print(err)
    x.csv: 1 problem
      - data row 3, column 'lang': 'xx'
    """

    def __init__(self, source: str, problems: list[str], shown: int = 20):
        self.source = source
        self.problems = list(problems)
        lines = [f"  - {p}" for p in self.problems[:shown]]
        if len(self.problems) > shown:
            lines.append(f"  ... and {len(self.problems) - shown} more")
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *lines]))


class OverlapError(ValueError):
    """The treated and untreated groups share too few comparable rows to estimate an effect.

    Raised when, given the covariates, most rows have a propensity near 0 or 1 (or the
    covariates separate the groups perfectly): no adjustment can compare like with like.
    """


def check_frame(df, columns, *, complete=(), finite=(), source: str = "df") -> None:
    """Check that ``df`` is a non-empty DataFrame with ``columns``, and that the columns in
    ``complete`` have no missing values and the numeric ones in ``finite`` no infinities.

    Every problem is named in one :class:`DatasetError` (column, count, first row labels), so
    an analysis never drops rows silently or fails deep inside a library.

    Examples
    --------
    >>> frame = pd.DataFrame({"channel": ["chat", None], "hours": [1.0, float("inf")]})
    >>> check_frame(frame, ["channel", "hours"], complete=["channel"], finite=["hours"])
    Traceback (most recent call last):
    ...
    complaintlab.errors.DatasetError: df: 2 problems
      - column 'channel': 1 missing value(s), first at row(s) [1]
      - column 'hours': 1 infinite value(s), first at row(s) [1]
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame; got {type(df).__name__}")
    columns = [c for c in dict.fromkeys(columns) if c is not None]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DatasetError(source, [f"missing column {c!r}" for c in missing]
                           + [f"columns present: {list(df.columns)}"])  # fmt: skip
    if df.empty:
        raise DatasetError(source, ["the table has no rows"])
    problems = []
    for c in dict.fromkeys(complete):
        holes = df[c].isna().to_numpy()
        if holes.any():
            problems.append(f"column {c!r}: {int(holes.sum())} missing value(s), first at "
                            f"row(s) {df.index[holes][:5].tolist()}")  # fmt: skip
    for c in dict.fromkeys(finite):
        col = df[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            values = col.to_numpy(dtype=float, na_value=np.nan)
            bad = np.isinf(values)
            if bad.any():
                problems.append(f"column {c!r}: {int(bad.sum())} infinite value(s), first at "
                                f"row(s) {df.index[bad][:5].tolist()}")  # fmt: skip
    if problems:
        raise DatasetError(source, problems)
