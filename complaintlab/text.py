"""Read, normalise, identify and tokenise complaint text in Hebrew, Arabic, Persian, Russian,
Bulgarian and English.

Every analysis in complaintlab starts here. The functions accept one text at a time (and
:func:`detect_languages` a whole column) and treat missing values the same way everywhere:
``None``, ``float('nan')`` and ``pandas.NA`` are *missing texts* and give an empty result
(``""``, ``"und"``, ``[]``); any other non-string (bytes, numbers, lists) raises a
``TypeError`` that names the type, because guessing would hide a bug in the caller's data.
Bytes are decoded explicitly with :func:`decode`.

Language codes are ISO 639-1: ``he ar fa ru bg en``, plus ``und`` (undetermined). Common
aliases are accepted wherever a ``lang`` is taken (``iw``, ``heb``, ``ara``, ``fas``/``per``,
``rus``, ``bul``, ``eng``, region tags such as ``en-US``); anything else raises
:class:`UnknownLanguageError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache, lru_cache

import pandas as pd
from nltk.tokenize import RegexpTokenizer

from complaintlab import _langid
from complaintlab import _unicode as u
from complaintlab._stem import stem_word

__all__ = [
    "LANGUAGES",
    "UNDETERMINED",
    "UnknownLanguageError",
    "decode",
    "decode_with_encoding",
    "detect_language",
    "detect_languages",
    "is_rtl",
    "negations",
    "normalize",
    "stem",
    "stopwords",
    "tokenize",
]

#: The six languages of the course, as ISO 639-1 codes.
LANGUAGES: tuple[str, ...] = _langid.LANGUAGES
#: The code returned when a language cannot be determined.
UNDETERMINED = _langid.UND

_ALIASES = {
    "iw": "he", "heb": "he", "hebrew": "he",
    "ara": "ar", "arabic": "ar",
    "fas": "fa", "per": "fa", "persian": "fa", "farsi": "fa",
    "rus": "ru", "russian": "ru",
    "bul": "bg", "bulgarian": "bg",
    "eng": "en", "english": "en",
}  # fmt: skip
_RTL = frozenset({"he", "ar", "fa"})


class UnknownLanguageError(ValueError):
    """A ``lang`` argument that is not one of the supported language codes."""


# --- argument checks ------------------------------------------------------------------------
def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _check_text(value, func: str):
    """Return ``None`` for a missing text, the text for a str; raise for anything else."""
    if isinstance(value, str):
        return value
    if _is_missing(value):
        return None
    hint = (
        " Decode it first, e.g. complaintlab.text.decode(data)."
        if isinstance(value, bytes | bytearray)
        else ""
    )
    raise TypeError(
        f"{func} expects a str (or None/NaN for a missing text), got "
        f"{type(value).__name__}: {value!r:.60}.{hint}"
    )


def check_lang(lang, func: str, *, allow_none: bool = True, allow_und: bool = True) -> str | None:
    """Return the canonical code for ``lang`` or raise :class:`UnknownLanguageError`.

    Examples
    --------
    >>> check_lang("en-US", "tokenize")
    'en'
    >>> check_lang("xx", "tokenize")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    complaintlab.text.UnknownLanguageError: The 'lang' parameter of tokenize must be ...
    """
    if lang is None and allow_none:
        return None
    if isinstance(lang, str):
        key = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
        code = _ALIASES.get(key, key)
        if code in LANGUAGES or (allow_und and code == UNDETERMINED):
            return code
    valid = sorted(LANGUAGES) + ([UNDETERMINED] if allow_und else [])
    choices = "{" + ", ".join(repr(c) for c in valid) + "}"
    raise UnknownLanguageError(
        f"The 'lang' parameter of {func} must be one of {choices}"
        f"{' or None' if allow_none else ''}. Got {lang!r} instead."
    )


# --- normalisation --------------------------------------------------------------------------
def normalize(text: str | None, lang: str | None = None, *, fold_yo: bool = False) -> str:
    """Normalise a text for matching and counting.

    Steps, in order: Unicode NFKC; remove bidi controls (U+200E/F, U+061C, U+202A-E,
    U+2066-9) and invisible format characters; remove Arabic harakat and tatweel, Hebrew
    niqqud and cantillation, Cyrillic stress marks; unify apostrophes, quotes, Hebrew
    geresh/gershayim/maqaf and Arabic-Indic/Persian digits (to ASCII); apply the letter variants
    of the language; casefold; collapse white space. The result is idempotent:
    ``normalize(normalize(t, lang), lang) == normalize(t, lang)``.

    Language-specific letters:

    - ``ar``: أ إ آ ٱ → ا, ى → ي, Persian ی/ک → ي/ك; ة is kept.
    - ``fa``: Arabic ي ى → ی, ك → ک, أ إ ٱ → ا (آ is a letter of its own and is kept); the ZWNJ
      (U+200C) is kept as the compound joiner, and a space after می/نمی/بی or before ها/های
      is turned into one.
    - ``ru``/``bg``: ё → е only with ``fold_yo=True`` (for matching).
    - ``None``: the language is detected first with :func:`detect_language`; ``und`` applies
      only the rules shared by all languages.

    Parameters
    ----------
    text : str or None
        The text. ``None``/NaN give ``""``; other non-strings raise ``TypeError``.
    lang : str, optional
        Language code (see the module docstring). ``None`` detects it.
    fold_yo : bool, default False
        Map Cyrillic ё to е.

    Examples
    --------
    >>> normalize("\u202bשָׁלוֹם\u202c  עוֹלָם")
    'שלום עולם'
    >>> normalize("إِنَّ الخدمـــة سيئة جداً")
    'ان الخدمة سيئة جدا'
    >>> normalize("كيفيت خيلي بد بود", lang="fa")
    'کیفیت خیلی بد بود'
    >>> normalize("Заказ ПРИШЁЛ", lang="ru", fold_yo=True)
    'заказ пришел'
    """
    text = _check_text(text, "normalize")
    if text is None:
        return ""
    lang = check_lang(lang, "normalize")
    if lang is None:
        lang = detect_language(text)
    return u.normalize_checked(text, lang, fold_yo)


# --- language identification ----------------------------------------------------------------
def detect_language(text: str | None) -> str:
    """Identify the language of a text: one of ``he ar fa ru bg en`` or ``und``.

    ``und`` means undetermined: the text is missing or empty, has fewer than two letters
    (digits, emoji, punctuation only), is mostly in another script, or is in another language
    that shares a script with ours (Spanish, Ukrainian, Serbian, Urdu, Yiddish, ...).
    URLs, e-mail addresses and @handles are ignored; Latin brand names inside Hebrew, Arabic,
    Persian or Cyrillic text do not change the answer. The method (script first, then letters
    and words that tell ar from fa and ru from bg) is documented in ``complaintlab._langid``.

    Examples
    --------
    >>> detect_language("Поръчката ми още не е пристигнала")
    'bg'
    >>> detect_language("Мой заказ до сих пор не пришёл")
    'ru'
    >>> detect_language("سفارشم هنوز نرسیده")
    'fa'
    >>> detect_language("طلبي لم يصل حتى الآن")
    'ar'
    >>> detect_language("הזמנתי iPhone ב-Amazon והוא לא הגיע 😡")
    'he'
    >>> detect_language("12:30 😡😡")
    'und'
    """
    text = _check_text(text, "detect_language")
    if text is None:
        return UNDETERMINED
    return _langid.detect(text)


def detect_languages(texts: Iterable, *, errors: str = "raise") -> pd.Series:
    """Vectorised :func:`detect_language`: one code per input, in input order.

    Parameters
    ----------
    texts : pandas.Series, list, tuple or other iterable of str
        Missing values (None/NaN) give ``und``.
    errors : {"raise", "coerce"}, default "raise"
        What to do with a value that is neither a str nor missing: ``"raise"`` raises a
        ``TypeError`` naming its row; ``"coerce"`` returns ``und`` for it.

    Returns
    -------
    pandas.Series
        Named ``lang``, dtype ``object``, with the input's index (a RangeIndex for a list).

    Examples
    --------
    >>> detect_languages(["Where is my refund?", None, "Благодаря!"]).tolist()
    ['en', 'und', 'bg']
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(
            f"The 'errors' parameter of detect_languages must be 'raise' or 'coerce'. "
            f"Got {errors!r} instead."
        )
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    seen: dict[str, str] = {}
    out = []
    for label, value in series.items():
        if isinstance(value, str):
            if value not in seen:
                seen[value] = _langid.detect(value)
            out.append(seen[value])
        elif _is_missing(value) or errors == "coerce":
            out.append(UNDETERMINED)
        else:
            raise TypeError(
                f"detect_languages: row {label!r} is {type(value).__name__} ({value!r:.60}), "
                "not a str. Clean the column or pass errors='coerce'."
            )
    return pd.Series(out, index=series.index, name="lang", dtype=object)


