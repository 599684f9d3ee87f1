"""The ``complaintlab`` command line.

``complaintlab classify INPUT --text-column text [--lang-column lang] -o OUT`` labels every row
of a file of complaints, adding ``lang``, ``category``, ``complainant_type``, ``severity`` and
``confidence`` (see :func:`complaintlab.taxonomy.classify`).

``complaintlab tone INPUT --text-column text [--lang-column lang] -o OUT`` scores agent
replies, adding ``lang``, the twelve tone features and ``tone_score`` (see
:func:`complaintlab.tone.score`).

Both are :func:`complaintlab.io.score_file`: CSV, TSV, JSON Lines or Parquet in (``-`` reads
CSV from standard input), CSV, TSV or Parquet out (without ``-o``, CSV to standard output),
streamed in chunks so the file can be larger than memory. Every good row is written, in
order; rejected rows (a CSV row with the wrong number of fields, a line that is not JSON) go
to ``OUT.rejected.csv`` and are listed on stderr with altered ones (bytes not valid in the
encoding, replaced). Text cells (and column names) that a spreadsheet would run as formulas —
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, other than a plain negative
number such as ``-5`` — get a leading ``'`` in the output and the rejects file (see
:mod:`complaintlab.export`); how many, per column, and the first ones are listed on stderr.
``--no-neutralize`` writes them as they are. Numbers are never changed.

``complaintlab fetch cfpb --dest DIR`` downloads the full CFPB complaint export (see
:func:`complaintlab.fetch.fetch_cfpb`).

Exit status: 0 on success; 1 when ``--strict`` is given and a row was rejected or altered
(every good row is still written), or when a download fails; 2 for bad arguments or
unreadable input (the message says what and where).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from complaintlab.errors import DatasetError

__all__ = ["main"]

_SHOWN = 10  # bad rows listed on stderr


class CommandError(Exception):
    """A problem with the command's input, reported as one line on stderr (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="complaintlab", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what, described in (
        ("classify", "label complaints in a file", "Add lang, category, complainant_type, "
         "severity and confidence columns to every row of a file of complaints."),
        ("tone", "score the tone of agent replies in a file", "Add lang, the twelve tone "
         "features and tone_score to every row of a file of agent replies."),
    ):  # fmt: skip
        _arguments(commands.add_parser(name, help=what, description=described))
    fetch = commands.add_parser("fetch", help="download a public data set",
                                description="Download the full CFPB complaint export "
                                "(resumable, checksummed).")  # fmt: skip
    fetch.add_argument("dataset", choices=["cfpb"], help="the data set")
    fetch.add_argument("--dest", required=True, help="folder to download into")
    fetch.add_argument("--sha256", help="expected SHA-256 digest of the file")
    fetch.add_argument("--url", help="download from this address instead of CFPB's")
    fetch.add_argument("--timeout", type=float, default=60, help="seconds (default: 60)")
    fetch.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    return parser


def _arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("input", help="file to read (.csv, .tsv, .jsonl, .parquet, also .gz), "
                     "or - for CSV on standard input")  # fmt: skip
    run.add_argument("--text-column", required=True, help="column holding the text")
    run.add_argument("--lang-column", help="column holding language codes (else detected)")
    run.add_argument("-o", "--output", default="-",
                     help="file to write (.csv, .tsv, .parquet; default: CSV on stdout)")
    run.add_argument("--columns", help="input columns to keep, comma-separated (default: all)")
    run.add_argument("--encoding", default="utf-8",
                     help="input encoding, e.g. cp1256 or cp1251 (default: UTF-8)")  # fmt: skip
    run.add_argument("--sep", help="field separator of a CSV input (default: , or tab for .tsv)")
    run.add_argument("--chunksize", type=int, default=10_000,
                     help="rows per chunk (default: 10000)")  # fmt: skip
    run.add_argument("--n-jobs", type=int, default=1,
                     help="processes for the scoring, -1 for every CPU (default: 1)")
    run.add_argument("--prefix", default="",
                     help="prefix for the added columns if the input already has their names")
    run.add_argument("--rejects", help="file for rejected rows (default: OUTPUT.rejected.csv)")
    run.add_argument("--no-neutralize", dest="neutralize", action="store_false",
                     help="write text cells that start with =, +, -, @, tab or CR as they are "
                     "(default: put a ' before them, so spreadsheets do not run them as "
                     "formulas)")  # fmt: skip
    run.add_argument("--strict", action="store_true",
                     help="exit 1 if any row was rejected or altered (good rows still written)")
    run.add_argument("-q", "--quiet", "--no-progress", dest="quiet", action="store_true",
                     help="no progress bar on stderr")  # fmt: skip


