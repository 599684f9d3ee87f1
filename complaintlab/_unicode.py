"""Character classes and the per-script cleaning steps behind :func:`complaintlab.text.normalize`.

Private: the public surface is :mod:`complaintlab.text`. Every step here maps a string to a
string and is idempotent on its own; ``normalize`` chains them and repeats the chain until
nothing changes, so the whole is idempotent even when one step exposes work for another.
"""

from __future__ import annotations

import re
import unicodedata

# --- character classes (as regex fragments) -------------------------------------------------
HEBREW_LETTERS = "\u05d0-\u05ea\u05ef-\u05f2"
ARABIC_LETTERS = (
    "\u0620-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9"
)
CYRILLIC_LETTERS = "\u0400-\u0481\u048a-\u052f"
LATIN_LETTERS = "a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"

#: Bidi controls: LRM, RLM, ALM, embeddings/overrides (U+202A-E), isolates (U+2066-9).
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
#: Other invisible format characters that carry no meaning for analysis.
INVISIBLES = "\u200b\u2060\ufeff\u00ad\u180e"
ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "\u0640"

# Arabic-script marks: harakat, tanwin, shadda, sukun, superscript alef, Quranic annotation
# marks, and the small high/low marks. Hamza above/below (U+0654/5) are removed too once NFKC
# has composed them with their carrier letter (أ إ ؤ ئ ۀ stay whole).
_ARABIC_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u08ca-\u08ff"
)
# Hebrew cantillation (U+0591-05AF) and niqqud points (U+05B0-05BD, 05BF, 05C1-2, 05C4-5, 05C7).
_HEBREW_MARKS = "\u0591-\u05af\u05b0-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"

_RE_BIDI = re.compile(f"[{BIDI_CONTROLS}{INVISIBLES}]")
_RE_MARKS = re.compile(f"[{_ARABIC_MARKS}{_HEBREW_MARKS}{TATWEEL}]")
# Stress marks (acute/grave) standing alone after a Cyrillic letter: "зво́нит" -> "звонит".
_RE_CYR_STRESS = re.compile(f"(?<=[{CYRILLIC_LETTERS}])[\u0300\u0301]+")
# A ZWJ is kept only inside an emoji sequence (👨‍👩‍👧): next to a letter, white space or an
# end of the text it joins nothing and would be left as an invisible token of its own. (NUL
# counts as an end: the batch engine normalises texts joined by NUL, and must get the same.)
_RE_ZWJ_LETTER = re.compile(
    rf"(?<=\w){ZWJ}|{ZWJ}(?=\w)|(?<![^\s\x00]){ZWJ}|{ZWJ}(?![^\s\x00])")
# A ZWNJ is kept only between two Arabic-script letters (the Persian compound joiner).
_RE_ZWNJ_RUN = re.compile(f"{ZWNJ}+")
_RE_ZWNJ_STRAY = re.compile(f"(?<![{ARABIC_LETTERS}]){ZWNJ}|{ZWNJ}(?![{ARABIC_LETTERS}])")

_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",  # left single quote
        "\u2019": "'",  # right single quote / apostrophe
        "\u201b": "'",
        "\u02bc": "'",  # modifier apostrophe
        "\u05f3": "'",  # Hebrew geresh
        "\u201c": '"',
        "\u201d": '"',
        "\u201f": '"',
        "\u05f4": '"',  # Hebrew gershayim
        "\u05be": "-",  # Hebrew maqaf
        "\u2010": "-",
        "\u2011": "-",
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    }
)

# Language-specific letter maps.
_ARABIC_LETTER_MAP = str.maketrans(
    {
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ (wasla) -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u06cc": "\u064a",  # Persian ی typed in Arabic text -> ي
        "\u06a9": "\u0643",  # Persian ک typed in Arabic text -> ك
    }
)
_PERSIAN_LETTER_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي -> ی
        "\u0649": "\u06cc",  # ى -> ی
        "\u0643": "\u06a9",  # ك -> ک
        "\u0623": "\u0627",  # أ -> ا  (آ is a letter of its own in Persian and is kept)
        "\u0625": "\u0627",  # إ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
    }
)
# Any language: only the alef variants that are pure spelling noise.
_GENERIC_ARABIC_SCRIPT_MAP = str.maketrans({"\u0671": "\u0627"})
_YO_MAP = str.maketrans({"ё": "е", "Ё": "Е"})

# Persian: the verbal prefixes می/نمی, the privative prefix بی ("without": بی‌کیفیت) and the
# plural suffixes ها/های/هایی are often typed with a plain space (or nothing) where the
# standard spelling has a ZWNJ. Spaces become ZWNJ.
_FA_LETTER = f"[{ARABIC_LETTERS}]"
_RE_FA_PREFIX = re.compile(rf"(?<![{ARABIC_LETTERS}\u200c])(ن?می|بی) (?={_FA_LETTER}{{2}})")
_RE_FA_SUFFIX = re.compile(rf"(?<={_FA_LETTER}{{2}}) (ها|های|هایی)(?![{ARABIC_LETTERS}\u200c])")


