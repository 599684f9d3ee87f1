"""Exceptions shared by complaintlab's loaders and validators."""

from __future__ import annotations

__all__ = ["DatasetError", "OverlapError"]


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
