"""The tone rules of :mod:`complaintlab.tone.rules`, applied to a whole batch at once.

:func:`batch_features` gives, for every reply of one language, exactly the twelve booleans
that :func:`~complaintlab.tone.rules.reply_features` gives one reply at a time (tests compare
the two on every corpus we have, and on random "soups" of cues, quotation marks and times),
with the per-token and per-hit work done over the whole batch (see
:mod:`complaintlab._fastcues`):

- facts of a token (punctuation, negation, quotation mark, clock time...) are computed once
  per distinct token;
- the cue hits come from one trie walk over the batch;
- the rules (quotation, negation, deflection beats apology, closing questions, two-part
  features, transfers) then run in one compiled pass (:mod:`complaintlab.tone.compiled`).

Without numba the rules run as numpy filters and joins on the hit arrays, written out
below; only replies with quotation marks go through a short Python loop there (whether a
quotation is open depends on the marks before it).
"""

from __future__ import annotations

from functools import cache

import numpy as np

from complaintlab import _fastcues as fc
from complaintlab.corpus import TONE_FEATURES
from complaintlab.tone import compiled
from complaintlab.tone import rules as r
from complaintlab.tone.language import (
    _RE_HE_SLASH,
    AFTER,
    AR_MA_AFTER,
    AR_MA_BEFORE,
    CLOSE_QUOTES,
    CONTRAST,
    OPEN_QUOTES,
    RE_HE_QUOTED,
    SENTENCE_END,
    abbreviation,
)

FEATURE_INDEX = {name: i for i, name in enumerate(TONE_FEATURES)}


def prepare_many(texts: list[str], lang: str) -> list[str]:
    """:func:`complaintlab.tone.language.prepare` of every text.

    The texts are normalised as one string, NUL-separated: every normalisation step works
    within a text, so this equals normalising them one by one, with one call per step. A
    text holding NUL raises :class:`complaintlab._fastcues.SeparatorInText`.
    """
    joined = fc.normal(fc.SEP.join(texts), lang, fold_yo=True).replace("؟", "?")
    if lang == "he":
        joined = _RE_HE_SLASH.sub("", joined)
    parts = joined.split(fc.SEP)
    if len(parts) != len(texts):
        raise fc.SeparatorInText
    return [part.strip() for part in parts]


def _prepare_chunk(lang: str):
    def prepare(chunk: str) -> str:
        return prepare_many([chunk], lang)[0]

    return prepare


def encode(texts: list[str], lang: str):
    """Token ids of the prepared texts (see :meth:`complaintlab._fastcues.TokenTable.encode`)."""
    table = fc.table(lang)
    if lang == "fa":  # Persian normalisation joins words across spaces: whole texts
        return table.encode(prepare_many(texts, lang))
    return table.encode_raw(texts, "tone", _prepare_chunk(lang))


def _ma_before_word(token: str) -> bool:
    if token[:1] in ("و", "ف") and len(token) > 3:
        token = token[1:]
    return token in AR_MA_AFTER


@cache
def _facts(lang: str):
    """Functions of one token that the rules need, for :meth:`TokenTable.fact`."""
    words = r._negation_words(lang)
    contrast = CONTRAST.get(lang, set())
    stop = SENTENCE_END

    def punct(tok):
        return tok == fc.SEP or r._is_punct(tok)

    return {
        "punct": punct,
        "clause_break": lambda t: t in contrast or (punct(t) and t != "'"),
        "sentence_end": lambda t: t == fc.SEP or (r._is_punct(t) and bool(set(t) & stop)),
        "dot": lambda t: t == ".",
        "abbreviation": abbreviation,
        "negation": lambda t: t != fc.SEP and not r._is_punct(t) and r._is_negation(t, lang,
                                                                                   words),
        "ma": lambda t: lang == "ar" and t in ("ما", "وما"),
        "ma_after": _ma_before_word,
        "ma_before": lambda t: t in AR_MA_BEFORE,
        "quote": lambda t: (lang == "he" and bool(RE_HE_QUOTED.match(t))) or (
            r._is_punct(t) and t != fc.SEP
            and bool(set(t) & (CLOSE_QUOTES | OPEN_QUOTES) or '"' in t)),
        "clock": lambda t: bool(r._CLOCK.match(t)),
        "currency": lambda t: bool(r._CURRENCY.search(t)),
        "small_number": lambda t: t.isdigit() and len(t) <= 2,
        "am_pm": lambda t: t in ("am", "pm"),
        # the quotation loop's tests, for the compiled rules
        "punct_only": r._is_punct,
        "quote_he": lambda t: lang == "he" and bool(RE_HE_QUOTED.match(t)),
        "quote_close": lambda t: bool(set(t) & CLOSE_QUOTES) or '"' in t,
        "quote_open": lambda t: bool(set(t) & OPEN_QUOTES) or '"' in t,
    }  # fmt: skip


