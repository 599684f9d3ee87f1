"""Show multilingual text correctly in notebooks: RTL-aware HTML tables, hidden characters.

Right-to-left text (Hebrew, Arabic, Persian) mixed with numbers and Latin words is easy to
display in the wrong order. These helpers give every cell its own base direction
(``dir="auto"``: the first strong letter decides) and escape every value, so user text is shown
as text and never interpreted as HTML.
"""

from __future__ import annotations

import html
import unicodedata

import pandas as pd

__all__ = ["hidden_characters", "highlight", "html_table"]

_CELL_STYLE = "unicode-bidi: plaintext; text-align: start; padding: 2px 8px"


def html_table(frame: pd.DataFrame, caption: str | None = None) -> str:
    """Render a DataFrame as an HTML table where each cell keeps its own text direction.

    Returns the HTML string (wrap it in ``IPython.display.HTML`` to show it). Values, column
    names and the caption are HTML-escaped (``<script>`` is shown as text, never run); missing
    values are shown as empty cells.

    Examples
    --------
    >>> frame = pd.DataFrame({"lang": ["he"], "text": ["<b>שלום</b> 12:00"]})
    >>> print(html_table(frame))  # doctest: +ELLIPSIS
    <table class="complaintlab"><thead>...&lt;b&gt;שלום&lt;/b&gt; 12:00</td></tr></tbody></table>
    """

    def cell(tag: str, value) -> str:
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        return f'<{tag} dir="auto" style="{_CELL_STYLE}">{html.escape(str(text))}</{tag}>'

    head = "".join(cell("th", c) for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(cell("td", v) for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    title = "" if caption is None else str(caption)
    cap = f"<caption>{html.escape(title)}</caption>" if title else ""
    return (
        f'<table class="complaintlab">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def hidden_characters(text: str) -> list[str]:
    r"""Names of the invisible characters in a text: combining marks and format controls.

    Examples
    --------
    >>> hidden_characters("\u200fשָׁלוֹם")
    ['RIGHT-TO-LEFT MARK', 'HEBREW POINT QAMATS', 'HEBREW POINT SHIN DOT', 'HEBREW POINT HOLAM']
    """
    return [
        unicodedata.name(ch, f"U+{ord(ch):04X}")
        for ch in text
        if unicodedata.category(ch) in {"Mn", "Me", "Cf"}
    ]


_MARK_STYLE = "background: #fde68a; border-radius: 3px; padding: 0 2px"


def highlight(text: str, evidence, lang: str | None = None) -> str:
    """A reply as HTML with the evidence spans marked and the features named on hover.

    ``evidence``: objects with ``feature``, ``start`` and ``end`` (as returned by
    :func:`complaintlab.tone.explain`). The text is escaped; the block takes the direction of
    the language (``dir="rtl"`` for Hebrew, Arabic, Persian, else ``auto``), so punctuation and
    numbers sit where a reader of that script expects them. Overlapping spans are merged; a
    marked stretch lists every feature that covers it.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> print(highlight("<b>Sorry!</b>", [E(feature="apology", start=3, end=8)], "en"))
    <div dir="auto" ...>&lt;b&gt;<mark title="apology" ...>Sorry</mark>!&lt;/b&gt;</div>
    """
    from complaintlab.text import LANGUAGES, is_rtl

    if not isinstance(text, str):
        raise TypeError(f"highlight expects the reply as a str, got {type(text).__name__}: "
                        f"{text!r:.80}")  # fmt: skip
    covering: list[set[str]] = [set() for _ in text]
    for ev in evidence:
        for i in range(max(0, ev.start), min(len(text), ev.end)):
            covering[i].add(ev.feature)
    parts, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and covering[j] == covering[i]:
            j += 1
        chunk = html.escape(text[i:j])
        if covering[i]:
            names = html.escape(", ".join(sorted(covering[i])))
            chunk = f'<mark title="{names}" style="{_MARK_STYLE}">{chunk}</mark>'
        parts.append(chunk)
        i = j
    direction = "rtl" if lang in LANGUAGES and is_rtl(lang) else "auto"
    return f'<div dir="{direction}" style="unicode-bidi: plaintext">{"".join(parts)}</div>'
