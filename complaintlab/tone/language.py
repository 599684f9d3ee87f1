"""Language facts the tone rules need: clause breaks, negation quirks, abbreviations, and
how a reply becomes tokens with their places in the original text.

Kept apart from the rules so that a researcher adding a language, or fixing one, finds every
language-specific decision in one file.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from complaintlab.text import _TOKENIZER, normalize

# contrastive conjunctions end the reach of a negation: "we can't refund, but I will ..."
# and so do causal ones: "it didn't work because you typed ..."
CONTRAST = {
    "en": {"but", "however", "although", "though", "instead", "because"},
    "ru": {"но", "а", "однако", "зато", "хотя", "потому", "поскольку"},
    "bg": {"но", "а", "обаче", "ала", "въпреки", "защото"},
    "he": {"אבל", "אך", "אולם", "למרות", "במקום", "כי"},
    "ar": {"لكن", "ولكن", "لكنه", "لكننا", "بل", "انما", "لان", "لانك"},
    # Persian "و" and "که" also open a new clause, whose verb carries its own negation
    "fa": {"اما", "ولی", "ولیکن", "بلکه", "درعوض", "و", "که", "چون"},
}
# Persian negates the verb, which ends the clause: "تقصیر شما نیست" (it is not your fault)
AFTER = {"fa": 3}
# words the stopword lists count as negation that do not negate on their own in replies:
# Persian هیچ ("any/no") needs a negated verb ("بدون هیچ هزینه‌ای" is "at no cost")
# and Arabic غير ("other than", "un-": غير صحيح) is not a verb negation
NOT_NEGATION = {"fa": {"هیچ"}, "ar": {"غير"}}
# Arabic ما after these words is a conjunction ("بعد ما" after, "زي ما" as), and before these
# it means "still" ("ما زال"): not a negation
AR_MA_AFTER = frozenset("بعد اول قبل زي مثل كل عند حسب طول".split())
AR_MA_BEFORE = frozenset("زال زالت زلت زلنا زالوا دام دمت".split())
# common abbreviations whose full stop does not end a sentence (all six languages)
_ABBREVIATIONS = frozenset("""
    e.g i.e etc mr mrs ms dr no nos approx ref tel st p pp
    т чл ал гр ул лв бр стр г д вх ап кв др напр вкл тел
    т.е руб коп им см стр тыс млн пр п пп ст ч
    """.split())  # fmt: skip
HE_NEGATION_PREFIXES = ("וש", "כש", "ו", "ש")
_RE_HE_SLASH = re.compile(r"(?<=[\u05d0-\u05ea])/(?:ים|ות|תי|י|ה|ת)(?![\u05d0-\u05ea])")
# a Hebrew prefix letter glued to an opening quote: כתבת ש"מצטערים לא עוזר"
RE_HE_QUOTED = re.compile(r'^[\u05d0-\u05ea]{1,2}"[\u05d0-\u05ea]{3,}$')
OPEN_QUOTES, CLOSE_QUOTES = set("«„‹"), set("»›")
SENTENCE_END = set(".!?؟…。")
# a sentence ends at . ! ? ؟ … followed by a space or the end, or at a line break ("7.3" and
# "12:00" stay inside their sentence, as they stay one token)
_RE_SENTENCE = re.compile(r"(?:[^.!?؟…\n]|[.!?؟…]+(?=[^\s.!?؟…]))*(?:[.!?؟…]+|\n+|$)")


def prepare(text: str, lang: str) -> str:
    """The normalised text the cues are matched on (ё folded to е for ru/bg; the Arabic
    question mark ؟ read as ?; Hebrew gender slashes folded: "תעדכן/י" is read as "תעדכן")."""
    norm = normalize(text, lang, fold_yo=True).replace("؟", "?")  # one question mark for "?*"
    return _RE_HE_SLASH.sub("", norm) if lang == "he" else norm


def tokens(text: str, lang: str) -> list[str]:
    """The tokens the cues are matched on (see :func:`prepare`)."""
    return _TOKENIZER.tokenize(prepare(text, lang))


def abbreviation(word: str) -> bool:
    """A word that a full stop abbreviates rather than ends a sentence with."""
    return word.casefold() in _ABBREVIATIONS


def token_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where each of :func:`tokens` lies in the original (unnormalised) ``text``.

    Normalisation removes marks and invisible characters and folds letters, so a token's
    characters are found back by aligning the normalised text with the original one, each
    of whose characters is normalised on its own (see :func:`_align`; linear in the length).
    """
    norm = prepare(text, lang)
    pieces: dict[str, str] = {}  # a text repeats a few dozen characters
    expanded, owner = [], []
    for i, ch in enumerate(text):
        piece = pieces.get(ch)
        if piece is None:
            piece = pieces[ch] = (" " if ch.isspace() else
                                  normalize(ch, lang, fold_yo=True).replace("؟", "?"))
        expanded.append(piece)
        owner.extend([i] * len(piece))
    where = [None if k is None else owner[k] for k in _align(norm, "".join(expanded))]
    spans = []
    for start, end in _TOKENIZER.span_tokenize(norm):
        inside = [where[k] for k in range(start, end) if where[k] is not None]
        if inside:
            last = max(inside) + 1
            while last < len(text) and unicodedata.category(text[last]).startswith("M"):
                last += 1  # a trailing diacritic (tanween, niqqud) belongs to its word
            spans.append((min(inside), last))
        else:  # nothing aligned (should not happen): point at the nearest aligned character
            near = next((w for w in where[start:] if w is not None), len(text))
            spans.append((near, near))
    return spans