def is_rtl(lang: str) -> bool:
    """Whether a language is written right to left.

    Examples
    --------
    >>> is_rtl("fa"), is_rtl("bg")
    (True, False)
    """
    return check_lang(lang, "is_rtl", allow_none=False) in _RTL


# --- tokenisation ---------------------------------------------------------------------------
_A = r"(?:[^\W_]|\u200c(?=[^\W_]))"  # a letter or digit, or a ZWNJ inside a word
_EMOJI = r"[\u2600-\u27bf\U0001f000-\U0001faff]"
_TOKEN_PATTERN = "|".join(
    [
        r"https?://\S+|www\.\S+",  # URLs
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
        r"[@#][^\W_][\w\u200c]*",  # @handles and #hashtags
        r"\d+(?:[.:/,-]\d+)*%?",  # numbers, prices, times 12:00, dates, clauses 5.2.4
        # words: letters (and digits) with inner hyphens, apostrophes, Hebrew gershayim
        rf"{_A}+(?:(?:['-]|(?<=[\u05d0-\u05ea])\"(?=[\u05d0-\u05ea])){_A}+)*",
        rf"{_EMOJI}(?:[\ufe0f\U0001f3fb-\U0001f3ff]|\u200d{_EMOJI})*",  # emoji
        r"[^\w\s\u2600-\u27bf\U0001f000-\U0001faff]+",  # punctuation runs ("!!!", "?!")
    ]
)
_TOKENIZER = RegexpTokenizer(_TOKEN_PATTERN)


