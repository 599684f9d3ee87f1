"""Rule-based language identification behind :func:`complaintlab.text.detect_language`.

Private: use :func:`complaintlab.text.detect_language`. The method, in order:

1. Clean the text (NFKC, marks and invisibles removed, casefolded) and drop what carries no
   language: URLs, e-mail addresses and @handles.
2. Count letters per script (Hebrew, Arabic, Cyrillic, Latin, other). Fewer than two letters
   of our scripts, or more letters of other scripts (Greek, CJK, Devanagari ...), gives
   ``und``. A non-Latin script wins over Latin as soon as it has 3 letters and 15 % of the
   letters, so Latin brand names inside Hebrew, Arabic or Russian text do not flip it.
3. Inside a script, weigh evidence for each candidate language:

   - Hebrew script: Hebrew, unless Yiddish words or ligatures outweigh Hebrew stopwords.
   - Arabic script: letters of Urdu, Pashto, Kurdish, Sindhi or Uyghur give ``und``; then
     Persian letters (پ چ ژ گ ی ک), ZWNJ, the می/نمی verb prefix and Persian words against
     Arabic letters (ة ى ؤ إ), the ال article and Arabic words.
   - Cyrillic: unless the text has ъ ы э ё or ѝ (which only Russian and Bulgarian use),
     letters and words of Ukrainian, Macedonian or Serbian give ``und``; then Russian letters
     (ы э ё, ь not before о, ъ before е ё ю я), words and endings against Bulgarian letters
     (ъ elsewhere, ѝ), words and endings. A longer text with no evidence at all is taken as
     Bulgarian (Russian would almost surely show ы, ь, э or ё).
   - Latin: English words against the words and diacritics of Spanish, French, German,
     Italian, Portuguese, Dutch, Turkish, Indonesian and romanised Arabic/Persian/Hebrew;
     a text most of whose words English does not know at all is ``und``.

   On top of the letters and word lists, every word adds evidence from its frequency in each
   candidate language (the ``wordfreq`` package, built from Wikipedia, subtitles, news, web
   and social-media text), so words our lists never saw still count. The language with more
   evidence wins; a tie is ``und`` except where noted. Word lists are data files in
   ``complaintlab/data/langid`` plus the stopword lists; a word counts for a language only if
   its rival does not list it too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache

from complaintlab import _unicode as u
from complaintlab._resources import word_list

LANGUAGES = ("he", "ar", "fa", "ru", "bg", "en")
UND = "und"

_LATIN_OTHERS = ("es", "fr", "de", "it", "pt", "nl", "tr", "id", "arabizi")

_RE_NOISE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|@\w+")
_RE_WORD = re.compile(r"[^\W\d_]+(?:['\u200c][^\W\d_]+)*")
_RE_HE = re.compile(f"[{u.HEBREW_LETTERS}]")
_RE_AR = re.compile(f"[{u.ARABIC_LETTERS}]")
_RE_CY = re.compile(f"[{u.CYRILLIC_LETTERS}]")
_RE_LA = re.compile(f"[{u.LATIN_LETTERS}]")

# Arabic-script letters used by neither Arabic nor Persian (Urdu, Pashto, Kurdish, Sindhi, Uyghur).
_OTHER_ARABIC_SCRIPT = set("ٹڈڑںےۓہۃٻڀٺټډړښږځڅېۍګڼڕڵێۆەۇۈۋۉڃڄڇڍڌڎڏڙڦڱڳڻ")
_FA_STRONG = set("پچژگ")
_FA_YEH_KEHEH = set("\u06cc\u06a9")
_AR_LETTERS = {"\u0629": 1.5, "\u0649": 1.0, "\u0624": 1.0, "\u0625": 1.0, "\u0623": 0.5}
_AL_PREFIXES = ("ال", "وال", "بال", "فال", "كال", "لل")
# Persian words that begin with ال (not the Arabic article).
_FA_AL_WORDS = {"الان", "البته", "الکی", "الكي", "الگو", "الهام", "الو", "بالا", "بالاخره"}
_ARABIC_FOLD = str.maketrans({"ی": "ي", "ک": "ك", "ى": "ي", "أ": "ا", "إ": "ا", "ٱ": "ا"})

# Cyrillic letters of Ukrainian, Belarusian, Serbian, Macedonian, Kazakh and others.
_OTHER_CYRILLIC = set("іїєґўђјљњћџѓќѕәғқңөұүһ")
# (ending, weight, shortest word it counts in)
_RU_SUFFIXES = (
    ("ться", 1.0, 5),
    ("тся", 1.0, 5),
    ("ся", 1.0, 6),
    ("ют", 0.75, 4),
    ("ий", 0.75, 4),
    ("ая", 0.75, 6),
    ("ую", 1.0, 4),
    ("ое", 0.75, 4),
    ("ом", 0.5, 4),
    ("ого", 1.0, 5),
    ("его", 1.0, 5),
)
_RU_SUFFIX_EXCEPTIONS = {"много", "него", "кого", "никого", "някого", "всеки", "двое", "трое"}
_BG_SUFFIXES = (
    ("ията", 1.0, 5),
    ("ието", 1.0, 5),
    ("ихме", 1.0, 5),
    ("ахме", 1.0, 5),
    ("яхме", 1.0, 5),
    ("ахте", 1.0, 5),
    ("ихте", 1.0, 5),
    ("аха", 0.75, 4),
    ("яха", 0.75, 4),
    ("иха", 0.75, 4),
    ("еш", 1.0, 4),
    ("иш", 1.0, 4),
    ("аш", 1.0, 4),
    ("яш", 1.0, 4),
    ("йки", 1.0, 4),
    ("ване", 1.0, 6),
)
_BG_SUFFIX_EXCEPTIONS = {"ваш", "наш", "каш"}
# With no evidence either way, a Cyrillic text of this many letters is taken as Bulgarian:
# Russian writes ы, ь, э or ё in about 4 % of letters, so their absence from a longer text
# is itself evidence against Russian (Bulgarian's own ъ is rarer, about 1.5-2 %).
_BG_BY_ABSENCE = 15

_WORDFREQ_LATIN = ("es", "fr", "de", "it", "pt", "nl", "tr", "id")
_LATIN_DIACRITICS = set("ñ¿¡çãõßäöüğşıéèêëàâîïôûùúíóáœ")


def _fold_arabic(word: str) -> str:
    return word.translate(_ARABIC_FOLD)


@cache
def _lists() -> dict[str, frozenset[str]]:
    """Marker words per language, each disjoint from its rival's (cleaned like the text)."""
    from complaintlab.text import stopwords  # local import: text imports this module

    def clean(words):
        return frozenset(w for w in (_clean(x) for x in words) if w)

    raw = {lang: clean(word_list("langid", f"{lang}.txt")) for lang in ("ru", "bg", "en", "yi")}
    raw["ar"] = frozenset(_fold_arabic(w) for w in clean(word_list("langid", "ar.txt")))
    raw["fa"] = frozenset(_fold_arabic(w) for w in clean(word_list("langid", "fa.txt")))
    stop = {lang: frozenset(stopwords(lang)) for lang in LANGUAGES}
    stop["ar"] = frozenset(_fold_arabic(w) for w in stop["ar"])
    stop["fa"] = frozenset(_fold_arabic(w) for w in stop["fa"])
    lists = {}
    for a, b in (("ru", "bg"), ("bg", "ru"), ("ar", "fa"), ("fa", "ar")):
        mine = raw[a] | (stop[a] - stop[b])
        lists[a] = mine - raw[b] - stop[b]
    lists["he"] = stop["he"] - raw["yi"]
    lists["yi"] = raw["yi"] - stop["he"]
    others = {lang: clean(word_list("langid", f"{lang}.txt")) for lang in _LATIN_OTHERS}
    english = raw["en"] | stop["en"]
    for lang, words in others.items():
        lists[lang] = words - english
    lists["en"] = english - frozenset().union(*others.values())
    return lists


