"""Agreement via nltk, cross-checked against scikit-learn and an independent alpha."""

from __future__ import annotations

import itertools
from collections import Counter

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from complaintlab.corpus import load_annotations
from complaintlab.taxonomy import annotation_agreement
from complaintlab.taxonomy.agreement import triples


def nominal_alpha(units: dict[str, list[str]]) -> float:
    """Krippendorff's alpha (nominal) from the coincidence matrix, written out independently."""
    coincidences: Counter = Counter()
    for values in units.values():
        m = len(values)
        if m < 2:
            continue
        for a, b in itertools.permutations(range(m), 2):
            coincidences[values[a], values[b]] += 1 / (m - 1)
    totals: Counter = Counter()
    for (c, _), count in coincidences.items():
        totals[c] += count
    n = sum(totals.values())
    observed = sum(v for (c, k), v in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1)
    return 1 - observed / expected


def test_alpha_matches_krippendorffs_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal data with
    # four coders and missing values: alpha = 0.743
    rows = {
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    }
    records = [(coder, f"u{unit:02d}", value) for coder, line in rows.items()
               for unit, value in enumerate(line.split()) if value != "."]  # fmt: skip
    frame = pd.DataFrame(records, columns=["annotator", "complaint_id", "category"])
    frame["complainant_type"] = frame["category"]
    frame["severity"] = frame["category"].astype(int)
    table = annotation_agreement(frame)
    assert table.loc["all", "category alpha"] == pytest.approx(0.743, abs=0.001)
    units: dict[str, list[str]] = {}
    for _, unit, value in records:
        units.setdefault(unit, []).append(value)
    assert nominal_alpha(units) == pytest.approx(0.743, abs=0.001)
    assert table.loc["all", "annotators"] == 4


@pytest.mark.parametrize("target", ["category", "complainant_type", "severity"])
def test_bundled_agreement_matches_sklearn_kappa_and_independent_alpha(target):
    labels = load_annotations()
    table = annotation_agreement(labels, by_lang=True)
    wide = labels.pivot(index="complaint_id", columns="annotator", values=target).dropna()
    first, second = (wide[c].astype(str) for c in wide.columns)
    assert table.loc["all", f"{target} kappa"] == pytest.approx(
        cohen_kappa_score(first, second), abs=0.001)  # fmt: skip
    units = {item: [a, b] for item, a, b in zip(wide.index, first, second, strict=True)}
    assert table.loc["all", f"{target} alpha"] == pytest.approx(nominal_alpha(units), abs=0.001)
    assert table.loc["all", "items"] == len(wide)
    assert set(table.index) == {"all", "he", "bg", "fa", "ar", "ru", "en"}


def test_interval_alpha_for_severity_forgives_near_misses():
    frame = pd.DataFrame({
        "annotator": ["a"] * 4 + ["b"] * 4,
        "complaint_id": ["x1", "x2", "x3", "x4"] * 2,
        "category": ["billing"] * 8, "complainant_type": ["meek"] * 8,
        "severity": [1, 2, 3, 4, 1, 2, 4, 3],
    })  # fmt: skip
    row = annotation_agreement(frame).loc["all"]
    assert row["severity alpha (interval)"] > row["severity alpha"]


def test_triples_reject_repeats_and_missing_columns():
    frame = pd.DataFrame({"annotator": ["a", "a"], "complaint_id": ["x", "x"],
                          "category": ["billing", "product"]})  # fmt: skip
    with pytest.raises(ValueError, match=r"repeated .*\['x', 'a'\]"):
        triples(frame, "category")
    with pytest.raises(ValueError, match="severity"):
        triples(frame, "severity")
    with pytest.raises(ValueError, match=r"lack column\(s\) \['complainant_type', 'severity'\]"):
        annotation_agreement(frame)
