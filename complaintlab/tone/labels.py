"""The tone features and CARP steps defined in each language, and a held-out test set."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pandas as pd

from complaintlab.text import LANGUAGES, check_lang
from complaintlab.tone.rules import FEATURES

CARP_KEYS = ("control", "acknowledge", "refocus", "problem_solve")


@cache
def _load(lang: str) -> dict:
    ref = resources.files("complaintlab").joinpath("data", "tone", "labels", f"{lang}.toml")
    return tomllib.loads(ref.read_text(encoding="utf-8"))


def definitions(lang: str = "en") -> pd.DataFrame:
    """Every tone feature and CARP step in one language: name, definition, three examples.

    Indexed by ``(kind, key)`` with kind ``feature`` (the twelve, in :data:`FEATURES` order)
    or ``carp``. Raises ``UnknownLanguageError`` for a language without definitions.

    Examples
    --------
    >>> table = definitions("en")
    >>> len(table), list(table.columns)
    (16, ['name', 'definition', 'example_1', 'example_2', 'example_3'])
    >>> definitions("he").loc[("feature", "blame"), "name"] != "Blame"
    True
    """
    lang = check_lang(lang, "definitions", allow_none=False, allow_und=False)
    data = _load(lang)
    rows = []
    for kind, key, entry in [*[("feature", f, data[f]) for f in FEATURES],
                             *[("carp", k, data["carp"][k]) for k in CARP_KEYS]]:  # fmt: skip
        examples = list(entry["examples"])
        if len(examples) != 3:
            raise ValueError(f"{lang}.toml: {key} needs exactly 3 examples, has {len(examples)}")
        rows.append((kind, key, entry["name"], entry["definition"], *examples))
    columns = ["kind", "key", "name", "definition", "example_1", "example_2", "example_3"]
    return pd.DataFrame(rows, columns=columns).set_index(["kind", "key"])


def heldout_replies(langs=None) -> pd.DataFrame:
    """Agent replies written apart from the corpus and the lexicons, with gold features.

    ``complaintlab/data/tone/heldout/<lang>.tsv``: written by writers who saw neither the
    corpus nor the cue lexicons, on other domains and in other words. Nothing is trained or
    tuned on them; they show whether the scorer generalises. Columns ``lang``, ``text`` and
    the twelve features (bool).

    Examples
    --------
    >>> held = heldout_replies(["ru"])
    >>> held["lang"].unique().tolist(), bool(held["blame"].any())
    (['ru'], True)
    """
    if isinstance(langs, str):
        langs = [langs]
    if langs is None:
        langs = sorted(LANGUAGES)
    else:
        langs = [check_lang(v, "heldout_replies", allow_none=False) for v in langs]
    frames = []
    for lang in langs:
        ref = resources.files("complaintlab").joinpath("data", "tone", "heldout", f"{lang}.tsv")
        with resources.as_file(ref) as path:
            frame = pd.read_csv(path, sep="\t", dtype={"text": object}, keep_default_na=False,
                                quoting=3)  # fmt: skip
        missing = [c for c in ("text", *FEATURES) if c not in frame.columns]
        if missing:
            raise ValueError(f"heldout {lang}.tsv lacks column(s) {missing}")
        frame.insert(0, "lang", lang)
        for feature in FEATURES:
            frame[feature] = frame[feature].astype(int).astype(bool)
        frames.append(frame[["lang", "text", *FEATURES]])
    return pd.concat(frames, ignore_index=True)