def _clean(text: str) -> str:
    text = u.nfkc(text)
    text = u.clean_invisibles(text)
    text = u.strip_marks(text)
    text = u.map_punctuation(text)
    return u.collapse_spaces(u.fix_homoglyphs(text).casefold())


def _word_weight(word: str) -> float:
    """One-letter words (Russian у к о, Bulgarian е) are weaker evidence than longer ones."""
    return 0.75 if len(word) == 1 else 1.5


def _ending_weight(word: str, endings) -> float:
    for ending, weight, shortest in endings:
        if len(word) >= shortest and word.endswith(ending):
            return weight
    return 0.0


#: Words remembered by each per-word cache below: they stay bounded on a stream of any length.
_CACHED_WORDS = 1 << 18


@lru_cache(maxsize=_CACHED_WORDS)
def zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


_FREQ_DEAD_ZONE = 1.0  # Zipf gaps below this are noise between corpora, not evidence
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_ARABIC_ORTHOGRAPHY = str.maketrans({"ی": "ي", "ک": "ك"})


def _frequency_evidence(words: list[str], a: str, b: str | tuple[str, ...]) -> float:
    """Evidence for language ``a`` over ``b`` from how common each word is in each language.

    Word frequencies come from the ``wordfreq`` package (Wikipedia, subtitles, news, web
    text, social media). A word whose Zipf frequencies differ by ``gap`` adds
    ``(|gap| - 1) / 2``, capped at 1, to the language where it is more common: a word common in
    one language and unknown in the other counts about as much as a distinctive word from our
    lists, and a word both use about as often (or neither knows) counts nothing.
    """
    rivals = (b,) if isinstance(b, str) else b
    terms = _TERMS.setdefault((a, rivals), {})  # a word's term never changes: computed once
    if len(terms) > _CACHED_WORDS:
        terms.clear()
    total = 0.0
    for word in words:
        term = terms.get(word)
        if term is None:
            term = terms[word] = _frequency_term(word, a, rivals)
        if term:
            total += term
    return total


