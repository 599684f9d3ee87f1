"""Average effect of a binary treatment (e.g. a follow-up call) on an outcome, four ways.

``naive`` compares the two groups as they are. The other three adjust for covariates:
``regression`` (g-computation with a logistic or linear outcome model that lets the effect
differ by covariate), ``ipw`` (inverse
propensity weighting, normalised, propensities clipped at ``trim``) and ``aipw`` (augmented
IPW, doubly robust: right if either the propensity or the outcome model is right).

Numeric covariates enter the models linearly (log a skewed one such as customer value first);
categorical, text and boolean ones are one-hot encoded. Confidence intervals are analytic
(influence functions, or the delta method for ``regression``) unless ``n_boot`` asks for a
seeded percentile bootstrap.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.linear_model import LinearRegression, LogisticRegression

from complaintlab.errors import DatasetError, OverlapError, check_frame

__all__ = ["METHODS", "EffectEstimate", "balance_table", "estimate_effect", "propensity"]

METHODS = ("naive", "regression", "ipw", "aipw")
_MIN_BOOT = 100  # fewer bootstrap draws give unstable percentile intervals
_MIN_OVERLAP = 0.5  # share of rows that must have a propensity inside [trim, 1 - trim]


@dataclass(frozen=True)
class EffectEstimate:
    """An average treatment effect with its 95 % confidence interval and sample size."""

    method: str
    estimate: float
    ci_low: float
    ci_high: float
    n: int


def _arms(series: pd.Series, name: str, treated, control) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the treated and control rows (other levels of a multi-valued treatment: neither)."""
    if treated is None and control is None:
        values = series.dropna().unique().tolist()
        wrong = [v for v in values if v not in (True, False, 0, 1)]
        if wrong:
            raise ValueError(f"treatment {name!r} must be binary (True/False or 1/0); found "
                             f"{sorted(map(repr, wrong))[:5]} - for a treatment with several "
                             "levels pass treated=... and control=...")  # fmt: skip
        a1 = series.astype(bool).to_numpy()
        a0 = ~a1
    else:
        levels = set(series.dropna().astype(str).unique())
        for role, level in (("treated", treated), ("control", control)):
            if level is None or str(level) not in levels:
                raise ValueError(f"{role}={level!r} is not a value of {name!r}; its values are "
                                 f"{sorted(levels)}")  # fmt: skip
        if str(treated) == str(control):
            raise ValueError(f"treated and control are the same level {treated!r}")
        text = series.astype(str).to_numpy()
        a1, a0 = text == str(treated), text == str(control)
    if not a1.any() or not a0.any():
        present = "treated" if a1.any() else "control"
        raise ValueError(f"treatment {name!r} has only one group ({present}): "
                         "nothing to compare with")  # fmt: skip
    return a1, a0


def _binary(series: pd.Series, name: str) -> np.ndarray:
    return _arms(series, name, None, None)[0]


def _check_frame(df, columns: list[str]) -> None:
    """Every used column present, no missing or infinite values (named), at least one row."""
    check_frame(df, columns, complete=columns, finite=columns)


def _design(df: pd.DataFrame, covariates: list[str]) -> np.ndarray:
    """Covariate matrix: numbers standardised, categories one-hot (first level dropped)."""
    parts = []
    for c in covariates:
        col = df[c]
        if pd.api.types.is_bool_dtype(col):
            parts.append(col.astype(float).to_numpy()[:, None])
        elif pd.api.types.is_numeric_dtype(col):
            x = col.to_numpy(dtype=float)
            sd = x.std()
            parts.append(((x - x.mean()) / (sd if sd > 0 else 1.0))[:, None])
        else:
            dummies = pd.get_dummies(col.astype(str), prefix=c, drop_first=True, dtype=float)
            parts.append(dummies.to_numpy())
    if not parts:
        return np.zeros((len(df), 0))
    x = np.hstack(parts)
    constant = [c for c, part in zip(covariates, parts, strict=True) if not part.any()]
    if constant:
        raise DatasetError("df", [f"covariate {c!r} has the same value in every row: it cannot "
                                  "adjust for anything; leave it out" for c in constant])
    if np.linalg.matrix_rank(np.column_stack([np.ones(len(x)), x])) < x.shape[1] + 1:
        raise DatasetError("df", [f"covariates {covariates} are collinear (one is a copy or "
                                  "a combination of others): leave the redundant one out"])
    return x


