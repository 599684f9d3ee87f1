"""The course's own corpora: complaints, conversation threads and a second labelling pass.

The CSV files live in the repository's ``datasets/`` folder, which is installed as the
data-only package ``complaintlab._datasets``, so the loaders work from any working directory
and from a wheel. Every loader checks its file with :func:`complaintlab.schema.validate` and
returns typed columns: categoricals with the schema's categories (``severity`` and
``customer_segment`` ordered, the nominal labels unordered), tz-aware UTC datetimes,
integers, nullable booleans and text.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

import pandas as pd

from complaintlab.schema import schema, validate
from complaintlab.text import check_lang

__all__ = [
    "CATEGORIES",
    "COMPLAINANT_TYPES",
    "LANGS",
    "SEVERITIES",
    "TONE_FEATURES",
    "agreement",
    "count_tables",
    "label_association",
    "load_annotations",
    "load_complaints",
    "load_responses",
]


def _enum(table: str, name: str) -> list:
    spec = next(f for f in schema(table)["schema"]["fields"] if f["name"] == name)
    return list(spec["constraints"]["enum"])


#: Label sets, in the order the course uses (from ``datapackage.json``).
LANGS = tuple(_enum("complaints", "lang"))
CATEGORIES = tuple(_enum("complaints", "category"))
COMPLAINANT_TYPES = tuple(_enum("complaints", "complainant_type"))
SEVERITIES = tuple(_enum("complaints", "severity"))
TONE_FEATURES = tuple(f["name"] for f in schema("responses")["schema"]["fields"]
                      if f["type"] == "boolean")  # fmt: skip
_ORDERED = {"severity", "customer_segment"}


@cache
def _raw(table: str) -> pd.DataFrame:
    path = schema(table)["path"]
    text = resources.files("complaintlab._datasets").joinpath(path).read_text(encoding="utf-8")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    validate(frame, table, source=path)
    return frame


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    out = frame.copy()
    for spec in schema(table)["schema"]["fields"]:
        name, kind = spec["name"], spec["type"]
        column = out[name].replace("", None)
        enum = spec.get("constraints", {}).get("enum")
        if kind == "integer":
            column = pd.to_numeric(column).astype("int64" if column.notna().all() else "Int64")
        elif kind == "boolean":
            column = column.map({"true": True, "false": False}).astype("boolean")
        elif kind == "datetime":
            column = pd.to_datetime(column, utc=True, format="ISO8601")
        else:
            column = column.astype("string")
        if enum is not None:
            dtype = pd.CategoricalDtype(enum, ordered=name in _ORDERED)
            column = column.astype(object).astype(dtype)
        out[name] = column
    return out


def _select(frame: pd.DataFrame, lang: str | None, where: str) -> pd.DataFrame:
    lang = check_lang(lang, where)
    if lang is not None:
        frame = frame[frame["complaint_id"].str.startswith(f"{lang}-")]
    return frame.reset_index(drop=True)


def load_complaints(lang: str | None = None) -> pd.DataFrame:
    """The 468 hand-written complaints with their gold labels, one row each.

    Parameters
    ----------
    lang : {"he", "bg", "fa", "ar", "ru", "en"}, optional
        Keep one language; unknown codes raise
        :class:`~complaintlab.text.UnknownLanguageError`.

    Examples
    --------
    >>> frame = load_complaints("fa")
    >>> len(frame), frame["complaint_id"].iloc[6]
    (78, 'fa-0007')
    >>> frame["severity"].cat.ordered, str(frame["received_at"].dt.tz)
    (True, 'UTC')
    """
    return _select(_typed(_raw("complaints"), "complaints"), lang, "load_complaints")


def load_responses(lang: str | None = None) -> pd.DataFrame:
    """Conversation threads: agent replies and customer answers, one turn per row.

    Agent turns carry the twelve gold tone features (:data:`TONE_FEATURES`) as nullable
    booleans; on customer turns they are ``<NA>``.

    Examples
    --------
    >>> turns = load_responses("en")
    >>> turns.groupby("author", observed=True).size().to_dict()
    {'agent': 104, 'customer': 40}
    >>> bool(turns.loc[turns["author"] == "agent", "apology"].notna().all())
    True
    """
    return _select(_typed(_raw("responses"), "responses"), lang, "load_responses")


def load_annotations(lang: str | None = None) -> pd.DataFrame:
    """Two independent labellings of 144 complaints (24 per language), long format.

    ``annotator_1`` is the writer's gold label, ``annotator_2`` a blind second pass made
    from the text and metadata alone. Disagreements are kept as they are.

    Examples
    --------
    >>> labels = load_annotations()
    >>> labels.groupby("annotator").size().to_dict()
    {'annotator_1': 144, 'annotator_2': 144}
    """
    return _select(_typed(_raw("annotations"), "annotations"), lang, "load_annotations")


def check_single_labels(labels: pd.DataFrame) -> None:
    """Raise ``ValueError`` if an annotator labelled one complaint twice (naming the first)."""
    missing = [c for c in ("complaint_id", "annotator") if c not in labels.columns]
    if missing:
        raise ValueError(f"annotations lack column(s) {missing}; they have "
                         f"{list(labels.columns)}")  # fmt: skip
    twice = labels.duplicated(["complaint_id", "annotator"])
    if twice.any():
        first = labels.loc[twice, ["complaint_id", "annotator"]].iloc[0].tolist()
        raise ValueError(f"{int(twice.sum())} repeated (complaint_id, annotator) pairs, "
                         f"e.g. {first}; keep one label per annotator and complaint")  # fmt: skip


def agreement(annotations: pd.DataFrame | None = None, by_lang: bool = False) -> pd.DataFrame:
    """Cohen's kappa between two annotators for each label, overall or per language.

    Severity is reported twice: unweighted, and quadratic-weighted (near misses count less).
    Only complaints labelled by both annotators are used.

    Examples
    --------
    >>> table = agreement()
    >>> list(table.columns)
    ['items', 'category', 'complainant_type', 'severity', 'severity (quadratic)']
    >>> bool(table.loc["all", "category"] >= 0.6)
    True
    """
    from sklearn.metrics import cohen_kappa_score

    labels = load_annotations() if annotations is None else annotations
    check_single_labels(labels)
    annotators = sorted(labels["annotator"].astype(str).unique())
    if len(annotators) != 2:
        raise ValueError(f"agreement() needs exactly two annotators, found {annotators}")
    wide = labels.pivot(index="complaint_id", columns="annotator",
                        values=["category", "complainant_type", "severity"]).dropna()  # fmt: skip
    langs = wide.index.str[:2]
    groups = [("all", wide)]
    if by_lang:
        groups += [(lang, wide[langs == lang]) for lang in LANGS]
    rows = {}
    for name, part in groups:
        row = {"items": len(part)}
        for target in ("category", "complainant_type", "severity"):
            a, b = (part[(target, who)].astype(str) for who in annotators)
            row[target] = cohen_kappa_score(a, b)
        a, b = (part[("severity", who)].astype(int) for who in annotators)
        row["severity (quadratic)"] = cohen_kappa_score(a, b, weights="quadratic")
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index").round(3)


def label_association(complaints: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cramér's V between each pair of gold labels, overall and per language (0 = independent).

    The corpus was planned with crossed labels so that no label predicts another; this is the
    check. Bias-corrected V (Bergsma 2013), so small tables are not flattered.

    Examples
    --------
    >>> table = label_association()
    >>> list(table.index)
    ['category ~ complainant_type', 'category ~ severity', 'complainant_type ~ severity']
    >>> bool((table.to_numpy() < 0.5).all())
    True
    """
    frame = load_complaints() if complaints is None else complaints
    pairs = [("category", "complainant_type"), ("category", "severity"),
             ("complainant_type", "severity")]  # fmt: skip
    rows = {}
    for a, b in pairs:
        row = {"all": _cramers_v(frame[a], frame[b])}
        for lang in LANGS:
            part = frame[frame["lang"] == lang]
            row[lang] = _cramers_v(part[a], part[b]) if len(part) else float("nan")
        rows[f"{a} ~ {b}"] = row
    return pd.DataFrame.from_dict(rows, orient="index").round(3)


