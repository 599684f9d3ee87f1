"""Rule-based tone features: per-language cue lexicons (``complaintlab/data/tone/<lang>.txt``).

A lexicon has one section per feature, plus ``transfer`` (any hold or hand-over),
``transfer_reason`` (why, or what the next person can do), ``carp.control``, ``carp.refocus``
and ``negation`` (negating words beyond :func:`complaintlab.text.negations`; a trailing ``*``
makes one a prefix) and, optionally, ``negation.exempt`` (set phrases such as "no problem",
"don't hesitate" whose negation word negates nothing). Cue syntax is that of
:mod:`complaintlab._cues`; punctuation tokens count as words inside a cue ("sorry , if" needs
its one-word gap for the comma), and a final word ``?*`` asks for a question mark. The rules,
in order:

1. **Quotation** — a cue inside quotation marks ("…", «…», „…“) is the customer's or a
   document's words, not the agent's: it is ignored.
2. **Negation** — a cue is dropped when a negation word stands in the same clause within the
   three words before it, or inside it ("we will *not* refund", "this is *not* your fault"),
   or, in Persian, where the verb comes last, within the three words after it,
   unless the cue itself contains a negation (blame: "you didn't read"). Closing questions,
   deflecting apologies and transfer reasons are not negated ("don't hesitate to ask").
3. **Deflection beats apology** — an apology cue overlapping a ``non_apology`` cue ("sorry
   you feel that way"), or in the same sentence as one ("if you were inconvenienced, please
   accept our apologies"), does not count as an apology.
4. **Closing questions** — when ``open_offer`` and ``negative_question`` cues overlap, the
   longer cue wins.
5. **Two-part features** — polite blame is a ``blame.customer`` cue (what the customer did:
   "the address you gave") with a ``blame.contrast`` cue ("so", "however", "which is why") in
   the same sentence; a commitment is a ``next_steps.commit`` cue ("I'll", "we will") with a
   ``next_steps.time`` cue ("tomorrow", "within", or any clock time such as 17:00) in the same
   sentence, unless the promise is a transfer (a transfer cue in the same clause). Plain
   ``blame`` and ``next_steps`` cues fire on their own.
6. **Transfers** — a ``transfer`` hit with a ``transfer_reason`` hit in the same sentence, the
   one before or the one after is an ``explained_transfer``; without one, an
   ``unexplained_transfer``. One explained transfer makes the reply's transfer explained.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from complaintlab._cues import Hit, Lexicon, _bare
from complaintlab.corpus import TONE_FEATURES
from complaintlab.text import LANGUAGES, negations
from complaintlab.tone.language import (
    AFTER,
    AR_MA_AFTER,
    AR_MA_BEFORE,
    CLOSE_QUOTES,
    CONTRAST,
    HE_NEGATION_PREFIXES,
    NOT_NEGATION,
    OPEN_QUOTES,
    RE_HE_QUOTED,
    SENTENCE_END,
    abbreviation,
    sentence_spans,
    token_spans,
    tokens,
)

FEATURES = TONE_FEATURES
SECTIONS = (*[f for f in FEATURES if not f.endswith("_transfer")], "transfer",
            "transfer_reason", "carp.control", "carp.refocus", "negation")  # fmt: skip
# Two-part features: a hit of each part in one sentence makes the feature. Polite blame points
# at what the customer did and frames it as the cause ("the address you gave didn't include
# the flat number, so ..."); a commitment is a first-person promise with a time ("I'll call
# you before 17:00"). Each part alone proves nothing. Lexicons may leave them out.
PAIRS = {"blame": ("blame.customer", "blame.contrast"),
         "next_steps": ("next_steps.commit", "next_steps.time")}  # fmt: skip
OPTIONAL = tuple(part for parts in PAIRS.values() for part in parts)
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}$|^\d{1,2}(?:[:.]\d{2})?(?:am|pm)$")
CLOCK_CUE = "(a clock time)"
_CURRENCY = re.compile(r"[£$€₪₽¥₴]")
# sections whose cues a negation cancels; the others may contain one on purpose
NEGATABLE = frozenset({"empathy", "apology", "blame", "next_steps",
                       "transfer", "closing_check", "gratitude", "carp.control",
                       "blame.customer", "next_steps.commit"})  # fmt: skip
@dataclass(frozen=True)
class Evidence:
    """Why a feature fired: the feature, the span ``text[start:end]``, the cue, the sentence."""

    feature: str
    start: int
    end: int
    cue: str
    sentence: str


@dataclass(frozen=True)
class Match:
    """A cue hit that survived the rules, in token positions (``sentence`` is its index)."""

    section: str
    start: int
    end: int
    cue: str
    sentence: int
    clause: int = -1


@cache
def lexicon(lang: str) -> Lexicon:
    """The tone cue lexicon of one language, with the language's negation words added."""
    ref = resources.files("complaintlab").joinpath("data", "tone", f"{lang}.txt")
    text = ref.read_text(encoding="utf-8")
    if lang in ("ru", "bg"):
        text = text.replace("ё", "е").replace("Ё", "Е")
    return Lexicon.from_text(text, lang)


