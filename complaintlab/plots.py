"""The course's recurring figures, in one style, with right-to-left text drawn correctly.

Hebrew must be drawn right to left, and Arabic and Persian letters must be joined. Matplotlib
3.11 and later do both themselves (text layout by libraqm), given the text in its ordinary,
logical order. Older versions draw a string's characters left to right, one glyph each:
Hebrew comes out backwards and Arabic letters unjoined, so the text must first be shaped
(``arabic-reshaper``) and reordered (``python-bidi``). :func:`display_text` gives the string
the installed matplotlib needs, and every function here passes every title, tick label,
legend entry and annotation through it; left-to-right text is never changed. The font is
DejaVu Sans, which ships with matplotlib and has Hebrew, Arabic (with Persian letters and
their joined forms) and Cyrillic glyphs, so nothing is drawn as a missing-glyph box.

Every function draws on ``ax`` (a new figure if None) and returns the Axes.
"""

from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "LANGUAGE_NAMES",
    "STYLE",
    "course_style",
    "display_text",
    "matplotlib_lays_out_rtl",
    "plot_carp_coverage",
    "plot_confusion",
    "plot_dispute_policy",
    "plot_estimates",
    "plot_label_distribution",
    "plot_survival",
    "plot_tone_heatmap",
    "save_rtl_sample",
]

#: rcParams every figure is drawn with.
STYLE = {
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "axes.grid": False,
    "legend.frameon": False,
    "figure.dpi": 100,
}
#: Each course language's name in its own script (shown on language axes).
LANGUAGE_NAMES = {"he": "עברית", "ar": "العربية", "fa": "فارسی", "bg": "български",
                  "ru": "русский", "en": "English"}  # fmt: skip
_RTL_CHARS = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")


@functools.cache
def matplotlib_lays_out_rtl() -> bool:
    """Whether the installed matplotlib shapes and orders right-to-left text itself (libraqm)."""
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


def display_text(text, *, layout: bool | None = None) -> str:
    """The string as matplotlib must receive it to draw right-to-left text correctly.

    Left-to-right text is returned unchanged. So is right-to-left text when matplotlib lays
    text out itself (``layout`` True; by default, whether the installed matplotlib does, see
    :func:`matplotlib_lays_out_rtl`). Otherwise Arabic and Persian letters are replaced by
    their joined forms and the characters are put in drawing order.

    Examples
    --------
    >>> display_text("follow-up rate")
    'follow-up rate'
    >>> display_text("שלום 12", layout=False)  # Hebrew for an older matplotlib: reordered
    '12 םולש'
    >>> display_text("שלום 12", layout=True)  # matplotlib 3.11+: the text as it is
    'שלום 12'
    >>> shaped = display_text("شکایت", layout=False)  # joined letter forms, then reordered
    >>> shaped != "شکایت" and all("\\ufb50" <= ch <= "\\ufeff" for ch in shaped)
    True
    """
    text = "" if text is None else str(text)
    if not _RTL_CHARS.search(text):
        return text
    if matplotlib_lays_out_rtl() if layout is None else layout:
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


@contextlib.contextmanager
def course_style():
    """Draw inside the course style, restoring only the settings it changed.

    (``matplotlib.rc_context`` would also restore ``interactive``, which Jupyter switches on
    when the first figure is drawn, and later figures would then not show in the notebook.)
    """
    import matplotlib.pyplot as plt

    old = {key: plt.rcParams[key] for key in STYLE}
    plt.rcParams.update(STYLE)
    try:
        yield
    finally:
        plt.rcParams.update(old)