def _fact(table: fc.TokenTable, lang: str, name: str) -> np.ndarray:
    return table.fact(("tone", name), _facts(lang)[name])


def _bits(table: fc.TokenTable, lang: str) -> np.ndarray:
    """Every fact of each token id as one word of bits (:func:`compiled.token_bits`)."""
    facts = _facts(lang)
    return table.fact(("tone", "bits"), lambda t: compiled.token_bits(facts, t), np.uint32)


def _quoted(table: fc.TokenTable, ids: np.ndarray, starts: np.ndarray, lang: str) -> np.ndarray:
    """Whether each token is inside quotation marks (the rules' first step)."""
    quoted = np.zeros(len(ids), dtype=bool)
    marks = np.flatnonzero(_fact(table, lang, "quote")[ids])
    if not len(marks):
        return quoted
    words = table.words
    text_of = np.searchsorted(starts, marks, side="right") - 1
    for text in np.unique(text_of):
        opened = None
        for i in marks[text_of == text]:
            tok = words[ids[i]]
            if lang == "he" and opened is None and RE_HE_QUOTED.match(tok):
                opened = i - 1  # the quotation starts inside this token
            elif not r._is_punct(tok):
                continue
            elif (set(tok) & CLOSE_QUOTES or '"' in tok) and opened is not None:
                quoted[opened + 1 : i] = True
                opened = None
            elif set(tok) & OPEN_QUOTES or '"' in tok:
                opened = i
    return quoted


@cache
def _cue_table(lang: str):
    """Per cue of the tone lexicon: its section number, and whether it says "not" itself."""
    lexicon = r.lexicon(lang)
    words = r._negation_words(lang)
    sections = sorted({c.section for c in lexicon.cues})
    number = {s: i for i, s in enumerate(sections)}
    section = np.array([number[c.section] for c in lexicon.cues], dtype=np.int64)
    says_not = np.array([any(r._is_negation(w.rstrip("*"), lang, words) for w in c.words)
                         for c in lexicon.cues], dtype=bool)  # fmt: skip
    size = np.array([len(c.words) for c in lexicon.cues], dtype=np.int64)
    negatable = np.array([s in r.NEGATABLE for s in sections], dtype=bool)
    return sections, number, section, says_not, size, negatable


def _prefix(flags: np.ndarray) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])


def batch_features(texts: list[str], lang: str) -> np.ndarray:
    """The twelve tone features of each text (strs of one language), as a boolean array
    with one row per text, columns in :data:`TONE_FEATURES` order.

    A text holding NUL (the batch's separator) is scored on its own by
    :func:`~complaintlab.tone.rules.reply_features`, which gives the same answer.
    """
    with fc.LOCK:  # the caches are shared: one batch at a time
        try:
            return _batch_features(texts, lang)
        except fc.SeparatorInText:
            pass
    out = np.zeros((len(texts), len(TONE_FEATURES)), dtype=bool)
    plain = []
    for i, text in enumerate(texts):
        if fc.SEP in text:
            features = r.reply_features(text, lang)
            out[i] = [features[name] for name in TONE_FEATURES]
        else:
            plain.append(i)
    out[plain] = batch_features([texts[i] for i in plain], lang)
    return out


