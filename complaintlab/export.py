"""Writing results for spreadsheets: CSV that cannot run formulas.

A complaint text that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
is read by Excel, LibreOffice and Google Sheets as a formula — a known injection route
(OWASP "CSV injection"). Everything complaintlab writes as CSV or TSV goes through this
module — :func:`to_csv`, :meth:`complaintlab.widgets.AnnotationGame.to_csv`,
:func:`complaintlab.io.score_file` and its rejects file, the ``complaintlab classify`` /
``tone`` commands — and by default such text cells (and column names) get a leading
apostrophe, which spreadsheets show as text. ``neutralize=False`` (``--no-neutralize`` on the
command line) writes them as they are.

What is left alone: numbers (int, float, bool columns, and numbers inside a text column), and
text that is a plain negative number such as ``-5`` or ``-0.25e3`` — a spreadsheet reads that
as the number it is, not as a formula, so a column of numbers read from a CSV as text keeps
its values. Anything else after the ``-`` (``-5 stars``, ``-2+3``) is prefixed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["TRIGGERS", "formula_mask", "neutralize", "neutralize_cell", "neutralize_frame",
           "restore", "to_csv"]  # fmt: skip

#: First characters that make a spreadsheet read a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_START = "^[=+@\t\r-]"  # TRIGGERS as a regular expression (for Arrow's RE2 and for pandas)
# a plain negative number: a spreadsheet reads it as that number (ASCII digits only: "-٥" is
# not a number to a spreadsheet)
_NUMBER = r"-(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(_NUMBER)
_ADDED = "^'(?=[=+@\t\r-])"  # the apostrophe neutralize_cell puts before a formula


def neutralize_cell(value):
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed,
    unless it is a plain negative number (``"-5"``); anything that is not text is returned
    unchanged.

    Examples
    --------
    >>> neutralize_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize_cell("-5 stars"), neutralize_cell("-5"), neutralize_cell(-5)
    ("'-5 stars", '-5', -5)
    """
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def formula_mask(values: pd.Series) -> np.ndarray | None:
    """Which cells of ``values`` :func:`neutralize_cell` would change, as a boolean array.

    ``None`` for a column that cannot hold text (numbers, booleans, dates). Vectorised: a
    column of millions of cells is checked without a Python loop per cell.

    Examples
    --------
    >>> formula_mask(pd.Series(["=1+1", "ok", None, "-5", "-5+1"])).tolist()
    [True, False, False, False, True]
    >>> formula_mask(pd.Series([-5, 3])) is None
    True
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if not pd.api.types.is_string_dtype(values.dtype):  # numbers, booleans: never formulas
        return None
    array = _arrow_text(values)
    if array is not None:  # vectorised in Arrow
        import pyarrow.compute as pc

        found = pc.fill_null(pc.match_substring_regex(array, _START), False)
        if not pc.any(found).as_py():
            return np.zeros(len(values), dtype=bool)
        hits = found.to_numpy(zero_copy_only=False).copy()
        where = np.flatnonzero(hits)  # only the few candidates are checked for a number
        numbers = pc.match_substring_regex(array.take(where), f"^{_NUMBER}$")
        hits[where[pc.fill_null(numbers, False).to_numpy(zero_copy_only=False)]] = False
        return hits
    try:
        found = values.astype(object).str.match(_START)
    except AttributeError:  # an object column with no text in it
        return None
    hits = found.fillna(False).to_numpy(dtype=bool).copy()
    where = np.flatnonzero(hits)
    numbers = values.iloc[where].astype(object).str.fullmatch(_NUMBER)
    hits[where[numbers.fillna(False).to_numpy(dtype=bool)]] = False
    return hits


def _arrow_text(values: pd.Series):
    """``values`` as an Arrow string array, or None (no pyarrow, or not all text)."""
    try:
        import pyarrow as pa

        array = pa.array(values, from_pandas=True)
    except (ImportError, ValueError, TypeError):  # no pyarrow; mixed types (Arrow* errors)
        return None
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array
    return None


def neutralize_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[object, np.ndarray]]]:
    """:func:`neutralize` and where it changed something.

    Returns ``(safe, changes)``: ``safe`` is the neutralised copy, ``changes`` a list of
    ``(column, positions)`` — the original column name and the 0-based row positions of its
    changed cells, with ``-1`` for the column name itself — one entry per column with a
    change, in column order.

    Examples
    --------
    >>> safe, changes = neutralize_frame(pd.DataFrame({"=a": ["x", "@y"], "b": ["+1", "z"]}))
    >>> [(column, rows.tolist()) for column, rows in changes]
    [('=a', [-1, 1]), ('b', [0])]
    """
    out = frame.copy()
    names = list(out.columns)  # iterating an Index twice may give new objects
    header = [neutralize_cell(c) for c in names]
    renamed = [new is not old for new, old in zip(header, names, strict=True)]
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = out.columns.set_levels([level.map(neutralize_cell)
                                              for level in out.columns.levels])  # fmt: skip
    else:
        out.columns = header
    out.index = _safe_index(out.index)
    changes = []
    for position in range(out.shape[1]):  # by position: column names may repeat
        values = out.iloc[:, position]
        hits = formula_mask(values)
        rows = np.flatnonzero(hits) if hits is not None else np.empty(0, dtype=np.int64)
        if len(rows):
            if isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype(object)
            out.isetitem(position, values.where(~hits, "'" + values.where(hits, "")))
        if renamed[position] or len(rows):
            marks = np.concatenate([[-1] if renamed[position] else [], rows]).astype(np.int64)
            changes.append((frame.columns[position], marks))
    return out, changes


def _safe_index(index: pd.Index) -> pd.Index:
    """The row labels (written by ``to_csv`` unless ``index=False``), neutralised."""
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_safe_index(level) for level in index.levels])
    hits = formula_mask(pd.Series(index, dtype=index.dtype))
    if hits is None or not hits.any():
        return index
    return pd.Index([neutralize_cell(v) for v in index], name=neutralize_cell(index.name))


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe to open in a spreadsheet.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'`` (plain negative numbers such as ``"-5"`` excepted); numbers are left alone, and the
    input is not changed.

    Examples
    --------
    >>> neutralize(pd.DataFrame({"text": ["@support fix it", "fine"], "n": [-1, 2]}))
                   text  n
    0  '@support fix it -1
    1              fine  2
    """
    return neutralize_frame(frame)[0]


