"""Score exports larger than memory with Dask: the same columns as the pandas path, per partition.

- :func:`score_dask` — add the columns of :func:`complaintlab.tone.score` or
  :func:`complaintlab.taxonomy.classify` to every partition of a Dask DataFrame (lazily);
- :func:`rates_by` — the share of each outcome value within groups, for a Dask or pandas
  DataFrame: the aggregation after scoring (timely responses, company responses ...).

Works on the local schedulers (threads, processes, synchronous) and on ``dask.distributed``:
each partition is scored by a module-level function, so workers only need complaintlab
installed. Needs the scale extra: ``pip install 'complaintlab[scale]'``. The recipe for the
full CFPB export is ``docs/scale.md``.
"""

from __future__ import annotations

import threading

import pandas as pd

from complaintlab.taxonomy import classify, default_model
from complaintlab.tone import score

__all__ = ["TASKS", "rates_by", "score_dask"]

#: What :func:`score_dask` can add: task name → the pandas function whose columns it adds.
TASKS = {"tone": score, "classify": classify}
_TRAINING = threading.Lock()  # threads of one worker train the classify model once, not each


def _dataframe():
    """``dask.dataframe``, or an ImportError that says how to install it."""
    try:
        import dask.dataframe
    except ImportError as exc:
        raise ImportError(
            "complaintlab.dask needs Dask; install it with pip install 'complaintlab[scale]'"
        ) from exc
    return dask.dataframe


def _score_partition(part: pd.DataFrame, text_column: str, task: str, lang_column: str | None,
                     prefix: str, strings: bool) -> pd.DataFrame:  # fmt: skip
    """One partition with the task's columns added after its own (same rows, same index).

    With ``strings``, text columns (``lang``) become ``string[pyarrow]``, as Dask does.
    """
    if task == "classify" and len(part):
        with _TRAINING:
            default_model()
    langs = None if lang_column is None else part[lang_column]
    added = TASKS[task](part[text_column], langs)
    if strings:
        added = _pyarrow_strings(added)
    added.columns = [prefix + name for name in added.columns]
    added.index = part.index
    return pd.concat([part, added], axis=1)


