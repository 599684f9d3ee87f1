"""Writing results for spreadsheets: CSV that cannot run formulas.

A complaint text that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
is read by Excel, LibreOffice and Google Sheets as a formula — a known injection route
(OWASP "CSV injection"). Everything complaintlab exports goes through :func:`neutralize`,
which prefixes such text cells with an apostrophe; numbers are left alone.
"""

from __future__ import annotations

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value):
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Examples
    --------
    >>> neutralize_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize_cell("-5 stars"), neutralize_cell(-5)
    ("'-5 stars", -5)
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe to open in a spreadsheet.

    Examples
    --------
    >>> neutralize(pd.DataFrame({"text": ["@support fix it", "fine"], "n": [-1, 2]}))
                   text  n
    0  '@support fix it -1
    1              fine  2
    """
    out = frame.copy()
    out.columns = [neutralize_cell(c) for c in out.columns]
    for position in range(out.shape[1]):  # by position: column names may repeat
        values = out.iloc[:, position]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out.isetitem(position, values.map(neutralize_cell, na_action="ignore"))
    return out
