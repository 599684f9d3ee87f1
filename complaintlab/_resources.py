"""Read the word lists shipped inside the package (``complaintlab/data``).

Private helper: lists are UTF-8 text, one entry per line, ``#`` starts a comment line.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def word_list(*parts: str) -> tuple[str, ...]:
    """Return the entries of ``complaintlab/data/<parts...>`` in file order, without comments.

    Examples
    --------
    >>> "the" in word_list("langid", "en.txt")
    True
    """
    ref = resources.files("complaintlab").joinpath("data", *parts)
    lines = ref.read_text(encoding="utf-8").splitlines()
    return tuple(s for s in (line.strip() for line in lines) if s and not s.startswith("#"))


def has_list(*parts: str) -> bool:
    """Whether ``complaintlab/data/<parts...>`` exists."""
    return resources.files("complaintlab").joinpath("data", *parts).is_file()