def tokenize(text: str | None, lang: str | None = None, *, normalized: bool = False) -> list[str]:
    """Split a text into tokens, after :func:`normalize` (skip it with ``normalized=True``).

    Built on nltk's ``RegexpTokenizer`` with a Unicode pattern that needs no spaces between
    scripts. Kept whole: Persian ZWNJ compounds (``می‌خواهم``), Hebrew words with their
    prefixes (``וכשהגעתי``) and abbreviations (``ש"ח``), Arabic words with their clitics
    (``وبالتالي``; see :func:`stem`), hyphenated words (``по-добре``, ``wi-fi``), contractions,
    numbers, times (``12:00``), dates, clause numbers (``5.2.4``), URLs, e-mail addresses,
    @handles and #hashtags. Punctuation runs and emoji are tokens of their own. Never returns
    an empty token; a missing text gives ``[]``.

    Examples
    --------
    >>> tokenize("Per clause 5.2.4 we can't refund before 12:00!!")
    ['per', 'clause', '5.2.4', 'we', "can't", 'refund', 'before', '12:00', '!!']
    >>> tokenize("نمی خواهم")
    ['نمی\u200cخواهم']
    >>> tokenize('שילמתי 200 ש"ח וכשהגעתי')
    ['שילמתי', '200', 'ש"ח', 'וכשהגעתי']
    """
    text = _check_text(text, "tokenize")
    if text is None:
        return []
    lang = check_lang(lang, "tokenize")
    if not normalized:
        text = normalize(text, lang)
    return _TOKENIZER.tokenize(text)


# --- word lists and stemming ----------------------------------------------------------------
_NEGATION_HEADER = "# negation"