_TERMS: dict[tuple, dict[str, float]] = {}


def _frequency_term(word: str, a: str, rivals: tuple[str, ...]) -> float:
    """One word's share of :func:`_frequency_evidence` (0.0 inside the dead zone)."""
    if a == "fa":
        za, zb = (
            zipf(word.translate(_PERSIAN_LETTERS), "fa"),
            zipf(word.translate(_ARABIC_ORTHOGRAPHY), "ar"),
        )
    elif a == "ar":
        za, zb = (
            zipf(word.translate(_ARABIC_ORTHOGRAPHY), "ar"),
            zipf(word.translate(_PERSIAN_LETTERS), "fa"),
        )
    else:
        za, zb = zipf(word, a), max(zipf(word, r) for r in rivals)
    gap = za - zb
    if abs(gap) > _FREQ_DEAD_ZONE:
        return math.copysign(min(1.0, (abs(gap) - _FREQ_DEAD_ZONE) / 2), gap)
    return 0.0


_SCRIPT: dict[str, str | None] = {}
_MISSING = object()


def _script_of(ch: str) -> str | None:
    """``he``, ``ar``, ``cy`` or ``la`` for a letter of our scripts, "" for another letter,
    None for anything else."""
    for script, pattern in (("he", _RE_HE), ("ar", _RE_AR), ("cy", _RE_CY), ("la", _RE_LA)):
        if pattern.match(ch):
            return script
    return "" if ch.isalpha() else None


def _hits(words: list[str], vocabulary: frozenset[str]) -> int:
    return sum(map(vocabulary.__contains__, words))


def detect(text: str) -> str:
    """Identify the language of one string (see the module docstring for the method)."""
    raw = text
    text = _clean(text)
    if "@" in text or "http" in text or "www." in text:  # what every noise pattern needs
        text = _RE_NOISE.sub(" ", text)
    text = text.replace("#", " ").replace("_", " ")
    counts = {"he": 0, "ar": 0, "cy": 0, "la": 0, "": 0, None: 0}
    for ch, k in Counter(text).items():  # letters per script, one look-up per distinct one
        script = _SCRIPT.get(ch, _MISSING)
        if script is _MISSING:
            script = _SCRIPT[ch] = _script_of(ch)
        counts[script] += k
    ours = counts["he"] + counts["ar"] + counts["cy"] + counts["la"]
    other = counts[""]  # letters of other scripts
    if ours < 2 or other > ours:
        return UND
    script, n = max(((s, counts[s]) for s in ("he", "ar", "cy")), key=lambda p: p[1])
    if n >= 3 and n >= 0.15 * ours:
        pass
    elif counts["la"] >= 2:
        script, n = "la", counts["la"]
    elif n >= 2:
        pass
    else:
        return UND
    words = _RE_WORD.findall(text)
    return {"he": _hebrew, "ar": _arabic, "cy": _cyrillic, "la": _latin}[script](
        text, words, n, raw
    )


def _hebrew(text: str, words: list[str], n: int, raw: str) -> str:
    lists = _lists()
    yiddish = _hits(words, lists["yi"]) + 2 * sum(text.count(c) for c in "\u05f0\u05f1\u05f2")
    yiddish += 2 * raw.count("\u05bf")  # rafe (פֿ בֿ): Yiddish spelling, not modern Hebrew
    hebrew = _hits(words, lists["he"])
    if yiddish >= 2 and yiddish > hebrew:
        return UND
    # Hebrew-script text most of whose words modern Hebrew does not know (Yiddish, Ladino,
    # Judeo-Arabic) is undetermined.
    if len(words) >= 3 and sum(zipf(w, "he") >= 1.5 for w in words) < len(words) / 3:
        return UND
    return "he"


