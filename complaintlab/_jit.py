"""Compiled inner loops of the batch engine (numba), with the numpy versions as fallback.

The loops that dominate when written with numpy are plain loops here, compiled by numba
(``cache=True``: compiled once per machine, kept in ``__pycache__``):

- :mod:`complaintlab._fastcues`: finding each white-space chunk of a batch in the chunk cache
  (:func:`chunk_numbers`), laying out the chunks' token ids (:func:`gather`) and walking the
  cue trie (:func:`walk`);
- :mod:`complaintlab.tone.compiled`: the tone rules, in one pass;
- :mod:`complaintlab.taxonomy.fast`: each text's character n-gram and word n-gram counts
  (:func:`sum_rows`, :func:`word_counts`) and its style counts.
 Without numba, or with ``COMPLAINTLAB_NO_JIT=1`` in the environment,
:data:`ENABLED` is False and the numpy versions run; tests run both and compare.

Chunks are found by two independent 64-bit hashes of their characters: the first is the key
of an open-addressing hash table (:class:`ChunkIndex`: two arrays, linear probing), the second
is checked against the one stored for the chunk found, so two different chunks would have to
collide in 128 bits to be confused.
"""

from __future__ import annotations

import os

import numpy as np

try:  # pragma: no cover - exercised by whichever branch the machine has
    if os.environ.get("COMPLAINTLAB_NO_JIT"):
        raise ImportError("COMPLAINTLAB_NO_JIT is set")
    import numba

    ENABLED = True
except ImportError:  # pragma: no cover
    numba = None
    ENABLED = False

#: The largest white-space code point (U+3000 IDEOGRAPHIC SPACE); a table covers 0..this.
_SPACE_LIMIT = 0x3000
SPACES = np.array([chr(c).isspace() for c in range(_SPACE_LIMIT + 1)], dtype=np.bool_)
SPACES_TABLE = SPACES  # the name the compiled functions read (a frozen global)
_P1 = np.uint64(0x100000001B3)  # FNV-1a prime
_P2 = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio odd constant
_START1 = np.uint64(0xCBF29CE484222325)
_START2 = np.uint64(0x84222325CBF29CE4)
# bit number of a power of two p: _DEBRUIJN[(p * 0x03F79D71B4CB0A89) >> 58] (de Bruijn)
_DEBRUIJN = np.zeros(64, dtype=np.int64)
for _bit in range(64):
    _DEBRUIJN[((1 << _bit) * 0x03F79D71B4CB0A89 % 2**64) >> 58] = _bit


class ChunkIndex:
    """Chunk number by first hash: an open-addressing table (linear probing) in two arrays.

    ``keys[slot]`` is a hash, ``values[slot]`` its chunk number or -1 for an empty slot. The
    table is kept at most half full, so a look-up is one or two probes; numba's typed
    dictionary costs several times more per look-up.
    """

    def __init__(self, size: int = 1 << 12):
        self.keys = np.zeros(size, dtype=np.int64)
        self.values = np.full(size, -1, dtype=np.int64)
        self.used = 0  # entries put in (an overwritten key counts twice: an upper bound)

    def reserve(self, more: int) -> None:
        """Grow the table (re-inserting every entry) so that ``more`` entries still fit."""
        size = len(self.keys)
        while 2 * (self.used + more) > size:
            size *= 2
        if size > len(self.keys):
            self.keys, self.values = rehash(self.keys, self.values, size)