def _pyarrow_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its object and other string columns as ``string[pyarrow]``."""
    target = pd.StringDtype("pyarrow")
    text = [name for name, dtype in frame.dtypes.items()
            if pd.api.types.is_string_dtype(dtype) and dtype != target]  # fmt: skip
    return frame.astype(dict.fromkeys(text, target)) if text else frame


def _check_column(ddf, value, parameter: str) -> None:
    if value not in ddf.columns:
        raise ValueError(f"{parameter} {value!r} is not a column of ddf; "
                         f"columns are {list(ddf.columns)}")  # fmt: skip


def score_dask(ddf, text_column: str, task: str = "tone", *, lang_column: str | None = None,
               prefix: str = ""):  # fmt: skip
    """Add tone or taxonomy columns to every partition of a Dask DataFrame.

    ``task="tone"`` adds the columns of :func:`complaintlab.tone.score` (``lang``, the
    twelve boolean features, ``tone_score``); ``task="classify"`` those of
    :func:`complaintlab.taxonomy.classify` (``lang``, ``category``, ``complainant_type``,
    ``severity`` as categoricals, severity ordered 1-4, and ``confidence``). Each added name
    starts with ``prefix``. The texts are ``ddf[text_column]``; ``lang_column`` optionally
    names a column of language codes (otherwise each text's language is detected). Missing
    or empty texts get ``lang="und"``, as in the pandas functions.

    The result is lazy: every input row and column, in order, with the same index and
    partitions, then the added columns; its ``meta`` is exact, so nothing is computed until
    you ask. Row for row it equals the pandas function on the whole column; the one
    difference is Dask's own: while ``dataframe.convert-string`` is on (its default), the
    ``lang`` column is ``string[pyarrow]`` rather than ``object``, like the input's text
    columns, so the result writes to Parquet as it is. Each worker process trains the
    classify model once, on its first partition (a few seconds).

    Raises
    ------
    ValueError
        Before anything is computed: a column that is not in ``ddf`` (the available ones are
        listed), an unknown ``task``, or added names that ``ddf`` already has (use ``prefix``).
    ImportError
        Dask is not installed.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> frame = pd.DataFrame({"reply": ["I'm so sorry, that was our mistake.", None,
    ...                                 "As per clause 7, this is not refundable."]})
    >>> scored = score_dask(dd.from_pandas(frame, npartitions=2), "reply", prefix="tone_")
    >>> scored.compute()[["tone_lang", "tone_apology", "tone_bureaucratic"]]
      tone_lang  tone_apology  tone_bureaucratic
    0        en          True              False
    1       und         False              False
    2        en         False               True
    """
    dd = _dataframe()
    from dask.dataframe.utils import make_meta, pyarrow_strings_enabled

    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"score_dask expects a Dask DataFrame, got {type(ddf).__name__}; "
                        "for pandas use complaintlab.tone.score or taxonomy.classify, or "
                        "dask.dataframe.from_pandas(frame, npartitions=...)")  # fmt: skip
    if task not in TASKS:
        names = ", ".join(repr(name) for name in sorted(TASKS))
        raise ValueError(f"The 'task' parameter of score_dask must be one of {{{names}}}. "
                         f"Got {task!r} instead.")  # fmt: skip
    _check_column(ddf, text_column, "text_column")
    if lang_column is not None:
        _check_column(ddf, lang_column, "lang_column")
    empty = make_meta(ddf)
    strings = pyarrow_strings_enabled()
    meta = _score_partition(empty, text_column, task, lang_column, prefix, strings)
    added = meta.columns[len(empty.columns) :]
    clash = [name for name in added if name in empty.columns]
    if clash:
        raise ValueError(f"score_dask would add column(s) {clash} that ddf already has; pass "
                         f"a prefix, e.g. prefix={task + '_'!r}")  # fmt: skip
    return ddf.map_partitions(_score_partition, text_column, task, lang_column, prefix, strings,
                              meta=meta)  # fmt: skip


def _compute(*objects):
    """Compute Dask collections together (one pass over the data); pandas objects as they are."""
    if any(hasattr(o, "__dask_graph__") for o in objects):
        import dask

        return dask.compute(*objects)
    return objects


def rates_by(frame, by, outcomes) -> pd.DataFrame:
    """How often each value of each outcome column occurs within each group of ``by``.

    ``frame`` is a Dask or pandas DataFrame; ``by`` one column name or a list; ``outcomes``
    one column name or a list. Dask frames are computed here, all outcomes in one pass. The
    result is a small pandas table, one row per group, outcome and value: the ``by``
    columns, ``outcome`` (the column name), ``value``, ``count``, ``total`` (rows in the
    group) and ``share`` (``count / total``). Nothing is dropped: missing group keys and
    missing outcome values are groups and values of their own.

    Examples
    --------
    >>> frame = pd.DataFrame({"category": ["billing", "billing", "delivery", None],
    ...                       "timely": ["Yes", "No", "Yes", "Yes"]})
    >>> rates_by(frame, "category", "timely")
       category outcome value  count  total  share
    0   billing  timely    No      1      2    0.5
    1   billing  timely   Yes      1      2    0.5
    2  delivery  timely   Yes      1      1    1.0
    3       NaN  timely   Yes      1      1    1.0
    """
    by = [by] if isinstance(by, str) else list(by)
    outcomes = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    for name, parameter in [(b, "by") for b in by] + [(o, "outcomes") for o in outcomes]:
        if name not in frame.columns:
            raise ValueError(f"{parameter} column {name!r} is not a column of frame; "
                             f"columns are {list(frame.columns)}")  # fmt: skip
    if not outcomes or set(outcomes) & set(by):
        raise ValueError(f"outcomes must name at least one column not in by; got outcomes "
                         f"{outcomes} and by {by}")  # fmt: skip
    counts = _compute(*(frame.groupby([*by, o], dropna=False, observed=True).size()
                        for o in outcomes))  # fmt: skip
    tables = []
    for outcome, count in zip(outcomes, counts, strict=True):
        table = count.sort_index().rename("count").reset_index()
        table = table.rename(columns={outcome: "value"}).astype({"value": object})
        table.insert(len(by), "outcome", outcome)
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    out["total"] = out.groupby([*by, "outcome"], dropna=False, observed=True)["count"] \
        .transform("sum")  # fmt: skip
    out["share"] = out["count"] / out["total"]
    return out
