"""Score a whole file — CSV, TSV, JSON Lines or Parquet — a chunk at a time, keeping every row.

:func:`score_file` reads ``chunksize`` rows at a time, runs :func:`complaintlab.tone.score`
(``task="tone"``) or :func:`complaintlab.taxonomy.classify` (``task="classify"``) on the text
column, and writes each chunk's rows with the added columns as soon as they are scored, so a
file of any size is never held in memory: the rows in memory are bounded by the chunk size,
and the scorers' caches of words seen start afresh past
:data:`complaintlab._fastcues.MAX_TOKENS` distinct tokens (measured peaks are in
``benchmarks/RESULTS.md``). The ``complaintlab tone`` and
``complaintlab classify`` commands are this function.

Bad input never stops the run and is never dropped silently. Each bad row is named by its
data row (1-based, the header is not counted) and, for text formats, its physical line:

- **rejected** — a CSV record with more or fewer fields than the header (a "ragged" row), a
  record the CSV reader cannot parse (among them a field over :data:`FIELD_LIMIT`
  characters: an unclosed quotation mark would otherwise swallow the rest of the file into
  one field), or a JSON Lines line that is not a JSON object. It is
  not in the output (its fields cannot be matched to the columns); it is written, with its
  row, line and reason, to the rejects file (``dst`` + ``.rejected.csv`` unless ``rejects=``
  names another), so nothing is lost.
- **altered** — a row with bytes that are not valid in ``encoding``: it is decoded with each
  bad byte sequence replaced by U+FFFD (�), scored and written, and listed. Likewise a JSON
  Lines object with keys that the first chunk did not have (they fix the columns): written
  without those keys, and listed.
- an empty or missing text is no error: the row is written with ``lang="und"`` and counted.
- **neutralised** — in CSV / TSV output, a text cell (or column name) a spreadsheet would run as
  a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, other than a
  plain negative number such as ``-5``) is written with a leading ``'``
  (:mod:`complaintlab.export`). The row is written; the cells are counted, per column, and the
  first 1,000 listed in the report. This is no error (``strict`` ignores it); pass
  ``neutralize=False`` to write such cells as they are.

The returned :class:`ScoreReport` lists all of it. With ``strict=True``, any rejected or
altered row raises :class:`ScoreFileError` — *after* every good row has been written.
"""

from __future__ import annotations

import bisect
import codecs
import collections
import contextlib
import csv
import gzip
import io
import json
import os
import re
import sys
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from complaintlab.errors import DatasetError
from complaintlab.export import neutralize_cell, neutralize_frame

__all__ = ["TASKS", "ScoreFileError", "ScoreReport", "score_file"]

#: What each task adds to every row (before ``prefix``).
TASKS = {
    "tone": ("lang", "empathy", "apology", "non_apology", "bureaucratic", "blame", "next_steps",
             "unexplained_transfer", "explained_transfer", "negative_question", "open_offer",
             "closing_check", "gratitude", "tone_score"),
    "classify": ("lang", "category", "complainant_type", "severity", "confidence"),
}  # fmt: skip

# CSV rows end in CR LF (RFC 4180): then a text holding a bare CR is quoted too, which the
# csv module does not do when rows end in LF alone (the row would split when read back)
_EOL = "\r\n"
#: The longest CSV field :func:`score_file` reads, in characters (Python's csv module stops at
#: 131,072 by default, shorter than some real complaints with pasted correspondence).
FIELD_LIMIT = 1 << 24
_BLOCK = 1 << 20  # bytes decoded at a time
_SHOWN = 10  # bad rows named in a ScoreFileError
_LISTED = 1_000  # neutralised cells listed (all are counted)