@cache
def _stopword_file(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(all stopwords, negation words) of a language, normalised for that language."""
    from importlib import resources

    raw = resources.files("complaintlab").joinpath("data", "stopwords", f"{lang}.txt")
    words, negs, in_neg = set(), set(), False
    for line in raw.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.lower().startswith(_NEGATION_HEADER):
            in_neg = True
        if not line or line.startswith("#"):
            continue
        word = normalize(line, lang)
        words.add(word)
        if in_neg:
            negs.add(word)
    return frozenset(words), frozenset(negs)


def stopwords(lang: str) -> frozenset[str]:
    """The stopword list of a language, normalised with :func:`normalize` for that language.

    The lists ship with the package (``complaintlab/data/stopwords/<lang>.txt``); each file's
    header says how it was compiled. ``und`` gives an empty set.

    Examples
    --------
    >>> "the" in stopwords("en"), "של" in stopwords("he")
    (True, True)
    """
    lang = check_lang(lang, "stopwords", allow_none=False)
    if lang == UNDETERMINED:
        return frozenset()
    return _stopword_file(lang)[0]


def negations(lang: str) -> frozenset[str]:
    """The negation words of a language (a subset of :func:`stopwords`).

    Examples
    --------
    >>> "не" in negations("ru")
    True
    """
    lang = check_lang(lang, "negations", allow_none=False)
    if lang == UNDETERMINED:
        return frozenset()
    return _stopword_file(lang)[1]


def stem(token: str, lang: str) -> str:
    """Reduce a word to a stem, after normalising it for ``lang``.

    nltk's ISRI stemmer for Arabic and Snowball for English and Russian; light rule-based
    prefix/suffix stemmers for Hebrew, Persian and Bulgarian (rules in
    ``complaintlab._stem``). ``und`` returns the normalised token unchanged.

    Examples
    --------
    >>> stem("refunds", "en"), stem("заказами", "ru"), stem("поръчката", "bg")
    ('refund', 'заказ', 'поръчк')
    >>> stem("והלקוחות", "he"), stem("سفارش‌هایم", "fa"), stem("والمكتبات", "ar")
    ('לקוחות', 'سفارش', 'كتب')
    """
    if not isinstance(token, str):
        raise TypeError(f"stem expects a str token, got {type(token).__name__}: {token!r:.60}")
    return _stem(token, check_lang(lang, "stem", allow_none=False))


@lru_cache(maxsize=2**18)
def _stem(token: str, lang: str) -> str:
    # words repeat (Zipf): caching makes stemming a corpus several times faster
    word = normalize(token, lang)
    if lang == UNDETERMINED or not word:
        return word
    return stem_word(word, lang)


# --- decoding -------------------------------------------------------------------------------
_CANDIDATES = (("cp1256", ("ar", "fa")), ("cp1251", ("ru", "bg")), ("cp1255", ("he",)))
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, encoding: str | None = None) -> str:
    """Decode bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or the Windows code
    pages of our scripts (cp1256 Arabic/Persian, cp1251 Cyrillic, cp1255 Hebrew).

    With ``encoding`` given, decode with it and nothing else. Without, a BOM decides; then
    strict UTF-8; then each code page, keeping the one whose result has the most non-ASCII
    words of two or more letters known (by ``wordfreq``) in the languages of that code page.
    Raises ``ValueError`` naming the first bad byte and its offset when nothing fits, and
    when the bytes are mostly valid UTF-8 with a few broken sequences (read as a code page,
    such a text would come out garbled, so it is refused).

    Examples
    --------
    >>> decode("שלום".encode("cp1255"))
    'שלום'
    >>> decode("\ufeffПривет".encode("utf-8"))
    'Привет'
    """
    return decode_with_encoding(data, encoding)[0]


def decode_with_encoding(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Like :func:`decode`, and also return the name of the encoding that was used.

    Examples
    --------
    >>> decode_with_encoding("Заказ не пришёл".encode("cp1251"))
    ('Заказ не пришёл', 'cp1251')
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"decode expects bytes, got {type(data).__name__}")
    data = bytes(data)
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise ValueError(f"decode: unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"decode: the bytes are not valid {encoding}: byte {exc.start} "
                f"({data[exc.start : exc.start + 1]!r}) cannot be decoded."
            ) from exc
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is not None:
        try:
            return data.decode(bom), bom
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"decode: the bytes start with a {bom} byte-order mark but are not valid "
                f"{bom}: byte {exc.start} ({data[exc.start : exc.start + 1]!r}) cannot be "
                "decoded."
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # Mostly valid UTF-8 (at least as many multi-byte characters as broken sequences) is
    # UTF-8 with a few bad bytes, not a code page: read as one, it would come out garbled.
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    if sum(1 for ch in lenient if ord(ch) > 127) - broken >= broken:
        raise ValueError(
            f"decode: the bytes are UTF-8 with {broken} invalid byte sequence(s), the first at "
            f"offset {first_bad} ({data[first_bad : first_bad + 1]!r}); fix the file or pass "
            "encoding=..."
        )
    best, best_score, used = None, 0, ""
    for codec, langs in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # ASCII reads the same in every code page, and one-letter words (or stray bytes read
        # as letters) are no evidence: only longer non-ASCII words tell the code pages apart
        words = [w for w in _TOKENIZER.tokenize(normalize(text, "und"))
                 if len(w) > 1 and not w.isascii() and any(ch.isalpha() for ch in w)]
        score = sum(1 for w in words if max(_langid.zipf(w, lang) for lang in langs) >= 1.0)
        if score > best_score:
            best, best_score, used = text, score, codec
    if best is None or best_score == 0:
        raise ValueError(
            "decode: the bytes are neither UTF-8 (first bad byte at offset "
            f"{first_bad}: {data[first_bad : first_bad + 1]!r}) nor text in cp1256, cp1251 or "
            "cp1255; pass encoding=..."
        )
    return best, used