def _arabic(text: str, words: list[str], n: int, raw: str) -> str:
    foreign = sum(1 for ch in text if ch in _OTHER_ARABIC_SCRIPT)
    if foreign >= 2 or (foreign == 1 and n < 30):
        return UND
    lists = _lists()
    fa = 2.0 * sum(1 for ch in text if ch in _FA_STRONG)
    fa += 1.5 * sum(1 for ch in text if ch in _FA_YEH_KEHEH)
    fa += 1.0 * text.count(u.ZWNJ)
    fa += 1.0 if any("\u06f0" <= ch <= "\u06f9" for ch in raw) else 0.0
    ar = sum(w * text.count(ch) for ch, w in _AR_LETTERS.items())
    ar += 1.0 if any("\u0660" <= ch <= "\u0669" for ch in raw) else 0.0
    for word in words:
        folded = _fold_arabic(word)
        if folded in lists["fa"]:
            fa += 1.5
        elif folded in lists["ar"]:
            ar += 1.5
        elif word.startswith(("می", "نمی")) and len(word) >= 4:
            fa += 1.5
        elif folded.startswith(_AL_PREFIXES) and len(folded) >= 4 and folded not in _FA_AL_WORDS:
            ar += 1.0
    evidence = _frequency_evidence(words, "fa", "ar")
    fa, ar = fa + max(evidence, 0.0), ar + max(-evidence, 0.0)
    if fa > ar:
        return "fa"
    if ar > fa or n >= 6:
        return "ar"
    return UND


def _cyrillic(text: str, words: list[str], n: int, raw: str) -> str:
    # ъ ы э ё ѝ exist in Russian or Bulgarian but not in Ukrainian, Macedonian or Serbian;
    # Belarusian and Kazakh share ы э ё with Russian but also have letters Russian lacks.
    foreign = any(ch in text for ch in _OTHER_CYRILLIC)
    if (foreign or not any(ch in text for ch in "ъыэёѝ")) and _other_cyrillic(text, words) >= 2:
        return UND
    lists = _lists()
    ru = 2.0 * sum(text.count(c) for c in "ыэё")
    bg = 2.0 * text.count("ѝ")
    for i, ch in enumerate(text):
        if ch not in "ьъ":
            continue
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == "ь":
            if nxt == "о":
                bg += 0.5
            else:
                ru += 1.5
        elif nxt in "еёюя":
            ru += 1.5
        elif not nxt.isalpha():
            ru += 0.5
        else:
            bg += 2.0
    for word in words:
        if word in lists["ru"]:
            ru += _word_weight(word)
        elif word in lists["bg"]:
            bg += _word_weight(word)
        elif word not in _RU_SUFFIX_EXCEPTIONS and word not in _BG_SUFFIX_EXCEPTIONS:
            ru += _ending_weight(word, _RU_SUFFIXES)
            bg += _ending_weight(word, _BG_SUFFIXES)
    evidence = _frequency_evidence(words, "ru", "bg")
    ru, bg = ru + max(evidence, 0.0), bg + max(-evidence, 0.0)
    if ru > bg:
        return "ru"
    if bg > ru or (bg == ru == 0 and n >= _BG_BY_ABSENCE):
        return "bg"
    return UND


def _other_cyrillic(text: str, words: list[str]) -> float:
    """How much more the text looks Ukrainian, Macedonian or Serbian than Russian/Bulgarian.

    Letters those languages have and ours lack count 2 each; a word counts 1 when its
    frequency (``wordfreq``, Zipf scale) in Ukrainian or Macedonian is at least 1.5 above its
    frequency in both Russian and Bulgarian, and -1 when it is at least 1.5 below. Positive
    means "another language"; two points are needed to call it one.
    """
    score = 2.0 * sum(1 for ch in text if ch in _OTHER_CYRILLIC)
    for word in words:
        ours = max(zipf(word, "ru"), zipf(word, "bg"))
        theirs = max(zipf(word, "uk"), zipf(word, "mk"))
        if theirs - ours >= 1.5:
            score += 1.0
        elif ours - theirs >= 1.5:
            score -= 1.0
    return score


@lru_cache(maxsize=_CACHED_WORDS)
def _english_word(word: str) -> bool:
    """Whether English uses the word at all (Zipf frequency 2, about once per 10 million)."""
    return zipf(word, "en") >= 2.0


def _latin(text: str, words: list[str], n: int, raw: str) -> str:
    lists = _lists()
    english = _hits(words, lists["en"])
    foreign = max(_hits(words, lists[lang]) for lang in _LATIN_OTHERS)
    evidence = _frequency_evidence(words, "en", _WORDFREQ_LATIN)
    english, foreign = english + max(evidence, 0.0), foreign + max(-evidence, 0.0)
    foreign += 0.5 * sum(map(_LATIN_DIACRITICS.__contains__, text))
    if foreign > english and foreign >= 1:
        return UND
    # Latin text most of whose words English does not know at all is romanised Persian or
    # Arabic, or another language we have no list for: undetermined.
    if len(words) >= 2 and sum(map(_english_word, words)) < len(words) / 2:
        return UND
    return "en"
