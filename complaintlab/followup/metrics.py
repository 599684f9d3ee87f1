"""Descriptive follow-up figures: response times, SLA compliance and outcome rates with CIs.

Every table has one row per group (sorted), the group's size ``n`` and, for rates, a seeded
percentile-bootstrap interval, so a notebook prints the same numbers on every run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from complaintlab.errors import DatasetError, check_frame

__all__ = ["outcome_rates", "response_band", "response_times"]

#: Response-time bands (hours) used by :func:`response_band`.
BANDS = (("< 1 h", 1.0), ("1-4 h", 4.0), ("4-24 h", 24.0), ("1-3 days", 72.0),
         ("> 3 days", np.inf))  # fmt: skip


def _need(df, columns, groups=()):
    """Columns present; group columns complete (a row with no group would vanish silently)."""
    check_frame(df, columns, complete=groups)


def _groups(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def response_band(hours) -> pd.Series:
    """Bin response times in hours into ordered bands (missing stays missing).

    Examples
    --------
    >>> response_band([0.5, 3, 30, None]).tolist()
    ['< 1 h', '1-4 h', '1-3 days', nan]
    """
    values = pd.to_numeric(pd.Series(hours), errors="raise")
    edges = [-np.inf] + [edge for _, edge in BANDS]
    return pd.cut(values, edges, labels=[name for name, _ in BANDS], right=False)


_TIMES = ("first_response_hours", "resolution_hours")


def response_times(df: pd.DataFrame, by=None, sla_hours: float = 24.0,
                   columns=_TIMES) -> pd.DataFrame:  # fmt: skip
    """Distribution of response times per group: median, 75th and 90th percentiles, SLA share.

    One row per group and time column: ``n`` (rows with a time), ``missing`` (rows without one,
    e.g. unresolved cases: counted, never dropped silently), ``median``, ``p75``, ``p90``,
    ``mean`` and ``within_sla`` (share answered within ``sla_hours``).

    Examples
    --------
    >>> df = pd.DataFrame({"first_response_hours": [1.0, 2.0, 30.0, 50.0]})
    >>> response_times(df, columns=["first_response_hours"])[["n", "median", "within_sla"]]
       n  median  within_sla
    0  4    16.0         0.5
    """
    groups = _groups(by)
    columns = [columns] if isinstance(columns, str) else list(columns)
    _need(df, [*groups, *columns], groups)
    if sla_hours <= 0:
        raise ValueError(f"sla_hours must be positive; got {sla_hours}")
    rows = []
    parts = df.groupby(groups, observed=True, sort=True) if groups else [((), df)]
    for key, part in parts:
        key = key if isinstance(key, tuple) else (key,)
        for column in columns:
            raw = part[column]
            values = (pd.Series(np.nan, index=raw.index) if pd.api.types.is_bool_dtype(raw)
                      else pd.to_numeric(raw, errors="coerce"))  # fmt: skip
            bad = (raw.notna() & values.isna()) | (values < 0) | np.isinf(values)
            if bad.any():
                label = bad[bad].index[0]
                shown = raw[label].item() if hasattr(raw[label], "item") else raw[label]
                raise DatasetError("df", [f"column {column!r}, row {label!r}: {shown!r} is "
                                          f"not a number of hours ({int(bad.sum())} such "
                                          "row(s))"])  # fmt: skip
            seen = values.dropna().to_numpy()
            stats = (np.percentile(seen, [50, 75, 90]).tolist() if len(seen) else [np.nan] * 3)
            within = float((seen <= sla_hours).mean()) if len(seen) else np.nan
            rows.append({**dict(zip(groups, key, strict=True)), "measure": column,
                         "n": len(seen), "missing": int(values.isna().sum()),
                         "median": stats[0], "p75": stats[1], "p90": stats[2],
                         "mean": float(seen.mean()) if len(seen) else np.nan,
                         "within_sla": within})  # fmt: skip
    out = pd.DataFrame(rows)
    if len(columns) == 1:
        out = out.drop(columns="measure")
    return out.round(4)


def outcome_rates(df: pd.DataFrame, outcome: str, by, n_boot: int = 1000, seed: int = 0,
                  level: float = 0.95) -> pd.DataFrame:  # fmt: skip
    """Share (or mean) of ``outcome`` per group with a seeded percentile-bootstrap interval.

    ``outcome`` is boolean or numeric (e.g. ``retained_90d``, ``disputed``, ``csat``). The
    bootstrap resamples rows within each group. Columns: the group columns, ``n``, ``rate``,
    ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"follow_up": [True] * 50 + [False] * 50,
    ...                    "retained_90d": [True] * 45 + [False] * 5 + [True] * 35 + [False] * 15})
    >>> outcome_rates(df, "retained_90d", "follow_up")[["follow_up", "n", "rate"]]
       follow_up   n  rate
    0      False  50   0.7
    1       True  50   0.9
    """
    groups = _groups(by)
    if not groups:
        raise ValueError("outcome_rates needs at least one column to group by")
    _need(df, [outcome, *groups], [outcome, *groups])
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1); got {level}")
    values = df[outcome]
    if not (pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values)):
        raise ValueError(f"outcome {outcome!r} must be boolean or numeric; got {values.dtype}")
    rng = np.random.default_rng(seed)
    tail = (1 - level) / 2 * 100
    rows = []
    for key, part in df.groupby(groups, observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        y = part[outcome].astype(float).to_numpy()
        if n_boot and len(y) > 1:
            means = y[rng.integers(0, len(y), (int(n_boot), len(y)))].mean(axis=1) \
                if len(y) * n_boot <= 20_000_000 else _binomial_means(rng, y, int(n_boot))
            low, high = np.percentile(means, [tail, 100 - tail])
        else:
            low = high = np.nan
        rows.append({**dict(zip(groups, key, strict=True)), "n": len(y), "rate": float(y.mean()),
                     "ci_low": float(low), "ci_high": float(high)})  # fmt: skip
    return pd.DataFrame(rows).round(4)


def _binomial_means(rng, y, n_boot):
    """Bootstrap means of a large 0/1 or numeric column without an n_boot x n matrix."""
    if np.isin(y, [0.0, 1.0]).all():
        return rng.binomial(len(y), y.mean(), n_boot) / len(y)
    return np.array([y[rng.integers(0, len(y), len(y))].mean() for _ in range(n_boot)])
