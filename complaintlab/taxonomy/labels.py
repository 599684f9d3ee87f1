"""The taxonomy's labels, defined in each language with two short examples each.

The definitions live in ``complaintlab/data/labels/<lang>.toml``, one file per language,
written for complaintlab (not translated word for word from English).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pandas as pd

from complaintlab.taxonomy.model import LABELS
from complaintlab.text import check_lang


@cache
def _load(lang: str) -> dict:
    ref = resources.files("complaintlab").joinpath("data", "labels", f"{lang}.toml")
    return tomllib.loads(ref.read_text(encoding="utf-8"))


def definitions(lang: str = "en") -> pd.DataFrame:
    """Every label of the taxonomy in one language: name, definition and two examples.

    One row per label, in taxonomy order, indexed by ``(target, label)``; severity labels
    are the strings ``"1"``–``"4"``. Raises ``UnknownLanguageError`` for a language
    without definitions.

    Examples
    --------
    >>> table = definitions("en")
    >>> table.loc[("severity", "4"), "name"]
    'Blame'
    >>> len(table), list(table.columns)
    (16, ['name', 'definition', 'example_1', 'example_2'])
    >>> definitions("bg").loc[("category", "billing"), "name"] != "Billing"
    True
    """
    lang = check_lang(lang, "definitions", allow_none=False, allow_und=False)
    data = _load(lang)
    rows = []
    for target, labels in LABELS.items():
        for label in map(str, labels):  # severity levels are TOML keys "1".."4"
            entry = data[target][label]
            first, second = entry["examples"]
            rows.append((target, label, entry["name"], entry["definition"], first, second))
    columns = ["target", "label", "name", "definition", "example_1", "example_2"]
    return pd.DataFrame(rows, columns=columns).set_index(["target", "label"])


def definition_examples(langs=None) -> pd.DataFrame:
    """The definitions' examples as a test set: ``lang``, ``target``, ``label``, ``text``.

    Each example shows one label of one target (its other labels are unknown). They were
    written apart from the corpus and the cue lexicons, so a model trained on the corpus has
    never seen them: a small check of how it does on other people's words.

    Examples
    --------
    >>> table = definition_examples(["bg"])
    >>> len(table), table["target"].value_counts()["severity"]
    (32, np.int64(8))
    """
    from complaintlab.corpus import LANGS

    rows = []
    for lang in LANGS if langs is None else langs:
        for (target, label), row in definitions(lang).iterrows():
            rows += [(lang, target, label, row[column]) for column in ("example_1", "example_2")]
    return pd.DataFrame(rows, columns=["lang", "target", "label", "text"])


def heldout_complaints(langs=None) -> pd.DataFrame:
    """A test set written apart from everything else: 60 complaints per language.

    Columns ``lang``, ``category``, ``complainant_type``, ``severity`` (int), ``text``; 10
    complaints per category and per complainant type and 15 per severity level in each
    language, from many domains (also ones the corpus lacks: gyms, rentals, streaming ...).
    Their writers saw neither the corpus, nor the cue lexicons, nor the classifier, and the
    set is never used to train or tune anything: it measures how the taxonomy holds up on
    other people's words. Files: ``complaintlab/data/heldout/<lang>.tsv``.

    Examples
    --------
    >>> table = heldout_complaints(["ru"])
    >>> len(table), table["category"].value_counts().min()
    (60, np.int64(10))
    """
    import csv
    import io

    from complaintlab.corpus import LANGS

    frames = []
    for lang in LANGS if langs is None else langs:
        lang = check_lang(lang, "heldout_complaints", allow_none=False, allow_und=False)
        ref = resources.files("complaintlab").joinpath("data", "heldout", f"{lang}.tsv")
        text = io.StringIO(ref.read_text(encoding="utf-8"))
        frame = pd.DataFrame(list(csv.DictReader(text, delimiter="\t", quoting=csv.QUOTE_NONE)))
        frame.insert(0, "lang", lang)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["severity"] = out["severity"].astype(int)
    return out[["lang", "category", "complainant_type", "severity", "text"]]