_RE_ANY_INVISIBLE = re.compile(f"[{BIDI_CONTROLS}{INVISIBLES}{ZWJ}{ZWNJ}]")


def clean_invisibles(text: str) -> str:
    """Remove bidi controls and invisible format characters; tidy ZWJ and ZWNJ."""
    if not _RE_ANY_INVISIBLE.search(text):
        return text  # the common case: one scan instead of four
    text = _RE_BIDI.sub("", text)
    text = _RE_ZWJ_LETTER.sub("", text)
    text = _RE_ZWNJ_RUN.sub(ZWNJ, text)
    return _RE_ZWNJ_STRAY.sub("", text)


def strip_marks(text: str) -> str:
    """Remove Arabic harakat and tatweel, Hebrew niqqud and cantillation, Cyrillic stress."""
    text = _RE_MARKS.sub("", text)
    if "\u0300" in text or "\u0301" in text:
        text = _RE_CYR_STRESS.sub("", text)
    return text


_RE_PUNCT = re.compile("[" + "".join(map(chr, _PUNCT_MAP)) + "]")


def map_punctuation(text: str) -> str:
    """Unify apostrophes, quotes, Hebrew punctuation and Arabic/Persian digits."""
    # str.translate looks up every character; a scan for the few that change is faster
    return _RE_PUNCT.sub(lambda m: _PUNCT_MAP[ord(m.group())], text)


def _replace(text: str, table: dict[int, str]) -> str:
    for old, new in table.items():
        if chr(old) in text:
            text = text.replace(chr(old), new)
    return text


def map_letters(text: str, lang: str | None, fold_yo: bool) -> str:
    """Apply the letter variants of one language (see ``normalize`` for the list)."""
    if lang == "ar":
        text = _replace(text, _ARABIC_LETTER_MAP)
    elif lang == "fa":
        text = _replace(text, _PERSIAN_LETTER_MAP)
        text = _RE_FA_PREFIX.sub(r"\1" + ZWNJ, text)
        text = _RE_FA_SUFFIX.sub(ZWNJ + r"\1", text)
    else:
        text = _replace(text, _GENERIC_ARABIC_SCRIPT_MAP)
    if fold_yo:
        text = _replace(text, _YO_MAP)
    return text


_LATIN_TO_CYRILLIC = str.maketrans("aeopcxyAEOPCXYKMTHBk", "аеорсхуАЕОРСХУКМТНВк")
_HOMOGLYPHS = frozenset("aeopcxyAEOPCXYKMTHBk")
_RE_LETTER_RUN = re.compile(r"[^\W\d_]+")
_RE_ANY_CYRILLIC = re.compile(f"[{CYRILLIC_LETTERS}]")
_RE_ANY_LATIN = re.compile("[a-zA-Z]")


def fix_homoglyphs(text: str) -> str:
    """In words that mix Cyrillic and Latin letters, turn Latin look-alikes into Cyrillic.

    Such words come from keyboards switched mid-word or from obfuscation ("кaзвaм" with a
    Latin "a"); a word (a run of letters) is changed only if every Latin letter in it has a
    Cyrillic twin. Each run is looked at once, so the time is linear in the text's length.
    """

    def repl(match: re.Match) -> str:
        word = match.group(0)
        if not (_RE_ANY_CYRILLIC.search(word) and _RE_ANY_LATIN.search(word)):
            return word
        latin = {ch for ch in word if "a" <= ch.lower() <= "z"}
        return word.translate(_LATIN_TO_CYRILLIC) if latin <= _HOMOGLYPHS else word

    if not (_RE_ANY_CYRILLIC.search(text) and _RE_ANY_LATIN.search(text)):
        return text  # the common case, and much cheaper than looking at every word
    return _RE_LETTER_RUN.sub(repl, text)


def collapse_spaces(text: str) -> str:
    """Turn every run of Unicode white space into one space and trim both ends."""
    return " ".join(text.split())  # str.split and re's \\s agree on what white space is


def nfkc(text: str) -> str:
    """Unicode NFKC, except that the numero sign № (common in Russian and Bulgarian) is kept
    instead of becoming the letters "No"."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "№".join(unicodedata.normalize("NFKC", part) for part in text.split("№"))


def one_pass(text: str, lang: str | None, fold_yo: bool) -> str:
    """One round of the normalisation chain."""
    if text.isascii():  # NFKC, marks, punctuation, letters and invisibles leave ASCII alone
        return " ".join(text.lower().split())
    text = nfkc(text)
    text = clean_invisibles(text)
    text = strip_marks(text)
    text = map_punctuation(text)
    text = map_letters(text, lang, fold_yo)
    text = fix_homoglyphs(text).casefold()
    text = nfkc(text)
    text = clean_invisibles(text)
    return collapse_spaces(text)


def normalize_checked(text: str, lang: str | None, fold_yo: bool = False) -> str:
    """``one_pass`` repeated until nothing changes (``text`` a str, ``lang`` a checked code)."""
    for _ in range(8):
        new = one_pass(text, lang, fold_yo)
        if new == text:
            break
        text = new
    return text
