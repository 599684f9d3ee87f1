"""Batch cue matching: a whole column of texts in one pass, with the work done in C.

:class:`complaintlab._cues.Lexicon` matches one text at a time in Python; that is clear and
is what :func:`~complaintlab.tone.explain` uses, but it costs a millisecond a reply. This
module gives the same hits for a whole batch, fast by design rather than by tuning:

1. **Normalise** each text (:mod:`complaintlab._unicode`, which skips every step a text does
   not need) and **tokenise** it one white-space chunk at a time. Tokens never cross white
   space, so a chunk always splits the same way: a chunk seen before ("thanks", "you!") is a
   dictionary look-up, and text of real corpora repeats a lot (Zipf).
2. **Encode** the batch as one array of token ids: the texts one after the other, two
   separator tokens between them (a cue may skip one word; two separators stop it reaching
   into the next text). Everything that depends on a token alone (its forms, which cue words
   it fits, whether it is punctuation or a negation) is worked out once per distinct token
   and kept in a :class:`TokenTable`.
3. **Match** every cue of a lexicon at once: the cues are compiled into a trie over cue words
   (:class:`CompiledLexicon`), and the trie is walked for all positions of the batch together
   with numpy, one cue word at a time (at most as many steps as the longest cue).

:func:`match_batch` returns the hits as arrays. Tests check that they are exactly those of
:meth:`Lexicon.match_tokens <complaintlab._cues.Lexicon.match_tokens>`, text by text.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain

import numpy as np

from complaintlab import _jit
from complaintlab import _unicode as u
from complaintlab._cues import _KEY, Lexicon, _fits, _token_forms
from complaintlab.text import _TOKENIZER

SEP = "\x00"  # the separator token: texts that contain one go the slow way
#: Held while a batch is encoded, matched and turned into features: the caches are shared, so
#: threads (Dask's threaded scheduler, a web server) take turns instead of corrupting them.
LOCK = threading.RLock()
_TOKENIZER.tokenize("")  # compiles nltk's pattern (with the ``regex`` module, not ``re``)
_FINDALL = _TOKENIZER._regexp.findall
_MAX_CHUNKS = 500_000  # empty the chunk cache beyond this many entries (tokens are kept)
#: A token table past this many distinct tokens makes :func:`trim` start every cache afresh:
#: a stream of real texts never stops bringing new ones (names, numbers, typos), and each
#: costs about a kilobyte across the caches.
MAX_TOKENS = 200_000
_WIDE = 4  # trie nodes with this many children get a dense row in the compiled walk


#: :func:`complaintlab.text.normalize` for a str and a checked language, minus the checks.
normal = u.normalize_checked


class SeparatorInText(ValueError):
    """A text of a batch holds NUL, the separator token: encode it on its own path."""


class TokenTable:
    """Token ids of one language, and per-token facts computed once per distinct token.

    Examples
    --------
    >>> table = TokenTable("en")
    >>> ids, starts = table.encode(["we will call", "", "call us"])
    >>> [table.words[i] for i in ids[starts[2]:starts[3] - 2]]
    ['call', 'us']
    """

    def __init__(self, lang: str):
        _TABLES.add(self)
        self.lang = lang
        self.words: list[str] = [SEP]
        self.index: dict[str, int] = {SEP: 0}
        # per kind of preparation: chunk -> number, and the token ids of each number
        self._cache: dict[str, _Chunks] = {}
        self._facts: dict[object, tuple[Callable[[str], object], list, np.ndarray | None]] = {}

    def _ids(self, tokens: list[str]) -> tuple[int, ...]:
        index, ids = self.index, []
        for token in tokens:
            number = index.get(token)
            if number is None:
                number = index[token] = len(self.words)
                self.words.append(token)
            ids.append(number)
        return tuple(ids)

    def _encode(self, joined: str, n_texts: int, kind: str,
                tokens: Callable[[str], list[str]]):  # fmt: skip
        """Token ids of ``joined`` (``n_texts`` texts joined by two separators), chunk by
        white-space chunk. Raises :class:`SeparatorInText` if a text holds a NUL."""
        cache = self._cache.get(kind)
        if cache is None or len(cache.ragged) >= _MAX_CHUNKS:
            cache = self._cache[kind] = _Chunks()
        expected = 2 * max(n_texts - 1, 0)
        if _jit.ENABLED:
            found = cache.numbers_jit(joined, self, tokens, expected)
        else:
            if joined.count(SEP) != expected:
                raise SeparatorInText
            found = cache.numbers(joined.split(), self, tokens)
        if _jit.ENABLED:
            return _jit.gather(found, cache.ragged._ptr, cache.ragged._flat)
        ids = cache.ragged.take(found)
        ids = np.concatenate([[0, 0], ids, [0, 0]]).astype(np.int32, copy=False)
        separators = np.flatnonzero(ids == 0)
        return ids, separators[1::2] + 1

    def encode(self, prepared: Sequence[str], kind: str = "",
               split: Callable[[str], list[str]] = _FINDALL) -> tuple[np.ndarray, np.ndarray]:
        """Token ids of the texts (already prepared), and where each text starts.

        ``ids`` begins with two separators and has two after every text; text ``k`` is
        ``ids[starts[k] : starts[k + 1] - 2]`` (``starts`` has one more entry than texts).
        ``split`` makes the tokens of one space-free chunk of a text.
        """
        return self._encode(f" {SEP} {SEP} ".join(prepared), len(prepared), kind, split)

    def encode_raw(self, texts: Sequence[str], kind: str, prepare: Callable[[str], str],
                   split: Callable[[str], list[str]] = _FINDALL) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`encode` of ``map(prepare, texts)``, one white-space chunk at a time.

        Only for a ``prepare`` that works within white-space chunks (true of normalisation
        in every language but Persian, which joins prefixes to their verb across a space):
        then ``prepare`` runs once per distinct chunk, and a chunk seen before costs one
        dictionary look-up.
        """
        return self._encode(f" {SEP} {SEP} ".join(texts), len(texts), kind,
                            lambda chunk: split(prepare(chunk)))  # fmt: skip

    def fact(self, key, compute: Callable[[str], object], dtype=bool) -> np.ndarray:
        """``compute(token)`` for every token id so far, as an array (extended as ids grow)."""
        entry = self._facts.get(key)
        if entry is None:
            entry = self._facts[key] = (compute, [], None)
        compute, values, array = entry
        if array is not None and len(array) == len(self.words):
            return array
        values.extend(compute(w) for w in self.words[len(values) :])
        array = np.asarray(values, dtype=dtype)
        self._facts[key] = (compute, values, array)
        return array


