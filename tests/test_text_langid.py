import csv

import pandas as pd
import pytest

from complaintlab.datasets import real_data_langid_accuracy
from complaintlab.text import LANGUAGES, detect_language, detect_languages


@pytest.fixture(scope="module")
def langid_set(root):
    path = root / "datasets" / "langid_sentences.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        return pd.DataFrame(list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)))


def test_langid_set_is_large_enough(langid_set):
    counts = langid_set["lang"].value_counts()
    for lang in LANGUAGES:
        assert counts[lang] >= 40, lang
    assert counts["und"] >= 30
    assert not langid_set["text"].duplicated().any()


def test_accuracy_on_our_test_sentences(langid_set):
    predicted = detect_languages(langid_set["text"])
    accuracy = (predicted == langid_set["lang"]).mean()
    wrong = langid_set.assign(predicted=predicted)[predicted != langid_set["lang"]]
    print(f"language identification accuracy: {accuracy:.4f} on {len(langid_set)} sentences")
    assert accuracy >= 0.99, wrong[["lang", "predicted", "text"]].to_string()


def test_close_pairs_never_confused(langid_set):
    """Bulgarian/Russian and Arabic/Persian pairs on the same topics."""
    pairs = langid_set[langid_set["kind"] == "pair"]
    assert len(pairs) >= 80
    predicted = detect_languages(pairs["text"])
    assert (predicted == pairs["lang"]).mean() >= 0.99


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a",
        "12345",
        "+359 88 123 4567",
        "😡😡😡",
        "!!! ???",
        "https://t.co/x @user",
        "これは日本語です",
        "Замовлення досі не прийшло, це жахливо",
        "Ово је српски језик",
        "یہ میرا آرڈر ہے جو ابھی تک نہیں آیا",
        "Mi pedido no ha llegado todavía, qué vergüenza",
    ],
)
def test_undetermined(text):
    assert detect_language(text) == "und"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Благодаря!", "bg"),
        ("Спасибо!", "ru"),
        ("ok thanks", "en"),
        ("תודה רבה", "he"),
        ("مرسی از شما", "fa"),
        ("شكرا جزيلا", "ar"),
        ("Къде е пратката?", "bg"),
        ("Где посылка?", "ru"),
        ("Netflix не работи от вчера 😡", "bg"),
        ("Netflix не работает со вчерашнего дня 😡", "ru"),
        ("@DHL_IL החבילה עדיין לא הגיעה https://t.co/abc", "he"),
    ],
)
def test_short_and_branded_texts(text, lang):
    assert detect_language(text) == lang


def test_missing_and_non_text():
    assert detect_language(None) == "und"
    assert detect_language(float("nan")) == "und"
    with pytest.raises(TypeError, match="bytes"):
        detect_language(b"abc")


def test_vectorised_keeps_index_and_order():
    s = pd.Series(["Где мой заказ?", None, "Where is my order?"], index=[10, 5, 7])
    before = s.copy()
    out = detect_languages(s)
    assert out.index.tolist() == [10, 5, 7]
    assert out.tolist() == ["ru", "und", "en"]
    assert out.name == "lang"
    pd.testing.assert_series_equal(s, before)  # the caller's data is untouched


def test_vectorised_bad_row_named_or_coerced():
    texts = ["fine", 42, "also fine"]
    with pytest.raises(TypeError, match="row 1"):
        detect_languages(texts)
    assert detect_languages(texts, errors="coerce").tolist() == ["en", "und", "en"]
    with pytest.raises(ValueError, match="errors"):
        detect_languages(texts, errors="ignore")


# --- text written by other people: the real public data samples -----------------------------
def test_accuracy_on_real_data(real_data):
    """Arabic tweets, Persian reviews, Hebrew comments, CFPB narratives, bg/ru subtitles."""
    table = real_data_langid_accuracy(min_chars=20)
    print(table.to_string())
    assert len(table) == 5
    assert (table["texts"] >= 1000).all()
    assert (table["accuracy"] >= 0.99).all(), table.to_string()


def test_support_tweets_are_english_or_undetermined(real_data):
    """TWCS has English tweets plus some Spanish, German, French and Japanese ones."""
    frame = pd.read_csv(real_data / "twcs_customer_support" / "twcs_first5000.csv")
    predicted = detect_languages(frame["text"])
    assert (predicted == "en").mean() >= 0.95
    assert predicted.isin(["en", "und"]).mean() >= 0.999


def test_the_word_caches_of_language_identification_stay_bounded(monkeypatch):
    """Each distinct word is remembered (its frequencies, its evidence), so a stream of
    texts full of new words (names, typos, codes) must not grow the caches without end."""
    from complaintlab import _langid

    limit = _langid._CACHED_WORDS
    assert _langid.zipf.cache_info().maxsize == limit
    assert _langid._english_word.cache_info().maxsize == limit
    monkeypatch.setattr(_langid, "_CACHED_WORDS", 40)
    letters = "bcdfghjklmnpqrstvwxz"
    made_up = [a + "a" + b + "o" for a in letters for b in letters]  # 400 words
    for start in range(0, 400, 20):  # 20 to a text
        text = "the order " + " ".join(made_up[start : start + 20])
        assert detect_language(text) in ("en", "und")
    english = _langid._TERMS[("en", _langid._WORDFREQ_LATIN)]
    assert 0 < len(english) <= 40 + 22  # the limit, and one text's words