@dataclass
class ScoreReport:
    """What :func:`score_file` did: rows read and written, and every bad row with its reason.

    ``rejected`` and ``altered`` hold ``(row, line, reason)``: ``row`` is the 1-based data row
    of the input, ``line`` its first physical line (``None`` for Parquet). Rejected rows are
    not in the output (they are in ``rejects_file`` when there is one); altered rows are, with
    the change the reason describes. ``empty_text`` counts rows with a missing or blank text,
    ``undetermined`` every row scored ``lang="und"`` (empty ones included).

    ``neutralized`` counts the text cells of the output that were written with a leading ``'``
    so that a spreadsheet does not run them as formulas (see :mod:`complaintlab.export`),
    ``neutralized_columns`` counts them per column, and ``neutralized_cells`` lists the first
    1,000 as ``(row, column)`` — ``row`` is the input's data row as above, ``0`` for the
    header (a column name that was neutralised). Neutralised cells are not problems: ``ok``
    and ``strict`` ignore them. Cells of the rejects file are neutralised too, not counted.

    ``blank_lines`` counts the blank lines of a CSV or JSON Lines input (a blank line holds no
    record, so it is no row: not scored, not written, not a problem), and
    ``blank_line_numbers`` lists the first 1,000.

    Examples
    --------
    >>> report = ScoreReport("in.csv", "out.csv", "tone", rows_read=3, rows_written=2,
    ...                      rejected=[(2, 3, "ragged row: 4 fields, the header has 3")])
    >>> report.ok
    False
    >>> print(report)
    in.csv -> out.csv (tone): 3 read, 2 written, 0 undetermined (0 empty), 1 rejected, 0 altered
      - row 2 (line 3): rejected: ragged row: 4 fields, the header has 3
    >>> report.neutralized, report.neutralized_cells = 1, [(1, "reply")]
    >>> report.neutralized_columns = {"reply": 1}
    >>> print(str(report).splitlines()[-1])
      1 text cell neutralised (a ' put before it): reply 1; row 1 (reply)
    """

    source: str
    destination: str
    task: str
    rows_read: int = 0
    rows_written: int = 0
    undetermined: int = 0
    empty_text: int = 0
    rejected: list[tuple[int, int | None, str]] = field(default_factory=list)
    altered: list[tuple[int, int | None, str]] = field(default_factory=list)
    rejects_file: str | None = None
    neutralized: int = 0
    neutralized_columns: dict[str, int] = field(default_factory=dict)
    neutralized_cells: list[tuple[int, str]] = field(default_factory=list)
    blank_lines: int = 0
    blank_line_numbers: list[int] = field(default_factory=list)

    def blank_line(self, line: int) -> None:
        """Count a blank line of a CSV or JSON Lines input: no row, but not lost silently."""
        self.blank_lines += 1
        if len(self.blank_line_numbers) < _LISTED:
            self.blank_line_numbers.append(line)

    @property
    def ok(self) -> bool:
        """True when no row was rejected or altered."""
        return not self.rejected and not self.altered

    def problems(self) -> list[str]:
        """Every rejected and altered row as one line, in row order."""
        rows = [(r, line, f"rejected: {why}") for r, line, why in self.rejected]
        rows += [(r, line, f"altered: {why}") for r, line, why in self.altered]
        return [f"row {r}{'' if line is None else f' (line {line})'}: {why}"
                for r, line, why in sorted(rows, key=lambda item: item[0])]  # fmt: skip

    def __str__(self) -> str:
        lines = [f"{self.source} -> {self.destination} ({self.task}): {self.rows_read} read, "
                 f"{self.rows_written} written, {self.undetermined} undetermined "
                 f"({self.empty_text} empty), {len(self.rejected)} rejected, "
                 f"{len(self.altered)} altered"]  # fmt: skip
        problems = self.problems()
        lines += [f"  - {p}" for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"  ... and {len(problems) - 20} more")
        if self.neutralized:
            lines.append("  " + self.neutralized_summary())
        if self.blank_lines:
            shown = ", ".join(map(str, self.blank_line_numbers[:5]))
            more = " ..." if self.blank_lines > 5 else ""
            s = "" if self.blank_lines == 1 else "s"
            lines.append(f"  {self.blank_lines} blank line{s} skipped (a blank line is no row): "
                         f"line{s} {shown}{more}")  # fmt: skip
        return "\n".join(lines)

    def neutralized_summary(self, shown: int = 5) -> str:
        """One line: how many cells were neutralised, per column, and the first ``shown``."""
        cells = "cell" if self.neutralized == 1 else "cells"
        columns = ", ".join(f"{c} {n}" for c, n in self.neutralized_columns.items())
        first = ", ".join(f"{'header' if r == 0 else f'row {r}'} ({c})"
                          for r, c in self.neutralized_cells[:shown])  # fmt: skip
        more = " ..." if self.neutralized > shown else ""
        return (f"{self.neutralized} text {cells} neutralised (a ' put before it): {columns}; "
                f"{first}{more}")


class ScoreFileError(DatasetError):
    """Rows of the input were rejected or altered and ``strict=True`` was asked for.

    Raised after the output is complete: every good row is written. ``report`` is the
    :class:`ScoreReport`; the message names the first bad rows.
    """

    def __init__(self, report: ScoreReport):
        self.report = report
        super().__init__(report.source, report.problems(), shown=_SHOWN)
        note = f"{report.rows_written} good rows were written to {report.destination}"
        if report.rejects_file:
            note += f"; the rejected rows are in {report.rejects_file}"
        self.args = (f"{self.args[0]}\n{note}",)