class _Chunks:
    """The chunks of one kind of preparation seen so far: number, token ids, hashes.

    The compiled finder knows a chunk by its hashes alone; only the numpy one keeps the
    chunks' text (``number``), which for half a million chunks takes some 70 MB."""

    def __init__(self):
        self.number: dict[str, int] = {SEP: 0}
        self.ragged = Ragged([[0]])
        self.index = _jit.ChunkIndex() if _jit.ENABLED else None
        self.second = np.zeros(1, dtype=np.int64)
        if _jit.ENABLED:
            point = np.array([ord(SEP)], dtype=np.uint32)
            self.index.used += 1
            _jit.register(point, np.zeros(1, np.int64), np.ones(1, np.int64),
                          np.zeros(1, np.int64), self.index.keys, self.index.values, self.second)

    def _add(self, chunks, table: TokenTable, tokens) -> None:
        rows = []
        for chunk in chunks:
            if chunk not in self.number:
                self.number[chunk] = len(self.ragged) + len(rows)
                rows.append(table._ids(tokens(chunk)))
        self.ragged.extend(rows)

    def numbers(self, chunks: list[str], table: TokenTable, tokens) -> np.ndarray:
        """Chunk numbers of ``chunks`` (new chunks tokenised and numbered first)."""
        found = list(map(self.number.get, chunks))
        if None in found:  # chunks not seen before: tokenise each distinct one once
            self._add(set(chunks).difference(self.number), table, tokens)
            found = list(map(self.number.__getitem__, chunks))
        return np.array(found, dtype=np.int64)

    def numbers_jit(self, joined: str, table: TokenTable, tokens, nuls: int) -> np.ndarray:
        """:meth:`numbers` of ``joined.split()``, found by hashes in compiled code; raises
        :class:`SeparatorInText` unless ``joined`` holds ``nuls`` NUL characters."""
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        index = self.index
        found, starts, ends, seen = _jit.chunk_numbers(points, _jit.SPACES, index.keys,
                                                       index.values, self.second)  # fmt: skip
        if seen != nuls:
            raise SeparatorInText
        missing = np.flatnonzero(found < 0)
        if len(missing):
            chunks = [joined[starts[k] : ends[k]] for k in missing]
            # each distinct new chunk once: numbered, tokenised, and found at its first place
            first = dict(zip(reversed(chunks), reversed(missing.tolist()), strict=True))
            number = {chunk: len(self.ragged) + i for i, chunk in enumerate(first)}
            self.ragged.extend([table._ids(tokens(chunk)) for chunk in first])
            found[missing] = np.fromiter(map(number.__getitem__, chunks), dtype=np.int64,
                                         count=len(chunks))  # fmt: skip
            if len(self.second) < len(self.ragged):
                self.second = np.concatenate(
                    [self.second, np.zeros(len(self.ragged) - len(self.second), np.int64)])
            at = np.fromiter(first.values(), dtype=np.int64, count=len(first))
            index.reserve(len(at))
            index.used += len(at)
            _jit.register(points, starts[at], ends[at], found[at], index.keys, index.values,
                          self.second)  # fmt: skip
        return found