def _styled(draw):
    """Run a plotting function inside the course style (font, spines, sizes)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with course_style():
            return draw(*args, **kwargs)

    return wrapper


def _axes(ax, size=(7, 4)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size, layout="constrained")[1]


def _names(values) -> list[str]:
    """Labels as text; a missing one (None, NaN, NA) becomes ``(none)``."""
    return ["(none)" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
            for v in list(values)]  # fmt: skip


def _plain(value):
    return LANGUAGE_NAMES.get(value, value) if isinstance(value, str) else value


def _label(value) -> str:
    """A tick or legend label: a language code becomes its name, drawn correctly."""
    return display_text(_plain(value))


def _sentence(text: str) -> str:
    """Sentence case for a title or axis label: its first letter a capital (a column name
    such as ``category`` becomes "Category"); text in a caseless script is left as it is."""
    return text[:1].upper() + text[1:]


def _titles(ax, title=None, xlabel=None, ylabel=None):
    if title is not None:
        ax.set_title(display_text(_sentence(title)))
    if xlabel is not None:
        ax.set_xlabel(display_text(_sentence(xlabel)))
    if ylabel is not None:
        ax.set_ylabel(display_text(_sentence(ylabel)))


def _need(frame, columns, complete=()):
    """Columns present, and no missing values where a row would otherwise vanish silently."""
    from complaintlab.errors import check_frame

    check_frame(frame, columns, complete=complete)


@_styled
def plot_label_distribution(frame: pd.DataFrame, column: str, by: str = "lang", ax=None,
                            title: str | None = None):  # fmt: skip
    """Share of each label of ``column`` within each group of ``by`` (stacked bars).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> frame = pd.DataFrame({"lang": ["he", "he", "en"],
    ...                       "category": ["billing", "service", "billing"]})
    >>> ax = plot_label_distribution(frame, "category")
    >>> [t.get_text() for t in ax.get_yticklabels()] == ["English", display_text("עברית")]
    True
    """
    _need(frame, [column, by], complete=[column, by])
    shares = pd.crosstab(frame[by], frame[column], normalize="index")
    ax = _axes(ax, (7, 0.45 * len(shares) + 1.8))
    left = np.zeros(len(shares))
    for j, label in enumerate(shares.columns):
        ax.barh(range(len(shares)), shares[label], left=left, label=_label(label), color=f"C{j}")
        left += shares[label].to_numpy()
    ax.set_yticks(range(len(shares)), [_label(v) for v in shares.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    _titles(ax, title or f"{column} by {by}", "share of the group", None)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


@_styled
def plot_confusion(truth, predicted, labels=None, ax=None, normalize: bool = True,
                   title: str = "Confusion matrix"):  # fmt: skip
    """Confusion matrix (rows: truth, columns: prediction), shares of each true label.

    A missing prediction (the classifier gave no label) gets its own column, ``(none)``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_confusion(["a", "a", "b"], ["a", "b", "b"])
    >>> [t.get_text() for t in ax.texts]
    ['0.50', '0.50', '0.00', '1.00']
    """
    truth, predicted = [_names(v) for v in (truth, predicted)]
    if len(truth) != len(predicted):
        raise ValueError(f"truth has {len(truth)} labels but predicted has {len(predicted)}")
    rows = [str(v) for v in labels] if labels is not None else sorted(set(truth), key=str)
    columns = rows + sorted(set(predicted) - set(rows), key=str)  # e.g. "(none)": no label given
    table = pd.crosstab(pd.Series(truth), pd.Series(predicted)).reindex(
        index=rows, columns=columns, fill_value=0)  # fmt: skip
    values = table.to_numpy(dtype=float)
    if normalize:
        totals = values.sum(axis=1, keepdims=True)
        values = np.divide(values, totals, out=np.zeros_like(values), where=totals > 0)
    ax = _axes(ax, (0.7 * len(columns) + 2.5, 0.6 * len(rows) + 2))
    ax.imshow(values, cmap="Blues", vmin=0, vmax=values.max() if values.size else 1)
    for i in range(len(rows)):
        for j in range(len(columns)):
            shown = f"{values[i, j]:.2f}" if normalize else f"{int(values[i, j])}"
            dark = values[i, j] > 0.6 * (values.max() or 1)
            ax.text(j, i, shown, ha="center", va="center", color="white" if dark else "black")
    ax.set_xticks(range(len(columns)), [_label(v) for v in columns], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), [_label(v) for v in rows])
    _titles(ax, title, "predicted", "true")
    return ax


@_styled
def plot_tone_heatmap(scored: pd.DataFrame, by: str = "lang", features=None, ax=None,
                      title: str = "Share of replies with each tone feature"):  # fmt: skip
    """Share of replies showing each tone feature, per group (e.g. language), annotated.

    ``scored`` is the output of :func:`complaintlab.tone.score` (or any frame with a ``by``
    column and boolean feature columns).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> scored = pd.DataFrame({"lang": ["fa", "en"], "apology": [True, False]})
    >>> ax = plot_tone_heatmap(scored, features=["apology"])
    >>> [t.get_text() for t in ax.get_xticklabels()] == ["English", display_text("فارسی")]
    True
    """
    from complaintlab.tone import FEATURES

    features = list(features) if features is not None else list(FEATURES)
    _need(scored, [by, *features], complete=[by])
    shares = scored.groupby(by, observed=True, sort=True)[features].mean().T
    ax = _axes(ax, (0.9 * shares.shape[1] + 3, 0.35 * len(features) + 1.5))
    ax.imshow(shares.to_numpy(dtype=float), cmap="Greens", vmin=0, vmax=1, aspect="auto")
    for i in range(shares.shape[0]):
        for j in range(shares.shape[1]):
            value = shares.iat[i, j]
            ax.text(j, i, f"{value:.2f}", ha="center", va="center",
                    color="white" if value > 0.6 else "black", fontsize=8)  # fmt: skip
    ax.set_xticks(range(shares.shape[1]), [_label(v) for v in shares.columns])
    ax.set_yticks(range(len(features)), [display_text(f) for f in features])
    _titles(ax, title)
    return ax


@_styled
def plot_carp_coverage(texts, langs, ax=None,
                       title: str = "CARP steps taken, by language"):  # fmt: skip
    """Share of replies that take each CARP step (Control, Acknowledge, Refocus, Problem-solve).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_carp_coverage(["I'm sorry. I'll refund it today."], ["en"])
    >>> [round(float(p.get_width()), 2) for p in ax.patches]
    [0.0, 1.0, 0.0, 1.0]
    """
    from complaintlab.tone import carp
    from complaintlab.tone.carp import STEPS

    texts, langs = list(texts), list(langs)
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    rows = [{"lang": lang, **{s: s in carp(text, lang).steps for s in STEPS}}
            for text, lang in zip(texts, langs, strict=True)]  # fmt: skip
    shares = pd.DataFrame(rows, columns=["lang", *STEPS]).groupby("lang", sort=True)[
        list(STEPS)].mean()  # fmt: skip
    ax = _axes(ax, (7, 0.5 * len(shares) + 2))
    height = 0.8 / len(STEPS)
    for k, step in enumerate(STEPS):
        ax.barh(np.arange(len(shares)) + k * height, shares[step], height=height,
                label=display_text(step.replace("_", "-")), color=f"C{k}")  # fmt: skip
    ax.set_yticks(np.arange(len(shares)) + 0.4 - height / 2, [_label(v) for v in shares.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    _titles(ax, title, "share of replies", None)
    ax.legend(loc="lower right")
    return ax


@_styled
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
    from complaintlab.followup.survival import kaplan_meier

    _need(df, [by, duration, observed], complete=[by])
    ax = _axes(ax)
    for key, part in df.groupby(by, observed=True, sort=True):
        curve = kaplan_meier(part[duration], part[observed])
        if horizon is not None:
            curve = curve[curve["time"] <= horizon]
        time = np.concatenate([[0.0], curve["time"]])
        ax.step(time, np.concatenate([[1.0], curve["survival"]]), where="post",
                label=display_text(f"{by} = {_plain(key)}"))  # fmt: skip
        ax.fill_between(time, np.concatenate([[1.0], curve["ci_low"]]),
                        np.concatenate([[1.0], curve["ci_high"]]),
                        step="post", alpha=0.2)  # fmt: skip
    _titles(ax, f"Share still a customer, by {by} (Kaplan-Meier, 95 % band)",
            "days since the complaint", "share still a customer")  # fmt: skip
    ax.legend(loc="lower left")
    return ax


@_styled
def plot_estimates(estimates: dict, truth: float | None = None, ax=None,
                   xlabel: str = "effect (difference in share)"):  # fmt: skip
    """Point estimates and 95 % intervals side by side (a forest plot), with the truth if known.

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
        ax.axvline(truth, color="C3", linestyle="--", label=f"True effect {truth:.3f}")
        ax.legend(loc="best")
    ax.set_yticks(range(len(labels)), [display_text(label) for label in labels])
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.invert_yaxis()
    _titles(ax, "Estimates with 95 % confidence intervals", xlabel)
    return ax