def to_csv(frame: pd.DataFrame, path_or_buf=None, *, neutralize: bool = True, **options):
    """``frame.to_csv(path_or_buf, **options)``, with formulas neutralised by default.

    ``neutralize=True`` (the default) writes :func:`neutralize` of ``frame`` — text cells,
    column names, row labels and a ``header=`` list of names; ``neutralize=False`` writes
    ``frame`` as it is. ``index`` defaults to ``False``, ``encoding`` to UTF-8 and
    ``lineterminator`` to CR LF (RFC 4180: a text holding a carriage return is then quoted,
    so its row stays whole when read back); the other ``options`` are those of
    :meth:`pandas.DataFrame.to_csv` (``sep="\\t"`` for TSV). Returns the text when
    ``path_or_buf`` is None, like pandas. :func:`restore` undoes the neutralising after
    reading the file back.

    Examples
    --------
    >>> to_csv(pd.DataFrame({"text": ["=1+1", "ok"], "n": [-5, 2]}))
    "text,n\\r\\n'=1+1,-5\\r\\nok,2\\r\\n"
    >>> to_csv(pd.DataFrame({"text": ["=1+1"]}), neutralize=False)
    'text\\r\\n=1+1\\r\\n'
    """
    options.setdefault("index", False)
    options.setdefault("encoding", "utf-8")
    options.setdefault("lineterminator", "\r\n")
    if neutralize:
        frame = neutralize_frame(frame)[0]
        header = options.get("header")
        if isinstance(header, (list, tuple)):
            options["header"] = [neutralize_cell(name) for name in header]
        if isinstance(options.get("index_label"), str):
            options["index_label"] = neutralize_cell(options["index_label"])
    return frame.to_csv(path_or_buf, **options)


def restore(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` read back from a neutralised CSV, with the added apostrophes taken off.

    The inverse of :func:`neutralize` for text cells and column names: a leading ``'``
    followed by ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is removed (text that
    really began with such an apostrophe cannot be told apart and loses it too).

    Examples
    --------
    >>> back = restore(pd.DataFrame({"'=a": ["'=1+1", "'it's", "ok"], "n": [-5, 1, 2]}))
    >>> list(back.columns), back["=a"].tolist(), back["n"].tolist()
    (['=a', 'n'], ['=1+1', "'it's", 'ok'], [-5, 1, 2])
    """
    out = frame.copy()
    out.columns = [re.sub(_ADDED, "", c) if isinstance(c, str) else c for c in out.columns]
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if formula_mask(values) is None:  # not a text column
            continue
        text = values.astype(object)
        found = text.str.match(_ADDED).fillna(False).to_numpy(dtype=bool)
        if found.any():
            out.isetitem(position, text.where(~found, text.str.slice(1)))
    return out
