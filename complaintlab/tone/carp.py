"""Bacal's CARP for defusing an upset customer: Control, Acknowledge, Refocus, Problem-solve.

Each sentence of a reply is tagged with the steps it takes:

- **control** — the agent takes charge (``carp.control`` cues: "let me", "leave it with me");
- **acknowledge** — empathy, an owning apology or thanks (the tone features);
- **refocus** — from feelings to solving (``carp.refocus`` cues: "so that I can fix this");
- **problem_solve** — a concrete next step or an explained transfer.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd

from complaintlab.text import LANGUAGES, check_lang, detect_language
from complaintlab.tone.language import sentence_spans, token_spans, tokens
from complaintlab.tone.rules import _transfers, matches

STEPS = ("control", "acknowledge", "refocus", "problem_solve")
_SECTIONS = {
    "carp.control": "control",
    "empathy": "acknowledge",
    "apology": "acknowledge",
    "gratitude": "acknowledge",
    "carp.refocus": "refocus",
    "next_steps": "problem_solve",
}


@dataclass(frozen=True)
class Carp:
    """CARP tags of one reply.

    ``sentences``: one row per sentence (``sentence``, ``start``, ``end`` in the text, one
    bool column per step). ``steps``: the steps taken, in the order they first appear.
    ``complete``: all four are there. ``in_order``: complete, and first taken in C-A-R-P order.
    """

    sentences: pd.DataFrame
    steps: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return set(self.steps) == set(STEPS)

    @property
    def in_order(self) -> bool:
        return self.steps == STEPS


def carp(text, lang: str | None = None) -> Carp:
    """Tag each sentence of a reply with the CARP steps it takes.

    A missing or empty text, or one in none of the six languages, has no sentences and no
    steps. An unknown ``lang`` code raises ``UnknownLanguageError``.

    Examples
    --------
    >>> result = carp("Let me look into this for you. I'm sorry, that was our mistake. "
    ...               "So that I can fix it, could you send the order number? "
    ...               "I'll refund you today.", "en")
    >>> result.steps, result.in_order
    (('control', 'acknowledge', 'refocus', 'problem_solve'), True)
    >>> result.sentences[list(STEPS)].sum().tolist()
    [1, 1, 1, 1]
    """
    lang = check_lang(lang, "carp")
    columns = ["sentence", "start", "end", *STEPS]
    if not isinstance(text, str) or not text.strip():
        return Carp(pd.DataFrame(columns=columns), ())
    lang = lang or detect_language(text)
    if lang not in LANGUAGES:
        return Carp(pd.DataFrame(columns=columns), ())
    spans = sentence_spans(text)
    # object, not pandas' string dtype: any str is kept as it is (a lone surrogate too), and
    # the column has the dtype of the empty table's
    table = pd.DataFrame({"sentence": pd.Series([text[a:b] for a, b in spans], dtype=object),
                          "start": pd.Series([a for a, _ in spans], dtype="int64"),
                          "end": pd.Series([b for _, b in spans], dtype="int64")})  # fmt: skip
    flags = np.zeros((len(spans), len(STEPS)), dtype=bool)
    found = matches(tokens(text, lang), lang)
    places = token_spans(text, lang)
    starts = [a for a, _ in spans]
    explained = {id(m) for m, ok in _transfers(found) if ok}
    first: dict[str, int] = {}
    for m in found:
        step = "problem_solve" if id(m) in explained else _SECTIONS.get(m.section)
        if step is None:
            continue
        at = places[m.start][0]
        row = bisect.bisect_right(starts, at) - 1  # the sentence holding ``at``, if any
        if row < 0 or at >= spans[row][1]:
            row = len(spans) - 1
        flags[row, STEPS.index(step)] = True
        first[step] = min(first.get(step, row), row)
    for k, step in enumerate(STEPS):
        table[step] = flags[:, k]
    steps = tuple(sorted(first, key=lambda s: (first[s], STEPS.index(s))))
    return Carp(table, steps)