_WINDOW = 32  # characters looked ahead to find the two texts agreeing again


def _align(a: str, b: str) -> list[int | None]:
    """For each character of ``a``, the index of the same character in ``b`` (None if none).

    ``a`` is the normalised text and ``b`` its characters normalised one at a time: the two
    agree except where normalisation looked at more than one character (white space
    collapsed, a mark composed with its letter or dropped after it, a ZWNJ put between
    Persian words, a Latin look-alike in a Cyrillic word). So walk both while they agree;
    at a difference, skip a character of ``b`` that ``a`` lacks or of ``a`` that ``b`` lacks,
    pair two different characters followed by agreement, or else resume at the longest run
    the next few characters of each have in common. The result increases, and the time is
    linear in the length, however long or repetitive the text (a whole-text
    ``SequenceMatcher`` was quadratic: minutes for a 100,000-character reply).
    """
    where: list[int | None] = [None] * len(a)
    i = j = 0
    n, m = len(a), len(b)
    while i < n and j < m:
        if a[i] == b[j]:
            where[i] = j
            i, j = i + 1, j + 1
        elif b[j] == " " or (j + 1 < m and a[i] == b[j + 1]):
            j += 1  # white space collapsed or trimmed, or a character dropped
        elif i + 1 < n and a[i + 1] == b[j]:
            i += 1  # a character added (a ZWNJ between Persian words)
        elif i + 1 < n and j + 1 < m and a[i + 1] == b[j + 1]:
            where[i] = j  # one character turned into another
            i, j = i + 1, j + 1
        else:
            x, y = a[i : i + _WINDOW], b[j : j + _WINDOW]
            run = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(
                0, len(x), 0, len(y))
            if not run.size:
                i, j = i + len(x), j + len(y)
                continue
            for k in range(run.size):
                where[i + run.a + k] = j + run.b + k
            i, j = i + run.a + run.size, j + run.b + run.size
    return where


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries in the original text (after . ! ? ؟ … or a line break)."""
    spans: list[tuple[int, int]] = []
    for m in _RE_SENTENCE.finditer(text):
        if m.group().strip():
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            end = m.start() + len(m.group().rstrip())
            last = re.search(r"(\w+)\.$", text[spans[-1][0] : spans[-1][1]]) if spans else None
            if last and abbreviation(last.group(1)) and "\n" not in text[spans[-1][1] : start]:
                spans[-1] = (spans[-1][0], end)  # "чл. 5", "Mr. Smith": one sentence
            else:
                spans.append((start, end))
    return spans
