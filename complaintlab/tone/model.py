"""A learned tone model: one logistic regression per feature on n-grams and rule cues."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from complaintlab.batch import row_language
from complaintlab.text import LANGUAGES, normalize
from complaintlab.tone.language import tokens
from complaintlab.tone.rules import FEATURES, SECTIONS, features, matches


def _inputs(X) -> tuple[list[str], list[str]]:
    if not isinstance(X, pd.DataFrame) or "text" not in X.columns:
        got = list(X.columns) if isinstance(X, pd.DataFrame) else type(X).__name__
        raise ValueError(f"X must be a DataFrame with a 'text' column (and 'lang'); got {got}")
    texts = [t if isinstance(t, str) else "" for t in X["text"]]
    given = list(X["lang"]) if "lang" in X.columns else [None] * len(texts)
    # the same reading of language codes as score(): "en-US" is en, unknown codes are und
    return texts, [row_language(t, g) for t, g in zip(texts, given, strict=True)]


def _cue_features(texts, langs) -> np.ndarray:
    """Per reply: the rules' twelve decisions and a 0/1 per lexicon section that fired."""
    columns = [*FEATURES, *SECTIONS]
    out = np.zeros((len(texts), len(columns)))
    for row, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        if lang not in LANGUAGES or not text.strip():
            continue
        found = matches(tokens(text, lang), lang)
        decided = features(found)
        sections = {m.section for m in found}
        out[row] = [decided[f] for f in FEATURES] + [s in sections for s in SECTIONS]
    return out


class TonePredictor(BaseEstimator):
    """Learned tone features: character n-grams plus the rules' cues, one model per feature.

    ``fit(X, y)``: ``X`` a DataFrame with ``text`` (and ``lang``), ``y`` one bool column per
    feature. ``predict(X)`` returns bool columns, ``predict_proba(X)`` probabilities; a reply
    that is empty or in no supported language gets probability 0 everywhere, as in ``score``.
    ``cues=False`` leaves the rules out (n-grams only).

    Examples
    --------
    >>> from complaintlab.tone.evaluate import gold_replies
    >>> gold = gold_replies()
    >>> model = TonePredictor().fit(gold[["text", "lang"]], gold[list(FEATURES)])
    >>> model.predict(pd.DataFrame({"text": ["Thank you for your patience."], "lang": ["en"]})
    ...               )["gratitude"].tolist()
    [True]
    """

    def __init__(self, C: float = 4.0, char_ngrams: tuple = (2, 5), cues: bool = True,
                 seed: int = 0):  # fmt: skip
        self.C = C
        self.char_ngrams = char_ngrams
        self.cues = cues
        self.seed = seed

    def _matrix(self, X, fit: bool):
        texts, langs = _inputs(X)
        normal = [normalize(t, lang if lang in LANGUAGES else None)
                  for t, lang in zip(texts, langs, strict=True)]  # fmt: skip
        if fit:
            self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams,
                                               min_df=2, sublinear_tf=True)  # fmt: skip
            grams = self.vectorizer_.fit_transform(normal)
        else:
            grams = self.vectorizer_.transform(normal)
        if not self.cues:
            return grams
        return sparse.hstack([grams, sparse.csr_matrix(_cue_features(texts, langs))]).tocsr()

    def fit(self, X, y) -> TonePredictor:
        missing = [f for f in FEATURES if f not in y.columns]
        if missing:
            raise ValueError(f"y lacks feature column(s) {missing}")
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
        matrix = self._matrix(X, fit=True)
        self.models_ = {}
        for feature in FEATURES:
            target = y[feature].fillna(False).astype(bool).to_numpy()
            if target.all() or not target.any():
                self.models_[feature] = bool(target[0]) if len(target) else False
                continue
            model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                       random_state=self.seed)  # fmt: skip
            self.models_[feature] = model.fit(matrix, target)
        return self

    def predict_proba(self, X) -> pd.DataFrame:
        check_is_fitted(self, "models_")
        matrix = self._matrix(X, fit=False)
        # like score(): an empty reply, or one in no supported language, makes no move
        usable = np.array([lang in LANGUAGES for lang in _inputs(X)[1]], dtype=float)
        out = {}
        for feature, model in self.models_.items():
            if isinstance(model, bool):
                out[feature] = np.full(matrix.shape[0], float(model)) * usable
            else:
                out[feature] = model.predict_proba(matrix)[:, 1] * usable
        return pd.DataFrame(out, index=X.index, columns=list(FEATURES))

    def predict(self, X) -> pd.DataFrame:
        return self.predict_proba(X) >= 0.5
