"""One corpus of hostile inputs through every public entry point.

For every (input, entry point) pair the outcome is either a documented result — one row per
input, in input order, ``und``/empty for what cannot be analysed — or a ``TypeError`` /
``ValueError`` (the package's own errors are subclasses) whose message names the bad value,
row or column. Anything else (``AttributeError``, ``KeyError``, ``IndexError`` … from deep
inside) is a failure, and so is a batch or a file that comes back with fewer rows than went in.

Covered: ``text.normalize``, ``detect_language``, ``detect_languages``, ``tokenize``,
``decode``; ``taxonomy.classify``; ``tone.score``, ``explain``, ``carp``;
``display.html_table``, ``highlight``; the ``ToneChecker`` widget; ``reading.read_complaints``,
``public_data.load_cfpb``, ``load_twcs``; ``io.score_file`` and the command line, over files in
several encodings and shapes. The counts of inputs × entry points are in the test ids.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintlab import cli
from complaintlab.display import highlight, html_table
from complaintlab.io import score_file
from complaintlab.public_data import load_cfpb, load_twcs
from complaintlab.reading import read_complaints
from complaintlab.taxonomy import classify
from complaintlab.text import (
    LANGUAGES,
    decode,
    detect_language,
    detect_languages,
    normalize,
    tokenize,
)
from complaintlab.tone import carp, explain, score

BIG = ("Sorry for the wait. I will refund you today. " * 23_000)[:1_000_000]
HOSTILE = {
    "empty": "",
    "whitespace": " \t\n\u00a0\u3000",
    "none": None,
    "nan": float("nan"),
    "pd_na": pd.NA,
    "int": 42,
    "bytes": "שלום".encode(),
    "1MB": BIG,
    "mixed_scripts": "Заказ שלום طلب order 订单 سفارش",
    "bidi_override": "\u202eI am sorry\u202c \u2066לקוח\u2069 \u2067x\u2068y\u2069",
    "zero_width": "می\u200cخواهم a\u200db\u200c c \u200d\u200c",
    "combining_flood": "a" + "\u0301" * 5_000,
    "lone_surrogates": "sorry \ud800 refund \udfff",
    "emoji_only": "😡😡👍🏽👨\u200d👩\u200d👧",
    "numbers_only": "12345 67.89 ٣٤٥ ۴۵",
    "html": "<b>sorry</b> <script>alert(1)</script> <img src=x onerror=alert(1)>",
    "formula": '=HYPERLINK("http://x","y")',
}
TEXTS = {k: v for k, v in HOSTILE.items() if isinstance(v, str)}
NOT_TEXT = {"int", "bytes"}  # a TypeError naming the type is the documented answer


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _named_error(error: Exception, value) -> None:
    """The exception is a TypeError/ValueError that says what was wrong."""
    assert isinstance(error, TypeError | ValueError), repr(error)
    assert type(value).__name__ in str(error) or "row" in str(error), str(error)


ONE_TEXT = {
    "normalize": lambda v: normalize(v),
    "detect_language": lambda v: detect_language(v),
    "tokenize": lambda v: tokenize(v),
    "explain": lambda v: explain(v),
    "carp": lambda v: carp(v),
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("entry", list(ONE_TEXT))
def test_one_text_entry_points(entry, name):
    value = HOSTILE[name]
    try:
        result = ONE_TEXT[entry](value)
    except Exception as error:
        assert name in NOT_TEXT, f"{entry}({name}) raised {error!r}"
        _named_error(error, value)
        return
    assert name not in NOT_TEXT or entry in ("explain", "carp"), f"{entry} took {name}"
    if entry == "normalize":
        assert isinstance(result, str) and normalize(result) == result  # idempotent
        if _missing(value):
            assert result == ""
    elif entry == "detect_language":
        assert result in (*LANGUAGES, "und")
        if _missing(value) or name in ("empty", "whitespace", "emoji_only", "numbers_only"):
            assert result == "und"
    elif entry == "tokenize":
        assert isinstance(result, list) and all(isinstance(t, str) and t for t in result)
        assert not any(t.isspace() for t in result)


BATCH = {
    "classify": lambda values: classify(values),
    "score": lambda values: score(values),
    "detect_languages": lambda values: detect_languages(values, errors="coerce"),
}


@pytest.mark.parametrize("entry", list(BATCH))
def test_batch_entry_points_keep_every_row_in_order(entry):
    values = list(HOSTILE.values())
    out = BATCH[entry](values)
    assert len(out) == len(values) and list(out.index) == list(range(len(values)))
    lang = out if isinstance(out, pd.Series) else out["lang"]
    for (name, value), code in zip(HOSTILE.items(), lang, strict=True):
        if _missing(value) or not isinstance(value, str) or not value.strip():
            assert code == "und", (entry, name, code)
    alone = [BATCH[entry]([v]) for v in values]  # each row as if it were alone
    for i, single in enumerate(alone):
        got = out.iloc[[i]].reset_index(drop=True)
        expected = single.reset_index(drop=True)
        if isinstance(got, pd.Series):
            assert got.tolist() == expected.tolist()
        else:
            pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("entry", list(BATCH))
def test_ten_thousand_rows_with_one_bad_row_in_the_middle(entry):
    base = ["Sorry, I will refund you today.", "Мы вернём деньги завтра.", "שלום, נחזור אליך"]
    values = [base[i % 3] for i in range(10_000)]
    values[5_000] = None
    values[5_001] = 17
    out = BATCH[entry](values)
    lang = out if isinstance(out, pd.Series) else out["lang"]
    assert len(out) == 10_000
    assert lang.iloc[5_000] == lang.iloc[5_001] == "und"
    assert lang.iloc[4_999] == detect_language(values[4_999])
    assert lang.iloc[5_002] == detect_language(values[5_002])


def test_batch_functions_refuse_a_single_string_or_bytes_with_a_named_error():
    for entry in (classify, score):
        for value in ("one text", b"bytes"):
            with pytest.raises(TypeError, match="list or Series"):
                entry(value)


@pytest.mark.parametrize("name", list(TEXTS))
def test_html_helpers_escape_hostile_text(name):
    text = TEXTS[name]
    if len(text) > 10_000:
        text = text[:10_000]
    frame = pd.DataFrame({"<img src=x onerror=alert(1)>": pd.Series([text], dtype=object)})
    table = html_table(frame, caption=text)
    shown = highlight(text, explain(text))
    for page in (table, shown):
        assert "<script>" not in page and "<img src=x" not in page
    if "<script>" in text:
        assert "&lt;script&gt;" in table and "&lt;script&gt;" in shown


@pytest.mark.parametrize("name", list(TEXTS))
def test_tone_checker_widget_takes_any_text(name):
    pytest.importorskip("ipywidgets")
    from complaintlab.widgets import ToneChecker

    checker = ToneChecker()
    checker.set_text(TEXTS[name][:20_000])
    assert "<script>" not in checker.view.value and "<img src=x" not in checker.view.value


# --- files -------------------------------------------------------------------------------
ROWS = [
    ("1", "Сколько можно ждать? Верните деньги!", "ru"),
    ("2", "الطلب لم يصل حتى الآن", "ar"),
    ("3", "ההזמנה שלי לא הגיעה", "he"),
    ("4", 'quoted\nnew line, "and quotes"', "en"),
    ("5", '=HYPERLINK("http://x","y")', "en"),
    ("6", "+1 -1 @SUM(A1)", "en"),
    ("7", "<script>alert(1)</script>", "en"),
]


def _write(path, rows, encoding="utf-8", bom=False, header=("complaint_id", "text", "lang")):
    with open(path, "w", encoding=encoding, newline="", errors="replace") as handle:
        if bom:
            handle.write("\ufeff")
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256", "cp1251", "cp1255"])
def test_read_complaints_in_legacy_encodings_keeps_every_row(tmp_path, encoding):
    script = {"cp1256": "ar", "cp1251": "ru", "cp1255": "he"}.get(encoding)
    rows = [r for r in ROWS if script is None or r[2] in (script, "en")]
    path = _write(tmp_path / "in.csv", rows, encoding)
    out, report = read_complaints(path, encoding=None if encoding.startswith("utf") else encoding)
    assert len(out) == report.rows_read == len(rows) and not report.rejected
    assert out["text"].tolist() == [r[1] for r in rows]


def test_read_complaints_reports_invalid_utf8_and_a_ragged_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"complaint_id,text\n1,fine text\n2,bad \xff\xfe bytes\n3,a,b,c\n4,last\n")
    try:
        out, report = read_complaints(path, on_bad_rows="skip")
    except ValueError as error:  # a refusal must name the line or row
        assert "row" in str(error) or "line" in str(error), str(error)
        return
    assert len(out) + len(report.rejected) == 4, (len(out), report.rejected)
    assert "fine text" in out["text"].tolist() and "last" in out["text"].tolist()


@pytest.mark.parametrize("content", ["", "complaint_id,text\n", "id,body\n1,hello\n"])
def test_read_complaints_empty_header_only_and_missing_column_are_named(tmp_path, content):
    path = tmp_path / "odd.csv"
    path.write_text(content, encoding="utf-8")
    try:
        out, report = read_complaints(path)
    except ValueError as error:
        assert str(error)  # a DatasetError naming the file's problem
        return
    assert len(out) == report.rows_read == 0  # header only: nothing to read, nothing lost


def test_score_file_and_cli_keep_every_good_row_and_name_the_bad(tmp_path):
    rows = [*ROWS, ("8", "ragged", "en", "extra")]
    path = _write(tmp_path / "in.csv", rows)
    report = score_file(path, tmp_path / "out.csv", "text", task="tone", progress=False,
                        prefix="predicted_")  # fmt: skip
    assert report.rows_read == len(rows)
    assert report.rows_written + len(report.rejected) == len(rows)
    assert [r for r, _, _ in report.rejected] == [8]
    written = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert written["complaint_id"].tolist() == [r[0] for r in ROWS]
    assert written.loc[4, "text"].startswith("'=")  # neutralised formula
    code = cli.main(["classify", str(path), "--text-column", "text", "--output",
                     str(tmp_path / "cli.csv"), "--quiet", "--prefix", "predicted_"])  # fmt: skip
    assert code == 0
    assert len(pd.read_csv(tmp_path / "cli.csv", dtype=str)) == len(ROWS)


def test_public_loaders_name_a_missing_column_and_keep_rows(tmp_path):
    path = tmp_path / "cfpb.csv"
    path.write_text("Date received,Product\n2020-01-01,Mortgage\n", encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_cfpb(path)
    assert "Consumer complaint narrative" in str(error.value) or "column" in str(error.value)
    path = tmp_path / "twcs.csv"
    path.write_text("tweet_id,author_id\n1,a\n", encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_twcs(path)
    assert "column" in str(error.value) or "text" in str(error.value)


# --- properties --------------------------------------------------------------------------
ANY_TEXT = st.one_of(st.none(), st.text(max_size=60),
                     st.sampled_from([v for v in TEXTS.values() if len(v) < 1_000]))  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(ANY_TEXT, max_size=12), st.randoms(use_true_random=False))
def test_batches_keep_length_and_order_under_permutation(values, rnd):
    order = list(range(len(values)))
    rnd.shuffle(order)
    for entry in (score, classify):
        out = entry(values)
        shuffled = entry([values[i] for i in order])
        assert len(out) == len(values)
        pd.testing.assert_frame_equal(out.iloc[order].reset_index(drop=True),
                                      shuffled.reset_index(drop=True))  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(ANY_TEXT, st.sampled_from([None, *LANGUAGES]))
def test_normalisation_is_idempotent_in_every_language(value, lang):
    once = normalize(value, lang)
    assert normalize(once, lang) == once


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_decode_gives_text_or_a_named_error_for_any_bytes(data):
    try:
        text = decode(data)
    except ValueError as error:  # undecodable: says which byte and asks for encoding=
        assert "encoding" in str(error) and "offset" in str(error), str(error)
        return
    assert isinstance(text, str)


def test_scores_of_a_batch_equal_the_row_by_row_scores():
    values = [v for v in TEXTS.values() if len(v) < 1_000]
    together = score(values)
    alone = pd.concat([score([v]) for v in values], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)
    assert np.array_equal(classify(values)["lang"], classify(values[::-1])["lang"][::-1])
