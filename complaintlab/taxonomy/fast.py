"""The taxonomy model's features for a whole batch at once, equal to the one-text code.

:meth:`TaxonomyClassifier._features <complaintlab.taxonomy.TaxonomyClassifier>` builds four
blocks: character n-grams of the normalised text, word n-grams of stems, rule-cue scores and
style. Done text by text in Python they cost about 300 µs a text; here each block is built for
the whole batch from facts computed once per distinct word (see :mod:`complaintlab._fastcues`):

- **words**: each text is cut at white space and every chunk normalised once per distinct
  chunk; a normalised word's character n-gram counts, its tokens and their stems are cached;
- **counts → tf-idf**: a text's n-gram counts are the sum of its words' counts (a sparse
  product), handed to the fitted vectoriser's own tf-idf step, so the numbers are the same;
- **cues**: one trie walk over the batch (:func:`section_scores`);
- **style**: character classes counted with numpy over the batch.

Tests check that :func:`features` equals the one-text-at-a-time matrix exactly.
"""

from __future__ import annotations

import weakref
from collections import Counter
from functools import cache
from itertools import chain

import numpy as np
from scipy import sparse

from complaintlab import _fastcues as fc
from complaintlab import _jit
from complaintlab._cues import load
from complaintlab.taxonomy.rules import SECTIONS
from complaintlab.text import _stem

_PAIR = 2**32  # stem-id pairs are coded as a * _PAIR + b


@cache
def words_table(lang: str) -> fc.TokenTable:
    """Normalised white-space-separated words of one language (the char n-gram units)."""
    return fc.TokenTable(lang)


def _whole(chunk: str) -> list[str]:
    return [chunk] if chunk else []


def encode_words(texts: list[str], lang: str) -> tuple[np.ndarray, np.ndarray]:
    """Ids (in :func:`words_table`) of the normalised words of each text, with separators."""
    table = words_table(lang)
    if lang == "fa":  # Persian normalisation joins words across spaces: whole texts
        parts = fc.normal(fc.SEP.join(texts), lang).split(fc.SEP)
        if len(parts) != len(texts):
            raise fc.SeparatorInText
        return table.encode([p.strip() for p in parts], "words", _whole)
    return table.encode_raw(texts, "words", lambda chunk: fc.normal(chunk, lang), str.split)


