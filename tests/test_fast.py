"""The batch engine gives exactly what the one-text-at-a-time code gives, text by text."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintlab import _fastcues as fc
from complaintlab import _jit
from complaintlab._cues import load
from complaintlab.corpus import load_complaints, load_responses
from complaintlab.taxonomy import fast as taxonomy_fast
from complaintlab.taxonomy.model import default_model
from complaintlab.text import LANGUAGES, detect_languages, normalize, tokenize
from complaintlab.tone import compiled, rules, score
from complaintlab.tone import fast as tone_fast
from complaintlab.tone.language import AR_MA_AFTER, AR_MA_BEFORE
from complaintlab.tone.language import tokens as tone_tokens
from complaintlab.tone.rules import FEATURES, reply_features

# characters that stress normalisation and tokenisation: every kind of space, marks,
# invisible and bidi characters, letters of all our scripts, quotes, digits, punctuation
HOSTILE = ("ab Zя ёЁЙ\u00a0\u2028\t\n ¨№\u0300\u0301\u200b\u200c\u200d\u200e\u202e\ufeff"
           "\u0640\u064b\u05b0ﬁ’“”«»„״׳־'\".,!?؟…:0123٣۳ -/ﻻأإآٱىيكیکمیها"
           "שלוםאבגבע ابتثجحه 😀\ufe0f")  # fmt: skip


def _texts(lang: str) -> list[str]:
    return (load_complaints(lang)["text"].dropna().astype(str).tolist()
            + load_responses(lang)["text"].dropna().astype(str).tolist())  # fmt: skip


def _real_texts(folder) -> dict[str, list[str]]:
    texts = []
    for path in sorted(folder.glob("*/*.csv")):
        frame = pd.read_csv(path, dtype=str, nrows=400)
        for column in frame.columns:
            values = frame[column].dropna()
            if len(values) and values.str.len().mean() > 40:
                texts += values.tolist()
    langs = detect_languages(texts)
    return {lang: [t for t, code in zip(texts, langs, strict=True) if code == lang]
            for lang in LANGUAGES}  # fmt: skip


def _hits_by_text(lexicon, texts, tokens):
    """Reference hits: (text, first token, last token, cue number), sorted."""
    rank = {id(cue): i for i, cue in enumerate(lexicon.cues)}
    return sorted((k, h.start, h.end, rank[id(h.cue)]) for k, text in enumerate(texts)
                  for h in lexicon.match_tokens(tokens(text)))  # fmt: skip


def _batch_hits(lexicon, ids, starts):
    hits = fc.match_batch(fc.compiled(lexicon), ids)
    text = np.searchsorted(starts, hits.start, side="right") - 1
    return sorted(zip(text.tolist(), (hits.start - starts[text]).tolist(),
                      (hits.end - starts[text]).tolist(), hits.cue.tolist(), strict=True))


def _check_language(lang: str, texts: list[str]) -> None:
    assert texts, lang
    tone_ids, tone_starts = tone_fast.encode(texts, lang)
    assert _batch_hits(rules.lexicon(lang), tone_ids, tone_starts) == _hits_by_text(
        rules.lexicon(lang), texts, lambda t: tone_tokens(t, lang))
    words, _ = taxonomy_fast.encode_words(texts, lang)
    ids = taxonomy_fast.tokens_of(words, lang)
    starts = np.flatnonzero(ids == 0)[1::2] + 1
    lexicon = load("taxonomy", lang)
    assert _batch_hits(lexicon, ids, starts) == _hits_by_text(
        lexicon, texts, lambda t: tokenize(t, lang))
    expected = np.array([[reply_features(t, lang)[f] for f in FEATURES] for t in texts])
    assert (tone_fast.batch_features(texts, lang) == expected).all()
    model = default_model()
    fast = taxonomy_fast.features(model, texts, lang)
    slow = model._text_features(texts, [lang] * len(texts), fit=False)
    assert fast.shape == slow.shape and (fast != slow).nnz == 0


@pytest.fixture(params=["compiled", "numpy"])
def engine(request, monkeypatch):
    """Both inner loops: compiled (numba) and the numpy fallback."""
    if request.param == "compiled" and not _jit.ENABLED:
        pytest.skip("numba is not installed")
    if request.param == "numpy":
        monkeypatch.setattr(_jit, "ENABLED", False)
    return request.param


@pytest.mark.parametrize("lang", LANGUAGES)
def test_batch_engine_equals_the_one_text_code_on_the_corpus(lang, engine):
    _check_language(lang, _texts(lang))


def test_batch_engine_equals_the_one_text_code_on_real_data(real_data, engine):
    for lang, texts in _real_texts(real_data).items():
        if texts:
            _check_language(lang, texts[:300])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=HOSTILE, max_size=40), min_size=1, max_size=6),
       st.sampled_from(LANGUAGES))  # fmt: skip
def test_chunk_by_chunk_preparation_equals_whole_texts(texts, lang):
    if _jit.ENABLED:  # the compiled chunk finder, then the numpy one, on the same texts
        _chunks_equal(texts, lang)
        _jit.ENABLED = False
        try:
            _chunks_equal(texts, lang)
        finally:
            _jit.ENABLED = True
    else:
        _chunks_equal(texts, lang)


def _chunks_equal(texts, lang):
    texts = [t for t in texts if fc.SEP not in t]
    ids, starts = tone_fast.encode(texts, lang)
    table = fc.table(lang)
    for k, text in enumerate(texts):
        got = [table.words[i] for i in ids[starts[k] : starts[k + 1] - 2]]
        assert got == tone_tokens(text, lang)
    words, word_starts = taxonomy_fast.encode_words(texts, lang)
    vocabulary = taxonomy_fast.words_table(lang).words
    for k, text in enumerate(texts):
        got = [vocabulary[i] for i in words[word_starts[k] : word_starts[k + 1] - 2]]
        assert got == normalize(text, lang).split()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 50), max_size=4), min_size=1, max_size=8),
       st.lists(st.integers(0, 7), max_size=12))  # fmt: skip
def test_ragged_take_concatenates_the_rows_asked_for(rows, picks):
    picks = [p for p in picks if p < len(rows)]
    got = fc.Ragged(rows).take(np.array(picks, dtype=np.int64)).tolist()
    assert got == [value for p in picks for value in rows[p]]


def test_texts_with_nul_characters_take_the_one_text_path():
    texts = ["Sorry\x00 about that, I'll call you tomorrow.", "Sorry about that!"]
    out = score(texts, ["en", "en"])
    for i, text in enumerate(texts):
        assert out.loc[i, list(FEATURES)].tolist() == [reply_features(text, "en")[f]
                                                        for f in FEATURES]  # fmt: skip
    assert out.loc[0, "apology"] and out.loc[0, "next_steps"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nul_characters_anywhere_in_a_batch_change_no_other_row(lang, engine):
    texts = _texts(lang)[:40]
    odd = ["\x00", f"\x00{texts[0]}", f"{texts[1]} \x00 {texts[2]}", f"{texts[3]}\x00"]
    batch = [*texts[:10], *odd, *texts[10:]]
    got = tone_fast.batch_features(batch, lang)
    expected = np.array([[reply_features(t, lang)[f] for f in FEATURES] for t in batch])
    assert got.shape == expected.shape and (got == expected).all()


_MARKS = (".", ",", "?", "!", '"', "«", "»", "„", "“", "”", "״", "17:00", "5", "pm", "$",
          "12.50", "Mr.", "...", ";", "—")  # fmt: skip


def _cue_phrases(lang: str) -> list[str]:
    """Every cue of the tone lexicon written out (prefixes completed), the phrases of the
    soup below."""
    return sorted({" ".join("ab" if w == "*" else w.replace("*", "ab") for w in cue.words
                            if w != "?*") for cue in rules.lexicon(lang).cues} - {""})  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_and_numpy_rules_equal_the_one_text_rules_on_cue_soup(lang, engine):
    """Replies made of whole cues (negations, transfers, reasons, closing questions...),
    quotation marks, times and punctuation in random order: the rules' corner cases
    (quotes left open, negation windows across clause breaks, overlapping closing
    questions, transfers beside reasons) come up far more often than in written replies."""
    marks = _MARKS + ((*sorted(AR_MA_AFTER | AR_MA_BEFORE), "ما", "وما") if lang == "ar" else ())
    phrases = st.one_of(st.sampled_from(_cue_phrases(lang)), st.sampled_from(marks))

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(st.lists(st.lists(phrases, max_size=14), min_size=1, max_size=5))
    def check(replies):
        texts = [" ".join(parts) for parts in replies]
        got = tone_fast.batch_features(texts, lang)
        expected = np.array([[reply_features(t, lang)[f] for f in FEATURES] for t in texts])
        assert (got == expected).all(), texts

    check()


def test_arabic_ma_negates_unless_it_is_a_conjunction(engine):
    """"ما" before a verb negates it; after "بعد" ("after"), or before "زال" ("still"), it
    is part of a conjunction and negates nothing (the compiled rules read both neighbours)."""
    texts = ["ما نعتذر", "ما زلنا نعتذر عن التأخير", "بعد ما نعتذر", "نعتذر ما زلنا"]
    got = tone_fast.batch_features(texts, "ar")[:, FEATURES.index("apology")]
    assert got.tolist() == [False, True, True, True]
    assert got.tolist() == [reply_features(t, "ar")["apology"] for t in texts]


@pytest.mark.skipif(not _jit.ENABLED, reason="numba is not installed")
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 4),
                          st.sampled_from([compiled.OPEN_OFFER, compiled.NEGATIVE_QUESTION,
                                           compiled.APOLOGY, compiled.NON_APOLOGY,
                                           compiled.PLAIN]), st.booleans()),
                max_size=12))  # fmt: skip
def test_compiled_deflection_and_closing_questions_equal_the_numpy_rules(hits):
    """Rules 3 and 4 on made-up hits (gaps to the previous start, spans, cue sizes, roles,
    sentence breaks): equal spans and equal sizes, which real cues rarely give, included."""
    start = np.cumsum([gap for gap, *_ in hits]).astype(np.int64)
    end = start + np.array([span for _, span, *_ in hits], dtype=np.int64)
    size = np.array([n for _, _, n, *_ in hits], dtype=np.int64)
    kind = np.array([k for *_, k, _ in hits], dtype=np.int64)
    n = int(end.max()) + 1 if len(hits) else 1
    breaks = np.zeros(n, dtype=np.int64)
    breaks[start[[b for *_, b in hits]]] = 1
    sentence = np.cumsum(breaks)
    got = compiled._beaten(np.arange(len(hits)), start, end, size, kind, sentence, n)
    number = {"open_offer": compiled.OPEN_OFFER, "negative_question": compiled.NEGATIVE_QUESTION}
    expected = tone_fast._closing_questions_beaten(start, end, size, kind, number)
    apology = (kind == compiled.APOLOGY) & np.isin(
        sentence[start], sentence[start[kind == compiled.NON_APOLOGY]])
    assert got.tolist() == (expected | apology).tolist()


def test_score_and_classify_with_two_processes_equal_one():
    texts = load_responses()["text"].dropna().astype(str).tolist()
    texts = (texts * (4_500 // len(texts) + 1))[:4_500]  # over 2,000 rows a process
    assert score(texts, n_jobs=2).equals(score(texts))
    from complaintlab.taxonomy import classify

    pd.testing.assert_frame_equal(classify(texts, n_jobs=2), classify(texts))


def test_a_refitted_model_predicts_with_its_new_vocabulary():
    from complaintlab.taxonomy import TaxonomyClassifier

    data = load_complaints()
    X, y = data[["text", "lang"]].astype(object), data[["category"]].astype(object)
    model = TaxonomyClassifier().fit(X.iloc[::2], y.iloc[::2])
    first = model.predict(X.head(20))
    model.fit(X, y)  # a new vocabulary: the batch caches of the first fit must not be used
    assert model.predict(X.head(20)).shape == first.shape
    fast = model._features(X["text"].head(50).tolist(), X["lang"].head(50).tolist(), False)
    slow = model._text_features(X["text"].head(50).tolist(), X["lang"].head(50).tolist(), False)
    assert (fast != slow).nnz == 0


def test_threads_scoring_at_once_get_what_one_thread_gets():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Sorry about order {i}, we will call you tomorrow about ticket X{i}Q"
             for i in range(4_000)]  # fmt: skip
    parts = [texts[i::4] for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda part: score(part, ["en"] * len(part)), parts))
    for part, got in zip(parts, together, strict=True):
        expected = np.array([[reply_features(t, "en")[f] for f in FEATURES] for t in part[:200]])
        assert (got[list(FEATURES)].to_numpy()[:200] == expected).all() and len(got) == len(part)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_batch_style_equals_the_plain_definition(lang, engine):
    odd = ["", "WHY?!", "a!!b??", "𐐀𐐨 ДА нет 😀😀 ﬁ", "x" * 3000, "Ⅻ ǅ ß İ",
           "\u2028 spaced\u00a0words \t"]  # fmt: skip
    texts = [*_texts(lang)[:300], *odd]
    assert np.array_equal(taxonomy_fast.style(texts), taxonomy_fast.plain_style(texts))


def test_stacked_probabilities_equal_scikit_learns_bit_for_bit():
    from complaintlab.taxonomy.model import _stacked

    model = default_model()
    data = load_complaints()
    texts, langs = data["text"].astype(str).tolist(), data["lang"].astype(str).tolist()
    features = model._features(texts, langs, fit=False)
    got = _stacked(model).proba(features)
    assert set(got) == set(model.models_) and _stacked(model).weights is not None
    for target, fitted in model.models_.items():
        assert np.array_equal(got[target], fitted.predict_proba(features)), target


def test_caches_start_afresh_past_the_token_limit_and_results_do_not_change(monkeypatch):
    """A long stream keeps bringing new tokens; past MAX_TOKENS every cache built on token
    ids is emptied between batches, and scores and classes stay what they were."""
    from complaintlab.taxonomy import classify

    texts = _texts("en")[:400]
    langs = ["en"] * len(texts)
    expected_tone, expected_classes = score(texts, langs), classify(texts, langs)
    known = len(fc.table("en").words), len(taxonomy_fast._stems("en"))  # all of them seen
    monkeypatch.setattr(fc, "MAX_TOKENS", 300)
    resets = []
    monkeypatch.setattr(fc, "_RESETS", [*fc._RESETS, lambda: resets.append(1)])
    for start in range(0, len(texts), 50):  # a stream of batches, each bringing new words
        part = slice(start, start + 50)
        assert score(texts[part], langs[part]).equals(
            expected_tone.iloc[part].reset_index(drop=True))
        pd.testing.assert_frame_equal(classify(texts[part], langs[part]),
                                      expected_classes.iloc[part].reset_index(drop=True))
        bound = 300 + 50 * 60  # the limit and one batch's worth
        assert max(len(t.words) for t in fc._TABLES) <= bound
        assert len(taxonomy_fast._stems("en")) <= bound
    assert len(resets) >= 3  # it did start afresh, several times, and forgot words
    assert len(fc.table("en").words) < known[0] and len(taxonomy_fast._stems("en")) < known[1]
    assert score(texts, langs).equals(expected_tone)


def test_mixed_language_product_equals_the_whole_matrix_bit_for_bit(engine):
    """A batch of several languages, with rows holding a NUL and rows in no language of
    the six, goes language by language without the matrix; the numbers are the matrix's."""
    from complaintlab.taxonomy.model import _stacked

    model = default_model()
    data = load_complaints().sample(frac=1, random_state=3)
    texts, langs = data["text"].astype(str).tolist(), data["lang"].astype(str).tolist()
    texts[5], texts[9] = texts[5] + "\x00 and more", "\x00"
    langs[7], langs[11] = "und", "xx"
    weights = _stacked(model).weights
    product = model._product(texts, langs, weights)
    assert np.array_equal(product, model._features(texts, langs, fit=False) @ weights)


