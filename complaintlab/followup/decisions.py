"""When the customer disputes an amount: concede, persuade or let go? Expected values.

The options, for a disputed amount ``A`` and a customer worth ``V`` if they stay (the net
value of the relationship over the horizon you care about; negative for a customer who costs
more than they bring):

- **concede**: credit the amount now. ``EV = -A * (1 + repeat) + (1 - churn_conceded) * V``:
  giving in invites a similar dispute later with probability ``repeat``.
- **persuade**: explain, politely and with evidence. With probability ``success`` the customer
  accepts (``(1 - churn_persuaded) * V``); otherwise you concede after all, and the argument
  has cost goodwill: ``-A + (1 - churn_failed) * V``.
- **let go**: part without friction - waive the amount and end the relationship: ``EV = -A``.

Conceding beats persuading exactly when ``V`` exceeds
``A * (repeat + success) / (success * (churn_persuaded - churn_conceded)
+ (1 - success) * (churn_failed - churn_conceded))`` (:func:`concede_threshold`). With the
defaults a $1,000 invoice disputed by a $1,000,000 client is conceded and the same invoice
disputed by a $10,000 client is argued, as in the Arabic article's example.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["OPTIONS", "DisputeAssumptions", "concede_threshold", "dispute_options"]

OPTIONS = ("concede", "persuade", "let_go")


@dataclass(frozen=True)
class DisputeAssumptions:
    """Probabilities behind the expected values (defaults: illustrative, not measured)."""

    success: float = 0.6
    """chance that a polite, evidenced explanation is accepted."""
    churn_conceded: float = 0.05
    """chance the customer leaves anyway after you concede."""
    churn_persuaded: float = 0.07
    """chance the customer leaves after accepting your explanation."""
    churn_failed: float = 0.15
    """chance the customer leaves after an argument you then lose."""
    repeat: float = 0.3
    """chance that conceding invites a similar dispute later."""

    def __post_init__(self):
        for name in ("success", "churn_conceded", "churn_persuaded", "churn_failed", "repeat"):
            value = getattr(self, name)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a probability in [0, 1]; got {value!r}")


def _assumptions(kwargs) -> DisputeAssumptions:
    try:
        return DisputeAssumptions(**kwargs)
    except TypeError:
        known = list(DisputeAssumptions.__dataclass_fields__)
        raise TypeError(f"unknown assumption(s) {sorted(set(kwargs) - set(known))}; "
                        f"known: {known}") from None


def dispute_options(customer_value, amount, **assumptions) -> pd.DataFrame:
    """Expected value of each option for every (customer value, disputed amount) pair.

    ``customer_value`` and ``amount`` are numbers or equal-length sequences. One row per pair:
    ``customer_value``, ``amount``, ``concede``, ``persuade``, ``let_go`` (expected values) and
    ``best``.

    Examples
    --------
    >>> dispute_options([1_000_000, 10_000], 1_000)[["customer_value", "best"]]
       customer_value      best
    0       1000000.0   concede
    1         10000.0  persuade
    """
    a = _assumptions(assumptions)
    try:
        value = np.atleast_1d(np.asarray(customer_value, dtype=float))
        amount = np.atleast_1d(np.asarray(amount, dtype=float))
        value, amount = np.broadcast_arrays(value, amount)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"customer_value and amount must be numbers or sequences of numbers "
                         f"of one length ({exc})") from None  # fmt: skip
    if not (np.isfinite(value).all() and np.isfinite(amount).all()):
        raise ValueError("customer_value and amount must be finite numbers, none missing")
    if (amount < 0).any():
        raise ValueError("a disputed amount cannot be negative")
    concede = -amount * (1 + a.repeat) + (1 - a.churn_conceded) * value
    persuade = (a.success * (1 - a.churn_persuaded) * value
                + (1 - a.success) * (-amount + (1 - a.churn_failed) * value))  # fmt: skip
    let_go = -amount
    table = pd.DataFrame({"customer_value": value, "amount": amount, "concede": concede,
                          "persuade": persuade, "let_go": let_go})
    table["best"] = np.asarray(OPTIONS)[np.argmax(np.column_stack([concede, persuade, let_go]),
                                                  axis=1)]  # fmt: skip
    return table


def concede_threshold(amount, **assumptions) -> float:
    """The customer value above which conceding ``amount`` beats trying to persuade.

    Examples
    --------
    >>> round(concede_threshold(1_000))
    17308
    """
    a = _assumptions(assumptions)
    loss = a.success * (a.churn_persuaded - a.churn_conceded) + (1 - a.success) * (
        a.churn_failed - a.churn_conceded)
    if loss <= 0:
        return float("inf")  # arguing never costs goodwill: conceding never pays
    return float(amount) * (a.repeat + a.success) / loss