def score_file(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    text_column: str,
    task: str = "tone",
    *,
    lang_column: str | None = None,
    columns: Sequence[str] | None = None,
    chunksize: int = 10_000,
    n_jobs: int = 1,
    progress: bool | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    sep: str | None = None,
    prefix: str = "",
    neutralize: bool = True,
    rejects: str | os.PathLike | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
) -> ScoreReport:
    """Score every row of a file, a chunk at a time, writing the result as it goes.

    Parameters
    ----------
    src, dst : path or "-"
        Input and output. The format comes from the suffix (or ``input_format`` /
        ``output_format``): input ``.csv``, ``.tsv``, ``.jsonl`` / ``.ndjson`` (each
        optionally ``.gz``, or a ``.zip`` holding one such file) or ``.parquet``; output
        ``.csv``, ``.tsv`` (optionally ``.gz``) or ``.parquet``. Other names are CSV.
        ``"-"`` is standard input / output (CSV).
    text_column : str
        The column holding the texts.
    task : {"tone", "classify"}
        ``"tone"`` adds ``lang``, the twelve tone features and ``tone_score``
        (:func:`complaintlab.tone.score`); ``"classify"`` adds ``lang``, ``category``,
        ``complainant_type``, ``severity`` and ``confidence``
        (:func:`complaintlab.taxonomy.classify`).
    lang_column : str, optional
        A column of language codes; missing or empty codes are detected.
    columns : list of str, optional
        The input columns to write (in this order), before the added ones; by default all.
    chunksize : int
        Rows read, scored and written at a time; memory use is bounded by it.
    n_jobs : int
        Processes the scorer uses per chunk (-1: every CPU); the output is the same.
    progress : bool, optional
        A progress bar on stderr; by default when stderr is a terminal.
    strict : bool
        Raise :class:`ScoreFileError` if any row was rejected or altered — after writing.
    encoding : str
        Of a text input; must be ASCII-compatible (UTF-8, cp1256, cp1251, cp1255, latin-1 …).
        A UTF-8 byte-order mark is skipped.
    sep : str, optional
        Field separator of a CSV input (default ``,``; tab for ``.tsv``).
    prefix : str
        Put before each added column's name, for an input that already has such a column.
    neutralize : bool
        In CSV / TSV output (and in the rejects file), prefix text cells and column names a
        spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
        a carriage return; plain negative numbers such as ``-5`` excepted) with ``'`` (see
        :mod:`complaintlab.export`); they are counted and listed in the report. Default
        True; ``False`` writes every cell as it is. Numeric columns are never changed.
    rejects : path, optional
        Where rejected records go (CSV: ``row``, ``line``, ``reason``, ``record`` — the
        record's fields joined by the separator, or the JSON line). Default ``dst`` +
        ``.rejected.csv``; none when ``dst`` is ``"-"``. The file exists after the run only
        if a row was rejected (a stale one is removed).

    Returns
    -------
    ScoreReport
        Rows read and written, rejected and altered rows with their reasons (see the module
        docstring for which is which).

    Raises
    ------
    DatasetError
        Before anything is written: a missing ``text_column`` / ``lang_column`` /
        ``columns`` entry (the available columns are listed), an added column the input
        already has (pass ``prefix``), an empty or unreadable input, or a file that is
        mostly not in ``encoding``.
    ScoreFileError
        With ``strict=True``, after writing, if any row was rejected or altered.

    The output is written to ``dst`` + ``.part`` and renamed when complete, so an
    interrupted run never leaves a truncated ``dst``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "replies.csv").write_text(
    ...     "id,reply\\n1,Sorry for the wait. I'll refund you today.\\n2,\\n3,x,y\\n")
    >>> report = score_file(folder / "replies.csv", folder / "scored.csv", "reply")
    >>> print(report.rows_written, report.empty_text, report.rejected)
    2 1 [(3, 4, 'ragged row: 3 fields, the header has 2')]
    >>> scored = pd.read_csv(folder / "scored.csv")
    >>> scored[["id", "lang", "apology", "next_steps"]].values.tolist()
    [[1, 'en', True, True], [2, 'und', False, False]]
    >>> pd.read_csv(folder / "scored.csv.rejected.csv").values.tolist()
    [[3, 4, 'ragged row: 3 fields, the header has 2', '3,x,y']]
    """
    label, names = _task(task)
    _check_positive(chunksize, "chunksize")
    from complaintlab.parallel import check_n_jobs, submit

    jobs = check_n_jobs(n_jobs, "score_file")
    if jobs > 1 and task == "classify":
        from complaintlab.taxonomy import default_model

        default_model()  # trained once here; the forked workers share it
    codec = _codec(encoding)
    src, dst = _path_or_dash(src), _path_or_dash(dst)
    in_format, compression = _format(src, input_format, "input_format")
    out_format, out_compression = _format(dst, output_format, "output_format")
    if out_format == "jsonl":
        raise ValueError("The 'output_format' parameter of score_file must be 'csv', 'tsv' or "
                         f"'parquet'. Got {output_format or dst!r} instead.")  # fmt: skip
    if (src == "-" and in_format == "parquet") or (dst == "-" and out_format == "parquet"):
        raise ValueError("'-' (standard input or output) is CSV only, not Parquet")
    sep = _separator(sep, in_format)
    if src != "-" and not Path(src).is_file():
        raise FileNotFoundError(2, "no such file", src)
    if dst != "-" and not Path(dst).absolute().parent.is_dir():
        raise FileNotFoundError(2, "no such folder for the output", dst)
    if isinstance(columns, str):
        columns = [columns]
    added = [prefix + name for name in names]
    source = "standard input" if src == "-" else Path(src).name
    rejects_path = (None if rejects is None and dst == "-"
                    else os.fspath(rejects) if rejects is not None else dst + ".rejected.csv")
    report = ScoreReport(str(src), "standard output" if dst == "-" else dst, task,
                         rejects_file=None)  # fmt: skip
    plan: dict[str, list[str]] = {}

    def choose(available: list[str]) -> list[str]:
        plan["out"], read = _plan(available, text_column, lang_column, columns, added, source)
        return read

    sink = _Rejects(rejects_path, neutralize)
    writer = None
    bar = _progress_bar(progress, task)
    try:
        with contextlib.ExitStack() as stack:
            if in_format == "parquet":
                chunks = _parquet_chunks(src, chunksize, choose, report)
            else:
                stream = stack.enter_context(_open_input(src, compression, source))
                reader = _jsonl_chunks if in_format == "jsonl" else _csv_chunks
                chunks = reader(stream, source, codec, sep, chunksize, choose, report, sink,
                                subset=columns is not None)  # fmt: skip
            def finish(frame: pd.DataFrame, texts: pd.Series, scored: pd.DataFrame) -> None:
                nonlocal writer
                _count(report, texts, scored)
                scored = scored[list(names)].set_axis(added, axis=1)
                result = pd.concat([frame[plan["out"]], scored], axis=1)
                if safe:
                    result, changes = neutralize_frame(result)
                    _note_neutralized(report, changes, header=writer is None)
                if writer is None:
                    writer = _writer(dst, out_format, out_compression)
                writer.write(result)
                done(len(result))

            def done(rows: int) -> None:
                sink.flush()
                report.rows_written += rows
                if bar is not None:
                    bar.n = report.rows_read
                    bar.refresh()

            def collect(item) -> None:
                nonlocal writer
                frame, texts, future = item
                if not rendered:
                    finish(frame, texts, future.result())
                    return
                empty, undetermined, rows, text, changes = future.result()
                report.empty_text += empty
                report.undetermined += undetermined
                _note_neutralized(report, changes, header=writer is None)
                if writer is None:
                    writer = _writer(dst, out_format, out_compression)
                writer.write_text(text)
                done(rows)

            # n_jobs > 1: whole chunks go to worker processes, a few ahead, while this
            # process reads the next ones and writes the finished ones in order; for CSV
            # output the workers also render the rows, so this process only copies text
            rendered = out_format in ("csv", "tsv")
            safe = rendered and neutralize  # Parquet is not opened by spreadsheets
            sep_out = "\t" if out_format == "tsv" else ","
            pending: collections.deque = collections.deque()
            for frame in chunks:
                texts, langs = _columns(frame, text_column, lang_column)
                if jobs == 1 or (report.rows_written == 0 and not pending):
                    # the first chunk is scored here: the workers, forked after it, start
                    # with its lexicons, compiled code and word caches already loaded
                    finish(frame, texts, label(texts, langs))
                    continue
                if rendered:  # each column crosses to the worker once
                    needed = list(dict.fromkeys([*plan["out"], text_column,
                                                 *([lang_column] if lang_column else [])]))
                    job = (_score_and_render, jobs, task, frame[needed], text_column,
                           lang_column, plan["out"], names, added, sep_out, safe,
                           not pending and writer is None)
                else:
                    job = (_score, jobs, task, texts, langs)
                pending.append((frame, texts, submit(*job)))
                if len(pending) > jobs:
                    collect(pending.popleft())
            while pending:
                collect(pending.popleft())
        writer.close()
        report.rejects_file = sink.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        sink.abort()
        raise
    finally:
        if bar is not None:
            bar.close()
    if strict and not report.ok:
        raise ScoreFileError(report)
    return report