def test_stacked_probabilities_fall_back_to_scikit_learn_for_two_classes():
    from complaintlab.taxonomy import TaxonomyClassifier
    from complaintlab.taxonomy.model import _stacked

    data = load_complaints()
    X = data[["text", "lang"]].astype(object)
    y = pd.DataFrame({"severity": (data["severity"].astype(int) >= 3).astype(str),
                      "category": data["category"].astype(str)})  # fmt: skip
    model = TaxonomyClassifier().fit(X, y)
    stacked = _stacked(model)
    assert "severity" not in stacked.plain and "category" in stacked.plain
    features = model._features(X["text"].tolist(), X["lang"].tolist(), fit=False)
    got = stacked.proba(features)
    for target, fitted in model.models_.items():
        assert np.array_equal(got[target], fitted.predict_proba(features)), target
    model.fit(X, y[["category"]])  # refitted: new coefficients, not the kept product
    assert _stacked(model) is not stacked and list(_stacked(model).proba(features)) == [
        "category"]


@pytest.mark.skipif(not _jit.ENABLED, reason="numba is not installed")
def test_chunk_index_finds_every_key_after_growing():
    rng = np.random.default_rng(0)
    keys = rng.integers(-(2**62), 2**62, size=20_000)
    index = _jit.ChunkIndex(size=16)
    for part in np.array_split(np.arange(len(keys)), 7):
        index.reserve(len(part))
        index.used += len(part)
        for k in part:
            _jit.put(index.keys, index.values, keys[k], k)
    assert len(index.keys) >= 2 * len(keys)
    found = [_jit.find(index.keys, index.values, key) for key in keys[::97]]
    assert found == list(range(0, len(keys), 97))
    assert _jit.find(index.keys, index.values, np.int64(12345)) == -1


@pytest.mark.skipif(not _jit.ENABLED, reason="numba is not installed")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-1, 9), max_size=12), min_size=1, max_size=6),
       st.integers(0, 2**32 - 1))
def test_compiled_row_sums_equal_a_dense_sum_with_sorted_columns(texts, seed):
    from scipy import sparse

    matrix = sparse.random(10, 200, density=0.2, format="csr", random_state=seed)
    rows = np.array([r for text in texts for r in text], dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum([len(text) for text in texts])]).astype(np.int64)
    ptr, cols, data = _jit.sum_rows(starts, rows, matrix.indptr.astype(np.int64),
                                    matrix.indices.astype(np.int64), matrix.data, 200)
    got = sparse.csr_matrix((data, cols, ptr), shape=(len(texts), 200))
    dense = matrix.toarray()
    expected = np.array([dense[[r for r in text if r >= 0]].sum(axis=0) for text in texts])
    assert np.allclose(got.toarray(), expected)
    assert all((np.diff(cols[a:b]) > 0).all() for a, b in pairwise(ptr))
