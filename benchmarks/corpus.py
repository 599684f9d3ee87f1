"""A seeded corpus generator for scale benchmarks: any number of texts in the six languages.

``make_corpus(n)`` builds ``n`` new texts by recombining the sentences of the bundled corpora
(complaintlab's own agent replies or complaints, in he, bg, fa, ar, ru and en) and, when the
real public data samples are there (``COMPLAINTLAB_DATA``, see :mod:`complaintlab.config`),
of real English texts too: the company replies of the Customer Support on Twitter sample for
``kind="replies"``, the CFPB narratives for ``kind="complaints"``.

How one text is made: pick its language (uniformly), then one source of that language (the
bundled texts, or the real sample; English has both, half and half), then its number of
sentences from the source's own distribution (capped at :data:`MAX_SENTENCES`), then an
opening sentence of some source text and the remaining sentences from the non-opening
sentences of others. So lengths follow the source texts' and texts keep their shape
(greeting or handle first) while almost never repeating one another.

Every row is drawn from a counter-based generator (Philox) at the row's own position, so a
row depends only on ``(seed, kind, langs, real, row number)``: same seed, same frame; and
:func:`write_corpus` streams a million rows to CSV in chunks, writing exactly the rows
:func:`make_corpus` returns, whatever the chunk size.

Run ``.venv/bin/python benchmarks/corpus.py N [replies|complaints] [out.csv]`` to print a
sample and the length summary, or to write N rows to a file.
"""

from __future__ import annotations

import re
import sys
import time
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from complaintlab.config import data_dir
from complaintlab.corpus import LANGS

__all__ = [
    "KINDS",
    "MAX_SENTENCES",
    "iter_corpus",
    "make_corpus",
    "real_source",
    "split_sentences",
    "write_corpus",
]

KINDS = ("replies", "complaints")
#: Longest generated text, in sentences (CFPB narratives run far longer; they are cut here).
MAX_SENTENCES = 12
_DRAWS = 16  # random 64-bit words per row: language, source, length, sentences (4 per counter)
_BLOCK = 100_000  # rows generated at a time

