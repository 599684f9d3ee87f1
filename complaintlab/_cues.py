"""Cue lexicons: sectioned word lists matched on normalised tokens (shared by the analyses).

File format (UTF-8): ``[section]`` headers, one cue per line, ``#`` comments. A cue is one or
more words (usually up to four), matched in order with at most one other word between two cue
words ("charged twice" fires in "charged me twice"); a trailing ``*`` on a word is a prefix
match. A cue word matches a token when, after :func:`complaintlab.text.normalize`, they are
equal, have the same stem
(:func:`complaintlab.text.stem`), or — for Hebrew and Arabic, which attach particles and
clitics to the word — when the token without its leading particles equals the cue word.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from complaintlab._stem import _HE_PREFIXES
from complaintlab.text import normalize, stem, tokenize

_KEY = 3  # prefix cues are indexed by their first three letters
_AR_CONJUNCTIONS = ("و", "ف")
# Hebrew final letters become medial inside a longer word (שלום, שלומות): prefix cues and
# token forms are compared with finals folded, so "שלום*" also fires on "שלומות".
_HE_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_AR_PREFIXES = tuple(sorted("بال كال لل ال ب ل ك س".split(), key=len, reverse=True))


@dataclass(frozen=True)
class Cue:
    """One cue: its section, its text as written, and its normalised words."""

    section: str
    text: str
    words: tuple[str, ...]
    keys: tuple = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Hit:
    """A cue that fired: the cue, and the first and last token positions it covered."""

    cue: Cue
    start: int
    end: int


def _bare(token: str, lang: str) -> set[str]:
    """The token without leading particles (Hebrew) or clitics (Arabic), all readings."""
    forms = {token}
    if lang == "he":
        forms |= _strip(token, _HE_PREFIXES)
    elif lang == "ar":
        # و/ف may leave a two-letter word (وما → ما); the others need three letters left, so
        # لما "when" and كما "as" are not read as the negation ما
        for base in {token} | _strip(token, _AR_CONJUNCTIONS):
            forms |= {base} | _strip(base, _AR_PREFIXES, keep=3)
    return forms


def _strip(token: str, prefixes: tuple[str, ...], keep: int = 2) -> set[str]:
    return {token[len(p) :] for p in prefixes
            if token.startswith(p) and len(token) - len(p) >= keep}  # fmt: skip


def _stem(word: str, lang: str) -> str:
    # ISRI reduces Arabic to roots, far too coarse for cues: Arabic uses clitic stripping only.
    return word if lang == "ar" else stem(word, lang)


class Lexicon:
    """The cues of one language, indexed for fast matching.

    Examples
    --------
    >>> lex = Lexicon.from_text("[billing]\\ncharged twice\\nrefund*\\n", "en")
    >>> [(h.cue.section, h.cue.text) for h in lex.match("They CHARGED me twice, no refunds")]
    [('billing', 'charged twice'), ('billing', 'refund*')]
    """

    def __init__(self, cues: list[Cue], lang: str):
        self.lang = lang
        self.cues = tuple(cues)
        self.sections = tuple(dict.fromkeys(c.section for c in cues))
        self._rank = {id(c): i for i, c in enumerate(self.cues)}
        self._exact: dict[str, list[Cue]] = defaultdict(list)
        self._prefix: dict[str, list[Cue]] = defaultdict(list)
        self._short: list[Cue] = []
        for cue in self.cues:
            first = cue.words[0]
            if first.endswith("*") and len(first) > _KEY:
                self._prefix[first[:_KEY]].append(cue)
            elif first.endswith("*"):
                self._short.append(cue)  # a prefix shorter than the key: tried everywhere
            else:
                for key in cue.keys[0]:
                    self._exact[key].append(cue)
        # the cues of each first word, grouped by their second word (None: one-word cues)
        self._groups: dict[str, tuple[tuple[object, tuple[Cue, ...]], ...]] = {}
        for key, listed in self._exact.items():
            groups: dict[object, list[Cue]] = defaultdict(list)
            for cue in listed:
                groups[cue.keys[1] if len(cue.keys) > 1 else None].append(cue)
            self._groups[key] = tuple((second, tuple(group)) for second, group in groups.items())

    @classmethod
    def from_text(cls, text: str, lang: str) -> Lexicon:
        """Parse a lexicon file's text (see the module docstring)."""
        cues, section = [], None
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1].strip()
                continue
            if section is None:
                raise ValueError(f"line {number}: cue {line!r} before any [section]")
            words = tuple(_normal_word(w, lang) for w in line.split())
            words = tuple(w for w in words if w and w != "*")
            if words:
                keys = tuple(w if w.endswith("*") else frozenset({w, _stem(w, lang)})
                             for w in words)  # fmt: skip
                cues.append(Cue(section, line, words, keys))
        return cls(cues, lang)

    def match(self, text: str | None) -> list[Hit]:
        """Every cue that fires in ``text``, in text order (one hit per cue and position).

        Hits starting on the same word come in the order of the lexicon file.
        """
        return self.match_tokens(tokenize(text, self.lang))

    def match_tokens(self, tokens: list[str]) -> list[Hit]:
        """:meth:`match` for a text already split by :func:`complaintlab.text.tokenize`."""
        forms = [self._forms(t) for t in tokens]
        hits = []
        for i, token_forms in enumerate(forms):
            # cues whose first word is this token exactly need no check of that word; they
            # come in groups with the same second word, checked once for the whole group
            # (hundreds of cues begin with "you", a hundred different words follow)
            tried = set()  # a cue is listed under its word and its stem
            for form in token_forms:
                for second, group in self._groups.get(form, ()):
                    at = i if second is None else _rest((None, second), forms, i)
                    if at is None:
                        continue  # no cue of the group fits, whichever form found it
                    for cue in group:
                        if id(cue) in tried:
                            continue
                        tried.add(id(cue))
                        end = at if len(cue.keys) <= 2 else _rest(cue.keys[1:], forms, at)
                        if end is not None:
                            hits.append(Hit(cue, i, end))
            # cues whose first word is a prefix (a word ending in *)
            maybe = {id(c): c for f in token_forms for c in self._prefix.get(f[:_KEY], ())}
            maybe.update((id(c), c) for c in self._short)
            for cue in maybe.values():
                if _fits(cue.keys[0], token_forms):
                    end = i if len(cue.keys) == 1 else _rest(cue.keys, forms, i)
                    if end is not None:
                        hits.append(Hit(cue, i, end))
        # text order, then lexicon order: the same on every run (sets iterate in hash order)
        hits.sort(key=lambda hit: (hit.start, self._rank[id(hit.cue)]))
        return hits

    def _forms(self, token: str) -> frozenset[str]:
        return _token_forms(token, self.lang)


