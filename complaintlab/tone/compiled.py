"""The tone rules of :func:`complaintlab.tone.fast.batch_features` as one compiled pass.

With numba (:data:`complaintlab._jit.ENABLED`), everything after the cue hits — sentences,
clauses, negation, quotation, deflection, closing questions, two-part features and transfers —
runs in one compiled function, :func:`features`, over arrays: the token ids, one word of
facts per token id (:func:`token_bits`), the hits, and per cue section its *role* in the
rules. The numpy version in :mod:`complaintlab.tone.fast` is the readable statement of the
same rules and the fallback without numba; tests compare the two on every corpus.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from complaintlab._jit import ENABLED, numba
from complaintlab.corpus import TONE_FEATURES

# one bit per fact of a token (see fast._facts); QUOTE_* are the quotation loop's tests
SENTENCE_END, DOT, ABBREVIATION, CLAUSE_BREAK = 1, 2, 4, 8
NEGATION, MA, MA_AFTER, MA_BEFORE = 16, 32, 64, 128
QUOTE, QUOTE_HE, PUNCT, QUOTE_CLOSE, QUOTE_OPEN = 256, 512, 1024, 2048, 4096
CLOCK, CURRENCY, SMALL_NUMBER, AM_PM = 8192, 16384, 32768, 65536

# what a cue section does in the rules (sections with no role only give their feature)
PLAIN, DROPPED, EXEMPT, APOLOGY, NON_APOLOGY, OPEN_OFFER, NEGATIVE_QUESTION = range(7)
BLAME_CUSTOMER, BLAME_CONTRAST, TIME, COMMIT, TRANSFER, REASON = range(7, 13)
ROLES = {"negation.exempt": EXEMPT, "apology": APOLOGY, "non_apology": NON_APOLOGY,
         "open_offer": OPEN_OFFER, "negative_question": NEGATIVE_QUESTION,
         "blame.customer": BLAME_CUSTOMER, "blame.contrast": BLAME_CONTRAST,
         "next_steps.time": TIME, "next_steps.commit": COMMIT, "transfer": TRANSFER,
         "transfer_reason": REASON}  # fmt: skip
COLUMN = {name: i for i, name in enumerate(TONE_FEATURES)}
_BLAME, _NEXT_STEPS = COLUMN["blame"], COLUMN["next_steps"]
_EXPLAINED, _UNEXPLAINED = COLUMN["explained_transfer"], COLUMN["unexplained_transfer"]
_N_FEATURES = len(TONE_FEATURES)


@cache
def section_arrays(sections: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per section (in the order of ``sections``): its role, and its feature column or -1.

    Examples
    --------
    >>> roles, columns = section_arrays(("apology", "negation", "transfer"))
    >>> roles.tolist() == [APOLOGY, DROPPED, TRANSFER], columns.tolist()
    (True, [1, -1, -1])
    """
    roles = [ROLES.get(s, DROPPED if s.startswith("negation") else PLAIN) for s in sections]
    return (np.array(roles, dtype=np.int64),
            np.array([COLUMN.get(s, -1) for s in sections], dtype=np.int64))  # fmt: skip


_BITS = ((SENTENCE_END, "sentence_end"), (DOT, "dot"), (ABBREVIATION, "abbreviation"),
         (CLAUSE_BREAK, "clause_break"), (NEGATION, "negation"), (MA, "ma"),
         (MA_AFTER, "ma_after"), (MA_BEFORE, "ma_before"), (QUOTE, "quote"),
         (QUOTE_HE, "quote_he"), (PUNCT, "punct_only"), (QUOTE_CLOSE, "quote_close"),
         (QUOTE_OPEN, "quote_open"), (CLOCK, "clock"), (CURRENCY, "currency"),
         (SMALL_NUMBER, "small_number"), (AM_PM, "am_pm"))  # fmt: skip


def token_bits(facts: dict, token: str) -> int:
    """The facts of one token as one int of bits; ``facts`` maps a fact's name to its
    function of a token (:func:`complaintlab.tone.fast._facts` of a language).

    Examples
    --------
    >>> from complaintlab.tone.fast import _facts
    >>> bits = token_bits(_facts("en"), "17:00")
    >>> bool(bits & CLOCK), bool(bits & NEGATION), bool(token_bits(_facts("en"), "not") & NEGATION)
    (True, False, True)
    """
    return sum(value for value, name in _BITS if facts[name](token))


