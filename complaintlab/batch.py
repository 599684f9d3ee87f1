"""One reading of a batch of texts for every one-call entry point (``classify``, ``score``).

The rules, so that every analysis treats bad rows alike: a single string or a DataFrame is
refused (a TypeError saying how to pass it); ``langs``, when given, must be as long as the
texts (a ValueError saying both lengths); then each row gets a language — ``und`` for a text
that is missing, empty or not a string, or for an unknown language code; the given code
otherwise; else the detected language (which may itself be ``und``).
"""

from __future__ import annotations

import pandas as pd

from complaintlab.text import UNDETERMINED, UnknownLanguageError, check_lang, detect_language


def row_language(text, given=None) -> str:
    """The language one row is analysed in (see the module docstring).

    Examples
    --------
    >>> row_language("Thank you", "en-US"), row_language("Thank you", "xx"), row_language("  ")
    ('en', 'und', 'und')
    """
    if not isinstance(text, str) or not text.strip():
        return UNDETERMINED
    if isinstance(given, str) and given.strip():
        try:
            return check_lang(given, "row_language")
        except UnknownLanguageError:
            return UNDETERMINED
    return detect_language(text)


def _uniform(texts: list, given: list) -> list[str] | None:
    """:func:`row_languages` without a Python loop, when every text is a str and one
    language is given for all of them; None otherwise."""
    if not texts or not all(map(str.__instancecheck__, texts)):
        return None
    codes = set(given)
    if len(codes) != 1:
        return None
    code = codes.pop()
    if not isinstance(code, str) or not code.strip():
        return None
    code = row_language("x", code)
    if all(texts) and not any(map(str.isspace, texts)):
        return [code] * len(texts)
    return [UNDETERMINED if not t or t.isspace() else code for t in texts]


def text_batch(texts, langs, func: str, *, resolve: bool = True) -> tuple[pd.Series, list]:
    """The texts as a Series (a list gets a RangeIndex) and one language per text.

    With ``resolve=False`` the languages are returned as given (``None`` where none was
    given), for :func:`row_languages` to resolve later, e.g. in a worker process.

    Examples
    --------
    >>> series, langs = text_batch(["Спасибо!", None], None, "score")
    >>> list(series.index), langs
    ([0, 1], ['ru', 'und'])
    >>> text_batch(["a", "b"], ["en"], "score")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: langs has 1 values but texts has 2; give one language (or None) per text
    """
    if isinstance(texts, str | bytes | pd.DataFrame):
        kind = type(texts).__name__
        raise TypeError(f"{func} expects a list or Series of texts, got one {kind}; wrap a "
                        "single text in a list, or pass one column of a DataFrame")  # fmt: skip
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    given = [None] * len(series) if langs is None else list(langs)
    if len(given) != len(series):
        raise ValueError(f"langs has {len(given)} values but texts has {len(series)}; "
                         "give one language (or None) per text")  # fmt: skip
    return series, row_languages(series, given) if resolve else given


def row_languages(texts, given: list) -> list[str]:
    """:func:`row_language` of each text with its given language (or None).

    Examples
    --------
    >>> row_languages(["Thanks", "Спасибо", None], ["EN", None, "en"])
    ['en', 'ru', 'und']
    """
    texts = texts.tolist() if isinstance(texts, pd.Series) else list(texts)
    fast = _uniform(texts, given)
    if fast is not None:
        return fast
    codes: dict[str, str] = {}  # a column of language codes repeats a handful of values
    out = []
    for text, code in zip(texts, given, strict=True):
        if not isinstance(text, str) or not text or text.isspace():
            out.append(UNDETERMINED)
        elif isinstance(code, str) and code and not code.isspace():
            known = codes.get(code)
            if known is None:
                known = codes[code] = row_language(text, code)
            out.append(known)
        else:
            out.append(detect_language(text))
    return out