def _score(args) -> tuple:
    """Run :func:`~complaintlab.io.score_file` for ``args``; (report, exit status)."""
    from complaintlab.io import score_file

    columns = None
    if args.columns is not None:
        columns = [c.strip() for c in args.columns.split(",") if c.strip()]
    try:
        report = score_file(
            args.input, args.output, args.text_column, args.command,
            lang_column=args.lang_column, columns=columns, chunksize=args.chunksize,
            n_jobs=args.n_jobs, progress=False if args.quiet else None, strict=False,
            encoding=args.encoding, sep=args.sep, prefix=args.prefix, rejects=args.rejects,
            neutralize=args.neutralize,
        )  # fmt: skip
    except FileNotFoundError as error:
        raise CommandError(f"{error.filename}: {error.strerror}") from error
    except (DatasetError, ValueError, ImportError) as error:
        raise CommandError(str(error)) from error
    except OSError as error:  # cannot write, disk full ...
        raise CommandError(f"{error.filename or args.output}: {error.strerror}") from error
    return report, 1 if args.strict and not report.ok else 0


def _tell(report, command: str) -> None:
    """The bad rows (the first few) and a summary line, on stderr."""
    for kind, rows, where in (
        ("rejected", report.rejected, f"not in the output; see {report.rejects_file}"
         if report.rejects_file else "not in the output"),
        ("altered", report.altered, "written, with the change named"),
    ):  # fmt: skip
        if not rows:
            continue
        print(f"complaintlab {command}: {len(rows)} rows {kind} ({where}):", file=sys.stderr)
        for row, line, reason in rows[:_SHOWN]:
            at = "" if line is None else f" (line {line})"
            print(f"  - row {row}{at}: {reason}", file=sys.stderr)
        if len(rows) > _SHOWN:
            print(f"  ... and {len(rows) - _SHOWN} more", file=sys.stderr)
    if report.neutralized:
        cells = "cell" if report.neutralized == 1 else "cells"
        columns = ", ".join(f"{c} {n}" for c, n in report.neutralized_columns.items())
        print(f"complaintlab {command}: {report.neutralized} text {cells} neutralised (written "
              f"with a ' before them so spreadsheets do not run them as formulas; "
              f"--no-neutralize writes them as they are): {columns}", file=sys.stderr)
        for row, column in report.neutralized_cells[:_SHOWN]:
            where = "the header" if row == 0 else f"row {row}"
            print(f"  - {where}: column {column!r}", file=sys.stderr)
        if report.neutralized > _SHOWN:
            print(f"  ... and {report.neutralized - _SHOWN} more", file=sys.stderr)
    if report.blank_lines:
        lines = ", ".join(map(str, report.blank_line_numbers[:_SHOWN]))
        more = " ..." if report.blank_lines > _SHOWN else ""
        print(f"complaintlab {command}: {report.blank_lines} blank line(s) skipped (a blank "
              f"line holds no row): {lines}{more}", file=sys.stderr)  # fmt: skip
    done = "classified" if command == "classify" else "scored"
    print(f"{done} {report.rows_written} rows ({report.undetermined} left undetermined, "
          f"{report.empty_text} of them with empty text) -> {report.destination}",
          file=sys.stderr)  # fmt: skip


def _fetch(args) -> int:
    from complaintlab.fetch import CFPB_URL, FetchError, fetch_cfpb

    try:
        path = fetch_cfpb(args.dest, url=args.url or CFPB_URL, sha256=args.sha256,
                          progress=False if args.quiet else None, timeout=args.timeout)
    except FetchError as error:
        print(f"complaintlab fetch: error: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("id,body\\n1,WHERE IS MY REFUND???\\n2,\\n")
    >>> main(["classify", str(folder / "in.csv"), "--text-column", "body",
    ...       "-o", str(folder / "out.csv"), "--quiet"])
    0
    >>> pd.read_csv(folder / "out.csv")[["id", "lang"]].values.tolist()
    [[1, 'en'], [2, 'und']]
    """
    args = _parser().parse_args(argv)
    if args.command == "fetch":
        return _fetch(args)
    try:
        report, status = _score(args)
    except CommandError as error:
        print(f"complaintlab {args.command}: error: {error}", file=sys.stderr)
        return 2
    _tell(report, args.command)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