# A sentence ends at ., !, ?, the Arabic question mark ؟, the Urdu full stop ۔ or an
# ellipsis (and any closing quotes or brackets after it) when whitespace follows -- so "14.3"
# and "7,100.00" stay whole -- and at every line break.
_BOUNDARY = re.compile(r"([.!?؟۔…][\"'»”’)\]]*)\s+|\s*\n\s*")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in any of the six scripts, stripped, empty ones dropped.

    Examples
    --------
    >>> split_sentences('Sorry!! Refund of 14.3 USD sent. "OK?" Yes\\nThanks')
    ['Sorry!!', 'Refund of 14.3 USD sent.', '"OK?"', 'Yes', 'Thanks']
    >>> split_sentences("متى يصل الطلب؟ انتظرت أسبوعين۔ شكراً")
    ['متى يصل الطلب؟', 'انتظرت أسبوعين۔', 'شكراً']
    """
    parts = _BOUNDARY.split(text)  # text, end mark (None at a line break), text, ...
    ends = [*parts[1::2], None]
    sentences = ((body + (end or "")).strip() for body, end in zip(parts[::2], ends, strict=True))
    return [s for s in sentences if s]


def _bundled(kind: str, lang: str) -> list[str]:
    if kind == "replies":
        from complaintlab.tone.evaluate import gold_replies

        return gold_replies(lang)["text"].tolist()
    from complaintlab.corpus import load_complaints

    return load_complaints(lang)["text"].astype(object).tolist()


@cache
def _real(kind: str) -> tuple[list[str], str] | None:
    """The real English texts for ``kind``, and what they are; ``None`` when absent."""
    root = data_dir()
    if root is None:
        return None
    if kind == "replies":
        path = root / "twcs_customer_support" / "twcs_first5000.csv"
        if not path.is_file():
            return None
        frame = pd.read_csv(path, dtype=str, usecols=["inbound", "text"])
        texts = frame.loc[frame["inbound"].str.lower() == "false", "text"].dropna()
        return _english(texts), "company replies of the Customer Support on Twitter sample"
    from complaintlab.public_data import CFPB_SAMPLES, cfpb_sample, cfpb_sample_files

    if cfpb_sample_files()[0].name not in CFPB_SAMPLES:  # only the invented fixture
        return None
    frame, _ = cfpb_sample()
    return _english(frame["text"].dropna()), "CFPB consumer complaint narratives"


# A quick English filter for the real samples (the Twitter sample has Japanese, German,
# Spanish, Portuguese and French replies too): mostly ASCII letters, and no fewer English
# function words than German, Spanish, Portuguese or French ones. It agrees with
# complaintlab.text.detect_language on all but 11 of the sample's 2,222 company replies (handles,
# links and emoji with hardly a word) and keeps every CFPB narrative, without loading
# detect_language's word-frequency tables (seconds).
_LETTER = re.compile(r"[^\W\d_]")
_EN_WORDS = re.compile(
    r"\b(the|you|your|to|we|us|our|for|please|this|is|are|and|can|it|that|with|have|be|on|of|"
    r"will|sorry|thanks|thank|hi|hello|help|here|what|if|i|me|my|a|an|in|so|well|not|yes|do)\b",
    re.IGNORECASE)  # fmt: skip
_OTHER_WORDS = re.compile(
    r"\b(wir|und|der|die|das|ist|nicht|du|ich|sie|mit|bei|für|hier|dich|uns|danke|el|la|los|"
    r"las|por|para|que|con|una|favor|hola|gracias|te|tu|lo|esto|no|mas|olá|você|não|em|muito|"
    r"le|les|est|vous|nous|merci|bonjour)\b", re.IGNORECASE)  # fmt: skip


def _is_english(text: str) -> bool:
    letters = _LETTER.findall(text)
    if not text.strip() or sum(c.isascii() for c in letters) < 0.9 * len(letters):
        return False
    return len(_EN_WORDS.findall(text)) >= len(_OTHER_WORDS.findall(text))


def _english(texts: pd.Series) -> list[str]:
    """The texts that look English (see :func:`_is_english`)."""
    return [t for t in texts.astype(object) if _is_english(t)]


def real_source(kind: str = "replies") -> str | None:
    """What the real English texts recombined for ``kind`` are; ``None`` when they are absent."""
    found = _real(kind)
    return None if found is None else found[1]


class _Pools:
    """Sentence pools of every (language, source), flattened for vectorised drawing."""

    def __init__(self, kind: str, langs: tuple[str, ...], real: bool):
        real_texts = _real(kind) if real else None
        openings, rest, lengths = [], [], []
        groups_of_lang = []
        for lang in langs:
            groups = [_bundled(kind, lang)]
            if lang == "en" and real_texts is not None:
                groups.append(real_texts[0])
            groups_of_lang.append(len(groups))
            for texts in groups:
                split = [s for s in map(split_sentences, texts) if s]
                openings.append([s[0] for s in split])
                rest.append([x for s in split for x in s[1:]] or [s[0] for s in split])
                lengths.append([min(len(s), MAX_SENTENCES) for s in split])
        self.real_source = None if real_texts is None else real_texts[1]
        self.langs = np.array(langs, dtype=object)
        self.n_groups = np.array(groups_of_lang, dtype=np.uint64)
        self.group_start = np.concatenate([[0], np.cumsum(groups_of_lang)[:-1]]).astype(np.int64)
        self.open_text, self.open_start, self.open_size = _flatten(openings)
        self.rest_text, self.rest_start, self.rest_size = _flatten(rest)
        self.len_table, self.len_start, self.len_size = _flatten(lengths)
        self.len_table = self.len_table.astype(np.int64)

    def rows(self, start: int, m: int, seed: int) -> pd.DataFrame:
        raw = np.random.Philox(key=seed, counter=start * (_DRAWS // 4)).random_raw(m * _DRAWS)
        raw = raw.reshape(m, _DRAWS)
        lang = (raw[:, 0] % np.uint64(len(self.langs))).astype(np.int64)
        group = self.group_start[lang] + (raw[:, 1] % self.n_groups[lang]).astype(np.int64)
        pick = (raw[:, 2] % self.len_size[group]).astype(np.int64)
        k = self.len_table[self.len_start[group] + pick]
        first = self.open_start[group] + (raw[:, 3] % self.open_size[group]).astype(np.int64)
        text = self.open_text[first].copy()
        for j in range(1, MAX_SENTENCES):
            more = np.flatnonzero(k > j)
            if more.size == 0:
                break
            g = group[more]
            idx = self.rest_start[g] + (raw[more, 3 + j] % self.rest_size[g]).astype(np.int64)
            text[more] = text[more] + " " + self.rest_text[idx]
        return pd.DataFrame({
            "id": np.arange(start, start + m, dtype=np.int64),
            "lang": self.langs[lang],
            "text": text,
        })  # fmt: skip


def _flatten(lists: list[list]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = np.array([len(x) for x in lists], dtype=np.uint64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    flat = np.empty(int(sizes.sum()), dtype=object)
    flat[:] = [x for sub in lists for x in sub]
    return flat, starts, sizes


@cache
def _pools(kind: str, langs: tuple[str, ...], real: bool) -> _Pools:
    return _Pools(kind, langs, real)


def _check(n: int, kind: str, langs) -> tuple[str, ...]:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if n < 0:
        raise ValueError(f"n must be at least 0, not {n}")
    langs = tuple(LANGS if langs is None else ([langs] if isinstance(langs, str) else langs))
    unknown = sorted(set(langs) - set(LANGS))
    if unknown or not langs:
        raise ValueError(f"langs must be some of {LANGS}, not {list(langs)}")
    return tuple(dict.fromkeys(langs))


def iter_corpus(n: int, kind: str = "replies", seed: int = 0, langs=None, real: bool = True,
                chunksize: int = _BLOCK):  # fmt: skip
    """Yield the rows of :func:`make_corpus` as frames of at most ``chunksize`` rows."""
    pools = _pools(kind, _check(n, kind, langs), bool(real))
    for start in range(0, n, chunksize):
        yield pools.rows(start, min(chunksize, n - start), seed)


def make_corpus(n: int, kind: str = "replies", seed: int = 0, langs=None,
                real: bool = True) -> pd.DataFrame:  # fmt: skip
    """``n`` generated texts: a frame with columns ``id`` (0 to n-1), ``lang`` and ``text``.

    Parameters
    ----------
    n : int
        Number of rows.
    kind : {"replies", "complaints"}
        Recombine agent replies or complaints.
    seed : int
        Same seed, same frame.
    langs : list of str, optional
        Languages to draw from (default all six, in equal shares).
    real : bool
        Also recombine the real English samples when ``COMPLAINTLAB_DATA`` has them.

    Examples
    --------
    >>> frame = make_corpus(1_000, seed=1)
    >>> frame.columns.tolist(), len(frame), frame["lang"].nunique()
    (['id', 'lang', 'text'], 1000, 6)
    >>> frame.equals(make_corpus(1_000, seed=1))
    True
    """
    chunks = list(iter_corpus(n, kind, seed, langs, real))
    if not chunks:
        return _pools(kind, _check(n, kind, langs), bool(real)).rows(0, 0, seed)
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def write_corpus(path: str | Path, n: int, kind: str = "replies", seed: int = 0,
                 chunksize: int = 100_000, langs=None, real: bool = True) -> Path:  # fmt: skip
    """Write the rows of :func:`make_corpus` to a UTF-8 CSV file, ``chunksize`` rows at a time.

    Only one chunk is in memory at once; the file holds exactly ``make_corpus(n, ...)``.
    Returns the path.
    """
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for i, chunk in enumerate(iter_corpus(n, kind, seed, langs, real, chunksize)):
            chunk.to_csv(handle, header=i == 0, index=False, lineterminator="\n")
        if n == 0:
            handle.write("id,lang,text\n")
    return path


def describe(kind: str = "replies", n: int = 100_000, seed: int = 0, real: bool = True) -> str:
    """Mean characters per text, generated against sources, per language (a realism check).

    The sources' mean gives each source of a language its share in the corpus (English:
    half bundled, half real when the real sample is there); ``distinct`` is the share of
    generated texts that differ from every earlier one.
    """
    frame = make_corpus(n, kind, seed, real=real)
    pools = _pools(kind, _check(n, kind, None), bool(real))
    lines = [f"{kind}: {n:,} rows, {1 - frame['text'].duplicated().mean():.0%} distinct; "
             f"real English source: {pools.real_source or 'none'}"]  # fmt: skip
    made = frame["text"].str.len().groupby(frame["lang"]).mean()
    for lang in LANGS:
        groups = [_bundled(kind, lang)]
        if lang == "en" and pools.real_source is not None:
            groups.append(_real(kind)[0])
        source = np.mean([np.mean([len(t) for t in g]) for g in groups])
        lines.append(f"  {lang}: {made[lang]:6.0f} characters (sources {source:6.0f})")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 10
    kind = argv[1] if len(argv) > 1 else "replies"
    start = time.perf_counter()
    if len(argv) > 2:
        write_corpus(argv[2], n, kind)
        print(f"{n:,} {kind} written in {time.perf_counter() - start:.1f} s")
        return
    frame = make_corpus(n, kind)
    print(f"{n:,} {kind} made in {time.perf_counter() - start:.2f} s")
    print(frame.head(12).to_string(max_colwidth=90))
    print(describe(kind, min(max(n, 6_000), 100_000)))


if __name__ == "__main__":
    main(sys.argv[1:])
