"""Plots for the follow-up notebooks: survival curves, effect estimates, the dispute policy.

Each function draws on ``ax`` (a new figure if None) and returns the Axes, with a title,
labelled axes and units, so a notebook cell stays one line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from complaintlab.followup.decisions import OPTIONS, concede_threshold, dispute_options
from complaintlab.followup.survival import kaplan_meier

__all__ = ["plot_dispute_policy", "plot_estimates", "plot_survival"]


def _axes(ax, size=(7, 4)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size)[1]


def plot_survival(df: pd.DataFrame, by: str, duration: str = "days_to_churn",
                  observed: str = "observed", horizon: float | None = 365.0, ax=None):  # fmt: skip
    """Kaplan-Meier curves (with 95 % bands) of the share still a customer, one per group.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from complaintlab.simulate import simulate_cases
    >>> ax = plot_survival(simulate_cases(2_000, seed=0), by="follow_up")
    >>> [line.get_label() for line in ax.get_lines()]
    ['follow_up = False', 'follow_up = True']
    """
    ax = _axes(ax)
    for key, part in df.groupby(by, observed=True, sort=True):
        curve = kaplan_meier(part[duration], part[observed])
        if horizon is not None:
            curve = curve[curve["time"] <= horizon]
        time = np.concatenate([[0.0], curve["time"]])
        ax.step(time, np.concatenate([[1.0], curve["survival"]]), where="post",
                label=f"{by} = {key}")  # fmt: skip
        ax.fill_between(time, np.concatenate([[1.0], curve["ci_low"]]),
                        np.concatenate([[1.0], curve["ci_high"]]),
                        step="post", alpha=0.2)  # fmt: skip
    ax.set(title=f"Share still a customer, by {by} (Kaplan-Meier, 95 % band)",
           xlabel="days since the complaint", ylabel="share still a customer")  # fmt: skip
    ax.legend(loc="lower left")
    return ax


def plot_estimates(estimates: dict, truth: float | None = None, ax=None,
                   xlabel: str = "effect (difference in share)"):  # fmt: skip
    """Point estimates and 95 % intervals side by side, with the true value if known.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from complaintlab.followup.effects import EffectEstimate
    >>> ax = plot_estimates({"naive": EffectEstimate("naive", 0.1, 0.08, 0.12, 100)}, truth=0.05)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['naive']
    """
    ax = _axes(ax, (7, 0.6 * len(estimates) + 1.4))
    labels = list(estimates)
    for row, label in enumerate(labels):
        est = estimates[label]
        spread = [[est.estimate - est.ci_low], [est.ci_high - est.estimate]]
        ax.errorbar(est.estimate, row, xerr=spread, fmt="o", capsize=4, color="C0")
    if truth is not None:
        ax.axvline(truth, color="C3", linestyle="--", label=f"true effect {truth:.3f}")
        ax.legend(loc="best")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.invert_yaxis()
    ax.set(title="Estimates with 95 % confidence intervals", xlabel=xlabel)
    return ax


def plot_dispute_policy(amounts=(100, 100_000), values=(1_000, 10_000_000), ax=None,
                        **assumptions):  # fmt: skip
    """Which option has the highest expected value, over disputed amount and customer value.

    Both axes are logarithmic; the dashed line is the value above which conceding beats
    persuading (:func:`~complaintlab.followup.decisions.concede_threshold`).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_dispute_policy()
    >>> ax.get_xlabel()
    'disputed amount ($, log scale)'
    """
    from matplotlib.colors import ListedColormap

    ax = _axes(ax)
    a = np.geomspace(*amounts, 160)
    v = np.geomspace(*values, 160)
    grid_a, grid_v = np.meshgrid(a, v)
    best = dispute_options(grid_v.ravel(), grid_a.ravel(), **assumptions)["best"]
    code = pd.Categorical(best, categories=OPTIONS).codes.reshape(grid_a.shape)
    colours = ListedColormap(["#4c9f70", "#4a7fb0", "#c8c8c8"])
    ax.pcolormesh(grid_a, grid_v, code, cmap=colours, vmin=-0.5, vmax=2.5, shading="auto")
    ax.plot(a, [concede_threshold(x, **assumptions) for x in a], "k--", label="concede threshold")
    for option, colour in zip(OPTIONS, colours.colors, strict=True):
        ax.scatter([], [], marker="s", color=colour, label=option)
    ax.set(xscale="log", yscale="log", xlim=amounts, ylim=values,
           title="Best option by expected value", xlabel="disputed amount ($, log scale)",
           ylabel="value of keeping the customer ($, log scale)")  # fmt: skip
    ax.legend(loc="upper left")
    return ax
