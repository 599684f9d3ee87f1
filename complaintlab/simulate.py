"""Simulated complaint cases with a known truth, for testing follow-up estimators.

Real complaint data never tells you what *would* have happened without the follow-up call, so
an estimator can only be checked where the truth is known: in a simulation. The
data-generating process below is written out in full so that a student can read it, change a
parameter and predict what the estimators should find.

The process, one case at a time (``p`` are probabilities, ``logit`` log-odds):

1. **Who complains.** ``lang`` (uniform over the six languages), ``category``,
   ``complainant_type`` (most complainants are reasonable), ``severity`` (1-4, higher for
   aggressive and rip-off complainants), ``customer_segment`` (consumer, small_business,
   key_account; high-rollers are more often key accounts) and ``customer_value`` (the net value
   of keeping the customer, log-normal around 300, 3,000 and 50,000 by segment), ``channel``
   and ``received_at`` (uniform over 2025).
2. **How the organisation answers.** ``first_response_hours`` is log-normal around a median
   that depends on the channel, halves for key accounts and shortens with severity (triage).
   A response later than ``sla_hours`` is *slow*. ``resolved`` and ``resolved_fully`` depend on
   category and severity only; ``resolution_hours`` follows the first response.
   ``compensation`` (none, apology, discount, refund) depends on category, complainant type,
   severity, value and whether the problem was fixed.
3. **Treatments with confounding.** ``follow_up`` (a contact after closing) is more likely for
   valuable and calm (reasonable, meek) customers and for fixed problems - exactly the
   customers who were going to stay anyway. ``confounding`` scales that dependence; at 0 the
   follow-up is assigned at random.
4. **Outcomes.** ``csat`` (1-5) rounds a latent score: fixing the problem, a prompt answer and
   the compensation help; a refund helps less for service, usability and communication
   complaints than an apology does (*a refund is not always what is needed*).
   ``disputed`` (a chargeback or ombudsman case) rises with a slow response, severity and
   rip-off complainants. ``retained_90d`` rises with the follow-up, a full fix, a prompt
   answer, value and a calm temperament. ``days_to_churn`` comes from a Weibull model (shape
   ``weibull_shape`` < 1: churn comes early) that agrees with ``retained_90d``; it is
   right-censored at ``study_end`` (``observed`` is False for a customer still there).
   ``people_told`` (word of mouth) is negative binomial: about 12 people for an unhappy
   customer (csat 1-2), fewer for a satisfied one.

The defaults are calibrated to the articles' figures: about 9 of 10 customers stay after a
prompt and full fix, 10-30 % of customers leave within a year, and an unhappy customer tells
10-15 people. :func:`calibration` measures all three on a simulated sample.

The true effects (:func:`true_effects`) are population averages of the difference between the
two potential outcomes, computed on a large fixed draw of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from complaintlab.corpus import CATEGORIES, COMPLAINANT_TYPES

__all__ = [
    "COMPENSATIONS",
    "CONFOUNDERS",
    "SEGMENTS",
    "SimulationParams",
    "calibration",
    "simulate_cases",
    "simulate_reference",
    "true_effects",
]

#: Compensation types, from least to most costly.
COMPENSATIONS = ("none", "apology", "discount", "refund")
#: Customer segments, from smallest to largest.
SEGMENTS = ("consumer", "small_business", "key_account")
#: Columns that drive both a treatment and an outcome in the process: adjust for these.
CONFOUNDERS = ("category", "complainant_type", "severity", "customer_value", "resolved_fully")

_LANGS = ("ar", "bg", "en", "fa", "he", "ru")
_CHANNELS = ("chat", "email", "phone", "social", "web_form")
_CHANNEL_P = (0.25, 0.30, 0.25, 0.10, 0.10)
_CHANNEL_MEDIAN_H = (1.5, 20.0, 3.0, 8.0, 30.0)  # median first response by channel, hours
_CATEGORY_P = (0.22, 0.20, 0.18, 0.20, 0.10, 0.10)
_TYPE_P = (0.42, 0.14, 0.14, 0.07, 0.12, 0.11)  # reasonable, meek, aggressive, high_roller, ...
_SEGMENT_MEDIAN = (300.0, 3_000.0, 50_000.0)
_CALM = np.array([t in ("reasonable", "meek") for t in COMPLAINANT_TYPES])
_REFUND_HELPS_LESS = np.array([c in ("service", "usability", "communication") for c in CATEGORIES])
_STUDY_START = pd.Timestamp("2025-01-01", tz="UTC")
_MEAN_LOG_VALUE = 0.333  # E[log10(customer_value / 300)] under the segment mix above


@dataclass(frozen=True)
class SimulationParams:
    """The knobs of the process; every field can be passed to :func:`simulate_cases`.

    Effects are on the log-odds scale for binary outcomes and on the latent csat scale for
    compensation; :func:`true_effects` turns them into average differences.
    """

    follow_up_effect: float = 0.9
    """log-odds of ``retained_90d``: a follow-up contact vs none."""
    slow_response_effect: float = 0.8
    """log-odds of ``disputed``: a first response later than ``sla_hours`` vs a prompt one."""
    apology_effect: float = 0.45
    """latent csat: a sincere apology vs no compensation."""
    discount_effect: float = 0.35
    """latent csat: a discount vs no compensation."""
    refund_effect: float = 0.7
    """latent csat: a refund vs none, for product, delivery and billing complaints."""
    refund_effect_other: float = 0.2
    """latent csat: a refund vs none, for service, usability and communication complaints."""
    confounding: float = 1.0
    """scales how much value and temperament drive the follow-up (0: assigned at random)."""
    follow_up_rate: float = 0.35
    """share of cases followed up when ``confounding`` is 0 (roughly the share otherwise)."""
    sla_hours: float = 24.0
    """the first-response target; a later answer is *slow*."""
    response_time_scale: float = 1.0
    """multiplies every first-response time (0.5: twice as fast, 2: twice as slow)."""
    follow_up_delay_hours: float = 53.0
    """median time from closing the complaint to the follow-up contact."""
    follow_up_half_life_days: float = float("inf")
    """the follow-up's effect halves for every this many days of delay (inf: no decay)."""
    compensation_mix: tuple | None = None
    """shares of none / apology / discount / refund handed out at random (None: by the
    usual confounded rules)."""
    paradox: bool = False
    """service-recovery paradox: a prompt full fix keeps customers better than no problem."""
    paradox_effect: float = 0.6
    """log-odds of retention over a customer with no problem, when ``paradox`` is on."""
    reference_retention_90d: float = 0.94
    """90-day retention of a comparable customer who had no problem."""
    weibull_shape: float = 0.5
    """shape of the churn-time distribution (< 1: churn comes soon after the complaint)."""
    study_end: str = "2026-06-30"
    """the day follow-up stops; churn after it is censored."""

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("paradox", "study_end", "compensation_mix"):
                continue
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TypeError(f"parameter {f.name!r} must be a number; got {value!r}")
        if not 0 < self.follow_up_rate < 1:
            raise ValueError(f"follow_up_rate must lie in (0, 1); got {self.follow_up_rate}")
        if not 0 < self.reference_retention_90d < 1:
            raise ValueError("reference_retention_90d must lie in (0, 1); "
                             f"got {self.reference_retention_90d}")  # fmt: skip
        for name in ("weibull_shape", "sla_hours", "response_time_scale",
                     "follow_up_delay_hours", "follow_up_half_life_days"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive; got {getattr(self, name)}")
        if self.compensation_mix is not None:
            object.__setattr__(self, "compensation_mix", tuple(self.compensation_mix))
            mix = np.asarray(self.compensation_mix, dtype=float)
            if mix.shape != (4,) or (mix < 0).any() or not np.isclose(mix.sum(), 1.0):
                raise ValueError("compensation_mix must be four shares (none, apology, discount, "
                                 f"refund) that sum to 1; got {self.compensation_mix!r}")
        if pd.Timestamp(self.study_end, tz="UTC") < pd.Timestamp("2026-01-01", tz="UTC"):
            raise ValueError(f"study_end must be on or after 2026-01-01; got {self.study_end!r}")


def _params(overrides: dict) -> SimulationParams:
    known = {f.name for f in fields(SimulationParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown simulation parameter(s) {unknown}; known: {sorted(known)}")
    return replace(SimulationParams(), **overrides)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p):
    return np.log(p / (1.0 - p))


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer; got {n!r}")
    return int(n)


def _customers(rng, n):
    """Who complains: the pre-treatment covariates, as integer codes and arrays."""
    c = {}
    c["lang"] = rng.integers(0, len(_LANGS), n)
    c["category"] = rng.choice(len(CATEGORIES), n, p=_CATEGORY_P)
    c["type"] = rng.choice(len(COMPLAINANT_TYPES), n, p=_TYPE_P)
    heated = np.isin(np.asarray(COMPLAINANT_TYPES)[c["type"]], ("aggressive", "rip_off"))
    c["severity"] = 1 + rng.binomial(3, np.where(heated, 0.6, 0.35))
    high_roller = np.asarray(COMPLAINANT_TYPES)[c["type"]] == "high_roller"
    u = rng.random(n)
    key_p, business_p = np.where(high_roller, 0.35, 0.04), np.where(high_roller, 0.40, 0.18)
    c["segment"] = np.where(u < key_p, 2, np.where(u < key_p + business_p, 1, 0))
    c["value"] = np.round(np.asarray(_SEGMENT_MEDIAN)[c["segment"]]
                          * np.exp(rng.normal(0.0, 0.8, n)), 2)  # fmt: skip
    c["channel"] = rng.choice(len(_CHANNELS), n, p=_CHANNEL_P)
    c["calm"] = _CALM[c["type"]]
    c["log_value"] = np.log10(c["value"] / 300.0)
    return c


def _assignments(rng, c, p: SimulationParams, n):
    """How the organisation answered: response times, fixes, compensation, follow-up."""
    t = {}
    median = np.asarray(_CHANNEL_MEDIAN_H)[c["channel"]]
    median = median * np.where(c["segment"] == 2, 0.5, 1.0) * (1.15 - 0.1 * c["severity"])
    median = median * p.response_time_scale
    t["first_response_hours"] = np.round(median * np.exp(rng.normal(0.0, 0.9, n)), 2)
    t["slow"] = t["first_response_hours"] > p.sla_hours
    cat_fix = np.array([0.6, 0.9, 0.8, 1.1, 0.7, 1.2])[c["category"]]
    t["resolved"] = rng.random(n) < _sigmoid(1.2 + cat_fix - 0.35 * c["severity"])
    t["resolved_fully"] = t["resolved"] & (rng.random(n) < _sigmoid(0.9 - 0.2 * c["severity"]))
    hours = t["first_response_hours"] + 6.0 * c["severity"] * np.exp(rng.normal(1.5, 0.8, n))
    t["resolution_hours"] = np.where(t["resolved"], np.round(hours, 2), np.nan)
    # compensation: multinomial logit over none / apology / discount / refund
    money_cat = np.isin(np.asarray(CATEGORIES)[c["category"]], ("billing", "delivery", "product"))
    greedy = np.isin(np.asarray(COMPLAINANT_TYPES)[c["type"]], ("rip_off", "high_roller"))
    scores = np.column_stack([
        np.zeros(n),
        0.8 + 0.4 * c["calm"],
        -0.6 + 0.3 * c["severity"] + 0.6 * greedy + 0.3 * c["log_value"]
        - 0.5 * t["resolved_fully"],
        -1.2 + 1.0 * money_cat + 0.35 * c["severity"] + 0.6 * greedy,
    ])  # fmt: skip
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    if p.compensation_mix is not None:  # handed out at random, whatever the case
        probs = np.tile(np.asarray(p.compensation_mix, dtype=float), (n, 1))
    t["compensation"] = (rng.random((n, 1)) > probs.cumsum(axis=1)).sum(axis=1).clip(max=3)
    base = _logit(p.follow_up_rate)
    lin = base + p.confounding * (0.9 * c["log_value"] + 0.8 * (c["calm"] - 0.56)
                                  + 0.9 * (t["resolved_fully"] - 0.45)
                                  - 0.25 * (c["severity"] - 2.2))  # fmt: skip
    t["follow_up"] = rng.random(n) < _sigmoid(lin)
    delay = np.round(p.follow_up_delay_hours * np.exp(rng.normal(0.0, 0.6, n)), 1)
    t["delay"] = delay  # what the delay would be, for everyone (the potential outcomes need it)
    t["follow_up_delay_hours"] = np.where(t["follow_up"], delay, np.nan)
    return t


def _csat_latent(c, t, p: SimulationParams, compensation):
    effects = np.array([0.0, p.apology_effect, p.discount_effect, p.refund_effect])
    effect = effects[compensation]
    other = (compensation == 3) & _REFUND_HELPS_LESS[c["category"]]
    effect = np.where(other, p.refund_effect_other, effect)
    return (2.3 + 1.3 * t["resolved_fully"] + 0.5 * t["resolved"] - 0.6 * t["slow"]
            - 0.3 * (c["severity"] - 2) + 0.4 * c["calm"] + effect)  # fmt: skip


def _csat(latent, noise):
    return np.clip(np.round(latent + noise), 1, 5).astype(np.int64)


def _dispute_lin(c, t, p: SimulationParams, slow):
    rip_off = np.asarray(COMPLAINANT_TYPES)[c["type"]] == "rip_off"
    aggressive = np.asarray(COMPLAINANT_TYPES)[c["type"]] == "aggressive"
    return (-3.0 + p.slow_response_effect * slow + 0.45 * (c["severity"] - 2) + 1.0 * rip_off
            + 0.5 * aggressive - 1.0 * t["resolved_fully"] - 0.3 * c["log_value"])  # fmt: skip


def _retention_lin(c, t, p: SimulationParams, follow_up, disputed):
    chronic = np.asarray(COMPLAINANT_TYPES)[c["type"]] == "chronic"
    prompt_full = t["resolved_fully"] & ~t["slow"]
    decay = 0.5 ** (t["delay"] / 24.0 / p.follow_up_half_life_days)
    lin = (0.45 + p.follow_up_effect * decay * follow_up + 1.2 * t["resolved_fully"]
           + 0.5 * (t["resolved"] & ~t["resolved_fully"]) - 0.5 * t["slow"]
           + p.confounding * (0.7 * c["log_value"] + 0.7 * c["calm"])
           + 0.4 * chronic - 0.25 * (c["severity"] - 2) - 0.8 * disputed)  # fmt: skip
    if p.paradox:
        lin = lin + p.paradox_effect * prompt_full
    return lin


def _churn(rng, p90, received, p: SimulationParams):
    """Weibull churn times that agree with the 90-day churn probability, and censoring."""
    rate = -np.log1p(-np.clip(p90, 1e-12, 1 - 1e-12))
    days = 90.0 * (rng.exponential(1.0, len(p90)) / rate) ** (1.0 / p.weibull_shape)
    end = pd.Timestamp(p.study_end, tz="UTC")
    follow = ((end - received) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    observed = days <= follow
    # tenths of a day, rounded up so that 'churned by day 90' reads the same from the column
    return days, np.ceil(np.minimum(days, follow) * 10) / 10, observed


def _people_told(rng, csat):
    mean = np.array([0.0, 13.0, 11.0, 6.0, 3.0, 2.0])[csat]
    size = 3.0  # negative binomial dispersion: a few tell many more
    return rng.negative_binomial(size, size / (size + mean)).astype(np.int64)


def _draw(n, seed, p: SimulationParams):
    rng = np.random.default_rng(seed)
    c = _customers(rng, n)
    t = _assignments(rng, c, p, n)
    o = {"csat_noise": rng.normal(0.0, 0.9, n), "u_dispute": rng.random(n),
         "u_retain": rng.random(n)}  # fmt: skip
    seconds = rng.integers(0, 365 * 24 * 3600, n)
    o["received_at"] = _STUDY_START + pd.to_timedelta(np.sort(seconds), unit="s")
    return rng, c, t, o


def simulate_cases(n: int, seed: int = 0, **params) -> pd.DataFrame:
    """Simulate ``n`` complaint cases with the documented process; same seed, same cases.

    Parameters are the fields of :class:`SimulationParams` (e.g. ``follow_up_effect=0``,
    ``confounding=0``, ``paradox=True``); an unknown name raises ``TypeError``.

    Examples
    --------
    >>> cases = simulate_cases(1_000, seed=1)
    >>> cases.shape
    (1000, 22)
    >>> cases[["csat", "people_told"]].min().tolist()
    [1, 0]
    >>> simulate_cases(5, seed=1).equals(simulate_cases(5, seed=1))
    True
    """
    n = _check_n(n)
    p = _params(params)
    rng, c, t, o = _draw(n, seed, p)
    csat = _csat(_csat_latent(c, t, p, t["compensation"]), o["csat_noise"])
    disputed = o["u_dispute"] < _sigmoid(_dispute_lin(c, t, p, t["slow"]))
    p90 = 1.0 - _sigmoid(_retention_lin(c, t, p, t["follow_up"], disputed))
    days, shown, observed = _churn(rng, p90, o["received_at"], p)
    retained = days > 90.0
    people = _people_told(rng, csat)
    frame = pd.DataFrame({
        "case_id": pd.array([f"case-{i:07d}" for i in range(1, n + 1)], dtype="string"),
        "lang": pd.Categorical.from_codes(c["lang"], _LANGS),
        "category": pd.Categorical.from_codes(c["category"], CATEGORIES),
        "complainant_type": pd.Categorical.from_codes(c["type"], COMPLAINANT_TYPES),
        "severity": c["severity"].astype(np.int64),
        "customer_segment": pd.Categorical.from_codes(c["segment"], SEGMENTS, ordered=True),
        "customer_value": c["value"],
        "channel": pd.Categorical.from_codes(c["channel"], _CHANNELS),
        "received_at": o["received_at"],
        "first_response_hours": t["first_response_hours"],
        "resolution_hours": t["resolution_hours"],
        "resolved": t["resolved"],
        "resolved_fully": t["resolved_fully"],
        "compensation": pd.Categorical.from_codes(t["compensation"], COMPENSATIONS),
        "follow_up": t["follow_up"],
        "follow_up_delay_hours": t["follow_up_delay_hours"],
        "csat": csat,
        "disputed": disputed,
        "retained_90d": retained,
        "days_to_churn": shown,
        "observed": observed,
        "people_told": people,
    })  # fmt: skip
    return frame


def simulate_reference(n: int, seed: int = 0, **params) -> pd.DataFrame:
    """Simulate ``n`` comparable customers who had no problem, for the recovery paradox.

    They are drawn like the complainants (language, temperament, segment, value, channel) but
    never complained; ``complainant_type`` is the type they would be if they did. Their 90-day
    retention averages ``reference_retention_90d`` for a typical customer. With
    ``paradox=True`` a prompt, full fix keeps a complainant *better* than such a customer.

    Examples
    --------
    >>> ref = simulate_reference(2_000, seed=3)
    >>> list(ref.columns)[:3], round(float(ref["retained_90d"].mean()), 1)
    (['customer_id', 'lang', 'complainant_type'], 0.9)
    """
    n = _check_n(n)
    p = _params(params)
    rng = np.random.default_rng(seed)
    c = _customers(rng, n)
    seconds = rng.integers(0, 365 * 24 * 3600, n)
    received = _STUDY_START + pd.to_timedelta(np.sort(seconds), unit="s")
    p90 = 1.0 - _sigmoid(_reference_lin(c, p))
    days, shown, observed = _churn(rng, p90, received, p)
    return pd.DataFrame({
        "customer_id": pd.array([f"ref-{i:07d}" for i in range(1, n + 1)], dtype="string"),
        "lang": pd.Categorical.from_codes(c["lang"], _LANGS),
        "complainant_type": pd.Categorical.from_codes(c["type"], COMPLAINANT_TYPES),
        "customer_segment": pd.Categorical.from_codes(c["segment"], SEGMENTS, ordered=True),
        "customer_value": c["value"],
        "channel": pd.Categorical.from_codes(c["channel"], _CHANNELS),
        "since": received,
        "retained_90d": days > 90.0,
        "days_to_churn": shown,
        "observed": observed,
    })  # fmt: skip


def _reference_lin(c, p: SimulationParams):
    chronic = np.asarray(COMPLAINANT_TYPES)[c["type"]] == "chronic"
    # centred on the average complainant mix, so a typical customer keeps the set retention
    centre = p.confounding * (0.7 * _MEAN_LOG_VALUE + 0.7 * _TYPE_P[0] + 0.7 * _TYPE_P[1])
    return (_logit(p.reference_retention_90d) - centre - 0.4 * _TYPE_P[4]
            + p.confounding * (0.7 * c["log_value"] + 0.7 * c["calm"]) + 0.4 * chronic)


def _expected_csat(latent):
    """E[clip(round(latent + N(0, 0.9^2)), 1, 5)] without drawing the noise."""
    from scipy.stats import norm

    steps = np.arange(1, 5) + 0.5
    return 1.0 + norm.cdf((latent[:, None] - steps[None, :]) / 0.9).sum(axis=1)


def true_effects(n: int = 400_000, seed: int = 20_251_123, **params) -> dict[str, float]:
    """The average effects the estimators should recover, for the same parameters.

    Each is the population mean of the difference between two potential outcomes, computed
    exactly for every case of a large fixed draw (Monte Carlo error below 0.001):

    - ``follow_up``: risk difference in ``retained_90d``, follow-up vs none;
    - ``slow_response``: risk difference in ``disputed``, a first response later than
      ``sla_hours`` vs a prompt one;
    - ``compensation_apology``, ``compensation_discount``, ``compensation_refund``: difference
      in mean ``csat`` (1-5) against no compensation.

    Examples
    --------
    >>> effects = true_effects(n=50_000)
    >>> sorted(effects)[-2:], len(effects)
    (['follow_up', 'slow_response'], 5)
    >>> true_effects(n=50_000, follow_up_effect=0.0)["follow_up"]
    0.0
    """
    n = _check_n(n)
    p = _params(params)
    _, c, t, _ = _draw(n, seed, p)
    out = {}
    pd1 = _sigmoid(_dispute_lin(c, t, p, t["slow"]))
    retain = {}
    for f in (0, 1):
        retain[f] = (pd1 * _sigmoid(_retention_lin(c, t, p, f, True))
                     + (1 - pd1) * _sigmoid(_retention_lin(c, t, p, f, False)))  # fmt: skip
    out["follow_up"] = float(np.mean(retain[1] - retain[0]))
    slow = [_sigmoid(_dispute_lin(c, t, p, s)) for s in (False, True)]
    out["slow_response"] = float(np.mean(slow[1] - slow[0]))
    none = _expected_csat(_csat_latent(c, t, p, np.zeros(n, dtype=int)))
    for code, name in enumerate(COMPENSATIONS[1:], start=1):
        given = _expected_csat(_csat_latent(c, t, p, np.full(n, code)))
        out[f"compensation_{name}"] = float(np.mean(given - none))
    return {k: round(v, 6) for k, v in sorted(out.items())}


def calibration(cases: pd.DataFrame, reference: pd.DataFrame | None = None,
                sla_hours: float = 24.0) -> pd.DataFrame:
    """The articles' figures next to what a simulated sample shows.

    One row per claim: ``claim``, ``article`` (the source's language), ``target`` (the
    article's figure or range) and ``simulated``. A fix is prompt when the first response came
    within ``sla_hours`` (use the value the cases were simulated with).

    Examples
    --------
    >>> table = calibration(simulate_cases(20_000, seed=2))
    >>> table["claim"].tolist()[0]
    'customers kept after a prompt, full fix (90 days)'
    """
    prompt_full = cases["resolved_fully"] & ~_is_slow(cases, sla_hours)
    year = _share_gone_within(cases, 365.0)
    unhappy = cases["csat"] <= 2
    rows = [
        ("customers kept after a prompt, full fix (90 days)", "bg", "9 in 10",
         float(cases.loc[prompt_full, "retained_90d"].mean())),
        ("customers lost within a year (complainants)", "fa", "10-30 %", year),
        ("people an unhappy customer tells (mean)", "fa", "10-15",
         float(cases.loc[unhappy, "people_told"].mean())),
    ]  # fmt: skip
    if reference is not None:
        rows.append(("customers lost within a year (no problem)", "fa", "10-30 %",
                     _share_gone_within(reference, 365.0)))  # fmt: skip
    return pd.DataFrame(rows, columns=["claim", "article", "target", "simulated"]).round(3)


def _is_slow(cases: pd.DataFrame, sla_hours: float = 24.0) -> pd.Series:
    return cases["first_response_hours"] > sla_hours


def _share_gone_within(frame: pd.DataFrame, days: float) -> float:
    """Kaplan-Meier estimate of the share who left within ``days`` (censoring respected)."""
    from complaintlab.followup import kaplan_meier

    curve = kaplan_meier(frame["days_to_churn"], frame["observed"])
    before = curve.loc[curve["time"] <= days, "survival"]
    return float(1.0 - (before.iloc[-1] if len(before) else 1.0))