@_styled
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
    'Disputed amount ($, log scale)'
    """
    from matplotlib.colors import ListedColormap

    from complaintlab.followup.decisions import OPTIONS, concede_threshold, dispute_options

    ax = _axes(ax)
    a = np.geomspace(*amounts, 160)
    v = np.geomspace(*values, 160)
    grid_a, grid_v = np.meshgrid(a, v)
    best = dispute_options(grid_v.ravel(), grid_a.ravel(), **assumptions)["best"]
    code = pd.Categorical(best, categories=OPTIONS).codes.reshape(grid_a.shape)
    colours = ListedColormap(["#4c9f70", "#4a7fb0", "#c8c8c8"])
    ax.pcolormesh(grid_a, grid_v, code, cmap=colours, vmin=-0.5, vmax=2.5, shading="auto")
    ax.plot(a, [concede_threshold(x, **assumptions) for x in a], "k--", label="Concede threshold")
    for option, colour in zip(OPTIONS, colours.colors, strict=True):
        ax.scatter([], [], marker="s", s=80, color=colour, edgecolors="black", label=option)
    ax.set(xscale="log", yscale="log", xlim=amounts, ylim=values)
    _titles(ax, "Best option by expected value", "disputed amount ($, log scale)",
            "value of keeping the customer ($, log scale)")  # fmt: skip
    ax.legend(loc="upper left", framealpha=1.0)  # opaque: the squares sit over the map
    return ax


def save_rtl_sample(path) -> Path:
    """Save a figure with Hebrew, Arabic and Persian labels, for a person to check by eye.

    ``make course`` writes it to ``build/rtl_labels.png``. The bars are the share of corpus
    complaints per category in each language; titles and tick labels are in the three RTL
    languages.
    """
    import matplotlib.pyplot as plt

    from complaintlab.corpus import load_complaints

    complaints = load_complaints()
    complaints = complaints[complaints["lang"].isin(["he", "ar", "fa"])]
    with course_style():
        fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
        plot_label_distribution(complaints, "category", ax=axes[0],
                                title="תלונות לפי קטגוריה · الشكاوى حسب الفئة")  # fmt: skip
        axes[1].bar(range(3), [0.9, 0.75, 0.8], color=["C0", "C1", "C2"])
        axes[1].set_xticks(range(3), [display_text(t) for t in
                                      ("پیگیری شد", "لم يتم الرد", "טופל במלואו")])  # fmt: skip
        _titles(axes[1], "نرخ ماندگاری مشتری (۹۰ روز)", None, "שיעור שימור")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
        plt.close(fig)
    return path


def main(argv=None) -> int:
    """``python -m complaintlab.plots OUT.png``: write the RTL sample figure."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    out = save_rtl_sample(args[0] if args else "build/rtl_labels.png")
    print(f"wrote {out.as_posix()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
