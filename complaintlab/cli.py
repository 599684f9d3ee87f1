"""The ``complaintlab`` command line.

``complaintlab classify INPUT.csv --text-column text [--lang-column lang] -o OUT.csv``
labels every row of a CSV file of complaints (``-`` reads standard input; without ``-o`` the
result goes to standard output), adding ``lang``, ``category``, ``complainant_type``,
``severity`` and ``confidence`` (see :func:`complaintlab.taxonomy.classify`).

``complaintlab tone INPUT.csv --text-column text [--lang-column lang] -o OUT.csv`` scores
agent replies, adding ``lang``, the twelve tone features and ``tone_score`` (see
:func:`complaintlab.tone.score`).

Both stream the file in chunks, so it can be larger than memory; every input row and column
is kept, in order. Text cells that a spreadsheet would run as formulas are neutralised.
Exit status: 0 on success, 2 for bad arguments or unreadable input (the message says what
and where).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator, Sequence

import pandas as pd

from complaintlab.export import neutralize

ADDED = ("lang", "category", "complainant_type", "severity", "confidence")
TONE_ADDED = ("lang", "empathy", "apology", "non_apology", "bureaucratic", "blame", "next_steps",
              "unexplained_transfer", "explained_transfer", "negative_question", "open_offer",
              "closing_check", "gratitude", "tone_score")  # fmt: skip


class CommandError(Exception):
    """A problem with the command's input, reported as one line on stderr (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="complaintlab", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what, described in (
        ("classify", "label complaints in a CSV file", "Add lang, category, complainant_type, "
         "severity and confidence columns to every row of a CSV file of complaints."),
        ("tone", "score the tone of agent replies in a CSV file", "Add lang, the twelve tone "
         "features and tone_score to every row of a CSV file of agent replies."),
    ):  # fmt: skip
        _arguments(commands.add_parser(name, help=what, description=described))
    return parser


def _arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("input", help="CSV file to read, or - for standard input")
    run.add_argument("--text-column", required=True, help="column holding the text")
    run.add_argument("--lang-column", help="column holding language codes (else detected)")
    run.add_argument("-o", "--output", default="-", help="CSV file to write (default: stdout)")
    run.add_argument("--encoding", default="utf-8-sig",
                     help="input encoding, e.g. cp1256 or cp1251 (default: UTF-8)")  # fmt: skip
    run.add_argument("--sep", default=",", help="field separator (default: ,)")
    run.add_argument("--chunksize", type=int, default=5000, help="rows per chunk (default: 5000)")
    run.add_argument("--prefix", default="",
                     help="prefix for the added columns if the input already has their names")
    run.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _chunks(args) -> Iterator[pd.DataFrame]:
    source = sys.stdin.buffer if args.input == "-" else args.input
    name = "standard input" if args.input == "-" else args.input
    try:
        reader = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[],
                             encoding=args.encoding, sep=args.sep,
                             chunksize=args.chunksize)  # fmt: skip
        yield from reader
    except FileNotFoundError as error:
        raise CommandError(f"{name}: no such file") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{name} is not valid {args.encoding} (byte {error.start}); "
                           "pass --encoding, e.g. cp1256, cp1251 or cp1255") from error  # fmt: skip
    except pd.errors.EmptyDataError as error:
        raise CommandError(f"{name} is empty: expected a CSV header row") from error
    except pd.errors.ParserError as error:
        raise CommandError(f"{name}: malformed CSV ({error})") from error
    except LookupError as error:
        raise CommandError(f"unknown encoding {args.encoding!r}") from error


def _labeller(command: str):
    """The function a command applies to each chunk, and the columns it adds."""
    if command == "tone":
        from complaintlab.tone import score

        return score, TONE_ADDED
    from complaintlab.taxonomy import classify

    return classify, ADDED


def classify_csv(args) -> tuple[int, int]:
    """Stream ``args.input`` through :func:`classify` (or :func:`~complaintlab.tone.score` for
    ``tone``); return (rows, rows left undetermined)."""
    if args.chunksize < 1:
        raise CommandError(f"--chunksize must be a positive number of rows, got {args.chunksize}")
    label, names = _labeller(args.command)
    added = [args.prefix + name for name in names]
    out = None  # opened once the first chunk has passed the checks: no empty file on error
    bar = None
    if not args.no_progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc=args.command, unit=" rows", unit_scale=True, file=sys.stderr)
    rows = unlabelled = 0
    try:
        first = True
        for chunk in _chunks(args):
            if first:
                _check_columns(chunk.columns, args, added)
                out = _open(args.output)
            langs = chunk[args.lang_column] if args.lang_column else None
            labels = label(chunk[args.text_column], langs)
            labels.columns = added
            result = pd.concat([chunk, labels], axis=1)
            neutralize(result).to_csv(out, header=first, index=False, quoting=csv.QUOTE_MINIMAL)
            first = False
            rows += len(chunk)
            unlabelled += int((labels[added[0]] == "und").sum())
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
        if out is not None and out is not sys.stdout:
            out.close()
    return rows, unlabelled


def _open(output: str):
    if output == "-":
        return sys.stdout
    try:
        return open(output, "w", newline="", encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from error


def _check_columns(columns: pd.Index, args, added: list[str]) -> None:
    for flag, column in (("--text-column", args.text_column), ("--lang-column", args.lang_column)):
        if column is not None and column not in columns:
            raise CommandError(f"{flag} {column!r} is not a column of {args.input}; "
                               f"columns are {list(columns)}")  # fmt: skip
    clash = [c for c in added if c in columns]
    if clash:
        raise CommandError(f"the input already has column(s) {clash}; "
                           "pass --prefix, e.g. --prefix predicted_")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("id,body\\n1,WHERE IS MY REFUND???\\n2,\\n")
    >>> main(["classify", str(folder / "in.csv"), "--text-column", "body",
    ...       "-o", str(folder / "out.csv"), "--no-progress"])
    0
    >>> pd.read_csv(folder / "out.csv")[["id", "lang"]].values.tolist()
    [[1, 'en'], [2, 'und']]
    """
    args = _parser().parse_args(argv)
    try:
        rows, unlabelled = classify_csv(args)
    except CommandError as error:
        print(f"complaintlab {args.command}: error: {error}", file=sys.stderr)
        return 2
    where = "standard output" if args.output == "-" else args.output
    done = "classified" if args.command == "classify" else "scored"
    print(f"{done} {rows} rows ({unlabelled} left undetermined: empty text or language "
          f"undetermined) -> {where}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