if ENABLED:

    @numba.njit(cache=True)
    def _slot(key, mask):  # pragma: no cover - compiled
        """A key's first slot: multiplied by an odd constant, the middle bits, so that keys
        that differ in few or high bits (pair codes) spread over the table."""
        return np.int64((np.uint64(key) * _P2) >> np.uint64(32)) & mask

    @numba.njit(cache=True)
    def table_of(keys, values):  # pragma: no cover - compiled
        """An open-addressing table (at most half full) holding ``values`` by ``keys``."""
        size = 16
        while size < 2 * len(keys):
            size *= 2
        table_keys = np.zeros(size, dtype=np.int64)
        table_values = np.full(size, -1, dtype=np.int64)
        for i in range(len(keys)):
            put(table_keys, table_values, keys[i], values[i])
        return table_keys, table_values

    @numba.njit(cache=True)
    def find(keys, values, key):  # pragma: no cover - compiled
        """The value stored for ``key`` in the open-addressing table, or -1."""
        mask = len(keys) - 1
        slot = _slot(key, mask)
        while values[slot] >= 0:
            if keys[slot] == key:
                return values[slot]
            slot = (slot + 1) & mask
        return np.int64(-1)

    @numba.njit(cache=True)
    def put(keys, values, key, value):  # pragma: no cover - compiled
        """Store ``value`` for ``key`` (replacing an older value for the same key)."""
        mask = len(keys) - 1
        slot = _slot(key, mask)
        while values[slot] >= 0 and keys[slot] != key:
            slot = (slot + 1) & mask
        keys[slot] = key
        values[slot] = value

    @numba.njit(cache=True)
    def rehash(keys, values, size):  # pragma: no cover - compiled
        """A table of ``size`` slots (a power of two) holding the same entries."""
        new_keys = np.zeros(size, dtype=np.int64)
        new_values = np.full(size, -1, dtype=np.int64)
        for slot in range(len(keys)):
            if values[slot] >= 0:
                put(new_keys, new_values, keys[slot], values[slot])
        return new_keys, new_values

    @numba.njit(cache=True)
    def chunk_numbers(points, spaces, keys, values, second):  # pragma: no cover - compiled
        """Number of every white-space chunk of ``points`` (code points) by its hashes, or
        -1 with its (start, end) for a chunk not in the table (``keys``, ``values``) and
        ``second`` yet; and how many code points are 0 (NUL, the separator)."""
        n = len(points)
        limit = len(spaces) - 1
        numbers = np.empty(n // 2 + 1, dtype=np.int64)
        starts = np.empty(n // 2 + 1, dtype=np.int64)
        ends = np.empty(n // 2 + 1, dtype=np.int64)
        count = 0
        nuls = 0
        i = 0
        while i < n:
            c = points[i]
            if c <= limit and spaces[c]:
                i += 1
                continue
            start = i
            h1 = _START1
            h2 = _START2
            while i < n:
                c = points[i]
                if c <= limit and spaces[c]:
                    break
                if c == 0:
                    nuls += 1
                h1 = (h1 ^ np.uint64(c)) * _P1
                h2 = (h2 + np.uint64(c) + np.uint64(1)) * _P2
                i += 1
            number = find(keys, values, np.int64(h1))
            if number >= 0 and second[number] != np.int64(h2):
                number = np.int64(-1)
            numbers[count] = number
            starts[count] = start
            ends[count] = i
            count += 1
        return numbers[:count], starts[:count], ends[:count], nuls

    @numba.njit(cache=True)
    def hashes(points):  # pragma: no cover - compiled
        """The two hashes of one chunk (the same as :func:`chunk_numbers` computes)."""
        h1 = _START1
        h2 = _START2
        for c in points:
            h1 = (h1 ^ np.uint64(c)) * _P1
            h2 = (h2 + np.uint64(c) + np.uint64(1)) * _P2
        return np.int64(h1), np.int64(h2)

    @numba.njit(cache=True)
    def register(points, starts, ends, numbers, keys, values, second):  # pragma: no cover
        """Add chunks (spans of ``points``) with their numbers to the hash table (which
        :meth:`ChunkIndex.reserve` has made big enough)."""
        for i in range(len(starts)):
            first, other = hashes(points[starts[i] : ends[i]])
            put(keys, values, first, numbers[i])
            second[numbers[i]] = other

    @numba.njit(cache=True)
    def gather(found, ptr, flat):  # pragma: no cover - compiled
        """The token ids of the chunks numbered ``found`` (rows ``ptr``/``flat``), as int32
        between two separators (token 0) at each end, and where each text starts: after
        every second separator (texts are joined by two separator chunks)."""
        total = 4
        for k in range(len(found)):
            total += ptr[found[k] + 1] - ptr[found[k]]
        ids = np.zeros(total, dtype=np.int32)
        at = 2
        for k in range(len(found)):
            for j in range(ptr[found[k]], ptr[found[k] + 1]):
                ids[at] = flat[j]
                at += 1
        separators = 0
        for i in range(total):
            if ids[i] == 0:
                separators += 1
        starts = np.empty(separators // 2, dtype=np.int64)
        seen = 0
        for i in range(total):
            if ids[i] == 0:
                if seen % 2 == 1:
                    starts[seen // 2] = i + 1
                seen += 1
        return ids, starts

    @numba.njit(cache=True)
    def walk(ids, roots, later, later_mask, edge_ptr, edge_col, edge_child, edge_mask, wide_row,
             wide, cue_ptr, cue_flat, cap):  # pragma: no cover - compiled
        """Every cue hit (start, end, cue) of the encoded batch: the trie walk of
        :func:`complaintlab._fastcues.match_batch`, one position at a time. Returns
        ``count > cap`` when ``cap`` hits did not fit (the caller asks again with more).

        A node's child along a key column is looked up in its row of ``wide`` (child or -1
        per column) for the nodes with many children (``wide_row`` >= 0), by binary search
        of its sorted edges for the others. A token is tried only if the bits of its key
        columns modulo 64 (``later_mask``) meet those of the node's edges (``edge_mask``):
        most tokens after a node fit none of its keys."""
        out_start = np.empty(cap, dtype=np.int64)
        out_end = np.empty(cap, dtype=np.int64)
        out_cue = np.empty(cap, dtype=np.int64)
        count = 0
        depth = 4096  # a path of the walk is at most one cue long; this is far more
        stack_node = np.empty(depth, dtype=np.int64)
        stack_end = np.empty(depth, dtype=np.int64)
        width = later.shape[1]
        n = len(ids)
        for p in range(n):
            tok = ids[p]
            if tok == 0 or roots[tok, 0] < 0:
                continue
            top = 0
            for k in range(roots.shape[1]):
                if roots[tok, k] < 0:
                    break
                stack_node[top] = roots[tok, k]
                stack_end[top] = p
                top += 1
            while top > 0:
                top -= 1
                node = stack_node[top]
                end = stack_end[top]
                for j in range(cue_ptr[node], cue_ptr[node + 1]):
                    if count < cap:
                        out_start[count] = p
                        out_end[count] = end
                        out_cue[count] = cue_flat[j]
                    count += 1
                first = edge_ptr[node]
                last = edge_ptr[node + 1]
                if first == last or end + 2 >= n:
                    continue
                row = wide_row[node]
                mask = edge_mask[node]
                near = ids[end + 1]
                far = ids[end + 2]
                for step in range(2):
                    token = near if step == 0 else far
                    if not (later_mask[token] & mask):
                        continue
                    for k in range(width):
                        col = later[token, k]
                        if col < 0:
                            break
                        child = -1
                        if row >= 0:
                            child = wide[row, col]
                        else:
                            lo = first
                            hi = last
                            while lo < hi:  # the node's edges are sorted by key column
                                mid = (lo + hi) // 2
                                if edge_col[mid] < col:
                                    lo = mid + 1
                                else:
                                    hi = mid
                            if lo < last and edge_col[lo] == col:
                                child = edge_child[lo]
                        if child < 0:
                            continue
                        if step == 1:  # the nearer word fits this key: taken one step earlier
                            taken = False
                            for m in range(width):
                                if later[near, m] == col:
                                    taken = True
                                    break
                                if later[near, m] < 0:
                                    break
                            if taken:
                                continue
                        if top < depth:
                            stack_node[top] = child
                            stack_end[top] = end + 1 + step
                            top += 1
        return out_start[: min(count, cap)], out_end[: min(count, cap)], out_cue[
            : min(count, cap)], count

    @numba.njit(cache=True)
    def _csr_out(n_texts, cap):  # pragma: no cover - compiled
        return (np.zeros(n_texts + 1, dtype=np.int64), np.empty(cap, dtype=np.int64),
                np.empty(cap, dtype=np.float64))

    @numba.njit(cache=True)
    def _flush(scratch, marks, lo, hi, indices, data, nnz):  # pragma: no cover - compiled
        """Move one text's sums into the CSR arrays, columns in order, and zero them.

        The text's columns are the set bits of ``marks`` (one bit per column), words
        ``lo`` to ``hi``: reading them in order costs a word per 64 columns, less than
        sorting. The CSR arrays grow when full."""
        if hi < lo:
            return indices, data, nnz
        used = 0
        for w in range(lo, hi + 1):
            word = marks[w]
            while word:
                word &= word - np.uint64(1)
                used += 1
        if nnz + used > len(indices):
            cap = max(len(indices) * 2, nnz + used)
            bigger_i = np.empty(cap, dtype=np.int64)
            bigger_d = np.empty(cap, dtype=np.float64)
            bigger_i[:nnz] = indices[:nnz]
            bigger_d[:nnz] = data[:nnz]
            indices, data = bigger_i, bigger_d
        for w in range(lo, hi + 1):
            word = marks[w]
            marks[w] = np.uint64(0)
            base = w * 64
            while word:
                low = word & (~word + np.uint64(1))  # the lowest set bit
                c = base + _DEBRUIJN[(low * np.uint64(0x03F79D71B4CB0A89)) >> np.uint64(58)]
                indices[nnz] = c
                data[nnz] = scratch[c]
                scratch[c] = 0.0
                nnz += 1
                word ^= low
        return indices, data, nnz

    @numba.njit(cache=True)
    def _mark(marks, c):  # pragma: no cover - compiled
        marks[c >> 6] |= np.uint64(1) << np.uint64(c & 63)

    @numba.njit(cache=True)
    def sum_rows(starts, row, row_ptr, row_col, row_val, n_cols):  # pragma: no cover
        """CSR (indptr, indices, data) of the sum, per text, of rows of a sparse matrix:
        text ``t`` sums rows ``row[starts[t]:starts[t + 1]]`` (row 0 and negative ones add
        nothing they do not hold); columns come out sorted, as scipy's canonical form."""
        n_texts = len(starts) - 1
        scratch = np.zeros(n_cols, dtype=np.float64)
        marks = np.zeros(n_cols // 64 + 1, dtype=np.uint64)
        indptr, indices, data = _csr_out(n_texts, len(row) * 4 + 16)
        nnz = 0
        for t in range(n_texts):
            lo = len(marks)
            hi = -1
            for i in range(starts[t], starts[t + 1]):
                r = row[i]
                if r < 0:
                    continue
                for k in range(row_ptr[r], row_ptr[r + 1]):
                    c = row_col[k]
                    _mark(marks, c)
                    lo = min(lo, c >> 6)
                    hi = max(hi, c >> 6)
                    scratch[c] += row_val[k]
            indices, data, nnz = _flush(scratch, marks, lo, hi, indices, data, nnz)
            indptr[t + 1] = nnz
        return indptr, indices[:nnz], data[:nnz]

    @numba.njit(cache=True)
    def word_counts(ids, starts, stem_of, unigram, pair_keys, pair_values, pairs,
                    n_cols):  # pragma: no cover - compiled
        """CSR of each text's counts of stems and stem pairs in a fitted word vocabulary.

        Text ``t`` is ``ids[starts[t]:starts[t + 1]]``; tokens without a stem
        (``stem_of`` -1) are skipped and a separator (0) breaks pairs; ``unigram`` gives a
        stem's column (-1: not in the vocabulary), the table ``pair_keys``, ``pair_values``
        (:func:`table_of`) a stem pair's (a pair ``a, b`` is coded ``a * pairs + b``; an
        empty table: no pairs)."""
        n_texts = len(starts) - 1
        scratch = np.zeros(n_cols, dtype=np.float64)
        marks = np.zeros(n_cols // 64 + 1, dtype=np.uint64)
        indptr, indices, data = _csr_out(n_texts, len(ids) + 16)
        nnz = 0
        use_pairs = len(pair_keys) > 0
        for t in range(n_texts):
            lo = len(marks)
            hi = -1
            before = -1
            for i in range(starts[t], starts[t + 1]):
                tok = ids[i]
                if tok == 0:
                    before = -1
                    continue
                stem = stem_of[tok]
                if stem < 0:
                    continue
                for step in range(2):
                    col = -1
                    if step == 0:
                        col = unigram[stem]
                    elif before >= 0 and use_pairs:
                        col = find(pair_keys, pair_values, before * pairs + stem)
                    if col >= 0:
                        _mark(marks, col)
                        lo = min(lo, col >> 6)
                        hi = max(hi, col >> 6)
                        scratch[col] += 1.0
                before = stem
            indices, data, nnz = _flush(scratch, marks, lo, hi, indices, data, nnz)
            indptr[t + 1] = nnz
        return indptr, indices[:nnz], data[:nnz]

    @numba.njit(cache=True)
    def linear(a_ptr, a_idx, a_val, b_ptr, b_idx, b_val, b_offset, dense, dense_offset,
               weights):  # pragma: no cover - compiled
        """``[A | B | dense] @ weights`` for CSR blocks A, B (columns from 0 and from
        ``b_offset``) and a dense block (from ``dense_offset``; its zeros skipped, as a CSR
        matrix would not hold them): per row, ``0.0 + v * w`` term after term in column
        order, which is what scipy's sparse-times-dense product computes."""
        n = len(a_ptr) - 1
        k = weights.shape[1]
        out = np.zeros((n, k), dtype=np.float64)
        for i in range(n):
            for jj in range(a_ptr[i], a_ptr[i + 1]):
                v = a_val[jj]
                c = a_idx[jj]
                for m in range(k):
                    out[i, m] += v * weights[c, m]
            for jj in range(b_ptr[i], b_ptr[i + 1]):
                v = b_val[jj]
                c = b_idx[jj] + b_offset
                for m in range(k):
                    out[i, m] += v * weights[c, m]
            for j in range(dense.shape[1]):
                v = dense[i, j]
                if v != 0.0:
                    for m in range(k):
                        out[i, m] += v * weights[dense_offset + j, m]
        return out

    @numba.njit(cache=True)
    def style_counts(points, text_len, cased, upper):  # pragma: no cover - compiled
        """Per text, from its code points one after the other (``text_len`` each): "!", "?",
        cased letters, capitals, white-space-separated words, and whether "!!" or "?!"
        occurs; code points beyond the tables are counted by the caller (-1 marks them)."""
        n = len(text_len)
        out = np.zeros((n, 7), dtype=np.int64)
        limit = len(cased)
        spaces_limit = len(SPACES_TABLE) - 1
        at = 0
        for t in range(n):
            previous = 0
            in_word = False
            for _ in range(text_len[t]):
                c = points[at]
                at += 1
                if c == 33:  # !
                    out[t, 0] += 1
                    if previous == 33 or previous == 63:
                        out[t, 5] = 1
                elif c == 63:  # ?
                    out[t, 1] += 1
                if c < limit:
                    if cased[c]:
                        out[t, 2] += 1
                        if upper[c]:
                            out[t, 3] += 1
                else:
                    out[t, 6] = 1
                space = c <= spaces_limit and SPACES_TABLE[c]
                if not space and not in_word:
                    out[t, 4] += 1
                in_word = not space
                previous = c
        return out
