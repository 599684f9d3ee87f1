"""The simulation: determinism, a consistent process, calibration and its true effects."""

import numpy as np
import pandas as pd
import pytest

from complaintlab.simulate import (
    COMPENSATIONS,
    CONFOUNDERS,
    calibration,
    simulate_cases,
    simulate_reference,
    true_effects,
)


@pytest.fixture(scope="module")
def cases():
    return simulate_cases(60_000, seed=11)


def test_same_seed_same_cases_other_seed_other_cases():
    first, again, other = (simulate_cases(500, seed=s) for s in (4, 4, 5))
    pd.testing.assert_frame_equal(first, again)
    assert not first["customer_value"].equals(other["customer_value"])


def test_columns_types_and_ranges(cases):
    expected = ["case_id", "lang", "category", "complainant_type", "severity",
                "customer_segment", "customer_value", "channel", "received_at",
                "first_response_hours", "resolution_hours", "resolved", "resolved_fully",
                "compensation", "follow_up", "follow_up_delay_hours", "csat", "disputed",
                "retained_90d", "days_to_churn", "observed", "people_told"]  # fmt: skip
    assert list(cases.columns) == expected
    assert cases["case_id"].is_unique
    assert set(cases["csat"]) == {1, 2, 3, 4, 5}
    assert set(cases["compensation"].cat.categories) == set(COMPENSATIONS)
    assert str(cases["received_at"].dt.tz) == "UTC"
    assert (cases["first_response_hours"] > 0).all()
    assert cases["resolution_hours"].isna().eq(~cases["resolved"]).all()
    assert (cases.loc[cases["resolved"], "resolution_hours"]
            >= cases.loc[cases["resolved"], "first_response_hours"]).all()  # fmt: skip
    assert (cases["resolved"] | ~cases["resolved_fully"]).all()  # fully implies resolved
    assert cases["follow_up_delay_hours"].isna().eq(~cases["follow_up"]).all()


def test_churn_times_agree_with_retention_and_censoring(cases):
    end = pd.Timestamp("2026-06-30", tz="UTC")
    watched = (end - cases["received_at"]).dt.total_seconds() / 86400
    assert (cases["days_to_churn"] <= watched + 0.1 + 1e-9).all()
    assert (watched > 90).all()  # everyone is watched for the full 90 days
    churned_early = cases["observed"] & (cases["days_to_churn"] <= 90)
    assert (cases["retained_90d"] == ~churned_early).all()
    censored = ~cases["observed"]
    assert np.allclose(cases.loc[censored, "days_to_churn"], watched[censored], atol=0.1 + 1e-9)


def test_calibrated_to_the_articles_figures(cases):
    table = calibration(cases, simulate_reference(60_000, seed=12)).set_index("claim")
    sim = table["simulated"]
    assert 0.85 <= sim["customers kept after a prompt, full fix (90 days)"] <= 0.95
    assert 0.10 <= sim["customers lost within a year (complainants)"] <= 0.30
    assert 0.10 <= sim["customers lost within a year (no problem)"] <= 0.30
    assert 10 <= sim["people an unhappy customer tells (mean)"] <= 15


def test_confounding_is_real_and_can_be_switched_off():
    on = simulate_cases(40_000, seed=3)
    off = simulate_cases(40_000, seed=3, confounding=0)
    def gap(frame):
        calm = frame["complainant_type"].isin(["reasonable", "meek"])
        return frame.loc[calm, "follow_up"].mean() - frame.loc[~calm, "follow_up"].mean()
    assert gap(on) > 0.1
    assert abs(gap(off)) < 0.02
    assert all(c in on.columns for c in CONFOUNDERS)


def test_true_effects_follow_their_parameters():
    base = true_effects(n=40_000)
    assert set(base) == {"follow_up", "slow_response", "compensation_apology",
                         "compensation_discount", "compensation_refund"}  # fmt: skip
    assert 0.03 < base["follow_up"] < 0.15 and base["slow_response"] > 0
    assert true_effects(n=40_000, follow_up_effect=0.0)["follow_up"] == 0.0
    assert true_effects(n=40_000, follow_up_effect=1.5)["follow_up"] > base["follow_up"]
    assert true_effects(n=40_000, slow_response_effect=0.0)["slow_response"] == 0.0
    # a refund helps less where money was not the problem: lowering that effect lowers the average
    low = true_effects(n=40_000, refund_effect_other=-0.5)["compensation_refund"]
    assert low < base["compensation_refund"]


def test_true_effect_matches_a_randomised_experiment():
    """With random assignment the difference in means estimates the true effect."""
    sim = simulate_cases(200_000, seed=8, confounding=0)
    diff = (sim.loc[sim["follow_up"], "retained_90d"].mean()
            - sim.loc[~sim["follow_up"], "retained_90d"].mean())  # fmt: skip
    assert diff == pytest.approx(true_effects(confounding=0)["follow_up"], abs=0.01)


@pytest.mark.parametrize("bad", [{"follow_up_efect": 1}, {"follow_up_rate": 1.5},
                                 {"follow_up_effect": "big"}, {"study_end": "2025-06-01"}])
def test_bad_parameters_are_named(bad):
    name = next(iter(bad))
    with pytest.raises((TypeError, ValueError), match=name.split("_efect")[0]):
        simulate_cases(10, seed=0, **bad)


@pytest.mark.parametrize("n", [-1, 2.5, "10", True])
def test_bad_sizes(n):
    with pytest.raises(ValueError, match="n must be"):
        simulate_cases(n)


def test_empty_simulation_keeps_the_columns():
    empty = simulate_cases(0, seed=0)
    assert len(empty) == 0 and "retained_90d" in empty.columns


def test_reference_customers_and_the_paradox_switch():
    ref = simulate_reference(30_000, seed=1)
    assert ref["customer_id"].is_unique and 0.85 < ref["retained_90d"].mean() < 0.97
    off = simulate_cases(30_000, seed=1)
    on = simulate_cases(30_000, seed=1, paradox=True)
    fixed = off["resolved_fully"] & (off["first_response_hours"] <= 24)
    assert on.loc[fixed, "retained_90d"].mean() > off.loc[fixed, "retained_90d"].mean()


def test_workshop_knobs_change_what_they_say():
    base = simulate_cases(20_000, seed=9)
    slower = simulate_cases(20_000, seed=9, response_time_scale=2.0)
    ratio = slower["first_response_hours"].median() / base["first_response_hours"].median()
    assert ratio == pytest.approx(2.0, rel=0.02)
    mixed = simulate_cases(40_000, seed=9, compensation_mix=(0.1, 0.2, 0.3, 0.4))
    shares = mixed["compensation"].value_counts(normalize=True)[list(COMPENSATIONS)]
    assert shares.to_numpy() == pytest.approx([0.1, 0.2, 0.3, 0.4], abs=0.01)
    by_type = pd.crosstab(mixed["complainant_type"], mixed["compensation"], normalize="index")
    assert (by_type["refund"] - 0.4).abs().max() < 0.03  # random, not by temperament
    fast, late = (true_effects(n=40_000, follow_up_half_life_days=7, follow_up_delay_hours=h)
                  for h in (12, 24 * 14))  # fmt: skip
    assert late["follow_up"] < fast["follow_up"] < true_effects(n=40_000)["follow_up"]
    with pytest.raises(ValueError, match="compensation_mix must be four shares"):
        simulate_cases(10, compensation_mix=(0.5, 0.5))
    with pytest.raises(ValueError, match="response_time_scale must be positive"):
        simulate_cases(10, response_time_scale=0)
