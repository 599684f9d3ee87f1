"""The learned taxonomy model and :func:`classify`, the one-call entry point."""

from __future__ import annotations

import weakref
from functools import cache

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from complaintlab._fastcues import SEP
from complaintlab.batch import row_languages, text_batch
from complaintlab.corpus import CATEGORIES, COMPLAINANT_TYPES, SEVERITIES
from complaintlab.parallel import check_n_jobs, map_rows
from complaintlab.taxonomy import fast
from complaintlab.taxonomy.rules import RuleClassifier
from complaintlab.text import (
    LANGUAGES,
    UNDETERMINED,
    UnknownLanguageError,
    _stem,
    check_lang,
    detect_language,
    normalize,
    tokenize,
)

TARGETS = ("category", "complainant_type", "severity")
LABELS = {"category": CATEGORIES, "complainant_type": COMPLAINANT_TYPES, "severity": SEVERITIES}
_FOLDS = 3  # calibration folds: every label needs at least this many training examples


def _canonical(lang) -> str | None:
    """A language code as the package spells it; None when missing, ``und`` when unknown."""
    if not isinstance(lang, str) or not lang.strip():
        return None
    try:
        return check_lang(lang, "classify")
    except UnknownLanguageError:
        return UNDETERMINED


def _inputs(X) -> tuple[list, list[str]]:
    """Texts and languages from a DataFrame (``text``, optional ``lang``) or a sequence."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ValueError(f"X needs a 'text' column; it has {list(X.columns)}")
        texts = list(X["text"])
        langs = list(X["lang"]) if "lang" in X.columns else [None] * len(texts)
    else:
        texts = list(X)
        langs = [None] * len(texts)
    texts = [t if isinstance(t, str) else "" for t in texts]
    codes: dict = {}  # a language column repeats a handful of values: check each once
    out = []
    for text, lang in zip(texts, langs, strict=True):
        if isinstance(lang, str):
            code = codes.get(lang)
            if code is None:
                code = codes[lang] = _canonical(lang) or ""
        else:
            code = None
        out.append(code or detect_language(text))
    return texts, out


def _one_language(texts: list[str], langs: list) -> str | None:
    """The language of every text when it is one of the six and no text holds a NUL
    (the batch engine's separator); None otherwise."""
    one = langs[0]
    if one in LANGUAGES and langs.count(one) == len(langs) and SEP not in "".join(texts):
        return one
    return None


def _language_groups(texts: list[str], langs: list) -> tuple[dict[str, list[int]], list[int]]:
    """Row numbers per language of the six, and the other rows: undetermined language, or a
    NUL character (the batch engine's separator), which take the one-text path."""
    groups: dict[str, list[int]] = {}
    other = []
    for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        if lang in LANGUAGES and SEP not in text:
            groups.setdefault(lang, []).append(i)
        else:
            other.append(i)
    return groups, other


def _stems(tokens: list[str], lang: str) -> str:
    if lang not in LANGUAGES:
        return " ".join(tokens)
    return " ".join(_stem(w, lang) for w in tokens)  # cached, language already checked


class TaxonomyClassifier(BaseEstimator, ClassifierMixin):
    """Character and word n-grams + rule cues + style → a calibrated linear SVM per target.

    Features, all language-agnostic in form: character trigrams of the normalised text within
    words (robust to spelling and morphology, no tokeniser needed; ``char_ngrams=None`` leaves
    them out), word uni- and bigrams of stems,
    the :class:`~complaintlab.taxonomy.RuleClassifier` cue scores (``log1p``, scaled to the
    training maximum) and five style measures (exclamations, questions, capitals, length).
    Each target gets a ``LinearSVC`` with balanced class weights, calibrated by 3-fold
    Platt scaling so that :meth:`predict_proba` gives probabilities. ``seed`` fixes the
    solver's shuffling: same data and seed, same model.

    Trigrams alone are the default because they do as well as 2–4-grams on the bundled corpus
    and on the held-out complaints (macro-F1 measured in notebook 03) with a third of the
    features, which makes :func:`classify` faster. Once fitted, features are built for a
    whole batch at once (:mod:`complaintlab.taxonomy.fast`).

    ``X`` is a DataFrame with ``text`` (and ideally ``lang``) or a sequence of texts;
    ``y`` a DataFrame with any of the columns ``category``, ``complainant_type``,
    ``severity`` (or a Series named after one of them).

    Examples
    --------
    >>> from complaintlab.datasets import load_complaints
    >>> data = load_complaints()
    >>> model = TaxonomyClassifier().fit(data[["text", "lang"]], data[["category"]])
    >>> list(model.predict(data[["text", "lang"]].head(2)).columns)
    ['category']
    """

    def __init__(self, C: float = 1.0, char_ngrams: tuple | None = (3, 3),
                 word_ngrams: tuple = (1, 2), min_df: int = 2, use_cues: bool = True,
                 seed: int = 0):  # fmt: skip
        self.C = C
        self.seed = seed
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.use_cues = use_cues

    def _features(self, texts, langs, fit: bool):
        """The feature matrix: built for the whole batch at once when the model is fitted
        (:mod:`complaintlab.taxonomy.fast`, the same numbers), text by text when fitting."""
        if fit or not texts or not fast.supported(self):
            return self._text_features(texts, langs, fit)
        one = _one_language(texts, langs)
        if one is not None:  # the usual batch
            return fast.features(self, texts, one)
        groups, other = _language_groups(texts, langs)
        parts, order = [], []
        for lang, rows in groups.items():
            parts.append(fast.features(self, [texts[i] for i in rows], lang))
            order += rows
        if other:
            parts.append(self._text_features([texts[i] for i in other],
                                             [langs[i] for i in other], False))  # fmt: skip
            order += other
        matrix = sparse.vstack(parts).tocsr() if len(parts) > 1 else parts[0]
        if order != list(range(len(order))):
            back = np.empty(len(order), dtype=np.int64)
            back[order] = np.arange(len(order))
            matrix = matrix[back]
        return matrix

    def _product(self, texts, langs, weights) -> np.ndarray | None:
        """``self._features(texts, langs, False) @ weights`` without building the matrix:
        language by language (:func:`~complaintlab.taxonomy.fast.product`), with the
        one-text path's matrix only for texts in none of the six languages or holding a NUL.
        None when the batch engine does not support this model."""
        if not texts or not fast.supported(self):
            return None
        one = _one_language(texts, langs)
        if one is not None:  # the usual batch
            return fast.product(self, texts, one, weights)
        groups, other = _language_groups(texts, langs)
        out = np.empty((len(texts), weights.shape[1]), dtype=np.float64)
        for lang, rows in groups.items():
            out[rows] = fast.product(self, [texts[i] for i in rows], lang, weights)
        if other:
            matrix = self._text_features([texts[i] for i in other], [langs[i] for i in other],
                                         False)  # fmt: skip
            out[other] = matrix @ weights
        return out

    def _text_features(self, texts, langs, fit: bool):
        known = [lang if lang in LANGUAGES else None for lang in langs]
        normal = [normalize(t, lang) for t, lang in zip(texts, known, strict=True)]
        tokens = [tokenize(t, lang, normalized=True) for t, lang in zip(normal, known, strict=True)]
        stems = [_stems(toks, lang) for toks, lang in zip(tokens, langs, strict=True)]
        style = fast.plain_style(texts)
        cues = None
        if self.use_cues:
            cues = np.log1p(RuleClassifier().features(texts, langs, tokens))
        if fit:
            self.chars_ = None if self.char_ngrams is None else TfidfVectorizer(
                analyzer="char_wb", ngram_range=self.char_ngrams, min_df=self.min_df,
                sublinear_tf=True)  # fmt: skip
            self.words_ = TfidfVectorizer(token_pattern=r"\S+", lowercase=False,
                                          ngram_range=self.word_ngrams, min_df=self.min_df,
                                          sublinear_tf=True)  # fmt: skip
            if self.chars_ is not None:
                self.chars_.fit(normal)
            self.words_.fit(stems)
            self.style_scale_ = style.max(axis=0).clip(min=1e-9)
            if cues is not None:
                self.cue_scale_ = cues.max(axis=0).clip(min=1.0)
        blocks = [self.words_.transform(stems), sparse.csr_matrix(style / self.style_scale_)]
        if self.chars_ is not None:
            blocks.insert(0, self.chars_.transform(normal))
        if cues is not None:
            blocks.append(sparse.csr_matrix(cues / self.cue_scale_))
        return sparse.hstack(blocks).tocsr()

    def fit(self, X, y):
        """Fit one calibrated model per target column of ``y``."""
        texts, langs = _inputs(X)
        y = y.to_frame() if isinstance(y, pd.Series) else pd.DataFrame(y)
        unknown = [c for c in y.columns if c not in TARGETS]
        if unknown:
            raise ValueError(f"unknown targets {unknown}; choose from {list(TARGETS)}")
        if len(y) != len(texts):
            raise ValueError(f"X has {len(texts)} rows but y has {len(y)}")
        for target in y.columns:
            missing = y[target].isna().to_numpy()
            if missing.any():
                row = y.index[missing.argmax()]
                raise ValueError(f"y[{target!r}] is missing at row {row!r}; "
                                 "drop unlabelled rows before fitting")  # fmt: skip
            counts = y[target].astype(str).value_counts()
            if counts.min() < _FOLDS:
                raise ValueError(f"label {counts.idxmin()!r} of {target!r} has only "
                                 f"{counts.min()} example(s); each label needs "
                                 f"{_FOLDS}")  # fmt: skip
        features = self._features(texts, langs, fit=True)
        self.targets_ = list(y.columns)
        self.models_ = {}
        for target in self.targets_:
            svm = LinearSVC(C=self.C, class_weight="balanced", random_state=self.seed)
            model = CalibratedClassifierCV(svm, cv=_FOLDS, ensemble=False)
            self.models_[target] = model.fit(features, y[target].astype(str).to_numpy())
        return self

    def predict_proba(self, X) -> dict[str, pd.DataFrame]:
        """Class probabilities per target: ``{target: DataFrame(rows x labels)}``."""
        check_is_fitted(self, "models_")
        texts, langs = _inputs(X)
        features = self._features(texts, langs, fit=False)
        return {t: pd.DataFrame(m.predict_proba(features), columns=m.classes_)
                for t, m in self.models_.items()}  # fmt: skip

    def predict(self, X) -> pd.DataFrame:
        """Predicted labels, one column per fitted target (severity as integers)."""
        out = {}
        for target, proba in self.predict_proba(X).items():
            labels = proba.idxmax(axis=1)
            out[target] = labels.astype(int) if target == "severity" else labels
        return pd.DataFrame(out)


@cache
def default_model() -> TaxonomyClassifier:
    """The model :func:`classify` uses: trained once on the bundled corpus, kept in memory."""
    from complaintlab.corpus import load_complaints

    data = load_complaints()
    return TaxonomyClassifier().fit(data[["text", "lang"]].astype(object),
                                    data[list(TARGETS)].astype(object))  # fmt: skip


def classify(texts, langs=None, *, n_jobs: int = 1) -> pd.DataFrame:
    """Label complaints: ``lang``, ``category``, ``complainant_type``, ``severity``, ``confidence``.

    One row per input, in input order, with the input's index (a list gets a RangeIndex).
    ``langs`` (optional, same length) gives each text's language; missing ones are detected.
    Rows that cannot be classified never raise; they get missing labels (NA) and NaN
    confidence:

    - a text that is missing, empty or not a string → ``lang="und"``;
    - an unknown language code, or a text in none of the six languages → ``lang="und"``.

    ``confidence`` is the mean of the three top-class probabilities. The labels are
    categoricals (severity ordered). The model is the bundled-corpus one,
    :func:`default_model`, trained on first use (a few seconds) and then reused. ``n_jobs``
    splits a large batch over that many processes (-1: every CPU); the result is the same as
    with one.

    Examples
    --------
    >>> out = classify(["Третий раз пишу: деньги списали дважды!", None])
    >>> out.loc[0, "lang"], out.loc[1, "lang"], out["category"].isna().tolist()
    ('ru', 'und', [False, True])
    """
    jobs = check_n_jobs(n_jobs, "classify")
    series, given = text_batch(texts, langs, "classify", resolve=False)
    if jobs > 1:
        default_model()  # trained once here; forked workers share it
    return map_rows(_classify_rows, series, given, jobs)


class _Stacked:
    """The calibrated linear models of every target as one matrix product.

    scikit-learn's ``predict_proba`` of a :class:`~sklearn.calibration.CalibratedClassifierCV`
    over a ``LinearSVC`` is a sparse-times-dense product, a sigmoid per class and a
    normalisation, wrapped in input checks that cost more than the arithmetic for a batch of
    a few thousand texts. Here the three targets' coefficients are stacked, multiplied once,
    and each target's probabilities computed with the same numpy operations in the same order
    as scikit-learn (the tests compare them bit for bit). Models of another shape (one
    class pair, isotonic calibration, an ensemble) use scikit-learn's own method.
    """

    def __init__(self, models: dict):
        self.models = models
        self.plain: dict[str, tuple] = {}
        columns = []
        for target, fitted in models.items():
            calibrated = fitted.calibrated_classifiers_
            if (len(calibrated) != 1 or calibrated[0].method != "sigmoid"
                    or len(fitted.classes_) < 3):  # fmt: skip
                continue
            cc = calibrated[0]
            positions = np.searchsorted(np.unique(cc.classes), cc.estimator.classes_)
            first = sum(c.shape[1] for c in columns)
            columns.append(cc.estimator.coef_.T)
            self.plain[target] = (slice(first, first + len(positions)),
                                  cc.estimator.intercept_, positions, cc.calibrators,
                                  len(cc.classes))  # fmt: skip
        self.weights = np.ascontiguousarray(np.hstack(columns)) if columns else None

    @property
    def complete(self) -> bool:
        """Whether every target is in the stacked product (none needs scikit-learn's)."""
        return len(self.plain) == len(self.models)

    def proba(self, features, product: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """``predict_proba`` of every target's model for the feature matrix; ``product``,
        when given, is ``features @ self.weights`` already computed (``features`` may then
        be None if :attr:`complete`)."""
        if product is None and self.weights is not None:
            product = features @ self.weights
        out = {}
        for target, fitted in self.models.items():
            if target not in self.plain:
                out[target] = fitted.predict_proba(features)
                continue
            columns, intercept, positions, calibrators, n_classes = self.plain[target]
            predictions = product[:, columns] + intercept
            proba = np.zeros((len(product), n_classes))
            for index, this_pred, calibrator in zip(positions, predictions.T, calibrators,
                                                    strict=True):  # fmt: skip
                proba[:, index] = expit(-(calibrator.a_ * this_pred + calibrator.b_))
            denominator = np.sum(proba, axis=1)[:, np.newaxis]
            uniform = np.full_like(proba, 1 / n_classes)
            proba = np.divide(proba, denominator, out=uniform, where=denominator != 0)
            proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
            mean = np.zeros((len(product), n_classes))
            mean += proba
            mean /= 1  # the mean over one calibrated classifier, as scikit-learn takes it
            out[target] = mean
        return out


_STACKED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _stacked(model: TaxonomyClassifier) -> _Stacked:
    """The :class:`_Stacked` form of a fitted model's targets (kept while it is fitted)."""
    kept = _STACKED.get(model)
    if kept is None or kept.models is not model.models_:  # new, or refitted since
        kept = _STACKED[model] = _Stacked(model.models_)
    return kept


def _classify_rows(series: pd.Series, given: list) -> pd.DataFrame:
    """:func:`classify` of one process's share of the rows."""
    lang = lang_all = row_languages(series, given)
    texts = series.tolist()
    rows = [i for i, code in enumerate(lang) if code != UNDETERMINED]
    model = default_model() if rows else None
    if len(rows) < len(texts):
        texts, lang = [texts[i] for i in rows], [lang[i] for i in rows]
    probabilities = None
    if model is not None:
        stacked = _stacked(model)
        product = model._product(texts, lang, stacked.weights) if stacked.complete else None
        features = None if product is not None else model._features(texts, lang, fit=False)
        probabilities = stacked.proba(features, product)
    rows = np.asarray(rows, dtype=np.int64)
    columns = {"lang": pd.Series(lang_all, index=series.index, dtype=object)}
    tops = []
    for target in TARGETS:
        dtype = pd.CategoricalDtype(list(LABELS[target]), ordered=target == "severity")
        codes = np.full(len(lang_all), -1, dtype=np.int64)
        if model is not None:
            proba = probabilities[target]
            classes = model.models_[target].classes_
            if target == "severity":
                classes = [int(v) for v in classes]
            # the first of equal ones, as idxmax
            codes[rows] = dtype.categories.get_indexer(classes)[proba.argmax(axis=1)]
            tops.append(proba.max(axis=1))
        columns[target] = pd.Categorical.from_codes(codes, dtype=dtype)
    confidence = np.full(len(lang_all), np.nan)
    if tops:
        confidence[rows] = np.mean(tops, axis=0).round(4)
    columns["confidence"] = confidence
    out = pd.DataFrame(columns, index=series.index)
    return out
