"""Check a table against the corpora's Frictionless schema (``datasets/datapackage.json``).

:func:`validate` takes a DataFrame — as read from a CSV (all strings) or as typed by
:func:`complaintlab.datasets.load_complaints` and friends — and raises one
:class:`~complaintlab.errors.DatasetError` that lists every problem it finds: missing or extra
columns, values of the wrong type, values outside an enum or pattern, duplicate keys,
foreign keys that point nowhere, empty text, and (for conversation threads) a turn sent
before its complaint arrived or before the turn it answers. Rows are named by their index
label. The Table Schema rules come from the data package; the thread rules are ours and are
described in the package's ``responses`` resource.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

import pandas as pd

from complaintlab.errors import DatasetError

__all__ = ["TABLES", "field_names", "schema", "validate"]

#: Tables :func:`validate` knows, as named in ``datapackage.json``.
TABLES = ("complaints", "responses", "annotations", "langid_sentences")
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


@cache
def _package() -> dict:
    ref = resources.files("complaintlab._datasets").joinpath("datapackage.json")
    return json.loads(ref.read_text(encoding="utf-8"))


def schema(table: str) -> dict:
    """The data-package resource for ``table`` (name, path, description, Table Schema).

    Examples
    --------
    >>> schema("annotations")["schema"]["primaryKey"]
    ['complaint_id', 'annotator']
    """
    for resource in _package()["resources"]:
        if resource["name"] == table:
            return resource
    raise ValueError(f"unknown table {table!r}; choose one of {list(TABLES)}")


def field_names(table: str) -> list[str]:
    """The columns of ``table``, in schema order.

    Examples
    --------
    >>> field_names("annotations")
    ['complaint_id', 'annotator', 'category', 'complainant_type', 'severity']
    """
    return [f["name"] for f in schema(table)["schema"]["fields"]]


def validate(df: pd.DataFrame, table: str, *, complaints: pd.DataFrame | None = None,
             source: str | None = None) -> None:  # fmt: skip
    """Raise :class:`~complaintlab.errors.DatasetError` listing every way ``df`` breaks the schema.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, either as strings straight from the CSV or typed by the loaders.
    table : {"complaints", "responses", "annotations", "langid_sentences"}
    complaints : pandas.DataFrame, optional
        The complaints that ``responses`` and ``annotations`` refer to (foreign keys, and the
        arrival times a reply may not precede). Default: the bundled complaints.
    source : str, optional
        Name used at the head of the error message (default: the table name).

    Returns ``None`` when the table is valid.

    Examples
    --------
    >>> from complaintlab.datasets import load_complaints
    >>> validate(load_complaints(), "complaints")
    >>> broken = load_complaints().head(3).astype(object)
    >>> broken.loc[1, "severity"] = 7
    >>> validate(broken, "complaints")
    Traceback (most recent call last):
    ...
    complaintlab.errors.DatasetError: complaints: 1 problem
      - row 1, column 'severity': 7 is not one of [1, 2, 3, 4]
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"validate() needs a pandas DataFrame, got {type(df).__name__}")
    if not df.index.is_unique:
        repeated = df.index[df.index.duplicated()].unique()[:5].tolist()
        raise ValueError(f"validate() names rows by index label, but the index repeats "
                         f"{repeated}; call df.reset_index(drop=True) first")  # fmt: skip
    resource = schema(table)
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    problems = [f"missing column {n!r}" for n in names if n not in df.columns]
    problems += [f"extra column {c!r} (not in the {table} schema)"
                 for c in df.columns if c not in names]  # fmt: skip
    parsed = {}
    for spec in fields:
        if spec["name"] in df.columns:
            parsed[spec["name"]] = _check_field(df[spec["name"]], spec, problems)
    keys = resource["schema"].get("primaryKey", [])
    keys = [keys] if isinstance(keys, str) else keys
    if keys and all(k in df.columns for k in keys):
        _check_unique(df, keys, problems)
    for fk in resource["schema"].get("foreignKeys", []):
        _check_foreign_key(df, fk, complaints, problems)
    if table == "responses" and {"complaint_id", "turn", "author", "sent_at"} <= set(parsed):
        _check_threads(df, parsed, complaints, problems)
    if problems:
        raise DatasetError(source or table, problems)


def _blank(series: pd.Series) -> pd.Series:
    text = series.astype("string").str.strip()
    return series.isna() | text.eq("").fillna(True)


def _report(series: pd.Series, bad: pd.Series, message: str, problems: list[str]) -> None:
    name = series.name
    for label, value in series[bad.fillna(False).astype(bool)].items():
        problems.append(f"row {label}, column {name!r}: {message.replace('{value}', repr(value))}")