if ENABLED:

    @numba.njit(cache=True)
    def _structure(ids, bits):  # pragma: no cover - compiled
        """Sentence number (sentence ends before it) and clause number (clause breaks up to
        and including it) of every position, and whether a negation word stands there
        (Arabic "ma" as a conjunction does not). A full stop after an abbreviation ends
        nothing."""
        n = len(ids)
        sentence = np.empty(n, dtype=np.int64)
        clause = np.empty(n, dtype=np.int64)
        negated = np.zeros(n, dtype=np.bool_)
        sentences = 0
        clauses = 0
        before = bits[0]  # the token before the first: a separator, as the batch starts
        for i in range(n):
            b = bits[ids[i]]
            sentence[i] = sentences
            if (b & SENTENCE_END) and not ((b & DOT) and (before & ABBREVIATION)):
                sentences += 1
            if b & CLAUSE_BREAK:
                clauses += 1
            clause[i] = clauses
            if b & NEGATION:
                after = bits[ids[i + 1]] if i + 1 < n else bits[0]
                negated[i] = not ((b & MA) and ((before & MA_AFTER) or (after & MA_BEFORE)))
            before = b
        return sentence, clause, negated

    @numba.njit(cache=True)
    def _quoted(ids, bits):  # pragma: no cover - compiled
        """Whether each position is inside quotation marks (``fast._quoted``): marks are
        paired text by text, left to right; a separator ends a text."""
        n = len(ids)
        quoted = np.zeros(n, dtype=np.bool_)
        opened = -2  # no quotation open
        for i in range(n):
            tok = ids[i]
            if tok == 0:
                opened = -2
                continue
            b = bits[tok]
            if not (b & QUOTE):
                continue
            if (b & QUOTE_HE) and opened == -2:
                opened = i - 1  # the quotation starts inside this token
            elif not (b & PUNCT):
                continue
            elif (b & QUOTE_CLOSE) and opened != -2:
                quoted[opened + 1 : i] = True
                opened = -2
            elif b & QUOTE_OPEN:
                opened = i
        return quoted

    @numba.njit(cache=True)
    def _kept(ids, start, end, cue, cue_section, says_not, negatable, role, sentence, clause,
              negated, quoted, after):  # pragma: no cover - compiled
        """Rules 1 and 2: the hits that are not negation words, not wholly quoted, within one
        sentence and not negated. Negation words inside "no problem" negate nothing."""
        n = len(ids)
        for h in range(len(start)):
            if role[cue_section[cue[h]]] == EXEMPT:
                negated[start[h] : end[h] + 1] = False
        inside = np.zeros(n + 1, dtype=np.int64)
        for i in range(n):
            inside[i + 1] = inside[i] + quoted[i]
        keep = np.zeros(len(start), dtype=np.bool_)
        for h in range(len(start)):
            s = start[h]
            e = end[h]
            section = cue_section[cue[h]]
            if role[section] == DROPPED or role[section] == EXEMPT:
                continue
            if inside[e + 1] - inside[s] == e - s + 1 or sentence[s] != sentence[e]:
                continue
            if negatable[section] and not says_not[cue[h]]:
                near = False
                for i in range(max(s - 3, 0), min(e + after, n - 1) + 1):
                    if clause[i] == clause[s] and negated[i]:
                        near = True
                        break
                if near:
                    continue
            keep[h] = True
        return np.flatnonzero(keep)

    @numba.njit(cache=True)
    def _beaten(kept, start, end, size, kind, sentence, n_sentences):  # pragma: no cover
        """Rules 3 and 4 over the kept hits (``kind``: their roles): an apology in a
        sentence with a deflection; the shorter of overlapping closing questions."""
        beaten = np.zeros(len(kept), dtype=np.bool_)
        deflected = np.zeros(n_sentences + 2, dtype=np.bool_)
        for k in range(len(kept)):
            if kind[k] == NON_APOLOGY:
                deflected[sentence[start[kept[k]]]] = True
        first = np.empty(len(kept), dtype=np.int64)
        for k in range(len(kept)):
            first[k] = start[kept[k]]
        for k in range(len(kept)):
            i = kept[k]
            if kind[k] == APOLOGY and deflected[sentence[start[i]]]:
                beaten[k] = True
            if kind[k] != OPEN_OFFER:
                continue
            # negative questions starting from 64 words before it up to its end, overlapping
            m = np.searchsorted(first, start[i] - 64)
            while m < len(kept) and first[m] <= end[i]:
                j = kept[m]
                if kind[m] == NEGATIVE_QUESTION and end[j] >= start[i]:
                    span_i = end[i] - start[i]
                    span_j = end[j] - start[j]
                    if span_j > span_i or (span_j == span_i and size[j] > size[i]):
                        beaten[k] = True
                    if span_i > span_j or (span_i == span_j and size[i] > size[j]):
                        beaten[m] = True
                m += 1
        return beaten

    @numba.njit(cache=True)
    def features(ids, starts, bits, start, end, cue, cue_section, says_not, size, negatable,
                 role, column, after):  # pragma: no cover - compiled
        """The twelve tone features of each text of an encoded batch, from its cue hits
        (sorted by first token, as :func:`complaintlab._jit.walk` gives them)."""
        n = len(ids)
        n_texts = len(starts) - 1
        out = np.zeros((n_texts, _N_FEATURES), dtype=np.bool_)
        sentence, clause, negated = _structure(ids, bits)
        quoted = _quoted(ids, bits)
        kept = _kept(ids, start, end, cue, cue_section, says_not, negatable, role, sentence,
                     clause, negated, quoted, after)
        kind = np.empty(len(kept), dtype=np.int64)
        for k in range(len(kept)):
            kind[k] = role[cue_section[cue[kept[k]]]]
        n_sentences = sentence[n - 1] + 1 if n else 0
        beaten = _beaten(kept, start, end, size[cue], kind, sentence, n_sentences)
        # rule 5 and 6: which sentences hold a contrast, a time, a transfer reason; which
        # clauses a transfer; then the features each hit gives
        contrast = np.zeros(n_sentences + 2, dtype=np.bool_)
        time = np.zeros(n_sentences + 2, dtype=np.bool_)
        reason = np.zeros(n_sentences + 2, dtype=np.bool_)
        transferred = np.zeros(clause[n - 1] + 2 if n else 1, dtype=np.bool_)
        text_of = np.empty(len(kept), dtype=np.int64)
        t = 0
        for k in range(len(kept)):
            i = kept[k]
            while starts[t + 1] <= start[i]:
                t += 1
            text_of[k] = t
            if beaten[k]:
                continue
            s = sentence[start[i]]
            if kind[k] == BLAME_CONTRAST:
                contrast[s] = True
            elif kind[k] == TIME:
                time[s] = True
            elif kind[k] == REASON:
                reason[s] = True
            elif kind[k] == TRANSFER:
                transferred[clause[start[i]]] = True
            c = column[cue_section[cue[i]]]
            if c >= 0:
                out[t, c] = True
        for i in range(n):  # clock times outside quotation marks ("17:00", "5 pm")
            if quoted[i]:
                continue
            b = bits[ids[i]]
            before = bits[ids[i - 1]] if i > 0 else bits[0]
            after_bits = bits[ids[i + 1]] if i + 1 < n else bits[0]
            if ((b & CLOCK) and not (before & CURRENCY)) or (
                    (b & SMALL_NUMBER) and (after_bits & AM_PM)):
                time[sentence[i]] = True
        any_transfer = np.zeros(n_texts, dtype=np.bool_)
        for k in range(len(kept)):
            if beaten[k]:
                continue
            i = kept[k]
            t = text_of[k]
            s = sentence[start[i]]
            if kind[k] == BLAME_CUSTOMER and contrast[s]:
                out[t, _BLAME] = True
            elif kind[k] == COMMIT and time[s] and not transferred[clause[start[i]]]:
                out[t, _NEXT_STEPS] = True
            elif kind[k] == TRANSFER:
                any_transfer[t] = True
                if reason[s] or reason[s + 1] or (s > 0 and reason[s - 1]):
                    out[t, _EXPLAINED] = True
        for t in range(n_texts):
            out[t, _UNEXPLAINED] = any_transfer[t] and not out[t, _EXPLAINED]
        return out