@lru_cache(maxsize=2**18)
def _token_forms(token: str, lang: str) -> frozenset[str]:
    """Every form a token can match by: itself, without particles or clitics, their stems."""
    bare = _bare(token, lang)
    forms = bare | {_stem(b, lang) for b in bare}
    if lang == "he":
        forms |= {f.translate(_HE_FINALS) for f in forms}
    return frozenset(forms)


def _normal_word(word: str, lang: str) -> str:
    star = word.endswith("*")
    core = normalize(word.rstrip("*"), lang)
    if star and lang == "he":
        core = core.translate(_HE_FINALS)
    return core + "*" if star and core else core


def _rest(keys: tuple, forms: list[frozenset[str]], start: int) -> int | None:
    """Where a cue whose first word fits at ``start`` ends, or None (one-word gaps allowed)."""
    position = start
    for key in keys[1:]:
        for step in (1, 2):
            if position + step < len(forms) and _fits(key, forms[position + step]):
                position += step
                break
        else:
            return None
    return position


def _fits(key, forms: frozenset[str]) -> bool:
    if isinstance(key, str):
        return any(f.startswith(key[:-1]) for f in forms)
    return not key.isdisjoint(forms)


@cache
def load(folder: str, lang: str) -> Lexicon:
    """The lexicon ``complaintlab/data/<folder>/<lang>.txt``, parsed once and cached."""
    ref = resources.files("complaintlab").joinpath("data", folder, f"{lang}.txt")
    return Lexicon.from_text(ref.read_text(encoding="utf-8"), lang)
