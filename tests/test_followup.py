"""Follow-up analysis: estimators recover known effects; survival matches references."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from complaintlab.errors import DatasetError, OverlapError
from complaintlab.followup import (
    METHODS,
    balance_table,
    concede_threshold,
    dispute_options,
    estimate_effect,
    kaplan_meier,
    logrank_test,
    outcome_rates,
    recovery_paradox,
    response_times,
    word_of_mouth,
)
from complaintlab.simulate import CONFOUNDERS, simulate_cases, simulate_reference, true_effects

ADJUST = [c if c != "customer_value" else "log_value" for c in CONFOUNDERS]


def _sample(n, seed, **params):
    cases = simulate_cases(n, seed=seed, **params)
    cases["log_value"] = np.log10(cases["customer_value"])
    cases["slow"] = cases["first_response_hours"] > 24
    return cases


# ---- the causal estimators --------------------------------------------------------------

PARAMETER_SETS = [
    {},                                                   # the calibrated defaults
    {"follow_up_effect": 0.0},                            # no effect at all
    {"follow_up_effect": 1.6, "confounding": 1.5},        # strong effect, strong confounding
    {"follow_up_effect": -0.5, "slow_response_effect": 1.4},  # harmful follow-up, worse delays
]  # fmt: skip


@pytest.mark.parametrize("params", PARAMETER_SETS)
def test_ipw_and_aipw_intervals_contain_the_true_effects(params):
    cases = _sample(120_000, seed=21, **params)
    truth = true_effects(**params)
    for treatment, outcome, key in (("follow_up", "retained_90d", "follow_up"),
                                    ("slow", "disputed", "slow_response")):  # fmt: skip
        for method in ("ipw", "aipw"):
            est = estimate_effect(cases, treatment, outcome, ADJUST, method=method)
            assert est.ci_low <= truth[key] <= est.ci_high, (method, key, est, truth[key])
            assert est.ci_high - est.ci_low < 0.02


def test_naive_estimate_is_biased_when_confounded_and_not_when_randomised():
    truth = true_effects()["follow_up"]
    naive = estimate_effect(_sample(120_000, seed=22), "follow_up", "retained_90d",
                            method="naive")  # fmt: skip
    assert naive.ci_low > truth + 0.02  # calm, valuable customers get the call and stay anyway
    random_truth = true_effects(confounding=0)["follow_up"]
    fair = estimate_effect(_sample(120_000, seed=22, confounding=0), "follow_up",
                           "retained_90d", method="naive")  # fmt: skip
    assert fair.ci_low <= random_truth <= fair.ci_high


def test_regression_adjustment_moves_towards_the_truth():
    cases = _sample(60_000, seed=23)
    truth = true_effects()["follow_up"]
    naive = estimate_effect(cases, "follow_up", "retained_90d", method="naive")
    adjusted = estimate_effect(cases, "follow_up", "retained_90d", ADJUST, method="regression")
    assert abs(adjusted.estimate - truth) < abs(naive.estimate - truth) / 3


def test_several_level_treatment_compares_two_levels_over_everyone():
    """The refund helps less for some categories: a single treatment coefficient would miss the
    average effect; the interacted regression and AIPW must not."""
    cases = _sample(120_000, seed=24)
    truth = true_effects()
    for level in ("apology", "refund"):
        for method in ("regression", "aipw"):
            est = estimate_effect(cases, "compensation", "csat", ADJUST, method=method,
                                  treated=level, control="none")  # fmt: skip
            assert est.ci_low <= truth[f"compensation_{level}"] <= est.ci_high, (level, method)
    with pytest.raises(ValueError, match="'voucher' is not a value of 'compensation'"):
        estimate_effect(cases, "compensation", "csat", ADJUST, treated="voucher", control="none")


def test_every_method_returns_a_frozen_estimate_with_n():
    cases = _sample(3_000, seed=25)
    for method in METHODS:
        est = estimate_effect(cases, "follow_up", "retained_90d", ADJUST, method=method)
        assert est.method == method and est.n == 3_000
        assert est.ci_low < est.estimate < est.ci_high
        with pytest.raises(AttributeError):
            est.estimate = 0.0


def test_bootstrap_interval_is_seeded_and_close_to_the_analytic_one():
    cases = _sample(4_000, seed=26)
    args = (cases, "follow_up", "retained_90d", ADJUST)
    one = estimate_effect(*args, method="ipw", n_boot=200, seed=5)
    two = estimate_effect(*args, method="ipw", n_boot=200, seed=5)
    analytic = estimate_effect(*args, method="ipw")
    assert one == two
    assert one.ci_high - one.ci_low == pytest.approx(analytic.ci_high - analytic.ci_low, rel=0.2)
    for bad in (True, -5, 20, 2.5):
        with pytest.raises(ValueError, match="n_boot must be 0"):
            estimate_effect(*args, method="ipw", n_boot=bad)


def test_balance_improves_after_weighting():
    table = balance_table(_sample(30_000, seed=27), "follow_up", ADJUST)
    assert table["smd_before"].abs().max() > 0.2
    assert table["smd_after"].abs().max() < 0.1
    assert {"complainant_type_meek", "log_value", "resolved_fully"} <= set(table["covariate"])


def test_clear_errors_name_the_problem():
    cases = _sample(2_000, seed=28)
    with pytest.raises(DatasetError, match="missing column 'follow_upp'"):
        estimate_effect(cases, "follow_upp", "retained_90d", ADJUST)
    with pytest.raises(DatasetError, match="missing column 'tone'"):
        estimate_effect(cases, "follow_up", "retained_90d", ["tone"])
    with pytest.raises(ValueError, match="'severity' must be binary"):
        estimate_effect(cases, "severity", "retained_90d", ["log_value"])
    with pytest.raises(ValueError, match="only one group"):
        estimate_effect(cases.assign(always=True), "always", "retained_90d", ["log_value"])
    with pytest.raises(ValueError, match="method must be one of"):
        estimate_effect(cases, "follow_up", "retained_90d", ADJUST, method="psm")
    holes = cases.copy()
    holes.loc[[3, 7], "log_value"] = np.nan
    message = r"'log_value': 2 missing value\(s\), first at row\(s\) \[3, 7\]"
    with pytest.raises(DatasetError, match=message):
        estimate_effect(holes, "follow_up", "retained_90d", ADJUST)
    with pytest.raises(ValueError, match="outcome 'lang' must be numeric"):
        estimate_effect(cases, "follow_up", "lang", ADJUST)


def test_covariates_that_cannot_adjust_are_named():
    cases = _sample(2_000, seed=33)
    with pytest.raises(DatasetError, match="covariate 'k' has the same value in every row"):
        estimate_effect(cases.assign(k=1.0), "follow_up", "retained_90d", ["log_value", "k"])
    with pytest.raises(DatasetError, match="collinear"):
        estimate_effect(cases.assign(copy=cases["log_value"] * 2), "follow_up", "retained_90d",
                        ["log_value", "copy"], method="regression")  # fmt: skip
    with pytest.raises(DatasetError, match="'log_value': 1 infinite value"):
        estimate_effect(cases.assign(log_value=cases["log_value"].where(cases.index != 4,
                                                                        np.inf)),
                        "follow_up", "retained_90d", ["log_value"])  # fmt: skip
    with pytest.raises(DatasetError, match="no rows"):
        estimate_effect(cases.iloc[:0], "follow_up", "retained_90d", ["log_value"])


def test_no_overlap_is_refused():
    cases = _sample(2_000, seed=29)
    cases["called_list"] = np.where(cases["follow_up"], "on the list", "not on it")
    for method in METHODS:
        with pytest.raises(OverlapError, match="no overlap between the 'follow_up' groups"):
            estimate_effect(cases, "follow_up", "retained_90d", ["called_list"], method=method)


# ---- survival -----------------------------------------------------------------------------

def test_kaplan_meier_hand_checked_example_with_censoring():
    # 6 customers; churned at days 1, 3, 3 and 6; still with us at days 2 and 5 (censored).
    # day 1: 6 at risk, 1 leaves -> 5/6; day 3: 4 at risk (one censored at 2), 2 leave
    # -> 5/6 * 2/4 = 5/12; day 5: censored only; day 6: 1 at risk, 1 leaves -> 0.
    curve = kaplan_meier([1, 2, 3, 3, 5, 6], [1, 0, 1, 1, 0, 1])
    assert curve["time"].tolist() == [1, 2, 3, 5, 6]
    assert curve["at_risk"].tolist() == [6, 5, 4, 2, 1]
    assert curve["survival"].tolist() == pytest.approx([5 / 6, 5 / 6, 5 / 12, 5 / 12, 0.0])
    # Greenwood variance at day 3: S^2 * (1/(6*5) + 2/(4*2))
    se = (5 / 12) * np.sqrt(1 / 30 + 2 / 8)
    z = 1.959963984540054
    half = z * se / ((5 / 12) * abs(np.log(5 / 12)))
    assert curve.loc[2, "ci_low"] == pytest.approx((5 / 12) ** np.exp(half))
    assert curve.loc[2, "ci_high"] == pytest.approx((5 / 12) ** np.exp(-half))


def test_kaplan_meier_matches_statsmodels():
    rng = np.random.default_rng(0)
    time = np.ceil(rng.exponential(30, 2_000))
    event = rng.random(2_000) < 0.6
    ours = kaplan_meier(time, event)
    ref = SurvfuncRight(time, event.astype(int))
    at_events = ours[ours["events"] > 0]
    assert np.allclose(at_events["time"], ref.surv_times)
    assert np.allclose(at_events["survival"], ref.surv_prob)
    d, n = at_events["events"], at_events["at_risk"]
    greenwood_se = at_events["survival"] * np.sqrt(np.cumsum(d / (n * (n - d))))
    assert np.allclose(greenwood_se[:-1], ref.surv_prob_se[:-1])


@pytest.mark.parametrize("groups", [2, 3])
def test_logrank_matches_statsmodels(groups):
    rng = np.random.default_rng(groups)
    group = rng.integers(0, groups, 1_500)
    time = np.ceil(rng.exponential(20 + 5 * group))
    event = rng.random(1_500) < 0.7
    ours = logrank_test(time, event, group)
    stat, p = survdiff(time, event.astype(int), group)
    assert ours.statistic == pytest.approx(stat) and ours.p_value == pytest.approx(p)
    assert ours.df == groups - 1
    assert sum(ours.observed.values()) == event.sum()


def test_logrank_with_a_group_never_at_risk_and_without_events():
    r = logrank_test([1, 2, 3, 4, 5], [0, 1, 1, 1, 1], ["a", "b", "b", "c", "c"])
    assert r.df == 1 and r.observed == {"a": 0.0, "b": 2.0, "c": 2.0}
    with pytest.raises(ValueError, match="no events"):
        logrank_test([1, 2], [0, 0], ["a", "b"])


def test_series_must_pair_up_by_index():
    durations = pd.Series([1.0, 2.0, 3.0], index=[10, 20, 30])
    with pytest.raises(ValueError, match="different indexes"):
        kaplan_meier(durations, pd.Series([1, 0, 1], index=[30, 20, 10]))
    with pytest.raises(ValueError, match="time spans"):
        kaplan_meier(pd.to_timedelta([1, 2], unit="D"), [1, 0])
    with pytest.raises(DatasetError, match="row 1: duration inf is not finite"):
        kaplan_meier([1.0, np.inf], [1, 0])


def test_survival_input_errors():
    with pytest.raises(DatasetError, match="row 1: duration -2"):
        kaplan_meier([1, -2], [1, 1])
    with pytest.raises(DatasetError, match="row 0: observed 'yes'"):
        kaplan_meier([1, 2], ["yes", True])
    with pytest.raises(DatasetError, match="row 1: duration nan is not a number"):
        kaplan_meier([1, np.nan], [1, 0])
    with pytest.raises(ValueError, match="durations has 2 values but observed has 1"):
        kaplan_meier([1, 2], [1])
    with pytest.raises(ValueError, match="at least two groups"):
        logrank_test([1, 2], [1, 1], ["a", "a"])


# ---- descriptive metrics, recovery, word of mouth, decisions -------------------------------

def test_response_times_by_group_and_missing_counted():
    df = pd.DataFrame({"channel": ["chat", "chat", "email", "email", "email"],
                       "first_response_hours": [0.5, 1.5, 10.0, 30.0, None]})
    out = response_times(df, by="channel", columns="first_response_hours", sla_hours=24)
    assert out["channel"].tolist() == ["chat", "email"]
    assert out["n"].tolist() == [2, 2] and out["missing"].tolist() == [0, 1]
    assert out["median"].tolist() == [1.0, 20.0]
    assert out["within_sla"].tolist() == [1.0, 0.5]
    with pytest.raises(DatasetError, match="missing column 'team'"):
        response_times(df, by="team")
    with pytest.raises(DatasetError, match=r"column 'first_response_hours', row 1: -2.0"):
        response_times(df.assign(first_response_hours=[1.0, -2.0, 3.0, 4.0, 5.0]), by="channel",
                       columns="first_response_hours")  # fmt: skip


def test_rows_without_a_group_are_refused_not_dropped():
    cases = _sample(500, seed=34)
    cases["channel"] = cases["channel"].astype(object)
    cases.loc[[5, 9], "channel"] = None
    for call in (lambda: response_times(cases, by="channel"),
                 lambda: outcome_rates(cases, "retained_90d", "channel")):  # fmt: skip
        expected = r"'channel': 2 missing value\(s\), first at row\(s\) \[5, 9\]"
        with pytest.raises(DatasetError, match=expected):
            call()


def test_outcome_rates_bootstrap_is_seeded_and_brackets_the_rate():
    cases = _sample(5_000, seed=30)
    one = outcome_rates(cases, "retained_90d", "follow_up", n_boot=300, seed=1)
    assert one.equals(outcome_rates(cases, "retained_90d", "follow_up", n_boot=300, seed=1))
    assert (one["ci_low"] <= one["rate"]).all() and (one["rate"] <= one["ci_high"]).all()
    assert one["n"].sum() == 5_000


def test_recovery_paradox_switch_shows_in_the_comparison():
    kw = {"n_boot": 200}
    switch = {"paradox": True, "paradox_effect": 1.5}
    on = recovery_paradox(_sample(40_000, 31, **switch),
                          simulate_reference(40_000, seed=32, **switch), **kw)
    off = recovery_paradox(_sample(40_000, 31), simulate_reference(40_000, seed=32), **kw)
    assert on.loc[2, "ci_low"] > 0          # fixed customers stay better than no-problem ones
    assert off.loc[2, "ci_high"] < 0        # without the paradox a problem still costs
    holes = _sample(1_000, 35).astype({"resolved_fully": object})
    holes.loc[3, "resolved_fully"] = None
    with pytest.raises(DatasetError, match="'resolved_fully': 1 missing value"):
        recovery_paradox(holes, simulate_reference(1_000, seed=36), **kw)


def test_word_of_mouth_reach():
    table = word_of_mouth([10, 14], generations=np.int64(2), pass_on=0.5)
    assert table["new_people"].tolist() == [12.0, 72.0]
    with pytest.raises(ValueError, match="pass_on"):
        word_of_mouth(12, pass_on=2)


def test_dispute_decision_reproduces_the_article_and_its_boundary():
    table = dispute_options([1_000_000, 10_000], 1_000)
    assert table["best"].tolist() == ["concede", "persuade"]
    edge = concede_threshold(1_000)
    at = dispute_options(edge, 1_000)
    assert at.loc[0, "concede"] == pytest.approx(at.loc[0, "persuade"])
    assert dispute_options(-5_000, 1_000).loc[0, "best"] == "let_go"
    assert concede_threshold(2_000) == pytest.approx(2 * edge)
    with pytest.raises(ValueError, match="success must be a probability"):
        dispute_options(1, 1, success=1.5)
    with pytest.raises(TypeError, match="unknown assumption"):
        dispute_options(1, 1, sucess=0.5)
    with pytest.raises(ValueError, match="must be numbers"):
        dispute_options(["a lot"], 1_000)
    assert dispute_options(["1e6"], 1_000).loc[0, "customer_value"] == 1e6