# -- parameters ---------------------------------------------------------------------------


def _task(task: str) -> tuple[Callable, tuple[str, ...]]:
    if task == "tone":
        from complaintlab.tone import score

        return score, TASKS["tone"]
    if task == "classify":
        from complaintlab.taxonomy import classify

        return classify, TASKS["classify"]
    raise ValueError("The 'task' parameter of score_file must be one of {'tone', 'classify'}. "
                     f"Got {task!r} instead.")  # fmt: skip


def _check_positive(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"The '{name}' parameter of score_file must be a positive number of "
                         f"rows. Got {value!r} instead.")  # fmt: skip


def _codec(encoding: str) -> str:
    """The codec name for ``encoding``; refuses unknown and non-ASCII-compatible ones."""
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, TypeError) as exc:
        raise ValueError(f"The 'encoding' parameter of score_file is an unknown encoding: "
                         f"{encoding!r}. Try 'utf-8', 'cp1256', 'cp1251' or 'cp1255'.") from exc
    name = "utf-8" if name == "utf-8-sig" else name
    probe = "\n\r,;\t|\"'"
    try:
        compatible = probe.encode(name) == probe.encode("ascii")
    except (UnicodeError, LookupError):
        compatible = False
    if not compatible:
        raise ValueError(f"The 'encoding' parameter of score_file must be an ASCII-compatible "
                         f"encoding (UTF-8, cp1256, cp1251, cp1255 …). Got {encoding!r}; convert "
                         "the file to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8")  # fmt: skip
    return name


def _path_or_dash(path) -> str:
    return "-" if path == "-" else os.fspath(path)


def _format(path: str, given: str | None, parameter: str) -> tuple[str, str | None]:
    """(format, compression) of ``path``: from ``given`` if set, else from the suffix."""
    name = path.lower()
    compression = None
    for suffix, kind in ((".gz", "gzip"), (".zip", "zip")):
        if name.endswith(suffix):
            name, compression = name[: -len(suffix)], kind
    if given is not None:
        if given not in ("csv", "tsv", "jsonl", "parquet"):
            raise ValueError(f"The '{parameter}' parameter of score_file must be one of "
                             f"{{'csv', 'tsv', 'jsonl', 'parquet'}}. Got {given!r} instead.")
        found = given
    elif name.endswith((".tsv", ".tab")):
        found = "tsv"
    elif name.endswith((".jsonl", ".ndjson")):
        found = "jsonl"
    elif name.endswith((".parquet", ".pq")):
        found = "parquet"
    else:
        found = "csv"
    if found == "parquet" and compression is not None:
        raise ValueError(f"{path}: a Parquet file is compressed inside; do not gzip or zip it")
    if compression == "zip" and parameter == "output_format":
        raise ValueError(f"{path}: zip output is not written; use .gz")
    return found, compression