class _Rows:
    """Growing per-word rows of a sparse matrix, in numpy arrays (CSR), appended in batches."""

    def __init__(self, width: int):
        self.width = width
        self.indptr = np.zeros(1, dtype=np.int64)
        self.indices = np.zeros(0, dtype=np.int64)
        self.data = np.zeros(0, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def extend(self, rows: list[dict[int, float]]) -> None:
        """Append rows, each given as {column: value}."""
        if not rows:
            return
        columns = [sorted(row) for row in rows]
        lengths = np.fromiter(map(len, columns), dtype=np.int64, count=len(rows))
        size = int(lengths.sum())
        self.indices = np.concatenate([self.indices, np.fromiter(
            chain.from_iterable(columns), dtype=np.int64, count=size)])  # fmt: skip
        self.data = np.concatenate([self.data, np.fromiter(
            (row[c] for row, cs in zip(rows, columns, strict=True) for c in cs),
            dtype=np.float64, count=size)])  # fmt: skip
        self.indptr = np.concatenate([self.indptr, self.indptr[-1] + np.cumsum(lengths)])

    def matrix(self) -> sparse.csr_matrix:
        return sparse.csr_matrix((self.data, self.indices, self.indptr),
                                 shape=(len(self), self.width))  # fmt: skip


@cache
def _word_tokens(lang: str) -> fc.Ragged:
    """Token ids per word id; word 0, the separator, is token 0."""
    return fc.Ragged([[0]])


def tokens_of(words: np.ndarray, lang: str) -> np.ndarray:
    """Token ids (of ``_fastcues.table(lang)``) of a word-id sequence, separators kept."""
    ragged = _word_tokens(lang)
    vocabulary = words_table(lang).words
    if len(ragged) < len(vocabulary):
        tokens = fc.table(lang)
        ragged.extend([tokens._ids(fc._FINDALL(w)) for w in vocabulary[len(ragged) :]])
    return ragged.take(words)


@cache
def _stems(lang: str) -> dict[str, int]:
    return {}


def _stem_id(lang: str):
    ids = _stems(lang)

    def stem_id(token: str) -> int:
        stem = _stem(token, lang)
        if not stem or stem.isspace():
            return -1  # an empty stem is no word for the word n-grams
        return ids.setdefault(stem, len(ids))

    return stem_id


@fc.on_reset
def _reset() -> None:
    """Empty the caches built on token, word and stem ids (with the token tables)."""
    for cached in (words_table, _word_tokens, _stems):
        cached.cache_clear()
    _CACHES.clear()


def section_scores(ids: np.ndarray, starts: np.ndarray, lang: str) -> np.ndarray:
    """:func:`complaintlab.taxonomy.rules.section_scores` of every text, as rows."""
    n = len(starts) - 1
    out = np.zeros((n, len(SECTIONS)), dtype=float)
    lexicon = load("taxonomy", lang)
    column, size = _cue_columns(lexicon)
    hits = fc.match_batch(fc.compiled(lexicon), ids)
    col = column[hits.cue]
    start, end, words = hits.start, hits.end, size[hits.cue]
    remedy = col == SECTIONS.index("remedy")
    if remedy.any():  # a category cue inside what the customer asks for does not count
        order = np.argsort(start[remedy], kind="stable")
        r_start, r_end = start[remedy][order], np.maximum.accumulate(end[remedy][order])
        before = np.searchsorted(r_start, end, side="right") - 1
        inside = (before >= 0) & (r_end[np.maximum(before, 0)] >= start)
        col = np.where(_is_category(col) & inside, -1, col)
    keep = col >= 0
    col, start, words = col[keep], start[keep], words[keep]
    if not len(col):
        return out
    # spelling variants of one cue on the same first word count once, the longest
    key = start * len(SECTIONS) + col
    order = np.lexsort((words, key))
    key, words, col, start = key[order], words[order], col[order], start[order]
    last = np.append(key[1:] != key[:-1], True)
    text = np.searchsorted(starts, start[last], side="right") - 1
    np.add.at(out, (text, col[last]), words[last])
    return out


@cache
def _categories() -> np.ndarray:
    return np.array([s.startswith("category.") for s in SECTIONS] + [False])


def _is_category(col: np.ndarray) -> np.ndarray:
    return _categories()[col]  # col -1 reads the trailing False


@cache
def _cue_columns(lexicon) -> tuple[np.ndarray, np.ndarray]:
    where = {s: i for i, s in enumerate(SECTIONS)}
    column = np.array([where.get(c.section, -1) for c in lexicon.cues], dtype=np.int64)
    size = np.array([len(c.words) for c in lexicon.cues], dtype=float)
    return column, size


# --- style ------------------------------------------------------------------------------
_LIMIT = 0x20000  # code points below this are looked up in tables; the rest one by one


@cache
def _letter_tables() -> tuple[np.ndarray, np.ndarray]:
    chars = [chr(c) for c in range(_LIMIT)]
    cased = np.array([c.isalpha() and c.lower() != c.upper() for c in chars], dtype=bool)
    upper = cased & np.array([c.isupper() for c in chars], dtype=bool)
    return cased, upper


def style(texts: list[str]) -> np.ndarray:
    """:func:`plain_style` of a batch: the same numbers, counted with compiled code."""
    n = len(texts)
    out = np.zeros((n, 5), dtype=float)
    if not n:
        return out
    if not _jit.ENABLED:
        return plain_style(texts)
    cased_table, upper_table = _letter_tables()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = _jit.style_counts(points, lengths, cased_table, upper_table)
    bangs, asks, cased, uppers, words, loud, beyond = counts.T.astype(float)
    caps = np.divide(uppers, cased, out=np.zeros(n), where=cased > 0)
    out[:, 0], out[:, 1], out[:, 2] = np.log1p(bangs), np.log1p(asks), caps
    out[:, 3], out[:, 4] = np.log1p(words) / 5, loud
    for i in np.flatnonzero(beyond):  # letters beyond the tables (rare): the plain way
        out[i] = plain_style([texts[i]])[0]
    return out


def plain_style(texts) -> np.ndarray:
    """Shouting, questions, length: what a writer's manner shows beyond the words.

    The definition, one text at a time: "!" and "?" counts (log1p), the share of capitals
    among cased letters, the number of words (log1p, over 5), and "!!" or "?!". :func:`style`
    computes the same numbers for a batch with compiled code.
    """
    rows = []
    for t in texts:
        cased = [c for c in t if c.isalpha() and c.lower() != c.upper()]
        caps = sum(c.isupper() for c in cased) / len(cased) if cased else 0.0
        loud = float("!!" in t or "?!" in t)
        rows.append([np.log1p(t.count("!")), np.log1p(t.count("?")), caps,
                     np.log1p(len(t.split())) / 5, loud])  # fmt: skip
    return np.asarray(rows, dtype=float).reshape(len(rows), 5)


# --- the model's blocks -------------------------------------------------------------------
class ModelCache:
    """What one fitted :class:`~complaintlab.taxonomy.TaxonomyClassifier` needs per word.

    Per language: each normalised word's character n-gram counts (in the fitted character
    vocabulary), and the fitted word vocabulary's columns for stems and stem pairs.
    """

    def __init__(self, model):
        self.model = weakref.proxy(model)
        self._fitted = (id(model.chars_), id(model.words_))
        self._chars: dict[str, _Rows] = {}
        self._unigram: dict[str, np.ndarray] = {}
        self._bigrams: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        self._pair_tables: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # for compiled code
        self._analyzer = None if model.chars_ is None else model.chars_.build_analyzer()

    def fits(self, model) -> bool:
        """Whether ``model`` still has the vectorisers this cache was built for."""
        return self._fitted == (id(model.chars_), id(model.words_))

    def char_counts(self, words: np.ndarray, starts: np.ndarray, lang: str):
        rows = self._chars.setdefault(lang, _Rows(len(self.model.chars_.vocabulary_)))
        vocabulary, table = self.model.chars_.vocabulary_, words_table(lang).words
        new = []
        for word in table[len(rows) :]:
            grams = Counter(self._analyzer(word)) if word != fc.SEP else Counter()
            new.append({vocabulary[g]: float(c) for g, c in grams.items() if g in vocabulary})
        rows.extend(new)
        n = len(starts) - 1
        if _jit.ENABLED:  # the sum of the words' rows, text by text, columns sorted
            ptr, cols, data = _jit.sum_rows(starts, words, rows.indptr, rows.indices, rows.data,
                                            rows.width)  # fmt: skip
            return sparse.csr_matrix((data, cols, ptr), shape=(n, rows.width))
        text = np.searchsorted(starts, np.arange(len(words)), side="right") - 1
        real = words > 0
        per_text = sparse.csr_matrix(
            (np.ones(int(real.sum())), (text[real], words[real])),
            shape=(n, len(rows)))  # fmt: skip
        counts = (per_text @ rows.matrix()).tocsr()
        counts.sort_indices()
        return counts

    def word_counts(self, ids: np.ndarray, starts: np.ndarray, lang: str):
        vectorizer = self.model.words_
        vocabulary = vectorizer.vocabulary_
        table = fc.table(lang)
        stem_of = table.fact(("taxonomy", "stem"), _stem_id(lang), dtype=np.int64)
        stems = _stems(lang)
        self._extend(lang, vocabulary, stems)
        unigram = self._unigram[lang]
        codes, columns, _ = self._bigrams[lang]
        n = len(starts) - 1
        if _jit.ENABLED:  # counted text by text in compiled code
            pairs = self._pair_tables.get(lang)
            if pairs is None:
                none = np.zeros(0, dtype=np.int64)
                use = self.model.word_ngrams[1] >= 2 and len(codes)
                pairs = self._pair_tables[lang] = _jit.table_of(codes, columns) if use else (
                    none, none)  # fmt: skip
            ptr, found, data = _jit.word_counts(ids, starts, stem_of, unigram, *pairs, _PAIR,
                                                len(vocabulary))  # fmt: skip
            return sparse.csr_matrix((data, found, ptr), shape=(n, len(vocabulary)))
        stem = stem_of[ids]
        real = stem >= 0
        kept = np.flatnonzero(real | (ids == 0))  # separators stay, so pairs stop at them
        seq, where = stem[kept], kept
        text_all = np.searchsorted(starts, where, side="right") - 1
        uni_col = np.where(seq >= 0, unigram[np.maximum(seq, 0)], -1)
        bi_col = np.full(max(len(seq) - 1, 0), -1, dtype=np.int64)
        if len(codes) and self.model.word_ngrams[1] >= 2:
            pair = (seq[:-1] >= 0) & (seq[1:] >= 0)
            code = seq[:-1].astype(np.int64) * _PAIR + seq[1:]
            at = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
            found = pair & (codes[at] == code)
            bi_col[found] = columns[at[found]]
        rows = np.concatenate([text_all[uni_col >= 0], text_all[:-1][bi_col >= 0]])
        cols = np.concatenate([uni_col[uni_col >= 0], bi_col[bi_col >= 0]])
        counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                   shape=(n, len(vocabulary))).tocsr()  # fmt: skip
        counts.sum_duplicates()
        counts.sort_indices()
        return counts

    def _extend(self, lang: str, vocabulary: dict[str, int], stems: dict[str, int]) -> None:
        """Columns of the fitted word vocabulary per stem id (new stems appended)."""
        if lang not in self._bigrams:  # stem pairs of the vocabulary, coded by stem ids
            pairs = [(g.split(" "), c) for g, c in vocabulary.items() if " " in g]
            coded = sorted((stems.setdefault(a, len(stems)) * _PAIR
                            + stems.setdefault(b, len(stems)), c)
                           for (a, b), c in pairs)  # fmt: skip
            self._bigrams[lang] = (np.array([c for c, _ in coded], dtype=np.int64),
                                   np.array([c for _, c in coded], dtype=np.int64), 0)
        unigram = self._unigram.get(lang, np.zeros(0, dtype=np.int64))
        if len(unigram) < len(stems):
            names = list(stems)[len(unigram) :]
            extra = np.array([vocabulary.get(s, -1) for s in names], dtype=np.int64)
            self._unigram[lang] = np.concatenate([unigram, extra])


