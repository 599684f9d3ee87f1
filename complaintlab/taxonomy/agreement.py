"""Inter-annotator agreement with nltk: Cohen's kappa and Krippendorff's alpha.

``complaintlab.corpus.agreement`` gives Cohen's kappa for exactly two annotators (via
scikit-learn). This module uses ``nltk.metrics.agreement.AnnotationTask``, which also handles
more than two annotators and items that not everyone labelled (Krippendorff's alpha), and an
interval distance for the ordered severity scale.
"""

from __future__ import annotations

import pandas as pd
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance

from complaintlab.corpus import LANGS, check_single_labels, load_annotations

TARGETS = ("category", "complainant_type", "severity")


def triples(annotations: pd.DataFrame, target: str) -> list[tuple[str, str, str]]:
    """``(annotator, item, label)`` triples for one target, rows with a missing label dropped.

    Examples
    --------
    >>> frame = pd.DataFrame({"annotator": ["a", "b"], "complaint_id": ["x1", "x1"],
    ...                       "category": ["billing", None]})
    >>> triples(frame, "category")
    [('a', 'x1', 'billing')]
    """
    needed = ["annotator", "complaint_id", target]
    absent = [c for c in needed if c not in annotations.columns]
    if absent:
        raise ValueError(f"annotations lack column(s) {absent}; they have "
                         f"{list(annotations.columns)}")  # fmt: skip
    part = annotations[needed].dropna()
    check_single_labels(part)
    return [(str(a), str(i), str(v)) for a, i, v in part.itertuples(index=False)]


def _pairwise_kappa(data: list[tuple[str, str, str]]) -> float:
    """Cohen's kappa averaged over annotator pairs, each pair on the items both labelled.

    (nltk's ``AnnotationTask.kappa`` needs every annotator to label every item.)
    """
    coders = sorted({a for a, _, _ in data})
    kappas = []
    for i, first in enumerate(coders):
        for second in coders[i + 1 :]:
            items = ({item for a, item, _ in data if a == first}
                     & {item for a, item, _ in data if a == second})  # fmt: skip
            pair = [t for t in data if t[0] in (first, second) and t[1] in items]
            if items:
                kappas.append(AnnotationTask(data=pair).kappa())
    return float(sum(kappas) / len(kappas)) if kappas else float("nan")


def annotation_agreement(annotations: pd.DataFrame | None = None, by_lang: bool = False
                         ) -> pd.DataFrame:  # fmt: skip
    """Kappa and alpha for each target, overall (row ``all``) and optionally per language.

    Columns: ``items`` (labelled by two or more annotators), ``annotators``, then per target
    ``<target> kappa`` (Cohen's, averaged over annotator pairs, each pair on the items
    both labelled) and
    ``<target> alpha`` (Krippendorff's, nominal), plus ``severity alpha (interval)``, where
    a 3-vs-4 disagreement costs less than 1-vs-4. The language is the first two letters of
    ``complaint_id``, as in the bundled corpus.

    Examples
    --------
    >>> table = annotation_agreement()
    >>> round(float(table.loc["all", "category kappa"]), 2)
    0.9
    >>> bool(table.loc["all", "severity alpha (interval)"] >= table.loc["all", "severity alpha"])
    True
    """
    frame = load_annotations() if annotations is None else annotations
    missing = [c for c in ("annotator", "complaint_id", *TARGETS) if c not in frame.columns]
    if missing:
        raise ValueError(f"annotations lack column(s) {missing}; they have "
                         f"{list(frame.columns)}")  # fmt: skip
    frame = frame.assign(complaint_id=frame["complaint_id"].astype(str))
    counts = frame.groupby("complaint_id")["annotator"].nunique()
    shared = counts.index[counts >= 2]
    frame = frame[frame["complaint_id"].isin(shared)]
    groups = [("all", frame)]
    if by_lang:
        langs = frame["complaint_id"].str[:2]
        groups += [(lang, frame[langs == lang]) for lang in LANGS if (langs == lang).any()]
    rows = {}
    for name, part in groups:
        row = {"items": part["complaint_id"].nunique(), "annotators": part["annotator"].nunique()}
        for target in TARGETS:
            data = triples(part, target)
            row[f"{target} kappa"] = _pairwise_kappa(data)
            row[f"{target} alpha"] = AnnotationTask(data=data).alpha()
        numeric = [(a, i, int(v)) for a, i, v in triples(part, "severity")]
        row["severity alpha (interval)"] = AnnotationTask(numeric, interval_distance).alpha()
        rows[name] = row
    return pd.DataFrame.from_dict(rows, orient="index").round(3)