def _separator(sep: str | None, in_format: str) -> str:
    if sep is None:
        return "\t" if in_format == "tsv" else ","
    if not isinstance(sep, str) or len(sep) != 1 or sep in "\"\r\n":
        raise ValueError("The 'sep' parameter of score_file must be one character other than "
                         f"a quote or a newline. Got {sep!r} instead.")  # fmt: skip
    return sep


def _plan(available: list[str], text_column: str, lang_column: str | None,
          columns: Sequence[str] | None, added: list[str],
          source: str) -> tuple[list[str], list[str]]:  # fmt: skip
    """(columns written, columns read) for an input with ``available`` columns."""
    missing = [f"{name} {column!r}" for name, column in
               (("text_column", text_column), ("lang_column", lang_column))
               if column is not None and column not in available]  # fmt: skip
    if columns is not None:
        missing += [f"columns entry {c!r}" for c in columns if c not in available]
    if missing:
        verb = "is not a column" if len(missing) == 1 else "are not columns"
        hint = ""
        if len(available) == 1 and any(mark in available[0] for mark in ";\t|,"):
            hint = " (one column only: is the separator right? see sep)"
        named = ", ".join(missing[:-1]) + " and " * (len(missing) > 1) + missing[-1]
        raise DatasetError(source, [f"{named} {verb} of {source}; "
                                    f"its columns are {list(available)}{hint}"])  # fmt: skip
    out = list(available) if columns is None else list(dict.fromkeys(columns))
    clash = [c for c in added if c in out]
    if clash:
        raise DatasetError(source, [
            f"the input already has column(s) {clash}, which the scoring adds; pass a prefix "
            "for the added columns, e.g. prefix='predicted_' (--prefix predicted_ on the "
            "command line), or leave them out with columns="])  # fmt: skip
    read = list(dict.fromkeys([*out, text_column, *([lang_column] if lang_column else [])]))
    return out, read


def _progress_bar(progress: bool | None, task: str):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(desc=task, unit=" rows", unit_scale=True, file=sys.stderr)


# -- scoring ------------------------------------------------------------------------------


def _columns(frame: pd.DataFrame, text_column: str, lang_column: str | None):
    """The texts and languages of a chunk, as the scorers take them."""
    texts = _plain(frame[text_column])
    return texts, None if lang_column is None else _plain(frame[lang_column])


def _score(task: str, texts: pd.Series, langs: pd.Series | None) -> pd.DataFrame:
    """One chunk scored in one process (what a worker runs)."""
    return _task(task)[0](texts, langs)


def _score_and_render(task: str, frame: pd.DataFrame, text_column: str, lang_column,
                      out: list[str], names, added, sep: str, neutralize: bool,
                      header: bool) -> tuple[int, int, int, str, list]:
    """One chunk scored and written as CSV text, in a worker: (empty texts, undetermined,
    rows, text, neutralised cells as :func:`complaintlab.export.neutralize_frame` gives them)."""
    from complaintlab.text import UNDETERMINED

    texts, langs = _columns(frame, text_column, lang_column)
    scored = _score(task, texts, langs)
    result = pd.concat([frame[out], scored[list(names)].set_axis(added, axis=1)], axis=1)
    changes: list = []
    if neutralize:
        result, changes = neutralize_frame(result)
    text = result.to_csv(sep=sep, header=header, index=False, lineterminator=_EOL)
    return (_count_empty(texts), int((scored["lang"] == UNDETERMINED).sum()), len(result),
            text, changes)  # fmt: skip


def _note_neutralized(report: ScoreReport, changes: list, header: bool) -> None:
    """Count the neutralised cells of the chunk about to be written (``changes`` as
    :func:`complaintlab.export.neutralize_frame` gives them; the column names count once, with
    the first chunk) and list the first ones by input row."""
    room = max(0, _LISTED - len(report.neutralized_cells))
    cells = []
    for column, positions in changes:
        if not header:
            positions = positions[positions >= 0]
        if not len(positions):
            continue
        name = str(column)
        report.neutralized += len(positions)
        report.neutralized_columns[name] = report.neutralized_columns.get(name, 0) + len(positions)
        cells += [(int(p), name) for p in positions[:room]]
    if not cells:
        return
    order = {name: i for i, name in enumerate(dict.fromkeys(c for _, c in cells))}
    cells = sorted(cells, key=lambda cell: (cell[0], order[cell[1]]))[:room]
    rejected = [row for row, _, _ in report.rejected]  # in row order
    report.neutralized_cells += [(0 if p < 0 else _input_row(report.rows_written + p, rejected),
                                  name) for p, name in cells]  # fmt: skip


def _input_row(written: int, rejected: list[int]) -> int:
    """The input's data row (1-based) of the output's row ``written`` (0-based): the
    rejected rows (sorted) are not in the output."""
    row, skipped = written + 1, 0
    while True:
        before = bisect.bisect_right(rejected, row)
        if before == skipped:
            return row
        row, skipped = written + 1 + before, before


def _count(report: ScoreReport, texts: pd.Series, scored: pd.DataFrame) -> None:
    from complaintlab.text import UNDETERMINED

    report.empty_text += _count_empty(texts)
    report.undetermined += int((scored["lang"] == UNDETERMINED).sum())


