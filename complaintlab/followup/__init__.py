"""Follow-up effectiveness: response times, retention, survival, causal effects, decisions.

- :mod:`~complaintlab.followup.metrics`: response-time distributions, SLA compliance, outcome
  rates per group with bootstrap intervals;
- :mod:`~complaintlab.followup.survival`: Kaplan-Meier curves and the log-rank test;
- :mod:`~complaintlab.followup.effects`: ``estimate_effect`` (naive, regression, IPW, AIPW)
  and the covariate-balance table;
- :mod:`~complaintlab.followup.recovery`: the service-recovery paradox, word-of-mouth reach;
- :mod:`~complaintlab.followup.decisions`: concede, persuade or let go of a disputed amount;
- the plots (survival curves, estimates, the dispute policy) live in :mod:`complaintlab.plots`
  and are re-exported here.
"""

from complaintlab.followup.decisions import (
    OPTIONS,
    DisputeAssumptions,
    concede_threshold,
    dispute_options,
)
from complaintlab.followup.effects import (
    METHODS,
    EffectEstimate,
    balance_table,
    estimate_effect,
    propensity,
)
from complaintlab.followup.metrics import outcome_rates, response_band, response_times
from complaintlab.followup.recovery import recovery_paradox, word_of_mouth
from complaintlab.followup.survival import LogRankResult, kaplan_meier, logrank_test
from complaintlab.plots import plot_dispute_policy, plot_estimates, plot_survival

__all__ = [
    "METHODS",
    "OPTIONS",
    "DisputeAssumptions",
    "EffectEstimate",
    "LogRankResult",
    "balance_table",
    "concede_threshold",
    "dispute_options",
    "estimate_effect",
    "kaplan_meier",
    "logrank_test",
    "outcome_rates",
    "plot_dispute_policy",
    "plot_estimates",
    "plot_survival",
    "propensity",
    "recovery_paradox",
    "response_band",
    "response_times",
    "word_of_mouth",
]