def _batch_features(texts: list[str], lang: str) -> np.ndarray:
    out = np.zeros((len(texts), len(TONE_FEATURES)), dtype=bool)
    if not texts:
        return out
    fc.trim()
    table = fc.table(lang)
    ids, starts = encode(texts, lang)
    hits = fc.match_batch(fc.compiled(r.lexicon(lang)), ids)
    sections, number, cue_section, says_not, cue_size, negatable = _cue_table(lang)
    if fc._jit.ENABLED:  # the same rules, compiled into one pass
        role, column = compiled.section_arrays(tuple(sections))
        return compiled.features(ids, starts, _bits(table, lang), hits.start, hits.end,
                                 hits.cue, cue_section, says_not, cue_size, negatable, role,
                                 column, AFTER.get(lang, 0))  # fmt: skip

    # --- token structure: sentences, clauses, negations, quotations ---------------------
    def fact(name):
        return _fact(table, lang, name)[ids]

    previous = np.concatenate([[0], ids[:-1]])
    after = np.concatenate([ids[1:], [0]])
    ends = fact("sentence_end") & ~(fact("dot") & _fact(table, lang, "abbreviation")[previous])
    sentence = np.cumsum(ends) - ends
    clause = np.cumsum(fact("clause_break"))
    negated = fact("negation")
    if lang == "ar":
        conj = fact("ma") & (_fact(table, lang, "ma_after")[previous]
                             | _fact(table, lang, "ma_before")[after])  # fmt: skip
        negated &= ~conj
    quoted = _quoted(table, ids, starts, lang)

    start, end, cue = hits.start, hits.end, hits.cue
    section = cue_section[cue]
    exempt = section == number.get("negation.exempt", -1)
    if exempt.any():  # "no problem", "don't hesitate": their negation word negates nothing
        marks = np.zeros(len(ids) + 1, dtype=np.int64)
        np.add.at(marks, start[exempt], 1)
        np.add.at(marks, end[exempt] + 1, -1)
        negated &= np.cumsum(marks[:-1]) == 0
    negation_sections = [number[s] for s in sections if s.startswith("negation")]
    keep = ~np.isin(section, negation_sections)
    q = _prefix(quoted)
    keep &= (q[end + 1] - q[start]) < (end - start + 1)  # not wholly inside quotation marks
    keep &= sentence[start] == sentence[end]
    # negation: a negation word in the same clause, from three words before to the end
    # (Persian: a few words after too), unless the cue says "not" itself
    lo = np.maximum(start - 3, np.searchsorted(clause, clause[start], side="left"))
    hi = np.minimum(end + AFTER.get(lang, 0), np.searchsorted(clause, clause[start], "right") - 1)
    n = _prefix(negated)
    near = (n[np.maximum(hi + 1, lo)] - n[lo]) > 0
    keep &= ~(negatable[section] & ~says_not[cue] & near)
    start, end, cue, section = start[keep], end[keep], cue[keep], section[keep]

    def where(name):
        return section == number.get(name, -1)

    # deflection beats apology in its sentence (overlapping hits share a sentence)
    beaten = where("apology") & np.isin(sentence[start], sentence[start[where("non_apology")]])
    beaten |= _closing_questions_beaten(start, end, cue_size[cue], section, number)
    start, end, section = start[~beaten], end[~beaten], section[~beaten]

    text_of = np.searchsorted(starts, start, side="right") - 1
    for name, column in FEATURE_INDEX.items():
        chosen = where(name)
        if chosen.any():
            out[text_of[chosen], column] = True

    # two-part features within one sentence
    def sentences_of(name):
        return sentence[start[where(name)]]

    first = where("blame.customer")
    paired = first & np.isin(sentence[start], sentences_of("blame.contrast"))
    out[text_of[paired], FEATURE_INDEX["blame"]] = True
    clock = ~quoted & ((fact("clock") & ~_fact(table, lang, "currency")[previous])
                       | (fact("small_number") & _fact(table, lang, "am_pm")[after]))  # fmt: skip
    times = np.concatenate([sentences_of("next_steps.time"), sentence[np.flatnonzero(clock)]])
    commit = where("next_steps.commit") & np.isin(sentence[start], times)
    commit &= ~np.isin(clause[start], clause[start[where("transfer")]])
    out[text_of[commit], FEATURE_INDEX["next_steps"]] = True

    # transfers: explained by a reason in the same sentence or a neighbouring one
    transfer = where("transfer")
    reasons = sentences_of("transfer_reason")
    s = sentence[start]
    explained = transfer & (np.isin(s, reasons) | np.isin(s - 1, reasons)
                            | np.isin(s + 1, reasons))  # fmt: skip
    out[text_of[explained], FEATURE_INDEX["explained_transfer"]] = True
    any_transfer = np.zeros(len(texts), dtype=bool)
    any_transfer[text_of[transfer]] = True
    out[:, FEATURE_INDEX["unexplained_transfer"]] = (
        any_transfer & ~out[:, FEATURE_INDEX["explained_transfer"]])
    return out


def _closing_questions_beaten(start, end, size, section, number) -> np.ndarray:
    """Overlapping open-offer and negative-question cues: the longer one wins."""
    beaten = np.zeros(len(start), dtype=bool)
    a = np.flatnonzero(section == number.get("open_offer", -1))
    b = np.flatnonzero(section == number.get("negative_question", -1))
    if not len(a) or not len(b):
        return beaten
    b = b[np.argsort(start[b], kind="stable")]
    # candidates for each open offer: negative questions starting from a cue length before
    # it (cues are far shorter than 64 words) up to its end; then keep those that overlap
    lo = np.searchsorted(start[b], start[a] - 64)
    hi = np.searchsorted(start[b], end[a], side="right")
    n = np.maximum(hi - lo, 0)
    i = np.repeat(a, n)
    j = b[np.repeat(lo, n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)]
    overlap = end[j] >= start[i]
    i, j = i[overlap], j[overlap]
    span_i, span_j = end[i] - start[i], end[j] - start[j]
    j_longer = (span_j > span_i) | ((span_j == span_i) & (size[j] > size[i]))
    i_longer = (span_i > span_j) | ((span_i == span_j) & (size[i] > size[j]))
    beaten[i[j_longer]] = True
    beaten[j[i_longer]] = True
    return beaten
