"""Honest evaluation: stratified k-fold and leave-one-group-out, macro-F1 per language."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold

from complaintlab.taxonomy.model import TARGETS

NONE = "(none)"


def _check(data: pd.DataFrame, targets, *extra: str) -> None:
    """Name the columns an evaluation needs and ``data`` lacks (before any model is fitted)."""
    needed = ["text", "lang", *targets, *extra]
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise ValueError(f"data lacks column(s) {missing}; it has {list(data.columns)}")


def _strata(data: pd.DataFrame) -> np.ndarray:
    """Language and category together: every fold gets its share of each pair."""
    return (data["lang"].astype(str) + "|" + data["category"].astype(str)).to_numpy()


def out_of_fold(make_model: Callable, data: pd.DataFrame, k: int = 5, seed: int = 0,
                targets=TARGETS) -> pd.DataFrame:  # fmt: skip
    """Predictions for every row from a model that never saw it (stratified by lang+category).

    ``make_model()`` returns a fresh, unfitted estimator with ``fit(X, y)`` and
    ``predict(X)`` (``X``: DataFrame with ``text`` and ``lang``). Returns one column per
    target, in ``data``'s order and index.
    """
    _check(data, targets, "category")
    X = data[["text", "lang"]].astype(object).reset_index(drop=True)
    y = data[list(targets)].astype(object).reset_index(drop=True)
    strata = _strata(data)
    predicted = pd.DataFrame(index=X.index, columns=list(targets), dtype=object)
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for train, test in folds.split(X, strata):
        model = make_model().fit(X.iloc[train], y.iloc[train])
        predicted.iloc[test] = model.predict(X.iloc[test]).to_numpy()
    predicted.index = data.index
    return predicted


def leave_one_out(make_model: Callable, data: pd.DataFrame, group: str,
                  targets=TARGETS) -> pd.DataFrame:  # fmt: skip
    """Predictions for each value of ``group`` (e.g. ``domain``, ``lang``) from a model
    trained on all the other values."""
    _check(data, targets, group)
    X = data[["text", "lang"]].astype(object)
    y = data[list(targets)].astype(object)
    predicted = pd.DataFrame(index=data.index, columns=list(targets), dtype=object)
    for value in sorted(data[group].astype(str).unique()):
        held = (data[group].astype(str) == value).to_numpy()
        model = make_model().fit(X[~held], y[~held])
        predicted.loc[held] = model.predict(X[held]).to_numpy()
    return predicted


def macro_f1(truth: pd.DataFrame, predicted: pd.DataFrame, by: pd.Series | None = None
             ) -> pd.DataFrame:  # fmt: skip
    """Macro-F1 per target, overall (row ``all``) and per value of ``by`` (e.g. language).

    ``truth``, ``predicted`` and ``by`` are matched row by row, by position (as returned by
    :func:`out_of_fold` or :func:`~complaintlab.taxonomy.classify`), and must be equally long.

    Examples
    --------
    >>> truth = pd.DataFrame({"category": ["billing", "billing", "product", "product"]})
    >>> guess = pd.DataFrame({"category": ["billing", "product", "product", None]})
    >>> macro_f1(truth, guess, by=pd.Series(["en", "en", "ru", "ru"]))
         category
    all     0.583
    en      0.667
    ru      0.667
    """
    lengths = {len(truth), len(predicted)} | ({len(by)} if by is not None else set())
    if len(lengths) > 1:
        raise ValueError(f"truth, predicted and by must have the same length, got {lengths}")
    groups = [("all", np.ones(len(truth), dtype=bool))]
    if by is not None:
        groups += [(v, (by.astype(str) == v).to_numpy()) for v in by.astype(str).unique()]
    rows = {}
    for name, mask in groups:
        rows[name] = {}
        for t in predicted.columns:
            true, guess = _text(truth[t])[mask], _text(predicted[t])[mask]
            # averaged over the true labels: an abstention ("nan") is an error, not a class
            rows[name][t] = f1_score(true, guess, labels=sorted(set(true)), average="macro",
                                     zero_division=0)  # fmt: skip
    return pd.DataFrame.from_dict(rows, orient="index").round(3)


def majority_baseline(data: pd.DataFrame, targets=TARGETS) -> pd.DataFrame:
    """Predictions of the most frequent label of each target (the floor to beat)."""
    return pd.DataFrame({t: data[t].astype(str).mode().iloc[0] for t in targets},
                        index=data.index)  # fmt: skip


def _text(values: pd.Series) -> np.ndarray:
    """Labels as strings; a missing prediction (an abstention) becomes ``"(none)"``."""
    return np.array([NONE if pd.isna(v) else str(v) for v in values], dtype=object)


def confusion(truth: pd.Series, predicted: pd.Series, labels=None) -> pd.DataFrame:
    """Counts of true (rows) against predicted (columns) labels.

    ``labels`` fixes the order (default: sorted); a missing prediction counts as ``"(none)"``.

    Examples
    --------
    >>> truth, guess = pd.Series(["a", "a", "b"]), pd.Series(["a", "b", "b"])
    >>> confusion(truth, guess)  # doctest: +NORMALIZE_WHITESPACE
    predicted  a  b
    true
    a          1  1
    b          0  1
    """
    truth, predicted = _text(truth), _text(predicted)
    labels = [str(v) for v in labels] if labels is not None else sorted(set(truth) | set(predicted))
    table = confusion_matrix(truth, predicted, labels=labels)
    return pd.DataFrame(table, index=pd.Index(labels, name="true"),
                        columns=pd.Index(labels, name="predicted"))  # fmt: skip


def learning_curve(make_model: Callable, data: pd.DataFrame, fractions=(0.25, 0.5, 0.75, 1.0),
                   k: int = 5, seed: int = 0, targets=TARGETS) -> pd.DataFrame:  # fmt: skip
    """Cross-validated macro-F1 when training on a fraction of each training fold.

    The test folds stay the same for every fraction, so the rows are comparable; each
    training subsample is stratified by language and category and drawn with ``seed``.
    """
    _check(data, targets, "category")
    X = data[["text", "lang"]].astype(object).reset_index(drop=True)
    y = data[list(targets)].astype(object).reset_index(drop=True)
    strata = pd.Series(_strata(data))
    folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, strata))
    rng = np.random.default_rng(seed)
    rows = {}
    for fraction in fractions:
        predicted = pd.DataFrame(index=X.index, columns=list(targets), dtype=object)
        for train, test in folds:
            keep = strata.iloc[train].groupby(strata.iloc[train]).sample(
                frac=fraction, random_state=int(rng.integers(2**31))).index.to_numpy()
            model = make_model().fit(X.iloc[keep], y.iloc[keep])
            predicted.iloc[test] = model.predict(X.iloc[test]).to_numpy()
        row = macro_f1(y, predicted).loc["all"].to_dict()
        row["training rows"] = round(fraction * len(X) * (k - 1) / k)
        rows[fraction] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "fraction"
    return table[["training rows", *targets]]


def compare(models: dict[str, Callable], data: pd.DataFrame, k: int = 5, seed: int = 0,
            targets=TARGETS) -> pd.DataFrame:  # fmt: skip
    """Cross-validated macro-F1 of several models side by side, overall and per language.

    ``models`` maps a name to a factory (``make_model``); every model sees the same folds.
    Rows are ``(language, model)`` with language ``all`` first; columns are the targets.
    """
    tables = []
    for name, make_model in models.items():
        predicted = out_of_fold(make_model, data, k=k, seed=seed, targets=targets)
        table = macro_f1(data, predicted, by=data["lang"])
        table.index = pd.MultiIndex.from_product([table.index, [name]], names=["lang", "model"])
        tables.append(table)
    order = ["all", *sorted(data["lang"].astype(str).unique(), key=_lang_order)]
    joined = pd.concat(tables)
    return joined.reindex(pd.MultiIndex.from_product([order, list(models)],
                                                     names=["lang", "model"]))  # fmt: skip


def _lang_order(lang: str) -> tuple:
    from complaintlab.corpus import LANGS

    return (LANGS.index(lang) if lang in LANGS else len(LANGS), lang)


#: ParsiNLU review aspects and the taxonomy category a complaint about them belongs to.
ASPECT_CATEGORIES = {
    "طعم": "product",  # taste
    "کیفیت": "product",  # quality
    "ارزش غذایی": "product",  # nutritional value
    "بسته بندی": "product",  # packaging (of the product itself)
    "ارسال": "delivery",  # shipping
    "ارزش خرید": "billing",  # value for money: the price
}


def aspect_test_set(reviews: pd.DataFrame) -> pd.DataFrame:
    """Real complaints with a category, from aspect-annotated product reviews.

    Keeps the negative reviews (sentiment -1 or -2) whose negative aspects all point to one
    category of :data:`ASPECT_CATEGORIES` (e.g. bad taste → ``product``, poor value →
    ``billing``, slow shipping → ``delivery``); returns ``text``, ``lang`` and ``category``
    with the reviews' index. ``reviews`` is :func:`complaintlab.datasets.load_parsinlu_reviews`.

    Examples
    --------
    >>> reviews = pd.DataFrame({"text": ["گرون بود", "خوشمزه", "دیر رسید و بی‌مزه بود"],
    ...                         "sentiment": [-1, 2, -2], "lang": "fa",
    ...                         "aspects": [{"ارزش خرید": -1}, {"طعم": 2},
    ...                                     {"ارسال": -1, "طعم": -2}]})
    >>> aspect_test_set(reviews)[["category"]]
      category
    0  billing
    """
    missing = [c for c in ("text", "lang", "sentiment", "aspects") if c not in reviews.columns]
    if missing:
        raise ValueError(f"reviews lack column(s) {missing}; load them with "
                         "load_parsinlu_reviews")  # fmt: skip
    rows = []
    for index, sentiment, aspects in zip(reviews.index, reviews["sentiment"], reviews["aspects"],
                                         strict=True):  # fmt: skip
        if pd.isna(sentiment) or sentiment not in (-1, -2):
            continue
        found = {ASPECT_CATEGORIES[a] for a, v in aspects.items()
                 if v < 0 and a in ASPECT_CATEGORIES}  # fmt: skip
        if len(found) == 1:
            rows.append((index, found.pop()))
    keep = [index for index, _ in rows]
    out = reviews.loc[keep, ["text", "lang"]].copy()
    out["category"] = [category for _, category in rows]
    return out
