"""Evaluate tone features against gold annotations: precision, recall and F1 per feature."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from complaintlab.tone.rules import FEATURES


def gold_replies(lang: str | None = None) -> pd.DataFrame:
    """The bundled corpus's agent replies with their twelve gold features (bool).

    Columns ``complaint_id``, ``turn``, ``lang``, ``text`` and the features; one row per agent
    turn, in corpus order.

    Examples
    --------
    >>> gold = gold_replies("bg")
    >>> len(gold), gold["lang"].unique().tolist(), gold["apology"].dtype
    (104, ['bg'], dtype('bool'))
    """
    from complaintlab.corpus import load_responses

    turns = load_responses(lang)
    agents = turns[turns["author"] == "agent"].reset_index(drop=True)
    out = agents[["complaint_id", "turn"]].astype({"complaint_id": object}).copy()
    out["lang"] = agents["complaint_id"].str[:2].astype(object)
    out["text"] = agents["text"].astype(object)
    for feature in FEATURES:
        out[feature] = agents[feature].fillna(False).astype(bool)
    return out


def feature_scores(truth: pd.DataFrame, predicted: pd.DataFrame, by: pd.Series | None = None,
                   features=FEATURES) -> pd.DataFrame:  # fmt: skip
    """Precision, recall, F1 and support of each feature, overall and per value of ``by``.

    ``truth`` and ``predicted`` hold one bool column per feature and are matched row by row
    (by position); ``by`` (e.g. the language) likewise. Returns rows indexed by
    ``(group, feature)`` with ``group`` ``"all"`` first. A feature with no gold positive and
    no prediction in a group scores F1 = 1 (nothing to find, nothing invented).

    Examples
    --------
    >>> truth = pd.DataFrame({"apology": [True, True, False, False]})
    >>> guess = pd.DataFrame({"apology": [True, False, True, False]})
    >>> feature_scores(truth, guess, features=("apology",))  # doctest: +NORMALIZE_WHITESPACE
                   precision  recall   f1  support
    group feature
    all   apology        0.5     0.5  0.5        2
    """
    if len(truth) != len(predicted) or (by is not None and len(by) != len(truth)):
        sizes = [len(truth), len(predicted)] + ([] if by is None else [len(by)])
        raise ValueError(f"truth, predicted (and by) must be equally long, got {sizes}")
    for name, frame in (("truth", truth), ("predicted", predicted)):
        missing = [f for f in features if f not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks feature column(s) {missing}")
    groups = [("all", np.ones(len(truth), dtype=bool))]
    if by is not None:
        values = pd.Series(by).astype(str).to_numpy()
        groups += [(g, values == g) for g in sorted(set(values))]
    rows = []
    for group, mask in groups:
        for feature in features:
            t = truth[feature].fillna(False).astype(bool).to_numpy()[mask]
            p = predicted[feature].fillna(False).astype(bool).to_numpy()[mask]
            tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
            precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
            recall = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
            rows.append((group, feature, round(precision, 3), round(recall, 3), round(f1, 3),
                         int(t.sum())))  # fmt: skip
    columns = ["group", "feature", "precision", "recall", "f1", "support"]
    return pd.DataFrame(rows, columns=columns).set_index(["group", "feature"])


def f1_table(scores: pd.DataFrame) -> pd.DataFrame:
    """F1 from :func:`feature_scores` as a feature × group table (groups as columns)."""
    table = scores["f1"].unstack("group")
    order = ["all", *[g for g in table.columns if g != "all"]]
    return table.loc[[f for f in FEATURES if f in table.index], order]


def out_of_fold(make_model: Callable, data: pd.DataFrame, k: int = 5, seed: int = 0
                ) -> pd.DataFrame:  # fmt: skip
    """Predicted features for every reply from a model that never saw it (k-fold by language).

    ``make_model()`` returns an unfitted estimator with ``fit(X, y)`` and ``predict(X)``
    (``X``: DataFrame with ``text`` and ``lang``; ``y``: the feature columns). Folds are
    stratified by language and keep the replies of one complaint thread together.
    """
    missing = [c for c in ("text", "lang", "complaint_id", *FEATURES) if c not in data.columns]
    if missing:
        raise ValueError(f"data lacks column(s) {missing}; it has {list(data.columns)}")
    data = data.reset_index(drop=True)
    threads = data.drop_duplicates("complaint_id")
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    predicted = pd.DataFrame(False, index=data.index, columns=list(FEATURES))
    for train_ids, _ in folds.split(threads, threads["lang"]):
        train = data["complaint_id"].isin(threads["complaint_id"].iloc[train_ids]).to_numpy()
        model = make_model().fit(data.loc[train, ["text", "lang"]],
                                 data.loc[train, list(FEATURES)])  # fmt: skip
        predicted.loc[~train] = model.predict(data.loc[~train, ["text", "lang"]]).to_numpy()
    return predicted.astype(bool)


def answered_replies(turns: pd.DataFrame) -> pd.DataFrame:
    """Agent replies that the customer answered, each with that answer.

    ``turns``: conversation turns (``complaint_id``, ``turn``, ``author``, ``text``; as from
    :func:`complaintlab.datasets.load_responses`). Returns one row per agent turn whose next
    turn in the same thread is the customer's: ``complaint_id``, ``turn``, ``lang`` (from the
    id), ``text`` (the reply) and ``answer``, in thread and turn order.

    Examples
    --------
    >>> turns = pd.DataFrame({"complaint_id": ["en-1", "en-1", "en-1", "en-2"],
    ...                       "turn": [1, 2, 3, 1],
    ...                       "author": ["agent", "customer", "agent", "agent"],
    ...                       "text": ["Sorry!", "Fine.", "Thanks.", "Hello"]})
    >>> answered_replies(turns)[["complaint_id", "text", "answer"]].values.tolist()
    [['en-1', 'Sorry!', 'Fine.']]
    """
    missing = [c for c in ("complaint_id", "turn", "author", "text") if c not in turns.columns]
    if missing:
        raise ValueError(f"turns lacks column(s) {missing}; it has {list(turns.columns)}")
    ordered = turns.sort_values(["complaint_id", "turn"], kind="stable").reset_index(drop=True)
    following = ordered.groupby("complaint_id", sort=False)[["author", "text"]].shift(-1)
    keep = (ordered["author"] == "agent") & (following["author"] == "customer")
    out = ordered.loc[keep, ["complaint_id", "turn", "text"]].copy()
    out.insert(2, "lang", out["complaint_id"].astype(str).str[:2])
    out["answer"] = following.loc[keep, "text"]
    return out.reset_index(drop=True)