class Ragged:
    """Rows of ints of any length, stored end to end (``take`` gathers rows in order).

    Examples
    --------
    >>> rows = Ragged([[1], [], [2, 3, 4]])
    >>> rows.take(np.array([2, 1, 0, 2])).tolist()
    [2, 3, 4, 1, 2, 3, 4]
    """

    def __init__(self, rows: list | None = None):
        self._flat = np.zeros(0, dtype=np.int64)
        self._ptr = np.zeros(1, dtype=np.int64)
        self.extend(rows or [])

    def __len__(self) -> int:
        return len(self._ptr) - 1

    def extend(self, rows: list) -> None:
        """Append rows (each a sequence of ints)."""
        if not rows:
            return
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
        self._flat = np.concatenate([self._flat, flat])
        self._ptr = np.concatenate([self._ptr, self._ptr[-1] + np.cumsum(lengths)])

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The values of the given rows, one row after the other."""
        first, lengths = self._ptr[rows], self._ptr[rows + 1] - self._ptr[rows]
        full = lengths > 0
        first, lengths = first[full], lengths[full]
        if not len(first):
            return np.zeros(0, dtype=np.int64)
        # walk position by position, jumping to the next row's first value where it begins
        step = np.ones(int(lengths.sum()), dtype=np.int64)
        step[0] = first[0]
        step[np.cumsum(lengths)[:-1]] = first[1:] - (first[:-1] + lengths[:-1] - 1)
        return self._flat[np.cumsum(step)]


_TABLES: weakref.WeakSet = weakref.WeakSet()  # every token table alive
_RESETS: list[Callable[[], None]] = []  # what other modules empty with the token tables


def on_reset(hook: Callable[[], None]) -> Callable[[], None]:
    """Register ``hook`` to empty a cache built on token ids when :func:`trim` resets."""
    _RESETS.append(hook)
    return hook


def trim() -> bool:
    """Start afresh — token tables, compiled lexicons and every cache registered with
    :func:`on_reset` — if a token table holds more than :data:`MAX_TOKENS` tokens; True if
    it did. Called at the start of each batch, with :data:`LOCK` held, so memory stays
    bounded however long the stream; a reset costs the next batch its warm caches, never
    its results.

    Examples
    --------
    >>> table("en") is table("en"), trim()
    (True, False)
    """
    if all(len(t.words) <= MAX_TOKENS for t in list(_TABLES)):
        return False
    table.cache_clear()
    compiled.cache_clear()
    for hook in _RESETS:
        hook()
    return True


@cache
def table(lang: str) -> TokenTable:
    """The token table of a language, shared by every lexicon of that language."""
    return TokenTable(lang)


class CompiledLexicon:
    """A :class:`~complaintlab._cues.Lexicon` compiled into a trie over cue-word keys.

    A key is what one cue word asks of a token (a set of forms, or a prefix); each token id
    learns once which keys it fits. The trie's nodes are the cue-word sequences; a node's
    cues are the ones whose words end there.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.lang = lexicon.lang
        keys: dict[object, int] = {}
        children: dict[tuple[int, int], int] = {}
        node_cues: dict[int, list[int]] = {}
        for number, cue in enumerate(lexicon.cues):
            node = 0
            for key in cue.keys:
                k = keys.setdefault(key, len(keys))
                node = children.setdefault((node, k), len(children) + 1)
            node_cues.setdefault(node, []).append(number)
        self.keys = list(keys)
        self.n_keys = len(self.keys)
        self.n_nodes = len(children) + 1
        # the trie's edges as a dense table: one row per node that has children, one column
        # per key that some cue has as a second or later word (the root gets its own row)
        parents = sorted({parent for parent, _ in children})
        later = sorted({k for parent, k in children if parent})
        self._row = np.full(self.n_nodes, -1, dtype=np.int64)
        self._row[parents] = np.arange(len(parents))
        self._col = np.full(self.n_keys, -1, dtype=np.int64)
        self._col[later] = np.arange(len(later))
        self._root = np.full(self.n_keys, -1, dtype=np.int64)
        for (parent, k), child in children.items():
            if not parent:
                self._root[k] = child
        self._children = children
        self._dense: np.ndarray | None = None  # built when the numpy walk first needs it
        # the same edges as compact sorted lists per node, for the compiled walk (the dense
        # table is megabytes; these fit in a processor's cache)
        edges = sorted((parent, self._col[k], child) for (parent, k), child in children.items()
                       if parent)  # fmt: skip
        counts = np.bincount([p for p, _, _ in edges], minlength=self.n_nodes)
        self._edge_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._edge_col = np.array([c for _, c, _ in edges], dtype=np.int64)
        self._edge_child = np.array([c for _, _, c in edges], dtype=np.int64)
        self._edge_mask = np.zeros(self.n_nodes, dtype=np.uint64)  # bit (column % 64) per edge
        for parent, col, _ in edges:
            self._edge_mask[parent] |= np.uint64(1) << np.uint64(col % 64)
        # nodes with many children ("you", "we") also get a row of child per key column: a
        # look-up instead of a binary search where the walk spends most of its time
        wide = np.flatnonzero(counts >= _WIDE)
        self._wide_row = np.full(self.n_nodes, -1, dtype=np.int64)
        self._wide_row[wide] = np.arange(len(wide))
        small = np.int16 if self.n_nodes <= np.iinfo(np.int16).max else np.int32
        self._wide = np.full((len(wide), max(len(later), 1)), -1, dtype=small)
        for parent, col, child in edges:
            if self._wide_row[parent] >= 0:
                self._wide[self._wide_row[parent], col] = child
        counts = np.zeros(self.n_nodes, dtype=np.int64)
        for node, cues in node_cues.items():
            counts[node] = len(cues)
        self.cue_ptr = np.concatenate([[0], np.cumsum(counts)])
        self.cue_flat = np.array([c for node in range(self.n_nodes)
                                  for c in node_cues.get(node, [])], dtype=np.int64)  # fmt: skip
        # which keys a token may fit: exact keys by form, prefix keys by their first letters
        self._by_form: dict[str, list[int]] = {}
        self._by_start: dict[str, list[int]] = {}
        self._short: list[int] = []
        for key, k in keys.items():
            if isinstance(key, str):
                stem = key[:-1]
                if len(stem) >= _KEY:
                    self._by_start.setdefault(stem[:_KEY], []).append(k)
                else:
                    self._short.append(k)
            else:
                for form in key:
                    self._by_form.setdefault(form, []).append(k)
        self._roots = np.full((1, 1), -1, dtype=np.int64)  # token 0, the separator, fits
        self._later = np.full((1, 1), -1, dtype=np.int64)  # nothing
        self._later_mask = np.zeros(1, dtype=np.uint64)  # bits of the later grid's columns
        self._known = 1
        self.table = table(self.lang)

    def _fitted(self, token: str) -> list[int]:
        forms = _token_forms(token, self.lang)
        found = {k for f in forms for k in self._by_form.get(f, ())}
        maybe = {k for f in forms for k in self._by_start.get(f[:_KEY], ())}
        maybe.update(self._short)
        found.update(k for k in maybe if _fits(self.keys[k], forms))
        return sorted(found)

    def token_grids(self) -> tuple[np.ndarray, np.ndarray]:
        """Per token id, padded with -1: the trie nodes its fitting a cue's first word leads
        to from the root, and the columns of the later-word keys it fits."""
        words = self.table.words
        if self._known < len(words):
            fitted = [self._fitted(token) for token in words[self._known :]]
            roots = [[int(self._root[k]) for k in keys if self._root[k] >= 0] for keys in fitted]
            later = [[int(self._col[k]) for k in keys if self._col[k] >= 0] for keys in fitted]
            self._roots = _grow(self._roots, roots)
            self._later = _grow(self._later, later)
            masks = [sum({1 << (col % 64) for col in cols}) for cols in later]
            self._later_mask = np.concatenate([self._later_mask,
                                               np.array(masks, dtype=np.uint64)])  # fmt: skip
            self._known = len(words)
        return self._roots, self._later

    def has_children(self, nodes: np.ndarray) -> np.ndarray:
        return self._row[nodes] >= 0

    @property
    def _edges(self) -> np.ndarray:
        """The dense edge table of the numpy walk: child per (node row, key column)."""
        if self._dense is None:
            rows, cols = int(self._row.max()) + 1, int(self._col.max()) + 1
            dense = np.full((max(rows, 1), max(cols, 1)), -1, dtype=np.int32)
            for (parent, k), child in self._children.items():
                if parent:
                    dense[self._row[parent], self._col[k]] = child
            self._dense = dense
        return self._dense

    def step(self, nodes: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The child of each node (one with children) along each later-word key column."""
        return self._edges[self._row[nodes], cols]


def _grow(grid: np.ndarray, rows: list[list[int]]) -> np.ndarray:
    """``grid`` with ``rows`` appended, all padded with -1 to the widest row."""
    width = max(grid.shape[1], max(map(len, rows), default=1))
    new = np.full((len(rows), width), -1, dtype=grid.dtype)
    for i, row in enumerate(rows):
        new[i, : len(row)] = row
    if width > grid.shape[1]:
        grid = np.pad(grid, ((0, 0), (0, width - grid.shape[1])), constant_values=-1)
    return np.concatenate([grid, new])


@dataclass(frozen=True)
class Hits:
    """Cue hits of a batch: parallel arrays of first token, last token and cue number."""

    start: np.ndarray
    end: np.ndarray
    cue: np.ndarray


def _cells(grid: np.ndarray, tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index into ``tokens``, value) for every filled cell of each token's row of ``grid``."""
    rows = grid[tokens]
    owner, column = np.nonzero(rows >= 0)
    return owner, rows[owner, column]


def match_batch(lex: CompiledLexicon, ids: np.ndarray) -> Hits:
    """Every cue hit in the encoded batch ``ids`` (see :meth:`TokenTable.encode`).

    The same hits as :meth:`~complaintlab._cues.Lexicon.match_tokens` on each text: a cue's
    first word fits a token, and each next word fits the token after the previous word's, or
    the one after that (one word may come between), trying the nearer one first.
    """
    roots, later = lex.token_grids()
    if _jit.ENABLED:
        cap = 2 * len(ids) + 16
        while True:
            start, end, cue, count = _jit.walk(ids, roots, later, lex._later_mask, lex._edge_ptr,
                                               lex._edge_col, lex._edge_child, lex._edge_mask,
                                               lex._wide_row, lex._wide, lex.cue_ptr,
                                               lex.cue_flat, cap)  # fmt: skip
            if count <= cap:
                return Hits(start, end, cue)
            cap = count
    positions = np.flatnonzero(roots[ids, 0] >= 0)  # tokens that can start a cue
    owner, node = _cells(roots, ids[positions])
    start = positions[owner]
    end = start
    found_start, found_end, found_node = [start], [end], [node]
    while len(node):
        going = lex.has_children(node)  # only nodes with children can go on
        start, end, node = start[going], end[going], node[going]
        owner, col = _cells(later, ids[end + 1])
        child = lex.step(node[owner], col)
        near = child >= 0
        owner1, child1 = owner[near], child[near]
        owner, col = _cells(later, ids[end + 2])
        child = lex.step(node[owner], col)
        good = child >= 0
        owner2, child2 = owner[good], child[good]
        # a word that fitted right after the previous one was taken there, not one further:
        # the same child means the same key, so drop it where the nearer token fits that key
        nearer = later[ids[end[owner2] + 1]]
        taken = (nearer == col[good][:, None]).any(axis=1)
        owner2, child2 = owner2[~taken], child2[~taken]
        start = np.concatenate([start[owner1], start[owner2]])
        end = np.concatenate([end[owner1] + 1, end[owner2] + 2])
        node = np.concatenate([child1, child2])
        found_start.append(start)
        found_end.append(end)
        found_node.append(node)
    start, end, node = (np.concatenate(found_start), np.concatenate(found_end),
                        np.concatenate(found_node))  # fmt: skip
    n = lex.cue_ptr[node + 1] - lex.cue_ptr[node]
    first = np.repeat(lex.cue_ptr[node], n)
    offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    cue = lex.cue_flat[first + offset]
    return Hits(np.repeat(start, n), np.repeat(end, n), cue)


@cache
def compiled(lexicon: Lexicon) -> CompiledLexicon:
    """The compiled form of a lexicon (cached: lexicons are themselves cached)."""
    return CompiledLexicon(lexicon)
