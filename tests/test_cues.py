"""The cue matcher shared by the analyses: normalisation, stems, particles, gaps, prefixes."""

import pytest

from complaintlab._cues import Lexicon


def _sections(lexicon, text):
    return [(h.cue.section, h.cue.text) for h in lexicon.match(text)]


def test_inflected_forms_match_through_stems():
    lex = Lexicon.from_text("[billing]\ncharge\n[delivery]\nдоставка\n", "en")
    assert _sections(lex, "Two CHARGES appeared") == [("billing", "charge")]
    ru = Lexicon.from_text("[delivery]\nдоставка\n", "ru")
    assert _sections(ru, "с доставкой опять беда") == [("delivery", "доставка")]


def test_hebrew_particles_and_arabic_clitics_are_seen_through():
    he = Lexicon.from_text("[billing]\nחיוב\n", "he")
    assert _sections(he, "והחיוב הכפול עדיין שם") == [("billing", "חיוב")]
    ar = Lexicon.from_text("[billing]\nفاتورة\n", "ar")
    assert _sections(ar, "وبالفاتورة خطأ") == [("billing", "فاتورة")]


def test_normalisation_applies_to_cues_and_text():
    fa = Lexicon.from_text("[billing]\nهزینه\n", "fa")  # Persian ی
    assert _sections(fa, "هزينه اضافه گرفتند") == [("billing", "هزینه")]  # Arabic ي typed
    ar = Lexicon.from_text("[billing]\nالمبلغ\n", "ar")
    assert _sections(ar, "المَبْلَغ غلط") == [("billing", "المبلغ")]  # harakat ignored


def test_prefix_cues_and_one_word_gaps():
    lex = Lexicon.from_text("[billing]\nrefund*\ncharged twice\n[type]\nthird time\n", "en")
    assert _sections(lex, "refunded? no. charged me twice") == [
        ("billing", "refund*"),
        ("billing", "charged twice"),
    ]
    assert _sections(lex, "charged them all twice") == []  # two words between: no match
    assert _sections(lex, "the third and last time") == []


def test_empty_and_missing_texts_match_nothing():
    lex = Lexicon.from_text("[a]\nx\n", "en")
    assert lex.match(None) == [] and lex.match("") == []


def test_cue_outside_a_section_is_a_named_error():
    with pytest.raises(ValueError, match="line 2: cue 'stray'"):
        Lexicon.from_text("# header\nstray\n[a]\nx\n", "en")


def test_hebrew_prefix_cues_see_through_final_letters():
    lexicon = Lexicon.from_text("[x]\nשלום*\nחשבון*\n", "he")
    fired = [h.cue.text for h in lexicon.match("שלומות וחשבונות ושלום")]
    assert fired == ["שלום*", "חשבון*", "שלום*"]
    assert not lexicon.match("שלושה")


def test_hits_come_in_text_then_lexicon_order_whatever_the_hash_seed():
    import subprocess
    import sys

    script = ("from complaintlab._cues import load; "
              "print([h.cue.text for h in load('taxonomy', 'he').match("
              "'הנציג זלזל בי ומזלזל בלקוחות, החיוב כפול והחשבונית שגויה')])")  # fmt: skip
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "3", "4")}  # fmt: skip
    assert len(runs) == 1, runs


def test_arabic_when_and_as_are_not_read_as_negation():
    lexicon = Lexicon.from_text("[communication]\nما رد*\n", "ar")
    assert lexicon.match("اتصلت بهم وما ردوا")  # و + ما: "and they did not answer"
    assert not lexicon.match("لما ردوا قالوا انتظر")  # لما: "when they answered"
    assert not lexicon.match("كما ردوا سابقا")  # كما: "as they answered"
