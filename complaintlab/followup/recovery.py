"""After the fix: the service-recovery paradox and word of mouth."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from complaintlab.errors import check_frame

__all__ = ["recovery_paradox", "word_of_mouth"]


def recovery_paradox(cases: pd.DataFrame, reference: pd.DataFrame, by="customer_segment",
                     sla_hours: float = 24.0, n_boot: int = 500, seed: int = 0
                     ) -> pd.DataFrame:  # fmt: skip
    """Do customers whose complaint was fixed promptly and fully stay *better* than similar
    customers who never had a problem (the service-recovery paradox)?

    Complainants fixed fully with a first response within ``sla_hours`` are compared with the
    ``reference`` customers, whose retention is standardised to the complainants' mix of
    ``by`` (direct standardisation), so a difference is not just a different mix of
    segments. Returns three rows (``fixed promptly and fully``, ``no problem (standardised)``,
    ``difference``) with ``n``, ``retained_90d`` and a seeded bootstrap ``ci_low``/``ci_high``.

    Examples
    --------
    >>> from complaintlab.simulate import simulate_cases, simulate_reference
    >>> on = dict(paradox=True, paradox_effect=1.5)
    >>> table = recovery_paradox(simulate_cases(20_000, seed=1, **on),
    ...                          simulate_reference(20_000, seed=2, **on), n_boot=100)
    >>> table["group"].tolist(), bool(table.loc[2, "retained_90d"] > 0)
    (['fixed promptly and fully', 'no problem (standardised)', 'difference'], True)
    """
    groups = [by] if isinstance(by, str) else list(by)
    used = ["resolved_fully", "first_response_hours", "retained_90d", *groups]
    check_frame(cases, used, complete=used, finite=used, source="cases")
    check_frame(reference, ["retained_90d", *groups], complete=["retained_90d", *groups],
                source="reference")  # fmt: skip
    for frame, name in ((cases, "cases"), (reference, "reference")):
        for column in ("resolved_fully", "retained_90d"):
            if column in frame and not frame[column].isin([True, False]).all():
                raise ValueError(f"{name} column {column!r} must be True/False or 1/0")
    fixed = cases[cases["resolved_fully"].astype(bool)
                  & (cases["first_response_hours"] <= sla_hours)]  # fmt: skip
    if fixed.empty:
        raise ValueError("no case was fixed fully within the SLA: nothing to compare")
    keys_f = fixed[groups].astype(str).agg("|".join, axis=1).to_numpy()
    keys_r = reference[groups].astype(str).agg("|".join, axis=1).to_numpy()
    strata, weights = np.unique(keys_f, return_counts=True)
    missing = sorted(set(strata) - set(keys_r))
    if missing:
        raise ValueError(f"the reference has no customers in {by} = {missing}; cannot standardise")
    y_f = fixed["retained_90d"].astype(float).to_numpy()
    y_r = reference["retained_90d"].astype(float).to_numpy()
    index_r = [np.flatnonzero(keys_r == s) for s in strata]
    share = weights / weights.sum()

    def standardised(rows_r):
        return float(sum(w * y_r[rows].mean() for w, rows in zip(share, rows_r, strict=True)))

    rate_f, rate_r = y_f.mean(), standardised(index_r)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(int(n_boot)):
        boot_f = y_f[rng.integers(0, len(y_f), len(y_f))].mean()
        boot_r = standardised([rows[rng.integers(0, len(rows), len(rows))] for rows in index_r])
        draws.append((boot_f, boot_r, boot_f - boot_r))
    draws = np.array(draws) if draws else np.full((1, 3), np.nan)
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    return pd.DataFrame({
        "group": ["fixed promptly and fully", "no problem (standardised)", "difference"],
        "n": [len(y_f), len(y_r), len(y_f) + len(y_r)],
        "retained_90d": [rate_f, rate_r, rate_f - rate_r],
        "ci_low": low, "ci_high": high,
    }).round(4)  # fmt: skip


def word_of_mouth(people_told, generations: int = 3, pass_on: float = 0.2) -> pd.DataFrame:
    """Expected reach of a story over ``generations`` of retelling.

    A simple branching process: the customer tells ``m`` people on average (the mean of
    ``people_told``, a number or a column), and each of them retells it, with probability
    ``pass_on``, to ``m`` more. Generation ``g`` reaches ``m * (pass_on * m) ** (g - 1)``
    new people. Returns ``generation``, ``new_people`` and ``cumulative``.

    Examples
    --------
    >>> word_of_mouth(12, generations=3, pass_on=0.25)
       generation  new_people  cumulative
    0           1        12.0        12.0
    1           2        36.0        48.0
    2           3       108.0       156.0
    """
    values = np.atleast_1d(np.asarray(people_told, dtype=float))
    if not len(values) or np.isnan(values).any() or (values < 0).any():
        raise ValueError("people_told must be non-negative numbers with no missing values")
    if isinstance(generations, bool) or not isinstance(generations, numbers.Integral) or (
            generations < 1):  # fmt: skip
        raise ValueError(f"generations must be a positive integer; got {generations!r}")
    if not 0 <= pass_on <= 1:
        raise ValueError(f"pass_on must lie in [0, 1]; got {pass_on}")
    m = float(values.mean())
    new = np.array([m * (pass_on * m) ** g for g in range(generations)])
    return pd.DataFrame({"generation": np.arange(1, generations + 1), "new_people": new.round(2),
                         "cumulative": new.cumsum().round(2)})  # fmt: skip
