import pandas as pd
import pytest

from complaintlab.text import UnknownLanguageError, normalize, stem


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        # Arabic: harakat, tatweel, alef variants, alef maqsura; teh marbuta kept
        ("إِنَّ الخدمـــة", "ar", "ان الخدمة"),
        ("آخر مستوى", "ar", "اخر مستوي"),
        ("ٱلطلب", "ar", "الطلب"),
        # Persian: Arabic yeh/kaf to Persian, ZWNJ kept, prefix/suffix spaces joined
        ("كيفيت خيلي بد بود", "fa", "کیفیت خیلی بد بود"),
        ("نمی\u200cخواهم", "fa", "نمی\u200cخواهم"),
        ("می خواهم", "fa", "می\u200cخواهم"),
        ("کتاب ها", "fa", "کتاب\u200cها"),
        ("آن", "fa", "آن"),  # آ is a Persian letter of its own
        ("حَتماً", "fa", "حتما"),
        # Hebrew: niqqud and cantillation gone, gershayim/geresh unified
        ("שָׁלוֹם", "he", "שלום"),
        ("שְׁמַע֣", "he", "שמע"),
        ("ש\u05f4ח", "he", 'ש"ח'),
        # Cyrillic: casefold; ё only on request; stress marks removed
        ("ЗАКАЗ пришёл", "ru", "заказ пришёл"),
        ("зво\u0301нит", "ru", "звонит"),
        # Latin: NFKC (full-width, ligatures), curly apostrophes
        ("Ｒｅｆｕｎｄ ﬁle", "en", "refund file"),
        ("Don\u2019t", "en", "don't"),
        # digits in Arabic-Indic and Persian forms become ASCII
        ("٣٠ ريال", "ar", "30 ريال"),
        ("۱۲:۳۰", "fa", "12:30"),
    ],
)
def test_normalize_language_rules(raw, lang, expected):
    assert normalize(raw, lang) == expected


def test_yo_folding_only_when_asked():
    assert normalize("ещё", "ru") == "ещё"
    assert normalize("ещё", "ru", fold_yo=True) == "еще"


@pytest.mark.parametrize(
    "mark",
    [
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u061c",
    ],
)
def test_bidi_controls_are_removed(mark):
    assert normalize(f"{mark}שלום{mark} world") == "שלום world"


def test_zwnj_kept_only_between_arabic_script_letters():
    assert normalize("a\u200cb c\u200c") == "ab c"
    assert "\u200c" in normalize("می\u200cشود", "fa")


def test_white_space_collapsed():
    assert normalize("  a\t\nb\u00a0\u2003c  ") == "a b c"


def test_language_detected_when_not_given():
    # Persian typed with Arabic letters is recognised and gets Persian letters
    assert normalize("سفارشم هنوز نرسيده و خيلي ناراحتم") == "سفارشم هنوز نرسیده و خیلی ناراحتم"


def test_mixed_script_homoglyphs_repaired():
    assert normalize("Искaм дa тe питaм", "bg") == "искам да те питам"
    assert normalize("iPhone", "en") == "iphone"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_text_gives_empty_string(missing):
    assert normalize(missing) == ""


@pytest.mark.parametrize("bad", [b"bytes", 42, 3.5, ["list"]])
def test_non_text_raises_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        normalize(bad)


def test_bytes_error_points_to_decode():
    with pytest.raises(TypeError, match="decode"):
        normalize(b"\xd7\xa9")


def test_unknown_language_code_is_named():
    with pytest.raises(UnknownLanguageError, match="'xx'"):
        normalize("text", "xx")


@pytest.mark.parametrize(
    ("alias", "code"),
    [("iw", "he"), ("EN-us", "en"), ("per", "fa"), ("bul", "bg"), ("ara", "ar"), ("rus", "ru")],
)
def test_language_aliases_accepted(alias, code):
    assert normalize("Кофе ЁЖ", alias) == normalize("Кофе ЁЖ", code)


def test_nan_is_not_confused_with_the_string_nan():
    assert normalize("nan") == "nan"


def test_persian_privative_prefix_is_joined_like_the_verb_prefixes():
    joined = normalize("محصول بی‌کیفیت", "fa")
    assert normalize("محصول بی کیفیت", "fa") == joined
    assert normalize("بی کیفیت", "fa").count("\u200c") == 1
    assert stem("بیکیفیت", "fa") == stem(joined.split()[1], "fa")