def _cramers_v(x: pd.Series, y: pd.Series) -> float:
    from scipy.stats import chi2_contingency

    table = pd.crosstab(x, y)
    n = table.to_numpy().sum()
    chi2 = chi2_contingency(table, correction=False)[0]
    r, k = table.shape
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_corr, k_corr = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_corr - 1, r_corr - 1)
    return float((phi2 / denominator) ** 0.5) if denominator > 0 else 0.0


def count_tables() -> str:
    """The data card's count tables, as Markdown, computed from the bundled files.

    ``datasets/README.md`` holds this text between ``<!-- counts:start -->`` and
    ``<!-- counts:end -->``; a test checks the two agree.
    """
    complaints, turns = load_complaints(), load_responses()
    agents = turns[turns["author"] == "agent"]
    parts = ["**Complaints per language and label.**", ""]
    for target in ("category", "complainant_type", "severity", "channel", "customer_segment"):
        table = pd.crosstab(complaints[target], complaints["lang"]).reindex(columns=list(LANGS))
        parts += [_markdown(table, target), ""]
    threads = turns.groupby("complaint_id")["author"].apply(lambda a: (a == "customer").any())
    summary = pd.DataFrame({
        "complaints": complaints.groupby("lang", observed=True).size(),
        "turns": turns.groupby(turns["complaint_id"].str[:2]).size(),
        "agent replies": agents.groupby(agents["complaint_id"].str[:2]).size(),
        "threads with customer answers": threads.groupby(threads.index.str[:2]).sum(),
        "replies with no tone feature": (~agents[list(TONE_FEATURES)].any(axis=1)).groupby(
            agents["complaint_id"].str[:2]).sum(),
    }).reindex(list(LANGS)).T  # fmt: skip
    parts += ["**Threads per language.**", "", _markdown(summary, ""), ""]
    tone = agents.groupby(agents["complaint_id"].str[:2])[list(TONE_FEATURES)].sum()
    parts += ["**Agent replies with each tone feature.**", "",
              _markdown(tone.reindex(list(LANGS)).T, "feature"), ""]  # fmt: skip
    association = label_association()
    parts += ["**Association between gold labels** (bias-corrected Cramér's V; 0 means "
              "independent).", "", "| pair | " + " | ".join(association.columns) + " |",
              "|" + "---|" * (len(association.columns) + 1)]  # fmt: skip
    for pair, row in association.iterrows():
        parts.append(f"| {pair} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    kappa = agreement(by_lang=True)
    parts += ["", "**Agreement of the blind second pass with the gold labels** (Cohen's kappa).",
              "", "| | " + " | ".join(kappa.columns) + " |",
              "|" + "---|" * (len(kappa.columns) + 1)]  # fmt: skip
    for name, row in kappa.iterrows():
        values = [str(int(row.iloc[0]))] + [f"{v:.2f}" for v in row.iloc[1:]]
        parts.append(f"| {name} | " + " | ".join(values) + " |")
    return "\n".join(parts)


def _markdown(table: pd.DataFrame, corner: str) -> str:
    columns = [str(c) for c in table.columns]
    lines = ["| " + " | ".join([corner, *columns, "total"]) + " |",
             "|" + "---|" * (len(columns) + 2)]  # fmt: skip
    for label, row in table.iterrows():
        values = [int(v) for v in row]
        lines.append("| " + " | ".join([f"`{label}`" if corner else str(label),
                                         *map(str, values), str(sum(values))]) + " |")  # fmt: skip
    return "\n".join(lines)