def propensity(df: pd.DataFrame, treatment: str, covariates) -> np.ndarray:
    """P(treated | covariates) from an (almost) unpenalised logistic regression.

    Examples
    --------
    >>> from complaintlab.simulate import simulate_cases
    >>> cases = simulate_cases(2_000, seed=0)
    >>> e = propensity(cases, "follow_up", ["complainant_type", "severity"])
    >>> bool(0 < e.min() < e.max() < 1)
    True
    """
    covariates = list(covariates)
    _check_frame(df, [treatment, *covariates])
    t = _binary(df[treatment], treatment)
    return _propensity(_design(df, covariates), t)


def _propensity(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    return _propensities(x, t.astype(int))[:, 1]


def _propensities(x: np.ndarray, arm: np.ndarray) -> np.ndarray:
    """P(arm = j | x) for arm codes 0..k-1: (multinomial) logistic regression, columns j."""
    k = int(arm.max()) + 1
    if x.shape[1] == 0:
        return np.tile(np.bincount(arm, minlength=k) / len(arm), (len(arm), 1))
    model = LogisticRegression(C=1e6, max_iter=2000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(x, arm)
    return model.predict_proba(x)


def _check_overlap(e, a1, a0, treatment, covariates, trim) -> None:
    """Most treated and control rows must have both arms' propensities inside [trim, 1-trim]."""
    inside = (e[:, 1] >= trim) & (e[:, 0] >= trim) & (e[:, 1] <= 1 - trim)
    compared = a1 | a0
    share = inside[compared].mean()
    if share < _MIN_OVERLAP or not inside[a1].any() or not inside[a0].any():
        raise OverlapError(
            f"no overlap between the {treatment!r} groups: given covariates {covariates}, "
            f"{1 - share:.0%} of rows have a propensity below {trim} or above {1 - trim}, so "
            "treated and untreated rows are not comparable. Drop or coarsen the covariates "
            "that decide the treatment, or restrict the data to where both groups occur.")


def _outcome_model(x, y, binary):
    if binary:
        model = LogisticRegression(C=1e6, max_iter=2000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(x, y.astype(int))
        return lambda z: model.predict_proba(z)[:, 1]
    model = LinearRegression().fit(x, y)
    return model.predict


def _normal_ci(estimate, se):
    z = stats.norm.ppf(0.975)
    return estimate - z * se, estimate + z * se


def _naive(a1, a0, y):
    se = np.sqrt(y[a1].var(ddof=1) / a1.sum() + y[a0].var(ddof=1) / a0.sum())
    return y[a1].mean() - y[a0].mean(), se


def _regression(x, a1, a0, y, binary):
    """G-computation: an outcome model with treatment x covariate interactions, fitted on both
    arms; predict every row treated and untreated and average the difference.

    The interactions let the effect differ between kinds of customer (a single treatment
    coefficient would estimate a variance-weighted effect, not the average one)."""
    import statsmodels.api as sm

    t = a1.astype(float)[:, None]
    design = np.column_stack([np.ones(len(y)), t, x, t * x])
    k = x.shape[1]
    treated, untreated = design.copy(), design.copy()
    treated[:, 1], untreated[:, 1] = 1.0, 0.0
    treated[:, 2 + k:], untreated[:, 2 + k:] = x, 0.0
    rows = a1 | a0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = (sm.Logit(y[rows], design[rows]).fit(disp=0, maxiter=200) if binary
               else sm.OLS(y[rows], design[rows]).fit())  # fmt: skip
    beta, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    if binary:
        p1, p0 = 1 / (1 + np.exp(-treated @ beta)), 1 / (1 + np.exp(-untreated @ beta))
        grad = ((p1 * (1 - p1)) @ treated - (p0 * (1 - p0)) @ untreated) / len(y)
    else:
        p1, p0 = treated @ beta, untreated @ beta
        grad = treated.mean(axis=0) - untreated.mean(axis=0)
    diff = p1 - p0
    se = np.sqrt(grad @ cov @ grad + diff.var(ddof=1) / len(y))
    return diff.mean(), se


def _ipw(e1, e0, a1, a0, y):
    w1, w0 = a1 / e1, a0 / e0
    m1, m0 = (w1 * y).sum() / w1.sum(), (w0 * y).sum() / w0.sum()
    influence = w1 * (y - m1) / w1.mean() - w0 * (y - m0) / w0.mean()
    return m1 - m0, influence.std(ddof=1) / np.sqrt(len(y))


def _aipw(x, e1, e0, a1, a0, y, binary):
    if x.shape[1]:
        mu1 = _outcome_model(x[a1], y[a1], binary)(x)
        mu0 = _outcome_model(x[a0], y[a0], binary)(x)
    else:
        mu1, mu0 = np.full(len(y), y[a1].mean()), np.full(len(y), y[a0].mean())
    psi = mu1 - mu0 + a1 * (y - mu1) / e1 - a0 * (y - mu0) / e0
    return psi.mean(), psi.std(ddof=1) / np.sqrt(len(y))


def _arm_codes(a1, a0):
    return np.where(a1, 1, np.where(a0, 0, 2))


def _point(method, x, a1, a0, y, binary, trim):
    if method == "naive":
        return _naive(a1, a0, y)
    if method == "regression":
        return _regression(x, a1, a0, y, binary)
    e = np.clip(_propensities(x, _arm_codes(a1, a0)), trim, 1 - trim)
    if method == "ipw":
        return _ipw(e[:, 1], e[:, 0], a1, a0, y)
    return _aipw(x, e[:, 1], e[:, 0], a1, a0, y, binary)


def estimate_effect(df: pd.DataFrame, treatment: str, outcome: str, covariates=(),
                    method: str = "aipw", seed: int = 0, trim: float = 0.01, n_boot: int = 0,
                    treated=None, control=None) -> EffectEstimate:  # fmt: skip
    """Average effect of a ``treatment`` on ``outcome``, adjusted for ``covariates``.

    The effect is a difference in means over all rows: a risk difference for a binary outcome
    (share retained with the treatment minus without), a difference in mean for a numeric one.
    The treatment is binary (True/1 treated), or a column with several levels of which
    ``treated`` is compared with ``control`` (e.g. ``compensation``, ``treated="refund"``,
    ``control="none"``; rows at other levels still count in the average).
    ``method`` is one of ``naive``, ``regression``, ``ipw``, ``aipw``. Rows are never dropped:
    a missing value in a used column raises :class:`~complaintlab.errors.DatasetError` naming
    it; groups the covariates separate raise :class:`~complaintlab.errors.OverlapError`.
    ``n_boot`` > 0 replaces the analytic interval by a percentile bootstrap seeded by ``seed``.

    Examples
    --------
    >>> import numpy as np
    >>> from complaintlab.simulate import simulate_cases
    >>> cases = simulate_cases(20_000, seed=0)
    >>> cases["log_value"] = np.log10(cases["customer_value"])
    >>> adjust = ["category", "complainant_type", "severity", "log_value", "resolved_fully"]
    >>> naive = estimate_effect(cases, "follow_up", "retained_90d", method="naive")
    >>> aipw = estimate_effect(cases, "follow_up", "retained_90d", adjust)
    >>> naive.estimate > aipw.estimate, aipw.method, aipw.n
    (True, 'aipw', 20000)
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}; got {method!r}")
    if not 0 <= trim < 0.5:
        raise ValueError(f"trim must lie in [0, 0.5); got {trim}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or (
            n_boot != 0 and n_boot < _MIN_BOOT):  # fmt: skip
        raise ValueError(f"n_boot must be 0 (analytic interval) or an integer of at least "
                         f"{_MIN_BOOT}; got {n_boot!r}")  # fmt: skip
    if isinstance(covariates, str):
        covariates = [covariates]
    covariates = list(covariates)
    if treatment in covariates or outcome in covariates:
        raise ValueError("the treatment and the outcome cannot also be covariates")
    _check_frame(df, [treatment, outcome, *covariates])
    a1, a0 = _arms(df[treatment], treatment, treated, control)
    raw = df[outcome]
    if not (pd.api.types.is_bool_dtype(raw) or pd.api.types.is_numeric_dtype(raw)):
        raise ValueError(f"outcome {outcome!r} must be numeric or boolean; got {raw.dtype}")
    y = raw.astype(float).to_numpy()
    binary = bool(np.isin(np.unique(y), [0.0, 1.0]).all())
    x = _design(df, covariates)
    if x.shape[1]:
        e = _propensities(x, _arm_codes(a1, a0))
        _check_overlap(e, a1, a0, treatment, covariates, max(trim, 0.01))
    estimate, se = _point(method, x, a1, a0, y, binary, trim)
    if n_boot:
        rng = np.random.default_rng(seed)
        draws = []
        for _ in range(int(n_boot)):
            i = rng.integers(0, len(y), len(y))
            if not (a1[i].any() and a0[i].any()):
                continue
            try:  # a resample can lose a rare category level, making a model singular
                draws.append(_point(method, x[i], a1[i], a0[i], y[i], binary, trim)[0])
            except np.linalg.LinAlgError:
                continue
        if len(draws) < 0.9 * n_boot:
            raise ValueError(f"only {len(draws)} of {n_boot} bootstrap resamples could be "
                             "estimated (rare groups or categories): use the analytic "
                             "interval")
        low, high = np.percentile(draws, [2.5, 97.5])
    else:
        low, high = _normal_ci(estimate, se)
    return EffectEstimate(method=method, estimate=float(estimate), ci_low=float(low),
                          ci_high=float(high), n=len(y))  # fmt: skip


def balance_table(df: pd.DataFrame, treatment: str, covariates, trim: float = 0.01
                  ) -> pd.DataFrame:  # fmt: skip
    """Standardised mean differences of each covariate before and after propensity weighting.

    One row per covariate column after one-hot encoding (``severity``, ``category_billing``
    ...): ``smd_before`` (raw groups) and ``smd_after`` (inverse-propensity weighted). An
    absolute SMD under 0.1 is the usual sign of balance.

    Examples
    --------
    >>> from complaintlab.simulate import simulate_cases
    >>> cases = simulate_cases(5_000, seed=0)
    >>> table = balance_table(cases, "follow_up", ["complainant_type", "resolved_fully"])
    >>> bool((table["smd_after"].abs() < table["smd_before"].abs()).all())
    True
    """
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    _check_frame(df, [treatment, *covariates])
    t = _binary(df[treatment], treatment)
    names, columns = [], []
    for c in covariates:
        col = df[c]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            names.append(c)
            columns.append(col.astype(float).to_numpy())
        else:
            dummies = pd.get_dummies(col.astype(str), prefix=c, dtype=float)
            names.extend(dummies.columns)
            columns.extend(dummies.to_numpy().T)
    x = np.column_stack(columns) if columns else np.zeros((len(t), 0))
    e = np.clip(_propensity(_design(df, covariates), t), trim, 1 - trim)
    w = np.where(t, 1 / e, 1 / (1 - e))

    def smd(weights):
        out = []
        for j in range(x.shape[1]):
            v = x[:, j]
            m1 = np.average(v[t], weights=weights[t])
            m0 = np.average(v[~t], weights=weights[~t])
            s = np.sqrt((v[t].var() + v[~t].var()) / 2)
            out.append((m1 - m0) / s if s > 0 else 0.0)
        return out

    return pd.DataFrame({"covariate": names, "smd_before": smd(np.ones(len(t))),
                         "smd_after": smd(w)}).round(4)  # fmt: skip
