"""Compiled inner loops of the batch engine (numba), with the numpy versions as fallback.

Two loops dominate :mod:`complaintlab._fastcues` when written with numpy: finding each
white-space chunk of a batch in the chunk cache, and walking the cue trie. Here they are
plain loops compiled by numba (``cache=True``: compiled once per machine, kept in
``__pycache__``). Without numba, or with ``COMPLAINTLAB_NO_JIT=1`` in the environment,
:data:`ENABLED` is False and the numpy versions run; tests run both and compare.

Chunks are found by two independent 64-bit hashes of their characters: the first is the key
of a typed dictionary, the second is checked against the one stored for the chunk found, so
two different chunks would have to collide in 128 bits to be confused.
"""

from __future__ import annotations

import os

import numpy as np

try:  # pragma: no cover - exercised by whichever branch the machine has
    if os.environ.get("COMPLAINTLAB_NO_JIT"):
        raise ImportError("COMPLAINTLAB_NO_JIT is set")
    import numba
    from numba import types
    from numba.typed import Dict

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


def new_index():
    """An empty chunk index: hash -> chunk number (a numba typed dict)."""
    return Dict.empty(key_type=types.int64, value_type=types.int64)


if ENABLED:

    @numba.njit(cache=True)
    def chunk_numbers(points, spaces, index, second):  # pragma: no cover - compiled
        """Number of every white-space chunk of ``points`` (code points) by its hashes, or
        -1 with its (start, end) for a chunk not in ``index``/``second`` yet."""
        n = len(points)
        limit = len(spaces) - 1
        numbers = np.empty(n // 2 + 1, dtype=np.int64)
        starts = np.empty(n // 2 + 1, dtype=np.int64)
        ends = np.empty(n // 2 + 1, dtype=np.int64)
        count = 0
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
                h1 = (h1 ^ np.uint64(c)) * _P1
                h2 = (h2 + np.uint64(c) + np.uint64(1)) * _P2
                i += 1
            key = np.int64(h1)
            number = np.int64(-1)
            if key in index:
                number = index[key]
                if second[number] != np.int64(h2):
                    number = np.int64(-1)
            numbers[count] = number
            starts[count] = start
            ends[count] = i
            count += 1
        return numbers[:count], starts[:count], ends[:count]

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
    def register(points, starts, ends, numbers, index, second):  # pragma: no cover
        """Add chunks (spans of ``points``) with their numbers to the hash index."""
        for i in range(len(starts)):
            first, other = hashes(points[starts[i] : ends[i]])
            index[first] = numbers[i]
            second[numbers[i]] = other

    @numba.njit(cache=True)
    def walk(ids, roots, later, edge_ptr, edge_col, edge_child, cue_ptr, cue_flat,
             cap):  # pragma: no cover - compiled
        """Every cue hit (start, end, cue) of the encoded batch: the trie walk of
        :func:`complaintlab._fastcues.match_batch`, one position at a time. Returns
        ``count > cap`` when ``cap`` hits did not fit (the caller asks again with more)."""
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
                near = ids[end + 1]
                far = ids[end + 2]
                for step in range(2):
                    token = near if step == 0 else far
                    for k in range(width):
                        col = later[token, k]
                        if col < 0:
                            break
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
                        lo = first
                        hi = last
                        while lo < hi:  # the node's edges are sorted by key column
                            mid = (lo + hi) // 2
                            if edge_col[mid] < col:
                                lo = mid + 1
                            else:
                                hi = mid
                        if lo < last and edge_col[lo] == col and top < depth:
                            stack_node[top] = edge_child[lo]
                            stack_end[top] = end + 1 + step
                            top += 1
        return out_start[: min(count, cap)], out_end[: min(count, cap)], out_cue[
            : min(count, cap)], count

    @numba.njit(cache=True)
    def sum_rows(text, row, row_ptr, row_col, row_val, n_texts, n_cols):  # pragma: no cover
        """CSR (indptr, indices, data) of the sum, per text, of the given rows of a sparse
        matrix; ``text`` is non-decreasing; columns come out sorted, as scipy's canonical
        form. A row number -1 counts once in column ``row_col`` of nothing: it is skipped."""
        scratch = np.zeros(n_cols, dtype=np.float64)
        touched = np.empty(n_cols, dtype=np.int64)
        indptr = np.zeros(n_texts + 1, dtype=np.int64)
        cap = len(text) * 8 + 16
        indices = np.empty(cap, dtype=np.int64)
        data = np.empty(cap, dtype=np.float64)
        nnz = 0
        i = 0
        n = len(text)
        for t in range(n_texts):
            used = 0
            while i < n and text[i] == t:
                r = row[i]
                i += 1
                if r < 0:
                    continue
                for k in range(row_ptr[r], row_ptr[r + 1]):
                    c = row_col[k]
                    if scratch[c] == 0.0:
                        touched[used] = c
                        used += 1
                    scratch[c] += row_val[k]
            cols = np.sort(touched[:used])
            if nnz + used > cap:
                cap = max(cap * 2, nnz + used)
                bigger_i = np.empty(cap, dtype=np.int64)
                bigger_d = np.empty(cap, dtype=np.float64)
                bigger_i[:nnz] = indices[:nnz]
                bigger_d[:nnz] = data[:nnz]
                indices, data = bigger_i, bigger_d
            for c in cols:
                indices[nnz] = c
                data[nnz] = scratch[c]
                scratch[c] = 0.0
                nnz += 1
            indptr[t + 1] = nnz
        return indptr, indices[:nnz], data[:nnz]

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