def _count_empty(texts: pd.Series) -> int:
    """Texts that are missing, not text, or blank."""
    try:
        stripped = texts.str.strip()  # missing where a value is not text
    except AttributeError:  # no text at all in this chunk
        return len(texts)
    missing = stripped.isna().to_numpy(dtype=bool)
    return int((missing | stripped.eq("").fillna(False).to_numpy(dtype=bool)).sum())


def _plain(values: pd.Series) -> pd.Series:
    """Arrow-typed columns (from Parquet) as Python objects, for the scorers."""
    return values.astype(object) if isinstance(values.dtype, pd.ArrowDtype) else values


# -- reading ------------------------------------------------------------------------------


@contextlib.contextmanager
def _open_input(src: str, compression: str | None, source: str):
    if src == "-":
        yield sys.stdin.buffer
        return
    with contextlib.ExitStack() as stack:
        if compression == "gzip":
            handle = stack.enter_context(gzip.open(src, "rb"))
        elif compression == "zip":
            try:
                archive = stack.enter_context(zipfile.ZipFile(src))
            except zipfile.BadZipFile as exc:
                raise DatasetError(source, [f"not a readable zip file ({exc})"]) from exc
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise DatasetError(source, [f"a .zip input must hold exactly one file; this "
                                            f"one holds {len(members)}"])  # fmt: skip
            handle = stack.enter_context(archive.open(members[0]))
        else:
            handle = stack.enter_context(open(src, "rb"))
        yield handle


def _lines(stream, codec: str, source: str, bad: deque) -> Iterator[str]:
    """The decoded lines of ``stream`` (ending in ``\\n``).

    Decoded a block at a time; in a block that is not valid ``codec``, each line is decoded
    on its own and a bad one with U+FFFD replacements, its (line number, reason) appended to
    ``bad``.
    """
    rest = b""
    line = 1
    first = True
    while True:
        try:
            data = stream.read(_BLOCK)
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(source, [f"cannot read after line {line} ({exc})"]) from exc
        end = not data
        data = rest + data
        if first and b"\r" in data and b"\n" not in data:
            raise DatasetError(source, ["the lines end in CR alone (an old Mac export); "
                                        "convert the line ends to LF or CR LF first, e.g. "
                                        "tr '\\r' '\\n' < old.csv > new.csv"])  # fmt: skip
        cut = len(data) if end else data.rfind(b"\n") + 1
        if cut == 0 and not end:  # a line longer than a block: read on
            rest = data
            continue
        block, rest = data[:cut], data[cut:]
        if first and codec == "utf-8" and block.startswith(codecs.BOM_UTF8):
            block = block[len(codecs.BOM_UTF8):]
        first = False
        try:
            text = block.decode(codec)
        except UnicodeDecodeError:
            text = _decode_lines(block, codec, line, bad)
        yield from io.StringIO(text, newline="\n")
        line += block.count(b"\n")
        if end:
            return


def _decode_lines(block: bytes, codec: str, line: int, bad: deque) -> str:
    parts = block.split(b"\n")
    for i, raw in enumerate(parts):
        try:
            parts[i] = raw.decode(codec)
        except UnicodeDecodeError as exc:
            sample = raw[exc.start:exc.start + 6]
            bad.append((line + i, f"bytes not valid {codec} ({sample!r}…) were replaced by "
                                  "U+FFFD"))  # fmt: skip
            parts[i] = raw.decode(codec, "replace")
    return "\n".join(parts)


def _wrong_encoding(source: str, codec: str, reason_line: int) -> DatasetError:
    return DatasetError(source, [
        f"most rows are not valid {codec} (first at line {reason_line}); pass the file's "
        "encoding, e.g. encoding='cp1256', 'cp1251' or 'cp1255' (--encoding on the command "
        "line)"])  # fmt: skip


def _csv_chunks(stream, source: str, codec: str, sep: str, chunksize: int, choose, report,
                sink, subset: bool = False) -> Iterator[pd.DataFrame]:  # fmt: skip
    """Frames of at most ``chunksize`` good rows (strings), read with the csv module.

    The csv module gives the physical line of every record and lets a bad record be skipped
    without losing the rest; rows that need no attention take a short path.
    """
    bad: deque = deque()
    limit = csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    try:
        yield from _csv_records(stream, source, codec, sep, chunksize, choose, report, sink, bad)
    finally:  # the module's limit is global: put it back
        csv.field_size_limit(limit)