_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def supported(model) -> bool:
    """Whether :func:`features` can build this model's matrix (word n-grams up to pairs)."""
    return tuple(model.word_ngrams) in ((1, 1), (1, 2)) and model.words_.token_pattern == r"\S+"


def features(model, texts: list[str], lang: str) -> sparse.csr_matrix:
    """The fitted model's feature matrix for texts of one language (no NUL in them)."""
    with fc.LOCK:  # the caches are shared: one batch at a time
        parts, dense = _blocks(model, texts, lang)
    return sparse.hstack([*parts, sparse.csr_matrix(dense)]).tocsr()


#: Texts per block of :func:`product`: the feature blocks of a 10,000-row chunk of a file
#: would take about a hundred megabytes at once; rows do not depend on each other.
BLOCK = 4_096


def product(model, texts: list[str], lang: str, weights: np.ndarray) -> np.ndarray:
    """``features(model, texts, lang) @ weights`` without building the matrix.

    The same numbers bit for bit: the compiled loop adds each row's terms in the matrix's
    column order, one product at a time, as scipy's sparse-times-dense product does. The
    texts go :data:`BLOCK` at a time, which bounds the memory the feature blocks take.
    """
    if len(texts) > BLOCK:
        return np.vstack([product(model, texts[i : i + BLOCK], lang, weights)
                          for i in range(0, len(texts), BLOCK)])  # fmt: skip
    with fc.LOCK:
        parts, dense = _blocks(model, texts, lang)
    if not _jit.ENABLED:
        return sparse.hstack([*parts, sparse.csr_matrix(dense)]).tocsr() @ weights
    if len(parts) == 1:  # no character n-grams: an empty first block
        parts = [sparse.csr_matrix((len(texts), 0)), *parts]
    (chars, words), offset = parts, parts[0].shape[1]
    return _jit.linear(chars.indptr, chars.indices, chars.data, words.indptr, words.indices,
                       words.data, offset, dense, offset + words.shape[1],
                       weights)  # fmt: skip


def _blocks(model, texts: list[str], lang: str) -> tuple[list[sparse.csr_matrix], np.ndarray]:
    """The feature matrix in blocks: the sparse ones (character n-grams if the model has
    them, word n-grams) and the dense one after them (style, then cue scores if used)."""
    fc.trim()
    cache_ = _CACHES.get(model)
    if cache_ is None or not cache_.fits(model):  # new, or refitted since
        cache_ = _CACHES[model] = ModelCache(model)
    words, word_starts = encode_words(texts, lang)
    ids = tokens_of(words, lang)
    separators = np.flatnonzero(ids == 0)
    starts = separators[1::2] + 1
    parts = [model.words_._tfidf.transform(cache_.word_counts(ids, starts, lang), copy=False)]
    if model.chars_ is not None:
        counts = cache_.char_counts(words, word_starts, lang)
        parts.insert(0, model.chars_._tfidf.transform(counts, copy=False))
    dense = [style(texts) / model.style_scale_]
    if model.use_cues:
        dense.append(np.log1p(section_scores(ids, starts, lang)) / model.cue_scale_)
    return parts, np.hstack(dense)
