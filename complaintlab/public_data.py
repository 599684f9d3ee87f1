"""Loaders for real public complaint data formats: the CFPB Consumer Complaint Database export,
the Customer Support on Twitter (TWCS) dump and ParsiNLU's Persian product reviews.

Both keep every input row, in input order, and turn the raw strings into typed columns with
tidy names. A value that cannot be read (a date that is not a date, a Yes/No column holding
something else) raises :class:`~complaintlab.errors.DatasetError` naming the rows and values,
instead of being dropped. Files are read in chunks, so the full multi-gigabyte CFPB export
fits in bounded memory per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from complaintlab.errors import DatasetError

__all__ = ["CFPB_COLUMNS", "cfpb_sample", "cfpb_sample_files", "iter_cfpb", "load_cfpb",
           "load_parsinlu_reviews", "load_twcs"]

#: CFPB's official header names and the tidy names complaintlab gives them.
CFPB_COLUMNS = {
    "Date received": "received_at",
    "Product": "product",
    "Sub-product": "sub_product",
    "Issue": "issue",
    "Sub-issue": "sub_issue",
    "Consumer complaint narrative": "text",
    "Company public response": "company_public_response",
    "Company": "company",
    "State": "state",
    "ZIP code": "zip_code",
    "Tags": "tags",
    "Consumer consent provided?": "consumer_consent",
    "Submitted via": "submitted_via",
    "Date sent to company": "sent_to_company_at",
    "Company response to consumer": "company_response",
    "Timely response?": "timely_response",
    "Consumer disputed?": "disputed",
    "Complaint ID": "complaint_id",
}
# The older snake_case export (and common re-exports of it).
_CFPB_SNAKE = {
    "date_received": "received_at",
    "product": "product",
    "sub_product": "sub_product",
    "issue": "issue",
    "sub_issue": "sub_issue",
    "consumer_complaint_narrative": "text",
    "company_public_response": "company_public_response",
    "company": "company",
    "state": "state",
    "zip_code": "zip_code",
    "zipcode": "zip_code",
    "tags": "tags",
    "consumer_consent_provided": "consumer_consent",
    "submitted_via": "submitted_via",
    "date_sent_to_company": "sent_to_company_at",
    "company_response_to_consumer": "company_response",
    "timely_response": "timely_response",
    "consumer_disputed": "disputed",
    "consumer_disputed?": "disputed",
    "complaint_id": "complaint_id",
}
_CHANNELS = {"web": "web_form", "phone": "phone", "email": "email", "referral": "referral",
             "postal mail": "mail", "fax": "fax", "web referral": "referral"}  # fmt: skip
_BOOLEANS = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}
_MISSING = {"", "n/a", "na", "none", "null"}


def _problem_rows(mask: pd.Series, values: pd.Series, column: str, offset: int) -> list[str]:
    rows = np.flatnonzero(mask.to_numpy())
    return [f"data row {offset + i + 1}, column {column!r}: {values.iloc[i]!r}" for i in rows]


def _not_utf8(path: Path, error: UnicodeDecodeError) -> DatasetError:
    """The error for a file that is not UTF-8, naming the line of the first bad byte."""
    fix = "the file must be UTF-8: re-save it as UTF-8 (\"CSV UTF-8\" in a spreadsheet)"
    if path.suffix.lower() in (".zip", ".gz", ".bz2", ".xz", ".zst"):
        return DatasetError(path.name, [f"not valid UTF-8 ({error}); {fix}"])
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = line[exc.start : exc.start + 1]
                return DatasetError(path.name, [f"line {number}, character {exc.start + 1}: "
                                                f"byte {byte!r} is not UTF-8; {fix}"])  # fmt: skip
    return DatasetError(path.name, [f"not valid UTF-8 ({error}); {fix}"])


def _dates(values: pd.Series, column: str, offset: int, problems: list[str]) -> pd.Series:
    missing = values.str.strip().str.lower().isin(_MISSING)
    parsed = pd.to_datetime(values.where(~missing), format="mixed", utc=True, errors="coerce")
    problems += _problem_rows(parsed.isna() & ~missing, values, column, offset)
    return parsed


def _yes_no(values: pd.Series, column: str, offset: int, problems: list[str]) -> pd.Series:
    key = values.str.strip().str.lower()
    known = key.isin(_BOOLEANS) | key.isin(_MISSING)
    problems += _problem_rows(~known, values, column, offset)
    return key.map(_BOOLEANS).astype("boolean")


def _tidy_cfpb(chunk: pd.DataFrame, offset: int, source: str) -> pd.DataFrame:
    problems: list[str] = []
    out = pd.DataFrame(index=chunk.index)
    for name in chunk.columns:
        values = chunk[name]
        if name in ("received_at", "sent_to_company_at"):
            out[name] = _dates(values, name, offset, problems)
        elif name in ("timely_response", "disputed"):
            out[name] = _yes_no(values, name, offset, problems)
        elif name == "complaint_id":
            ids = pd.to_numeric(values, errors="coerce")
            problems += _problem_rows(ids.isna(), values, name, offset)
            out[name] = ids.astype("Int64")
        else:
            text = values.astype("string")
            out[name] = text.mask(text.str.strip().str.lower().isin(_MISSING))
    if "submitted_via" in out:
        via = out["submitted_via"].str.strip().str.lower()
        out["channel"] = via.map(_CHANNELS).fillna(via).astype("string")
    out["lang"] = "en"
    if problems:
        raise DatasetError(source, problems)
    return out


def _header(path: Path) -> pd.Index:
    try:
        return pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    except pd.errors.EmptyDataError as exc:
        raise DatasetError(path.name, ["the file is empty (no header row)"]) from exc
    except pd.errors.ParserError as exc:
        raise DatasetError(path.name, [f"malformed CSV: {exc}"]) from exc


def _cfpb_header(path: Path) -> dict[str, str]:
    header = _header(path)
    rename = {}
    for column in header:
        key = column.strip()
        rename[column] = CFPB_COLUMNS.get(key) or _CFPB_SNAKE.get(key.lower(), column)
    wanted = set(CFPB_COLUMNS.values())
    missing = sorted(wanted - set(rename.values()))
    if missing:
        official = {v: k for k, v in CFPB_COLUMNS.items()}
        raise DatasetError(
            path.name,
            [f"missing column {official[m]!r} (or its snake_case form)" for m in missing],
        )
    return rename


def _chunks(path: Path, chunksize: int, progress: bool) -> Iterator[pd.DataFrame]:
    """The raw CSV in string chunks, with a tqdm progress bar (rows read) when asked."""
    if chunksize < 1:
        raise ValueError(f"chunksize must be a positive number of rows, got {chunksize}")
    reader = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                         chunksize=chunksize)  # fmt: skip
    if not progress:
        yield from reader
        return
    from tqdm.auto import tqdm

    with tqdm(desc=path.name, unit=" rows", unit_scale=True) as bar:
        for chunk in reader:
            bar.update(len(chunk))
            yield chunk


def iter_cfpb(path: str | Path, chunksize: int = 100_000,
              progress: bool = False) -> Iterator[pd.DataFrame]:  # fmt: skip
    """Read a CFPB Consumer Complaint Database CSV export chunk by chunk (see :func:`load_cfpb`).

    Each chunk keeps the file's row order; its index continues across chunks. ``progress``
    shows a progress bar (rows read).
    """
    path = Path(path)
    rename = _cfpb_header(path)
    offset = 0
    try:
        for chunk in _chunks(path, chunksize, progress):
            chunk = chunk.rename(columns=rename)
            chunk.index = pd.RangeIndex(offset, offset + len(chunk))
            yield _tidy_cfpb(chunk, offset, path.name)
            offset += len(chunk)
    except pd.errors.ParserError as exc:
        raise DatasetError(path.name, [f"malformed CSV after data row {offset}: {exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc


def load_cfpb(path: str | Path, chunksize: int = 100_000, progress: bool = False,
              iterator: bool = False) -> pd.DataFrame | Iterator[pd.DataFrame]:  # fmt: skip
    r"""Load a CFPB Consumer Complaint Database CSV export into tidy, typed columns.

    Accepts the official header (``Date received``, ..., ``Complaint ID``) and the older
    snake_case one. Columns: ``received_at`` and ``sent_to_company_at`` (UTC datetimes),
    ``product``, ``sub_product``, ``issue``, ``sub_issue``, ``text`` (the narrative),
    ``company_public_response``, ``company``, ``state``, ``zip_code``, ``tags``,
    ``consumer_consent``, ``submitted_via`` and ``channel`` (``web_form``, ``phone``,
    ``email``, ``referral``, ``mail``, ``fax``), ``company_response``, ``timely_response`` and
    ``disputed`` (nullable booleans: Yes/No → True/False, ``N/A`` → missing),
    ``complaint_id`` (integer) and ``lang`` (``"en"``). Empty strings and ``N/A`` become
    missing values. Extra columns are kept under their own names. Every row is kept.

    The file is read ``chunksize`` rows at a time, with a progress bar if ``progress`` is
    true. The full export is gigabytes: with ``iterator=True`` the tidy rows come back as a
    generator of chunks (:func:`iter_cfpb`) instead of one frame, so it can be processed
    without holding it all. The zipped export (``complaints.csv.zip``, as
    :func:`complaintlab.fetch.fetch_cfpb` downloads it) is read as it is.

    Raises
    ------
    DatasetError
        Missing columns, a malformed CSV row, or values that cannot be read (each named).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> row = ["2017-03-21", "Mortgage", "", "Billing", "", "Charged twice", "", "ACME", "TX",
    ...        "770XX", "", "Consent provided", "Web", "2017-03-22", "Closed with explanation",
    ...        "Yes", "N/A", "123"]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cfpb.csv"
    >>> _ = path.write_text(",".join(CFPB_COLUMNS) + "\n" + ",".join(row) + "\n")
    >>> frame = load_cfpb(path)
    >>> print(frame.loc[0, "channel"], frame.loc[0, "timely_response"], frame.loc[0, "disputed"])
    web_form True <NA>

    Streaming, a chunk at a time:

    >>> for chunk in load_cfpb(path, chunksize=1000, iterator=True):
    ...     print(len(chunk), chunk["complaint_id"].tolist())
    1 [123]
    """
    if iterator:
        return iter_cfpb(path, chunksize=chunksize, progress=progress)
    chunks = list(iter_cfpb(path, chunksize=chunksize, progress=progress))
    return pd.concat(chunks) if len(chunks) > 1 else chunks[0]


#: The real CFPB samples, inside the real-data folder (see :mod:`complaintlab.config`).
CFPB_SAMPLES = ("cfpb_complaints_2015_2020_sample.csv", "cfpb_complaints_2012_2017_small.csv")


def cfpb_sample() -> tuple[pd.DataFrame, str]:
    """The CFPB complaints the course works with, and a sentence saying which ones they are.

    The real samples (``cfpb_complaints/`` in the real-data folder, both files, sorted by
    date) when they are there; otherwise complaintlab's own fixture of 40 invented complaints
    in the official export format (``complaintlab/data/cfpb_fixture.csv``), so that notebook 07
    still runs. Either way the frame is what :func:`load_cfpb` returns.

    Examples
    --------
    >>> frame, source = cfpb_sample()
    >>> {"complaint_id", "text", "company_response", "disputed"} <= set(frame.columns)
    True
    """
    paths = cfpb_sample_files()
    if paths[0].name != _FIXTURE:
        frame = pd.concat([load_cfpb(p) for p in paths], ignore_index=True)
        frame = frame.drop_duplicates("complaint_id").sort_values(
            ["received_at", "complaint_id"], kind="stable").reset_index(drop=True)  # fmt: skip
        names = " and ".join(p.name for p in paths)
        return frame, f"the real CFPB samples ({names}): {len(frame):,} complaints"
    frame = load_cfpb(paths[0])
    return frame, (f"complaintlab's own CFPB-format fixture ({len(frame)} invented complaints): "
                   "the real samples were not found")  # fmt: skip


_FIXTURE = "cfpb_fixture.csv"


def cfpb_sample_files() -> list[Path]:
    """The CSV files behind :func:`cfpb_sample`: the real samples, or else our fixture.

    Examples
    --------
    >>> all(path.suffix == ".csv" and path.is_file() for path in cfpb_sample_files())
    True
    """
    from importlib import resources

    from complaintlab.config import data_dir

    root = data_dir()
    folder = None if root is None else root / "cfpb_complaints"
    paths = [] if folder is None else [folder / name for name in CFPB_SAMPLES
                                        if (folder / name).is_file()]  # fmt: skip
    return paths or [Path(str(resources.files("complaintlab.data").joinpath(_FIXTURE)))]


_TWCS_COLUMNS = ["tweet_id", "author_id", "inbound", "created_at", "text",
                 "response_tweet_id", "in_response_to_tweet_id"]  # fmt: skip


def load_twcs(path: str | Path, chunksize: int = 200_000, progress: bool = False) -> pd.DataFrame:
    """Load a Customer Support on Twitter (TWCS) dump and rebuild its threads.

    One row per tweet, in file order, with ``tweet_id``, ``author_id``, ``inbound`` (bool),
    ``created_at`` (UTC), ``text``, ``response_tweet_ids`` (list of ints),
    ``in_response_to_tweet_id`` (nullable int), and the rebuilt columns:

    - ``thread_id``: the first tweet of the thread that is present in the file;
    - ``company``: the support account — the author for company tweets; for customer tweets
      the account that answered, else the first @mention that is a known company account;
    - ``first_response_at`` / ``first_response_minutes``: for customer tweets, the earliest
      company reply found in the file (missing when none is in the file).

    The file is read ``chunksize`` rows at a time and typed chunk by chunk (the full dump has
    about 2.8 million tweets), with a progress bar if ``progress`` is true; threads are rebuilt
    once all rows are in. ``frame.attrs["dangling_references"]`` counts reply ids that point
    outside the file (normal for a sample). Raises :class:`~complaintlab.errors.DatasetError`
    for missing columns or unreadable values.
    """
    path = Path(path)
    missing = [c for c in _TWCS_COLUMNS if c not in _header(path)]
    if missing:
        raise DatasetError(path.name, [f"missing column {c!r}" for c in missing])
    problems: list[str] = []
    parts = []
    offset = 0
    try:
        for raw in _chunks(path, chunksize, progress):
            raw.index = pd.RangeIndex(offset, offset + len(raw))
            parts.append(_tidy_twcs(raw, offset, problems))
            offset += len(raw)
    except pd.errors.ParserError as exc:
        raise DatasetError(path.name, [f"malformed CSV after data row {offset}: {exc}"]) from exc
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    if problems:
        raise DatasetError(path.name, problems)
    return _rebuild_threads(pd.concat(parts) if len(parts) > 1 else parts[0])


def _tidy_twcs(raw: pd.DataFrame, offset: int, problems: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(index=raw.index)
    ids = pd.to_numeric(raw["tweet_id"], errors="coerce")
    problems += _problem_rows(ids.isna(), raw["tweet_id"], "tweet_id", offset)
    out["tweet_id"] = ids.astype("Int64")
    out["author_id"] = raw["author_id"].astype("string")
    out["inbound"] = _yes_no(raw["inbound"], "inbound", offset, problems)
    created = pd.to_datetime(raw["created_at"], format="%a %b %d %H:%M:%S %z %Y", utc=True,
                             errors="coerce")  # fmt: skip
    problems += _problem_rows(created.isna(), raw["created_at"], "created_at", offset)
    out["created_at"] = created
    out["text"] = raw["text"].astype("string")
    replies = raw["response_tweet_id"].str.split(",")
    out["response_tweet_ids"] = [
        [int(x) for x in r if x.strip().isdigit()] if isinstance(r, list) else [] for r in replies
    ]
    parent = pd.to_numeric(raw["in_response_to_tweet_id"].replace("", None), errors="coerce")
    out["in_response_to_tweet_id"] = parent.astype("Int64")
    return out


def _rebuild_threads(out: pd.DataFrame) -> pd.DataFrame:
    position = {int(t): i for i, t in enumerate(out["tweet_id"])}
    parents = out["in_response_to_tweet_id"].tolist()
    thread = []
    for i, tweet in enumerate(out["tweet_id"]):
        current, seen = i, {i}
        while not pd.isna(parents[current]) and int(parents[current]) in position:
            nxt = position[int(parents[current])]
            if nxt in seen:  # a cycle in bad data: stop at the first repeat
                break
            seen.add(nxt)
            current = nxt
        thread.append(int(out["tweet_id"].iloc[current]) if current != i else int(tweet))
    out["thread_id"] = pd.array(thread, dtype="Int64")

    inbound = out["inbound"].fillna(False).to_numpy(bool)
    companies = set(out.loc[~inbound, "author_id"].dropna())
    first_at, company, dangling = [], [], 0
    for i in range(len(out)):
        found = [position[r] for r in out["response_tweet_ids"].iloc[i] if r in position]
        dangling += len(out["response_tweet_ids"].iloc[i]) - len(found)
        answers = [j for j in found if not inbound[j]]
        if not inbound[i]:
            first_at.append(pd.NaT)
            company.append(out["author_id"].iloc[i])
            continue
        if answers:
            j = min(answers, key=lambda k: out["created_at"].iloc[k])
            first_at.append(out["created_at"].iloc[j])
            company.append(out["author_id"].iloc[j])
        else:
            first_at.append(pd.NaT)
            mentions = [m[1:] for m in str(out["text"].iloc[i]).split() if m.startswith("@")]
            company.append(next((m for m in mentions if m in companies), pd.NA))
    out["company"] = pd.array(company, dtype="string")
    out["first_response_at"] = pd.to_datetime(pd.Series(first_at, index=out.index), utc=True)
    minutes = (out["first_response_at"] - out["created_at"]).dt.total_seconds() / 60
    out["first_response_minutes"] = minutes
    out["lang"] = "en"
    out.attrs["dangling_references"] = dangling
    return out


_PARSINLU_COLUMNS = ("review", "sentiment", "sentiment_name", "category", "aspects")


def load_parsinlu_reviews(path: str | Path) -> pd.DataFrame:
    """Load ParsiNLU sentiment reviews (Persian; Digikala food and beverage products) as CSV.

    One row per review, in file order: ``text``, ``sentiment`` (-2 very negative ... 2 very
    positive, 3 mixed), ``sentiment_name``, ``product_category`` (Digikala's, in Persian),
    ``aspects`` (a dict from aspect — طعم taste, کیفیت quality, ارزش خرید value for money,
    بسته بندی packaging, ارزش غذایی nutrition, ارسال delivery — to a sentiment on the same
    scale) and ``lang`` (``fa``). The aspects are parsed as JSON, never evaluated. Raises
    :class:`~complaintlab.errors.DatasetError` naming every row whose sentiment or aspects
    cannot be read.
    """
    import json

    path = Path(path)
    missing = [c for c in _PARSINLU_COLUMNS if c not in _header(path)]
    if missing:
        raise DatasetError(path.name, [f"missing column {c!r}" for c in missing])
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems: list[str] = []
    sentiment = pd.to_numeric(raw["sentiment"], errors="coerce")
    bad = sentiment.isna() | ~sentiment.isin([-2, -1, 0, 1, 2, 3])
    problems += _problem_rows(bad, raw["sentiment"], "sentiment", 0)
    aspects = []
    for i, value in enumerate(raw["aspects"]):
        try:
            parsed = json.loads(value) if value.strip() else {}
            if not isinstance(parsed, dict):
                raise ValueError("not an object")
            aspects.append({str(k): int(v) for k, v in parsed.items()})
        except (ValueError, TypeError):
            problems.append(f"data row {i + 1}, column 'aspects': {value!r}")
            aspects.append({})
    if problems:
        raise DatasetError(path.name, problems)
    text = raw["review"].astype("string")
    return pd.DataFrame({
        "text": text.mask(text.str.strip() == ""),
        "sentiment": sentiment.astype("Int64"),
        "sentiment_name": raw["sentiment_name"].astype("string"),
        "product_category": raw["category"].astype("string"),
        "aspects": aspects,
        "lang": "fa",
    })  # fmt: skip
