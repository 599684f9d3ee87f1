"""Read a researcher's own complaint export (CSV, JSON Lines or Excel) without losing a row.

:func:`read_complaints` maps the user's column names onto complaintlab's, decodes legacy
encodings (reporting which one it used), checks every row, and either raises one
:class:`~complaintlab.errors.DatasetError` naming every bad row, or — with
``on_bad_rows="report"`` — keeps the good rows and returns a :class:`LoadReport` that lists the
rejected ones with their reasons.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from complaintlab.errors import DatasetError
from complaintlab.text import check_lang, decode_with_encoding, detect_languages

__all__ = ["CHANNELS", "LoadReport", "read_complaints"]

#: The channels of the course's schema.
CHANNELS = ("email", "chat", "phone", "social", "web_form", "in_person")
_OPTIONAL = ("complaint_id", "lang", "channel", "domain", "received_at", "customer_segment",
             "customer_value")  # fmt: skip


@dataclass
class LoadReport:
    """What a reader did: rows read, kept and rejected (with a reason per rejected row).

    ``rejected`` is a list of ``(row, reason)`` where ``row`` is the 1-based data row (for a
    CSV, the header is row 0). ``encoding`` is the encoding the file was decoded with.
    """

    source: str
    encoding: str
    rows_read: int = 0
    rows_kept: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.source} ({self.encoding}): {self.rows_read} rows read, "
                 f"{self.rows_kept} kept, {len(self.rejected)} rejected"]  # fmt: skip
        lines += [f"  - row {row}: {reason}" for row, reason in self.rejected[:20]]
        if len(self.rejected) > 20:
            lines.append(f"  ... and {len(self.rejected) - 20} more")
        return "\n".join(lines)


_EXCEL = (".xlsx", ".xlsm")


def _excel_rows(path: Path) -> list[dict]:
    """The first sheet of an Excel workbook as string rows (cached cell values, not formulas)."""
    try:
        sheet = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl",
                              keep_default_na=False, na_values=[])  # "n/a" stays a value
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DatasetError(path.name, [f"not a readable .xlsx workbook ({exc})"]) from exc
    if sheet.columns.empty:
        raise DatasetError(path.name, ["the first sheet is empty (no header row)"])
    rows = []
    for record in sheet.to_dict("records"):
        rows.append({str(k): _cell(v) for k, v in record.items()})
    return rows


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_rows(path: Path, text: str, report: LoadReport) -> list[dict]:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                report.rejected.append((number, f"not valid JSON ({exc.msg})"))
                rows.append(None)
                continue
            if not isinstance(record, dict):
                report.rejected.append((number, "a JSON line must be an object"))
                rows.append(None)
                continue
            rows.append({k: "" if v is None else str(v) for k, v in record.items()})
        return rows
    # the file is in memory already: the csv module's field limit (128 KiB) protects nothing
    # and would stop at a long complaint, so it is lifted while this file is read
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header:
            raise DatasetError(path.name, ["the file is empty (no header row)"])
        rows = []
        for number, values in enumerate(reader, start=1):
            if len(values) != len(header):
                report.rejected.append(
                    (number, f"ragged row: {len(values)} fields, the header has {len(header)}")
                )
                rows.append(None)
                continue
            rows.append(dict(zip(header, values, strict=True)))
    finally:
        csv.field_size_limit(limit)
    return rows


def read_complaints(
    source: str | Path,
    mapping: dict[str, str] | None = None,
    lang: str | None = None,
    on_bad_rows: str = "raise",
    encoding: str | None = None,
):
    """Read complaints from a CSV, JSON Lines or Excel file into the course's columns.

    Parameters
    ----------
    source : path
        ``.csv`` (standard comma-separated, quoted newlines allowed), ``.jsonl`` / ``.ndjson``
        or ``.xlsx`` (the first sheet; formulas are read as their last computed values and
        the report's encoding says ``xlsx``).
    mapping : dict, optional
        ``{their_column: our_column}``. Our columns: ``text`` (required), ``complaint_id``,
        ``lang``, ``channel``, ``domain``, ``received_at``, ``customer_segment``,
        ``customer_value``. Other columns are kept under their own names.
    lang : str, optional
        The language of every row; if omitted, a ``lang`` column is used or, failing that,
        the language is detected per row.
    on_bad_rows : {"raise", "report"}
        ``"raise"``: any bad row raises :class:`~complaintlab.errors.DatasetError` naming every
        problem. ``"report"``: bad rows are left out and listed in the returned report.
    encoding : str, optional
        Force an encoding; by default UTF-8 (with or without BOM), UTF-16 with BOM, cp1256,
        cp1251 or cp1255 are recognised (see :func:`complaintlab.text.decode`). A file that
        none of them fits raises :class:`~complaintlab.errors.DatasetError` naming the line
        and the first bad byte.

    Returns
    -------
    (pandas.DataFrame, LoadReport)
        The rows kept, in file order (index: the data row number), and the report.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tickets.csv"
    >>> _ = path.write_text("id,body\\n1,Where is my refund?\\n2,\\n", encoding="utf-8")
    >>> frame, report = read_complaints(path, {"id": "complaint_id", "body": "text"},
    ...                                 on_bad_rows="report")
    >>> frame[["complaint_id", "lang", "text"]].to_dict("records")
    [{'complaint_id': '1', 'lang': 'en', 'text': 'Where is my refund?'}]
    >>> print(report)
    tickets.csv (utf-8): 2 rows read, 1 kept, 1 rejected
      - row 2: empty text
    """
    if on_bad_rows not in ("raise", "report"):
        raise ValueError(
            f"The 'on_bad_rows' parameter of read_complaints must be 'raise' or 'report'. "
            f"Got {on_bad_rows!r} instead."
        )
    lang = check_lang(lang, "read_complaints")
    path = Path(source)
    if path.suffix.lower() == ".xls":
        raise DatasetError(path.name, ["old binary .xls files are not read; save the sheet as "
                                       ".xlsx or CSV (UTF-8)"])  # fmt: skip
    if path.suffix.lower() in _EXCEL:
        report = LoadReport(source=path.name, encoding="xlsx")
        rows = _excel_rows(path)
    else:
        data = path.read_bytes()
        try:
            text, used = decode_with_encoding(data, encoding)
        except ValueError as exc:  # no encoding fits: say where the first bad byte is
            raise DatasetError(path.name, [_undecodable(data, encoding)]) from exc
        report = LoadReport(source=path.name, encoding=used)
        rows = _read_rows(path, text, report)
    report.rows_read = len(rows)
    mapping = dict(mapping or {})
    good: dict[int, dict] = {}
    for number, row in enumerate(rows, start=1):
        if row is None:
            continue
        record = {mapping.get(k, k): v for k, v in row.items()}
        if number == 1 and "text" not in record:
            raise DatasetError(
                path.name,
                [f"no 'text' column; columns are {sorted(row)} — pass mapping={{...: 'text'}}"],
            )
        problem = _check(record)
        if problem:
            report.rejected.append((number, problem))
        else:
            good[number] = record
    report.rejected.sort()
    if report.rejected and on_bad_rows == "raise":
        raise DatasetError(path.name, [f"row {r}: {why}" for r, why in report.rejected])
    frame = _frame(good, lang)
    report.rows_kept = len(frame)
    return frame, report


def _undecodable(data: bytes, encoding: str | None) -> str:
    """The problem of a file no encoding fits: the line and byte where the text breaks."""
    codec = encoding or ("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8")
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        tried = "" if encoding else ", nor is the file cp1256, cp1251 or cp1255 text"
        return (f"line {line}: byte {data[exc.start : exc.start + 1]!r} (offset {exc.start}) "
                f"is not valid {codec}{tried}; pass encoding=... or re-save the file as UTF-8")
    except LookupError:
        return f"unknown encoding {encoding!r}"
    return f"the bytes cannot be decoded as {codec}"


def _check(record: dict) -> str | None:
    if not str(record.get("text", "")).strip():
        return "empty text"
    channel = record.get("channel", "").strip()
    if channel and channel not in CHANNELS:
        return f"channel {channel!r} is not one of {list(CHANNELS)}"
    value = record.get("customer_value", "").strip()
    if value:
        try:
            float(value)
        except ValueError:
            return f"customer_value {value!r} is not a number"
    when = record.get("received_at", "").strip()
    if when and pd.isna(pd.to_datetime(when, utc=True, errors="coerce", format="mixed")):
        return f"received_at {when!r} is not a date"
    return None


def _frame(good: dict[int, dict], lang: str | None) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(good.values()), index=list(good.keys()))
    if frame.empty:
        frame = pd.DataFrame(columns=["complaint_id", "lang", "text"])
    if "complaint_id" not in frame:
        frame.insert(0, "complaint_id", [str(i) for i in frame.index])
    if lang is not None:
        frame["lang"] = lang
    elif "lang" not in frame:
        frame["lang"] = detect_languages(frame["text"])
    for column in ("received_at",):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column].replace("", None), utc=True,
                                           format="mixed")  # fmt: skip
    if "customer_value" in frame:
        frame["customer_value"] = pd.to_numeric(frame["customer_value"].replace("", None))
    first = [c for c in ("complaint_id", "lang", *_OPTIONAL[2:], "text") if c in frame]
    return frame[first + [c for c in frame.columns if c not in first]]