def _check_field(series: pd.Series, spec: dict, problems: list[str]) -> pd.Series:
    rules = spec.get("constraints", {})
    kind = spec["type"]
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    blank = _blank(series)
    if rules.get("required"):
        what = "empty text" if spec["name"] == "text" else "a value is required"
        for label in series.index[blank]:
            problems.append(f"row {label}, column {spec['name']!r}: {what}")
    present = ~blank
    if kind == "integer":
        values = pd.to_numeric(series.where(present), errors="coerce")
        bad = present & (values.isna() | (values.fillna(0) % 1 != 0))
        _report(series, bad, "{value} is not an integer", problems)
    elif kind == "boolean":
        if pd.api.types.is_bool_dtype(series.dtype):
            values = series.astype("boolean")
        else:
            lowered = series.where(present).astype("string").str.strip().str.lower()
            values = lowered.map({"true": True, "false": False}, na_action="ignore")
            bad = present & values.isna()
            _report(series, bad, "{value} is not true or false", problems)
    elif kind == "datetime":
        values = _datetimes(series, present, problems)
    else:
        values = series.where(present)
    ok = present & values.notna()
    if "enum" in rules:
        allowed = rules["enum"]
        if kind == "integer":
            inside = values.isin(allowed)
        else:
            inside = values.astype("string").isin([str(a) for a in allowed]).fillna(False)
        _report(series, ok & ~inside, "{value} is not one of " + str(allowed), problems)
    if "pattern" in rules:
        matches = values.astype("string").str.fullmatch(rules["pattern"]).fillna(False)
        _report(series, ok & ~matches, "{value} does not match " + rules["pattern"], problems)
    if "minimum" in rules:
        _report(series, ok & (values < rules["minimum"]),
                "{value} is below the minimum " + str(rules["minimum"]), problems)  # fmt: skip
    return values


def _datetimes(series: pd.Series, present: pd.Series, problems: list[str]) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC")
    if pd.api.types.is_datetime64_dtype(series.dtype):
        for label in series.index[present]:
            problems.append(f"row {label}, column {series.name!r}: no time zone (need UTC)")
        return series.dt.tz_localize("UTC")
    aware = series.map(lambda v: isinstance(v, pd.Timestamp) and v.tzinfo is not None)
    text = series.where(present & ~aware).astype("string").str.strip()
    iso = text.str.match(_ISO_UTC.pattern).fillna(False).astype(bool)
    out = pd.to_datetime(text.where(iso), utc=True, format="ISO8601", errors="coerce")
    if aware.any():
        out[aware] = pd.to_datetime(series[aware].map(lambda v: v.tz_convert("UTC")), utc=True)
    for label, value in series[present & out.isna()].items():
        problems.append(f"row {label}, column {series.name!r}: {value!r} is not an ISO 8601 "
                        f"date-time with a time zone")  # fmt: skip
    return out


def _check_unique(df: pd.DataFrame, keys: list[str], problems: list[str]) -> None:
    key = df[keys].astype("string")
    dupes = key.duplicated(keep="first")
    for label in df.index[dupes]:
        value = ", ".join(f"{k}={df.at[label, k]!r}" for k in keys)
        problems.append(f"row {label}: duplicate key ({value})")


def _complaints(complaints: pd.DataFrame | None) -> pd.DataFrame:
    if complaints is not None:
        missing = [c for c in ("complaint_id", "received_at") if c not in complaints.columns]
        if missing:
            raise ValueError(f"the complaints passed to validate() lack the column(s) {missing}")
        return complaints
    from complaintlab.datasets import load_complaints

    return load_complaints()


def _check_foreign_key(df, fk, complaints, problems) -> None:
    column = fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
    if column not in df.columns:
        return
    known = set(_complaints(complaints)[column].astype(str))
    dangling = df[column].notna() & ~df[column].astype(str).isin(known)
    _report(df[column], dangling, "{value} is not a complaint_id in complaints", problems)


def _check_threads(df, parsed, complaints, problems) -> None:
    agent = parsed["author"].astype("string").eq("agent").fillna(False)
    features = [f["name"] for f in schema("responses")["schema"]["fields"]
                if f["type"] == "boolean"]  # fmt: skip
    if "agent_id" in df.columns:
        for label in df.index[agent & _blank(df["agent_id"])]:
            problems.append(f"row {label}, column 'agent_id': an agent turn needs an agent_id")
    for name in (f for f in features if f in df.columns):
        for label in df.index[agent & _blank(df[name])]:
            problems.append(f"row {label}, column {name!r}: an agent turn needs true or false")
        for label in df.index[~agent & ~_blank(df[name])]:
            problems.append(f"row {label}, column {name!r}: customer turns carry no tone labels")
    received = _complaints(complaints).set_index("complaint_id")["received_at"]
    received = pd.to_datetime(received, utc=True, format="ISO8601", errors="coerce")
    received = received[~received.index.duplicated()]
    sent = parsed["sent_at"]
    arrived = df["complaint_id"].astype(str).map(received)
    for label in df.index[sent < arrived]:
        problems.append(f"row {label}, column 'sent_at': {sent[label].isoformat()} is earlier "
                        f"than complaint {df.at[label, 'complaint_id']} "
                        f"(received {arrived[label].isoformat()})")  # fmt: skip
    order = pd.DataFrame({"id": df["complaint_id"].astype(str), "turn": parsed["turn"],
                          "sent": sent}).sort_values(["id", "turn"], kind="stable")  # fmt: skip
    previous = order.groupby("id")["sent"].shift()
    for label in order.index[order["sent"] < previous]:
        problems.append(f"row {label}, column 'sent_at': turn {int(order.at[label, 'turn'])} "
                        f"is earlier than the turn before it")  # fmt: skip