def _csv_records(stream, source: str, codec: str, sep: str, chunksize: int, choose, report,
                 sink, bad: deque) -> Iterator[pd.DataFrame]:  # fmt: skip
    """The body of :func:`_csv_chunks`, run with the field limit raised."""
    reader = csv.reader(_lines(stream, codec, source, bad), delimiter=sep)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise DatasetError(source, [f"the header row cannot be read ({exc})"]) from exc
    if header is None:
        raise DatasetError(source, ["the file is empty: expected a header row"])
    if bad and bad[0][0] <= reader.line_num:
        raise _wrong_encoding(source, codec, bad[0][0])
    header = _unique(header)
    width = len(header)
    wanted = choose(header)
    positions = [header.index(c) for c in wanted]
    rows: list[list[str]] = []
    append = rows.append
    undecodable: list[int] = []  # lines of bad-byte rows in the first chunk: wrong encoding?
    first = True

    def check(record: list[str], row: int, start: int, end: int) -> bool:
        """Report a ragged or undecodable row; False if it cannot be kept."""
        altered = None
        if bad and bad[0][0] <= end:
            altered = bad.popleft()[1]
            while bad and bad[0][0] <= end:
                bad.popleft()
            if first:
                undecodable.append(start)
        if len(record) != width:
            reason = f"ragged row: {len(record)} fields, the header has {width}"
            report.rejected.append((row, start, reason))
            sink.add(row, start, reason, _joined(record, sep))
            return False
        if altered:
            report.altered.append((row, start, altered))
        return True

    def chunk() -> pd.DataFrame:
        if first and len(undecodable) * 2 > row:
            raise _wrong_encoding(source, codec, undecodable[0])
        report.rows_read = row
        return pd.DataFrame({c: pd.Series([r[p] for r in rows], dtype=object)
                             for c, p in zip(wanted, positions, strict=True)})  # fmt: skip

    row = 0
    end = reader.line_num  # the last line read
    while True:
        try:
            for record in reader:
                if len(record) != width or (bad and bad[0][0] <= reader.line_num):
                    start, end = end + 1, reader.line_num
                    if not record:  # a blank line is not a row: counted, not kept
                        report.blank_line(start)
                        continue
                    row += 1
                    if not check(record, row, start, end):
                        continue
                else:
                    end = reader.line_num
                    row += 1
                append(record)
                if len(rows) >= chunksize:
                    yield chunk()
                    rows.clear()
                    first = False
            break
        except csv.Error as exc:  # the reader goes on with the next line
            start, end = end + 1, reader.line_num
            row += 1
            reason = f"cannot be read as CSV ({exc})"
            report.rejected.append((row, start, reason))
            sink.add(row, start, reason, f"(lines {start}-{end}, not kept)")
    if rows or first:
        yield chunk()
    report.rows_read = row


