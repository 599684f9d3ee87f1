"""Property tests: the text layer never crashes on any string and keeps its promises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaintlab.text import LANGUAGES, detect_language, detect_languages, normalize, tokenize

# Text drawn from our scripts plus the marks, controls and joiners that make real text hard.
_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(
        [
            *list("אבגשׁתָּ֣ابةىيکیپگچژًّـأإآٱ۴٤абвъыьёѝіјabcé"),
            "\u200c",
            "\u200d",
            "\u200e",
            "\u202e",
            "\u2066",
            "\ufeff",
            " ",
            "\n",
            ".", "5",
            "😡",
        ]
    ),
)
TEXT = st.text(alphabet=_ALPHABET, max_size=60)
LANG = st.sampled_from([None, "und", *LANGUAGES])
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT, LANG)
def test_normalize_is_idempotent(text, lang):
    once = normalize(text, lang)
    assert normalize(once, lang) == once


@SETTINGS
@given(TEXT)
def test_normalize_without_language_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@SETTINGS
@given(TEXT, LANG)
def test_normalize_output_is_trimmed_and_single_spaced(text, lang):
    out = normalize(text, lang)
    assert out == out.strip()
    assert "  " not in out
    assert "\u202e" not in out and "\u200e" not in out


@SETTINGS
@given(TEXT, LANG)
def test_tokenize_never_returns_empty_or_spaced_tokens(text, lang):
    tokens = tokenize(text, lang)
    assert all(tokens)
    assert not any(ch.isspace() for token in tokens for ch in token)


@SETTINGS
@given(TEXT)
def test_detect_language_is_total(text):
    assert detect_language(text) in {*LANGUAGES, "und"}


@SETTINGS
@given(st.lists(st.one_of(TEXT, st.none()), max_size=20))
def test_detect_languages_one_row_per_input_in_order(texts):
    out = detect_languages(texts)
    assert len(out) == len(texts)
    assert out.tolist() == [detect_language(t) for t in texts]
