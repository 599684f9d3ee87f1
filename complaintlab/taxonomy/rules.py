"""Rule-based taxonomy: per-language cue lexicons (``complaintlab/data/taxonomy/<lang>.txt``).

Sections are ``category.<label>``, ``type.<label>`` and ``severity.<level>``. The rules:

- category: the label with most cue hits (longer cues count more); none → missing;
- complainant type: the label with most hits; none → ``reasonable`` (most complainants are);
- severity: the highest level with a hit (a threat outranks a polite request); none → 1.

The ``remedy`` section lists what customers ask for (a refund, compensation, a voucher). A
category cue inside a remedy ("I want my money back") is not counted: what a customer wants
says little about what went wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from complaintlab._cues import Lexicon, load
from complaintlab.corpus import CATEGORIES, COMPLAINANT_TYPES, SEVERITIES
from complaintlab.text import LANGUAGES, detect_language

SECTIONS = (
    [f"category.{c}" for c in CATEGORIES]
    + [f"type.{t}" for t in COMPLAINANT_TYPES]
    + [f"severity.{s}" for s in SEVERITIES]
    + ["remedy"]
)


def lexicon(lang: str) -> Lexicon:
    """The taxonomy cue lexicon of one language (cached)."""
    return load("taxonomy", lang)


def section_scores(text: str | None, lang: str | None = None, tokens: list[str] | None = None
                   ) -> dict[str, float]:  # fmt: skip
    """Weighted cue hits per section (a cue of n words counts n), zero when nothing fires.

    Cues of one section that start on the same word count once (the longest): spelling
    variants of one cue ("refund", "refunds", "refunded") do not multiply its weight.

    ``tokens`` (optional) is the text already split by :func:`complaintlab.text.tokenize`.
    """
    scores = dict.fromkeys(SECTIONS, 0.0)
    if not isinstance(text, str) or not text.strip():
        return scores
    lang = lang or detect_language(text)
    if lang not in LANGUAGES:
        return scores
    hits = lexicon(lang).match(text) if tokens is None else lexicon(lang).match_tokens(tokens)
    asked = [(h.start, h.end) for h in hits if h.cue.section == "remedy"]
    best: dict[tuple[str, int], int] = {}  # (section, first token) -> words of the longest cue
    for hit in hits:
        section = hit.cue.section
        if section not in scores:
            continue
        if section.startswith("category.") and any(
            hit.start <= end and start <= hit.end for start, end in asked
        ):
            continue  # "I want a full refund" asks for a remedy; it is not a billing problem
        key = (section, hit.start)  # variants of one cue on the same words count once
        best[key] = max(best.get(key, 0), len(hit.cue.words))
    for (section, _), words in best.items():
        scores[section] += words
    return scores


class RuleClassifier:
    """Explainable cue-based classifier for category, complainant type and severity.

    Examples
    --------
    >>> rules = RuleClassifier()
    >>> rules.predict(["You charged me twice for the same invoice!"], ["en"]).loc[0, "category"]
    'billing'
    >>> "category.billing" in rules.explain("You charged me twice for the same invoice!", "en")
    True
    """

    def explain(self, text: str | None, lang: str | None = None) -> dict[str, list[str]]:
        """The cues that fired, per section (``"category.billing": ["charged twice", ...]``)."""
        if not isinstance(text, str) or not text.strip():
            return {}
        lang = lang or detect_language(text)
        if lang not in LANGUAGES:
            return {}
        fired: dict[str, list[str]] = {}
        for hit in lexicon(lang).match(text):
            fired.setdefault(hit.cue.section, []).append(hit.cue.text)
        return fired

    def features(self, texts, langs, tokens=None) -> np.ndarray:
        """Section scores as a matrix (rows: texts, columns: :data:`SECTIONS`)."""
        tokens = [None] * len(texts) if tokens is None else tokens
        rows = [list(section_scores(t, lang, toks).values())
                for t, lang, toks in zip(texts, langs, tokens, strict=True)]  # fmt: skip
        return np.asarray(rows, dtype=float).reshape(len(rows), len(SECTIONS))

    def fit(self, X=None, y=None) -> RuleClassifier:
        """Nothing to learn (the cues are written, not trained); here for the estimator API."""
        return self

    def predict(self, texts, langs=None) -> pd.DataFrame:
        """One row per text: ``category`` (may be missing), ``complainant_type``, ``severity``.

        ``texts`` is a sequence of texts, or a DataFrame with ``text`` and ``lang`` columns.
        """
        if isinstance(texts, pd.DataFrame):
            texts, langs = texts["text"], texts["lang"] if "lang" in texts else None
        texts = list(texts)
        langs = list(langs) if langs is not None else [None] * len(texts)
        if len(langs) != len(texts):
            raise ValueError(f"langs has {len(langs)} values but texts has {len(texts)}")
        rows = []
        for text, lang in zip(texts, langs, strict=True):
            s = section_scores(text, lang)
            rows.append((_best(s, "category", CATEGORIES, None),
                         _best(s, "type", COMPLAINANT_TYPES, "reasonable"),
                         max([lvl for lvl in SEVERITIES if s[f"severity.{lvl}"] > 0],
                             default=1)))  # fmt: skip
        return pd.DataFrame(rows, columns=["category", "complainant_type", "severity"])


def _best(scores: dict[str, float], prefix: str, labels, default):
    values = [scores[f"{prefix}.{label}"] for label in labels]
    top = max(values)
    return labels[values.index(top)] if top > 0 else default