def _unique(header: list[str]) -> list[str]:
    """Repeated column names made unique as pandas does: ``a``, ``a.1``, ``a.2``."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        if name in seen:
            seen[name] += 1
            candidate = f"{name}.{seen[name]}"
            while candidate in seen:
                seen[name] += 1
                candidate = f"{name}.{seen[name]}"
            name = candidate
        seen.setdefault(name, 0)
        out.append(name)
    return out


def _joined(record: list[str], sep: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="").writerow(record)
    return buffer.getvalue()


def _jsonl_chunks(stream, source: str, codec: str, sep: str, chunksize: int, choose, report,
                  sink, subset: bool = False) -> Iterator[pd.DataFrame]:  # fmt: skip
    """Frames of at most ``chunksize`` JSON objects; the first chunk's keys are the columns.

    Values are written as text: strings as they are, ``null`` as an empty cell, anything else
    as its JSON (a JSON file has no fixed schema, so the output's column types stay stable).
    """
    bad: deque = deque()
    records: list[dict] = []
    wanted: list[str] | None = None
    header: set[str] = set()
    undecodable = []  # lines of undecodable rows, for telling a wrong encoding from a bad row
    row = 0

    def chunk() -> pd.DataFrame:
        return pd.DataFrame({c: [r.get(c, "") for r in records] for c in wanted}, dtype=object)

    def fix_columns() -> None:
        nonlocal wanted
        if len(undecodable) * 2 > row:
            raise _wrong_encoding(source, codec, undecodable[0])
        if not records:
            first_row, line, reason = report.rejected[0]
            raise DatasetError(source, [f"none of the first {row} rows is a JSON object (row "
                                        f"{first_row}, line {line}: {reason})"])  # fmt: skip
        names = list(dict.fromkeys(k for r in records for k in r))
        header.update(names)
        wanted = choose(names)

    for number, line in enumerate(_lines(stream, codec, source, bad), start=1):
        altered = None
        while bad and bad[0][0] <= number:
            at, why = bad.popleft()
            altered = why if at == number else altered
        if not line.strip():
            report.blank_line(number)
            continue
        row += 1
        if altered and wanted is None:
            undecodable.append(number)
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"not valid JSON ({exc.msg}, column {exc.colno})"
        else:
            reason = None if isinstance(value, dict) else "a JSON line must be an object"
        if reason:
            report.rejected.append((row, number, reason))
            sink.add(row, number, reason, line.rstrip("\r\n"))
            continue
        record = {_clean(str(k)): _clean(_json_text(v)) for k, v in value.items()}
        if altered is None and any(_LONE_SURROGATE.search(str(k)) or _LONE_SURROGATE.search(
                _json_text(v)) for k, v in value.items()):  # fmt: skip
            altered = "a \\u escape of half a character (a lone surrogate) became U+FFFD"
        if altered:
            report.altered.append((row, number, altered))
        if wanted is not None and not subset and not header.issuperset(record):
            extra = [k for k in record if k not in header]
            report.altered.append((row, number, f"keys {extra} are not columns of the first "
                                                f"chunk and were left out"))  # fmt: skip
        records.append(record)
        if len(records) >= chunksize:
            if wanted is None:
                fix_columns()
            report.rows_read = row
            yield chunk()
            records.clear()
    if wanted is None:
        if row == 0:
            raise DatasetError(source, ["the file has no JSON objects"])
        fix_columns()
    report.rows_read = row
    if records or not report.rows_written:
        yield chunk()


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """``text`` with lone surrogates (from JSON escapes such as "\\ud83d" alone), which no
    file encoding can store, replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _json_text(value) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _parquet_chunks(src: str, chunksize: int, choose, report) -> Iterator[pd.DataFrame]:
    """Record batches of a Parquet file, typed as in the file (Arrow dtypes)."""
    pq = _pyarrow_parquet()
    source = Path(src).name
    try:
        parquet = pq.ParquetFile(src)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError …
        raise DatasetError(source, [f"not a readable Parquet file ({exc})"]) from exc
    with parquet:
        wanted = choose(parquet.schema_arrow.names)
        empty = True
        for batch in parquet.iter_batches(batch_size=chunksize, columns=wanted):
            empty = False
            report.rows_read += batch.num_rows
            yield batch.to_pandas(types_mapper=pd.ArrowDtype)
        if empty:
            table = parquet.schema_arrow.empty_table().select(wanted)
            yield table.to_pandas(types_mapper=pd.ArrowDtype)


def _pyarrow_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is in the scale extra
        raise ImportError("Parquet needs pyarrow: pip install 'complaintlab[scale]'") from exc
    return pq


# -- writing ------------------------------------------------------------------------------


def _writer(dst: str, out_format: str, compression: str | None):
    if out_format == "parquet":
        return _ParquetWriter(dst)
    return _CsvWriter(dst, "\t" if out_format == "tsv" else ",", compression)


class _Output:
    """A file written as ``dst.part`` and renamed to ``dst`` when complete (or stdout)."""

    def __init__(self, dst: str):
        self.dst = dst
        self.part = None if dst == "-" else dst + ".part"

    def close(self) -> None:
        self._close()
        if self.part is not None:
            os.replace(self.part, self.dst)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._close()
        if self.part is not None:
            with contextlib.suppress(OSError):
                os.remove(self.part)

    def _close(self) -> None:
        raise NotImplementedError


class _CsvWriter(_Output):
    """CSV rows as given (:func:`score_file` neutralises them before, when asked)."""

    def __init__(self, dst: str, sep: str, compression: str | None):
        super().__init__(dst)
        self.sep, self.first = sep, True
        if self.part is None:
            self.handle = sys.stdout
        elif compression == "gzip":
            self.handle = gzip.open(self.part, "wt", encoding="utf-8", newline="")
        else:
            self.handle = open(self.part, "w", encoding="utf-8", newline="")

    def write(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self.handle, sep=self.sep, header=self.first, index=False,
                     lineterminator=_EOL)  # fmt: skip
        self.first = False

    def write_text(self, text: str) -> None:
        """Rows already rendered (by a worker) with the same settings as :meth:`write`."""
        self.handle.write(text)
        self.first = False

    def _close(self) -> None:
        if self.handle is sys.stdout:
            self.handle.flush()
        else:
            self.handle.close()


class _ParquetWriter(_Output):
    """Row groups of one schema: the first chunk's, with the added columns' types fixed."""

    def __init__(self, dst: str):
        super().__init__(dst)
        self.writer = None

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        columns = {name: _arrow_values(frame[name]) for name in frame.columns}
        if self.writer is None:
            self.schema = pa.schema([(name, _arrow_type(frame[name])) for name in frame.columns])
            self.writer = _pyarrow_parquet().ParquetWriter(self.part, self.schema)
        arrays = [pa.array(values, type=self.schema.field(name).type, from_pandas=True)
                  for name, values in columns.items()]  # fmt: skip
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _arrow_type(values: pd.Series):
    """The Arrow type a column is written with, from its dtype alone (so stable per chunk)."""
    import pyarrow as pa

    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return dtype.pyarrow_dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _arrow_type(pd.Series(dtype.categories))
    if pd.api.types.is_bool_dtype(dtype):
        return pa.bool_()
    if pd.api.types.is_integer_dtype(dtype):
        return pa.int64()
    if pd.api.types.is_float_dtype(dtype):
        return pa.float64()
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        return pa.string()
    return pa.Array.from_pandas(values.iloc[:0]).type


def _arrow_values(values: pd.Series):
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(object).where(values.notna(), None)
    return values


class _Rejects:
    """The rejects file: a CSV of rejected records, opened at the first one."""

    def __init__(self, path: str | None, neutralize: bool):
        self.path, self.neutralize = path, neutralize
        self.pending: list[list] = []
        self.handle = None
        self.count = 0

    def add(self, row: int, line: int | None, reason: str, record: str) -> None:
        if self.path is not None:
            self.pending.append([row, line, reason, record])

    def flush(self) -> None:
        if not self.pending:
            return
        if self.handle is None:
            self.handle = open(self.path, "w", encoding="utf-8", newline="")
            self.writer = csv.writer(self.handle, lineterminator=_EOL)
            self.writer.writerow(["row", "line", "reason", "record"])
        for item in self.pending:
            self.writer.writerow([neutralize_cell(v) for v in item] if self.neutralize else item)
        self.count += len(self.pending)
        self.pending.clear()

    def close(self) -> str | None:
        """Write what is left; the path if anything was rejected, else None (stale file gone)."""
        self.flush()
        if self.handle is not None:
            self.handle.close()
            return self.path
        if self.path is not None and os.path.exists(self.path):
            os.remove(self.path)
        return None

    def abort(self) -> None:
        if self.handle is not None:
            self.handle.close()
            with contextlib.suppress(OSError):
                os.remove(self.path)
