"""Time to churn with censoring: Kaplan-Meier curves and the log-rank test.

A customer still with us when the study ends has not churned *yet*: dropping them, or counting
them as retained forever, both bias the picture. Kaplan-Meier uses each customer for as long as
they were watched. The implementation is our own (a few lines of numpy, so students can read
it); the tests check it against ``statsmodels.duration``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from complaintlab.errors import DatasetError

__all__ = ["LogRankResult", "kaplan_meier", "logrank_test"]


def _aligned(*values) -> None:
    """Series given together must share their index: they are paired by position."""
    indexes = [v.index for v in values if isinstance(v, pd.Series)]
    if len(indexes) > 1 and any(not i.equals(indexes[0]) for i in indexes[1:]):
        raise ValueError("the Series passed have different indexes; pass columns of one "
                         "DataFrame (or reset their indexes) so that rows pair up")  # fmt: skip


def _arrays(durations, observed, source="durations/observed"):
    _aligned(durations, observed)
    d = pd.Series(durations).reset_index(drop=True)
    o = pd.Series(observed).reset_index(drop=True)
    if len(d) != len(o):
        raise ValueError(f"durations has {len(d)} values but observed has {len(o)}")
    if pd.api.types.is_timedelta64_dtype(d):
        raise ValueError("durations are time spans: convert them to a number of days first, "
                         "e.g. spans.dt.total_seconds() / 86400")  # fmt: skip
    problems = []
    bad_d = pd.to_numeric(d, errors="coerce")
    shown_d, shown_o = d.tolist(), o.tolist()  # plain Python values for the messages
    for i in np.flatnonzero(bad_d.isna().to_numpy()):
        problems.append(f"row {i}: duration {shown_d[i]!r} is not a number")
    for i in np.flatnonzero((bad_d < 0).to_numpy()):
        problems.append(f"row {i}: duration {shown_d[i]!r} is negative")
    for i in np.flatnonzero(np.isinf(bad_d.to_numpy(dtype=float))):
        problems.append(f"row {i}: duration {shown_d[i]!r} is not finite")
    ok_o = o.isin([True, False, 0, 1]) & o.notna()
    for i in np.flatnonzero(~ok_o.to_numpy()):
        problems.append(f"row {i}: observed {shown_o[i]!r} is not True/False or 1/0")
    if problems:
        raise DatasetError(source, problems)
    if not len(d):
        raise ValueError("durations is empty: a survival curve needs at least one customer")
    return bad_d.to_numpy(dtype=float), o.astype(bool).to_numpy()


def kaplan_meier(durations, observed, conf_level: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival curve with Greenwood log-log confidence limits.

    ``durations`` are times (e.g. days to churn or to the end of follow-up) and ``observed``
    says whether the event (churn) was seen (False: censored, still a customer when watching
    stopped). One row per distinct time: ``time``, ``at_risk``, ``events``, ``censored``,
    ``survival`` (share still a customer just after ``time``), ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> curve = kaplan_meier([2, 3, 3, 5, 8], [True, True, False, True, False])
    >>> curve[["time", "at_risk", "events", "censored", "survival"]]
       time  at_risk  events  censored  survival
    0   2.0        5       1         0       0.8
    1   3.0        4       1         1       0.6
    2   5.0        2       1         0       0.3
    3   8.0        1       0         1       0.3
    """
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must lie in (0, 1); got {conf_level}")
    time, event = _arrays(durations, observed)
    times, inverse = np.unique(time, return_inverse=True)
    events = np.bincount(inverse, weights=event, minlength=len(times)).astype(np.int64)
    total = np.bincount(inverse, minlength=len(times)).astype(np.int64)
    at_risk = len(time) - np.concatenate([[0], np.cumsum(total)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - events / at_risk)
        greenwood = np.cumsum(np.where(at_risk > events, events / (at_risk * (at_risk - events)),
                                       np.inf))  # fmt: skip
        z = stats.norm.ppf(0.5 + conf_level / 2)
        # log-log limits (Kalbfleisch & Prentice): stay inside [0, 1]
        log_s = np.log(survival)
        half = z * np.sqrt(greenwood) / np.abs(log_s)
        low = survival ** np.exp(half)
        high = survival ** np.exp(-half)
    undefined = (survival <= 0) | (survival >= 1) | ~np.isfinite(greenwood)
    low = np.where(undefined, np.where(survival >= 1, 1.0, 0.0), low)
    high = np.where(undefined, np.where(survival <= 0, 0.0, 1.0), high)
    return pd.DataFrame({"time": times, "at_risk": at_risk, "events": events,
                         "censored": total - events, "survival": survival,
                         "ci_low": low, "ci_high": high})  # fmt: skip


@dataclass(frozen=True)
class LogRankResult:
    """A log-rank test: chi-square ``statistic`` on ``df`` degrees of freedom, ``p_value``,
    and per group the ``observed`` and ``expected`` numbers of events."""

    statistic: float
    df: int
    p_value: float
    observed: dict
    expected: dict


def logrank_test(durations, observed, groups) -> LogRankResult:
    """Do two or more groups churn at the same rate over time? (Mantel-Haenszel log-rank.)

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 0], ["a", "a", "a", "b", "b", "b"])
    >>> r.df, round(r.statistic, 3), r.observed
    (1, 5.052, {'a': 3.0, 'b': 2.0})
    """
    _aligned(durations, observed, groups)
    time, event = _arrays(durations, observed)
    g = pd.Series(groups).reset_index(drop=True)
    if len(g) != len(time):
        raise ValueError(f"groups has {len(g)} values but durations has {len(time)}")
    if g.isna().any():
        rows = np.flatnonzero(g.isna().to_numpy())[:10].tolist()
        raise DatasetError("groups", [f"row {i}: group is missing" for i in rows])
    labels, codes = np.unique(g.astype(str).to_numpy(), return_inverse=True)
    k = len(labels)
    if k < 2:
        raise ValueError(f"logrank_test needs at least two groups; got {labels.tolist()}")
    times, t_idx = np.unique(time, return_inverse=True)
    leave = np.zeros((len(times), k))
    died = np.zeros((len(times), k))
    np.add.at(leave, (t_idx, codes), 1.0)
    np.add.at(died, (t_idx, codes), event.astype(float))
    at_risk = leave[::-1].cumsum(axis=0)[::-1]  # still watched just before each time
    n = at_risk.sum(axis=1)
    d = died.sum(axis=1)
    keep = d > 0
    if not keep.any():
        raise ValueError("no events (churn) were observed: the log-rank test has nothing to "
                         "compare")  # fmt: skip
    at_risk, died, n, d = at_risk[keep], died[keep], n[keep], d[keep]
    expected = at_risk * (d / n)[:, None]
    diff = (died - expected).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n > 1, d * (n - d) / (n - 1), 0.0) / n**2
    # V_ij = sum_t d(n-d)/(n-1) * (n_i/n) * (delta_ij - n_j/n)
    cov = -np.einsum("t,ti,tj->ij", factor, at_risk, at_risk)
    cov[np.diag_indices(k)] += (factor * n) @ at_risk
    # a generalised inverse: a group never at risk at an event time adds no degree of freedom
    stat = float(diff @ np.linalg.pinv(cov) @ diff)
    dof = int(np.linalg.matrix_rank(cov))
    names = labels.tolist()
    return LogRankResult(statistic=stat, df=dof, p_value=float(stats.chi2.sf(stat, dof)),
                         observed=dict(zip(names, died.sum(axis=0).tolist(), strict=True)),
                         expected=dict(zip(names, expected.sum(axis=0).round(6).tolist(),
                                           strict=True)))  # fmt: skip
