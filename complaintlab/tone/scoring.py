"""Score replies: the twelve tone features, their evidence, and a composite tone score."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from complaintlab.batch import row_languages, text_batch
from complaintlab.parallel import check_n_jobs, map_rows
from complaintlab.text import (
    LANGUAGES,
    check_lang,
    detect_language,
)
from complaintlab.tone.fast import batch_features
from complaintlab.tone.rules import FEATURES, Evidence, evidence

#: How much each feature moves :func:`tone_score`: the articles' good moves up, bad moves down.
#: A plan with a time (``next_steps``) and owning the problem matter most; blaming the customer
#: hurts most. Override any of them with ``score(..., weights={...})``.
DEFAULT_WEIGHTS: dict[str, float] = {
    "empathy": 1.0,
    "apology": 1.0,
    "non_apology": -1.0,
    "bureaucratic": -1.0,
    "blame": -2.0,
    "next_steps": 2.0,
    "unexplained_transfer": -1.0,
    "explained_transfer": 0.5,
    "negative_question": -0.5,
    "open_offer": 0.5,
    "closing_check": 1.0,
    "gratitude": 0.5,
}


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown tone feature {name!r} in weights; the features are "
                             f"{list(FEATURES)}")  # fmt: skip
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise ValueError(f"weight of {name!r} must be a finite number, got {value!r}")
        merged[name] = float(value)
    return merged


def tone_score(flags: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """The composite tone of each row of boolean features, between -1 and +1.

    ``(good moves present / all good moves) - (bad moves present / all bad moves)``, each move
    weighted by ``weights`` (:data:`DEFAULT_WEIGHTS`, updated with the ones given). +1: every
    good move and no bad one; -1: every bad move and no good one; 0: none, or a balance.

    Examples
    --------
    >>> flags = pd.DataFrame({f: [False, False] for f in FEATURES})
    >>> flags.loc[0, ["apology", "next_steps"]] = True
    >>> flags.loc[1, "blame"] = True
    >>> tone_score(flags).tolist()
    [0.462, -0.364]
    """
    w = _weights(weights)
    missing = [f for f in FEATURES if f not in flags.columns]
    if missing:
        raise ValueError(f"flags lacks feature column(s) {missing}")
    values = flags[list(FEATURES)].fillna(False).astype(bool).to_numpy()
    return pd.Series(_composite(values, w), index=flags.index, dtype=float)


def _composite(values: np.ndarray, w: dict[str, float]) -> np.ndarray:
    """:func:`tone_score` of a boolean matrix whose columns are :data:`FEATURES`."""
    good = {f: v for f, v in w.items() if v > 0}
    bad = {f: -v for f, v in w.items() if v < 0}
    column = {f: i for i, f in enumerate(FEATURES)}
    up = sum(values[:, column[f]] * v for f, v in good.items()) / (sum(good.values()) or 1.0)
    down = sum(values[:, column[f]] * v for f, v in bad.items()) / (sum(bad.values()) or 1.0)
    score = np.broadcast_to(np.asarray(up - down, dtype=float), (len(values),))
    return np.round(score + 0.0, 3)


def tone_band(scores, cuts: tuple[float, float] = (-0.2, 0.2)) -> pd.Series:
    """Bands of :func:`tone_score`: ``bad`` below ``cuts[0]``, ``good`` above ``cuts[1]``,
    else ``neutral`` (an ordered categorical, same index).

    Examples
    --------
    >>> tone_band(pd.Series([-0.5, 0.0, 0.2, 0.6])).tolist()
    ['bad', 'neutral', 'neutral', 'good']
    """
    low, high = cuts
    if not -1 <= low < high <= 1:
        raise ValueError(f"cuts must satisfy -1 <= low < high <= 1, got {cuts}")
    values = pd.Series(scores, dtype=float)
    return pd.cut(values, [-1.0 - 1e-9, low, high, 1.0], labels=["bad", "neutral", "good"],
                  include_lowest=True)  # fmt: skip


def _features(series: pd.Series, given: list) -> pd.DataFrame:
    """``lang``, the twelve features and the tone score with :data:`DEFAULT_WEIGHTS` of each
    text (one process's share of :func:`score`)."""
    lang = row_languages(series, given)
    texts = series.tolist()
    values = np.zeros((len(texts), len(FEATURES)), dtype=bool)
    for code, rows in _groups(lang).items():
        if len(rows) == len(texts):
            values = batch_features(texts, code)
        else:
            values[rows] = batch_features([texts[i] for i in rows], code)
    columns = {"lang": pd.Series(lang, index=series.index, dtype=object)}
    columns.update((name, values[:, i]) for i, name in enumerate(FEATURES))
    columns["tone_score"] = _composite(values, DEFAULT_WEIGHTS)
    return pd.DataFrame(columns, index=series.index)


def _groups(lang: list[str]) -> dict[str, list[int]]:
    """Row numbers per language, for the six languages (``und`` rows stay all False)."""
    groups: dict[str, list[int]] = {}
    if lang and lang.count(lang[0]) == len(lang):  # one language (the usual batch)
        return {lang[0]: list(range(len(lang)))} if lang[0] in LANGUAGES else groups
    for i, code in enumerate(lang):
        if code in LANGUAGES:
            groups.setdefault(code, []).append(i)
    return groups


def score(texts, langs=None, weights: Mapping[str, float] | None = None, *,
          n_jobs: int = 1) -> pd.DataFrame:  # fmt: skip
    """Tone features of agent replies: ``lang``, the twelve features, ``tone_score``.

    One row per input, in input order, with the input's index (a list gets a RangeIndex).
    ``langs`` (optional, same length) gives each reply's language; missing ones are
    detected. A reply that is missing, empty or not a string, or whose language is unknown
    or not one of the six, gets ``lang="und"``, every feature False and ``tone_score`` 0 —
    never an exception. ``weights`` overrides :data:`DEFAULT_WEIGHTS` (see :func:`tone_score`).
    ``n_jobs`` splits a large batch over that many processes (-1: every CPU); the result is
    the same as with one.

    Examples
    --------
    >>> out = score(["I'm so sorry, that was our mistake. I'll refund you today.",
    ...              "As per clause 7 of the terms, this is not refundable.", None])
    >>> [name for name in FEATURES if out.loc[0, name]], bool(out.loc[1, "bureaucratic"])
    (['apology', 'next_steps'], True)
    >>> out["lang"].tolist(), bool(out.loc[0, "tone_score"] > 0 > out.loc[1, "tone_score"])
    (['en', 'en', 'und'], True)
    """
    w = _weights(weights)
    jobs = check_n_jobs(n_jobs, "score")
    series, given = text_batch(texts, langs, "score", resolve=False)
    out = map_rows(_features, series, given, jobs)
    if w != DEFAULT_WEIGHTS:
        out["tone_score"] = _composite(out[list(FEATURES)].to_numpy(), w)
    return out


def explain(text, lang: str | None = None) -> list[Evidence]:
    """The evidence behind each feature of one reply, in text order.

    Each :class:`Evidence` names the feature, the span (``text[start:end]`` is the matched
    words, cue gaps included), the cue as written in the lexicon and the sentence. A
    missing or empty text, or one not in the six languages, has no evidence. An unknown
    ``lang`` code raises ``UnknownLanguageError``.

    Examples
    --------
    >>> text = "Sorry you feel that way. Please hold."
    >>> [(e.feature, text[e.start:e.end]) for e in explain(text, "en")][-1]
    ('unexplained_transfer', 'Please hold')
    >>> sorted({e.feature for e in explain(text, "en")})
    ['non_apology', 'unexplained_transfer']
    """
    lang = check_lang(lang, "explain")
    if not isinstance(text, str) or not text.strip():
        return []
    lang = lang or detect_language(text)
    return evidence(text, lang) if lang in LANGUAGES else []