@cache
def _negation_words(lang: str) -> frozenset[str]:
    """Whole negation words, and prefixes (ending in ``*``: "невъзможн*")."""
    extra = {c.words[0] for c in lexicon(lang).cues
             if c.section == "negation" and len(c.words) == 1}  # fmt: skip
    words = (frozenset(negations(lang)) | frozenset(extra)) - NOT_NEGATION.get(lang, set())
    return frozenset(words)


@cache
def _negation_prefixes(lang: str) -> tuple[str, ...]:
    prefixes = [w[:-1] for w in _negation_words(lang) if w.endswith("*")]
    # Persian: نمی‌ negates a verb, also after a preverb (برنمی‌گردانیم "we will not return")
    persian = ("نمی", "برنمی", "درنمی", "بازنمی", "فرانمی", "ورنمی")
    return tuple(prefixes) + (persian if lang == "fa" else ())


def _is_negation(token: str, lang: str, words: frozenset[str]) -> bool:
    if lang == "he":  # only ו/ש attach to לא: מלא "full", כלא "prison" are not negations
        forms = {token} | {token[len(p) :] for p in HE_NEGATION_PREFIXES if token.startswith(p)}
    else:
        forms = _bare(token, lang)
    if not words.isdisjoint(forms):
        return True
    prefixes = _negation_prefixes(lang)
    return bool(prefixes) and any(f.startswith(prefixes) for f in forms)


def _is_punct(token: str) -> bool:
    return not any(ch.isalnum() for ch in token)


def _structure(toks: list[str], lang: str):
    """Per token: sentence index, clause index, inside quotation marks, is a negation."""
    words, contrast = _negation_words(lang), CONTRAST.get(lang, set())
    sentence = clause = 0
    sentences, clauses, negated = [], [], []
    quoted, opened = [False] * len(toks), None
    for i, tok in enumerate(toks):
        punct = _is_punct(tok)
        if tok in contrast or (punct and tok != "'"):
            clause += 1
        sentences.append(sentence)
        clauses.append(clause)
        negated.append(not punct and _is_negation(tok, lang, words)
                       and not (lang == "ar" and _conjunction_ma(toks, i)))  # fmt: skip
        if lang == "he" and opened is None and RE_HE_QUOTED.match(tok):
            opened = i - 1  # the quotation starts inside this token
        elif punct:
            if set(tok) & SENTENCE_END and not (tok == "." and i and abbreviation(toks[i - 1])):
                sentence += 1
            if (set(tok) & CLOSE_QUOTES or '"' in tok) and opened is not None:
                quoted[opened + 1 : i] = [True] * (i - opened - 1)
                opened = None
            elif set(tok) & OPEN_QUOTES or '"' in tok:
                opened = i
    return sentences, clauses, quoted, negated


def _conjunction_ma(toks: list[str], i: int) -> bool:
    if toks[i] not in ("ما", "وما"):
        return False
    before = toks[i - 1] if i else ""
    if before[:1] in ("و", "ف") and len(before) > 3:  # وقبل ما, فبعد ما
        before = before[1:]
    after = toks[i + 1] if i + 1 < len(toks) else ""
    return before in AR_MA_AFTER or after in AR_MA_BEFORE


def _negated(hit: Hit, lang: str, clauses, negated, words) -> bool:
    if hit.cue.section not in NEGATABLE:
        return False
    if any(_is_negation(w.rstrip("*"), lang, words) for w in hit.cue.words):
        return False  # the cue says "not" on purpose
    first = max(0, hit.start - 3)
    last = min(len(negated), hit.end + 1 + AFTER.get(lang, 0))
    return any(negated[i] and clauses[i] == clauses[hit.start] for i in range(first, last))


def _overlap(a, b) -> bool:
    return a.start <= b.end and b.start <= a.end


class _Near:
    """Hits sorted by their first token, for finding the ones that overlap a hit without
    looking at every hit (a long reply has thousands: comparing all pairs is quadratic)."""

    def __init__(self, hits: list):
        self.hits = sorted(hits, key=lambda h: h.start)
        self.starts = [h.start for h in self.hits]
        self.reach = max((h.end - h.start for h in self.hits), default=0)

    def overlapping(self, hit) -> list:
        """The hits that share a token with ``hit``."""
        first = bisect.bisect_left(self.starts, hit.start - self.reach)
        last = bisect.bisect_right(self.starts, hit.end)
        return [h for h in self.hits[first:last] if _overlap(hit, h)]


