"""Light stemmers for Hebrew, Persian and Bulgarian, and the nltk stemmers for the others.

Private: use :func:`complaintlab.text.stem`. The light stemmers strip affixes by rule and never
look words up in a dictionary, so they conflate a little too much and too little; they are
meant for grouping word forms in counts and cue matching, not for linguistics. The rules:

Hebrew
    Strip one prefix cluster of the particles ו ה ב כ ל מ ש (e.g. ו, ה, וה, שב, וכש) when at
    least 3 letters remain and the word is not a protected word that starts with those letters
    (לקוח, שירות, מוצר ...); then one suffix (ים ות יך יו יה נו כם כן הם הן תי תם תן) when at
    least 3 letters remain.
Persian
    Drop ZWNJ-joined parts that are the verb prefixes می/نمی or inflectional suffixes
    (ها های هایی ام ات اش مان تان شان تر ترین ...); strip a joined می/نمی prefix when at
    least 3 letters remain; then strip one suffix (plural, possessive, comparative or
    personal ending) when at least 3 letters remain.
Bulgarian
    Strip one definite-article ending (ът ят та то те ата ото ето ите ията ието); then one
    plural, adjectival or verbal ending (ове ища ски ахме ихте ат ам ме х а я о е и ...), each
    time keeping at least 3 letters.
Arabic, English, Russian
    nltk's ISRI stemmer (Arabic) and Snowball stemmers (English, Russian).
"""

from __future__ import annotations

from functools import cache

_HE_PREFIXES = tuple(
    sorted(
        {
            "ו",
            "ה",
            "ב",
            "כ",
            "ל",
            "מ",
            "ש",
            "וה",
            "וב",
            "ול",
            "ומ",
            "וכ",
            "וש",
            "שה",
            "שב",
            "של",
            "שמ",
            "שכ",
            "כש",
            "לכ",
            "מה",
            "בה",
            "כשה",
            "וכש",
            "ושה",
            "ושב",
            "ומה",
        },
        key=len,
        reverse=True,
    )
)
_HE_SUFFIXES = ("ים", "ות", "יך", "יו", "יה", "נו", "כם", "כן", "הם", "הן", "תי", "תם", "תן")
# Frequent complaint words whose first letter is a root letter, not a prefix.
_HE_PROTECTED = frozenset(
    "לקוח לקוחות שירות שירותים מוצר מוצרים משלוח משלוחים מחיר מחירים כסף כרטיס חשבון "
    "בעיה בעיות מנהל מנהלת ביטול החזר הזמנה הזמנות הודעה הודעות שיחה שיחות מספר בנק "
    "ביטוח מוקד שבוע שבועות כבר לא של שלי שלך שלום הבטיחו מבטיחים".split()
)

_FA_PREFIX_PARTS = ("نمی", "می")
_FA_SUFFIX_PARTS = frozenset(
    "ها های هایی هایم هایت هایش هایمان هایتان هایشان ام ات اش ایم اید اند ای مان تان شان تر "
    "ترین ی".split()
)
_FA_SUFFIXES = tuple(
    sorted(
        (
            "هایشان هایتان هایمان هایم هایت هایش هایی های ها ترین تر "
            "شان تان مان ام اش ات یم ید ند م ی"
        ).split(),
        key=len,
        reverse=True,
    )
)
_FA_PROTECTED = frozenset("میز میوه میلیون میدان میهمان میزان میل مینو".split())

_BG_ARTICLES = ("ията", "ието", "ите", "ата", "ото", "ето", "ът", "ят", "та", "то", "те")
_BG_ENDINGS = tuple(
    sorted(
        "ове еве ища ета ски ска ско ихме ахме яхме ахте ихте аха яха иха ате ите аме ете ат ям "
        "ам аш яш еш иш ем им ме ва ах ях их а я о е и у ю ъ х".split(),
        key=len,
        reverse=True,
    )
)


def _strip_suffix(word: str, suffixes: tuple[str, ...], keep: int = 3) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            return word[: -len(suffix)]
    return word


def stem_he(word: str) -> str:
    """Light Hebrew stemmer (see the module docstring)."""
    if word not in _HE_PROTECTED:
        for prefix in _HE_PREFIXES:
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= 3:
                word = rest
                break
    if word in _HE_PROTECTED:
        return word
    return _strip_suffix(word, _HE_SUFFIXES)


def stem_fa(word: str) -> str:
    """Light Persian stemmer (see the module docstring)."""
    parts = [p for p in word.split("\u200c") if p]
    if len(parts) > 1 and parts[0] in _FA_PREFIX_PARTS:
        parts = parts[1:]
    while len(parts) > 1 and parts[-1] in _FA_SUFFIX_PARTS:
        parts = parts[:-1]
    word = "".join(parts) if parts else word
    if word in _FA_PROTECTED:
        return word
    for prefix in _FA_PREFIX_PARTS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    return _strip_suffix(word, _FA_SUFFIXES)


def stem_bg(word: str) -> str:
    """Light Bulgarian stemmer (see the module docstring)."""
    return _strip_suffix(_strip_suffix(word, _BG_ARTICLES), _BG_ENDINGS)


@cache
def _nltk_stemmer(lang: str):
    if lang == "ar":
        from nltk.stem.isri import ISRIStemmer

        return ISRIStemmer()
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer({"en": "english", "ru": "russian"}[lang])


def stem_word(word: str, lang: str) -> str:
    """Stem one normalised word in one of the six languages."""
    if lang == "he":
        return stem_he(word)
    if lang == "fa":
        return stem_fa(word)
    if lang == "bg":
        return stem_bg(word)
    stemmed = _nltk_stemmer(lang).stem(word)
    return stemmed or word