def matches(toks: list[str], lang: str) -> list[Match]:
    """Cue hits in a tokenised reply that survive quotation, negation and overlap rules."""
    sentences, clauses, quoted, negated = _structure(toks, lang)
    words = _negation_words(lang)
    hits = lexicon(lang).match_tokens(toks)
    for hit in hits:  # "no problem", "don't hesitate": set phrases that negate nothing
        if hit.cue.section == "negation.exempt":
            negated[hit.start : hit.end + 1] = [False] * (hit.end + 1 - hit.start)
    kept = []
    for hit in hits:
        if hit.cue.section.startswith("negation") or all(quoted[hit.start : hit.end + 1]):
            continue
        if sentences[hit.start] != sentences[hit.end]:
            continue  # the one-word gap jumped a full stop: "...the problem. Do you..."
        if not _negated(hit, lang, clauses, negated, words):
            kept.append(hit)
    deflections = _Near([h for h in kept if h.cue.section == "non_apology"])
    deflected = {sentences[d.start] for d in deflections.hits}
    questions = _Near([h for h in kept if h.cue.section in ("open_offer", "negative_question")])

    def beaten(hit: Hit) -> bool:
        if hit.cue.section == "apology":  # "if you were inconvenienced, we apologise"
            return sentences[hit.start] in deflected or bool(deflections.overlapping(hit))
        if hit.cue.section in ("open_offer", "negative_question"):
            size = (hit.end - hit.start, len(hit.cue.words))
            return any(q.cue.section != hit.cue.section
                       and (q.end - q.start, len(q.cue.words)) > size
                       for q in questions.overlapping(hit))  # fmt: skip
        return False

    found = [Match(h.cue.section, h.start, h.end, h.cue.text, sentences[h.start],
                   clauses[h.start]) for h in kept if not beaten(h)]  # fmt: skip
    for i, tok in enumerate(toks):  # 17:00, 5pm, 5 pm
        if quoted[i]:
            continue
        if _CLOCK.match(tok) and not (i and _CURRENCY.search(toks[i - 1])):  # not "£23.40"
            found.append(Match("next_steps.time", i, i, CLOCK_CUE, sentences[i]))
        elif tok.isdigit() and len(tok) <= 2 and toks[i + 1 : i + 2] in (["am"], ["pm"]):
            found.append(Match("next_steps.time", i, i + 1, CLOCK_CUE, sentences[i]))
    return _pairs(found)


def _pairs(found: list[Match]) -> list[Match]:
    """Add a feature match for each two-part pattern complete within one sentence."""
    transfers = {m.clause for m in found if m.section == "transfer"}  # their clauses
    out = list(found)
    for feature, (first, second) in PAIRS.items():
        seconds = {m.sentence for m in found if m.section == second}
        for m in found:
            if m.section != first or m.sentence not in seconds:
                continue
            if feature == "next_steps" and m.clause in transfers:
                continue  # "I'll put you through now" is a transfer, not a commitment
            out.append(Match(feature, m.start, m.end, m.cue, m.sentence, m.clause))
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _transfers(found: list[Match]) -> list[tuple[Match, bool]]:
    """Each transfer hit, and whether a reason stands in its sentence or a neighbour."""
    reasons = {m.sentence for m in found if m.section == "transfer_reason"}
    return [(m, bool({m.sentence - 1, m.sentence, m.sentence + 1} & reasons))
            for m in found if m.section == "transfer"]  # fmt: skip


def features(found: list[Match]) -> dict[str, bool]:
    """The twelve boolean features from the surviving hits of one reply."""
    out = dict.fromkeys(FEATURES, False)
    for m in found:
        if m.section in out:
            out[m.section] = True
    transfers = _transfers(found)
    out["explained_transfer"] = any(explained for _, explained in transfers)
    out["unexplained_transfer"] = bool(transfers) and not out["explained_transfer"]
    return out


def reply_features(text, lang: str | None) -> dict[str, bool]:
    """:func:`features` of one reply; all False for a missing text or unsupported language."""
    if not isinstance(text, str) or not text.strip() or lang not in LANGUAGES:
        return dict.fromkeys(FEATURES, False)
    return features(matches(tokens(text, lang), lang))


def evidence(text: str, lang: str) -> list[Evidence]:
    """Every cue behind :func:`reply_features`, as spans of ``text`` (see :func:`explain`)."""
    toks = tokens(text, lang)
    found = matches(toks, lang)
    spans = token_spans(text, lang)
    sentences = sentence_spans(text)
    ends = [b for _, b in sentences]
    transfers = _transfers(found)
    explained = any(ok for _, ok in transfers)
    near = {m.sentence + step for m, _ in transfers for step in (-1, 0, 1)}
    paired = {(f, m.sentence) for m in found for f in PAIRS
              if m.section == f and m.cue != CLOCK_CUE}  # fmt: skip
    second = {parts[1]: f for f, parts in PAIRS.items()}
    out = []
    for m in found:
        if m.section == "transfer":  # one explained transfer explains the reply's transfers
            feature = "explained_transfer" if explained else "unexplained_transfer"
        elif m.section == "transfer_reason":
            if not explained or m.sentence not in near:
                continue
            feature = "explained_transfer"
        elif m.section in FEATURES:
            feature = m.section
        elif (second.get(m.section), m.sentence) in paired:  # the time of a commitment
            feature = second[m.section]
        else:
            continue
        start, end = spans[m.start][0], spans[m.end][1]
        around, k = [], bisect.bisect_right(ends, start)  # sentences: sorted and disjoint
        while k < len(sentences) and sentences[k][0] < end:
            around.append(sentences[k])
            k += 1
        sentence = text[around[0][0] : around[-1][1]] if around else text.strip()
        out.append(Evidence(feature, start, end, m.cue, sentence))
    return out
