"""score_file: every format in and out, chunked, parallel, and every kind of bad row."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zipfile

import pandas as pd
import pytest

import complaintlab.io as cio
from complaintlab.errors import DatasetError
from complaintlab.io import TASKS, ScoreFileError, score_file

FEATURES = list(TASKS["tone"][1:-1])
REPLIES = [
    "I'm so sorry, that was our mistake. I'll refund you today.",
    "As per clause 7 of the terms, this is not refundable.",
    "Спасибо за ожидание, мы вернём деньги завтра.",
    "نعتذر عن التأخير، سنعيد المبلغ اليوم.",
    "Please hold.",
    "Thank you for your patience!",
    "שלום, ההזמנה נשלחה היום.",
]


def write_csv(path, rows, header="id,reply", encoding="utf-8"):
    text = header + "\n" + "".join(line + "\n" for line in rows)
    path.write_bytes(text.encode(encoding))
    return path


def csv_rows(n=7):
    return [f'{i},"{REPLIES[i % len(REPLIES)]}"' for i in range(n)]


def read(path, **options):
    return pd.read_csv(path, dtype=str, keep_default_na=False, **options)


# --- round trips ---------------------------------------------------------------------------
def test_csv_to_csv_keeps_rows_in_order_and_adds_the_tone_columns(tmp_path):
    src = write_csv(tmp_path / "in.csv", csv_rows())
    report = score_file(src, tmp_path / "out.csv", "reply")
    out = read(tmp_path / "out.csv")
    assert list(out.columns) == ["id", "reply", "lang", *FEATURES, "tone_score"]
    assert out["id"].tolist() == [str(i) for i in range(len(REPLIES))]
    assert out["reply"].tolist() == REPLIES
    assert out["lang"].tolist() == ["en", "en", "ru", "ar", "en", "en", "he"]
    assert out.loc[0, "apology"] == "True" and out.loc[1, "bureaucratic"] == "True"
    assert (report.rows_read, report.rows_written, report.ok) == (7, 7, True)
    assert report.rejects_file is None and not (tmp_path / "out.csv.rejected.csv").exists()
    assert not (tmp_path / "out.csv.part").exists()


def test_csv_to_parquet_has_stable_typed_columns(tmp_path):
    src = write_csv(tmp_path / "in.csv", [*csv_rows(20), "20,"])
    report = score_file(src, tmp_path / "out.parquet", "reply", chunksize=4)
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert report.rows_written == len(out) == 21
    assert out["id"].tolist() == [str(i) for i in range(21)]
    assert all(out[name].dtype == bool for name in FEATURES)
    assert out["tone_score"].dtype == "float64"
    assert pd.api.types.is_string_dtype(out["lang"]) and out["lang"].iloc[-1] == "und"
    import pyarrow.parquet as pq

    assert pq.ParquetFile(tmp_path / "out.parquet").metadata.num_row_groups == 6  # 4+4+4+4+4+1


def test_jsonl_to_csv_rejects_bad_lines_and_names_them(tmp_path):
    lines = [json.dumps({"id": 1, "reply": REPLIES[0], "meta": {"a": 1}}),
             "",  # a blank line is not a row
             "{not json",
             json.dumps(["a", "list"]),
             json.dumps({"id": 2, "reply": None}),
             json.dumps({"id": 3, "reply": REPLIES[2], "extra": "x"})]  # fmt: skip
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = score_file(tmp_path / "in.jsonl", tmp_path / "out.csv", "reply", chunksize=2)
    out = read(tmp_path / "out.csv")
    assert out["id"].tolist() == ["1", "2", "3"]
    assert out["meta"].tolist() == ['{"a": 1}', "", ""]  # values as text, null as empty
    assert out["lang"].tolist() == ["en", "und", "ru"]
    assert [(row, line) for row, line, _ in report.rejected] == [(2, 3), (3, 4)]
    assert "not valid JSON" in report.rejected[0][2]
    assert "must be an object" in report.rejected[1][2]
    assert report.altered == [(5, 6, "keys ['extra'] are not columns of the first chunk and "
                                     "were left out")]  # fmt: skip
    rejects = read(tmp_path / "out.csv.rejected.csv")
    assert rejects["record"].tolist() == ["{not json", '["a", "list"]']
    assert (report.rows_read, report.rows_written, report.empty_text) == (5, 3, 1)


def test_parquet_to_parquet_keeps_the_input_types(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": pa.array([10, 11, 12], pa.int32()),
                      "amount": pa.array([1.5, None, 3.0]),
                      "text": pa.array(["Where is my refund? Charged twice!", None,
                                        "Поръчката ми още не е пристигнала"])})  # fmt: skip
    pq.write_table(table, tmp_path / "in.parquet")
    report = score_file(tmp_path / "in.parquet", tmp_path / "out.parquet", "text",
                        "classify", chunksize=2)  # fmt: skip
    result = pq.read_table(tmp_path / "out.parquet")
    assert result.schema.field("id").type == pa.int32()
    assert result.schema.field("amount").type == pa.float64()
    for name in ("lang", "category", "complainant_type"):
        assert result.schema.field(name).type == pa.string()
    assert result.schema.field("severity").type == pa.int64()
    out = result.to_pandas()
    assert out["id"].tolist() == [10, 11, 12]
    assert out["lang"].tolist() == ["en", "und", "bg"]
    assert out["category"].isna().tolist() == [False, True, False]
    assert (report.rows_read, report.rows_written, report.undetermined) == (3, 3, 1)
    assert report.rejected[:] == [] and report.empty_text == 1


def test_tsv_and_gzip_in_and_out(tmp_path):
    text = "id\treply\n" + "".join(f"{i}\t{r}\n" for i, r in enumerate(REPLIES))
    with gzip.open(tmp_path / "in.tsv.gz", "wt", encoding="utf-8") as handle:
        handle.write(text)
    score_file(tmp_path / "in.tsv.gz", tmp_path / "out.csv.gz", "reply")
    with gzip.open(tmp_path / "out.csv.gz", "rt", encoding="utf-8") as handle:
        out = read(handle)
    assert out["reply"].tolist() == REPLIES
    score_file(tmp_path / "in.tsv.gz", tmp_path / "out.tsv", "reply", columns=["id"])
    assert read(tmp_path / "out.tsv", sep="\t").columns[:2].tolist() == ["id", "lang"]
    with zipfile.ZipFile(tmp_path / "in.csv.zip", "w") as archive:  # as CFPB ships its export
        archive.writestr("in.csv", "id,reply\n" + "\n".join(csv_rows()) + "\n")
    score_file(tmp_path / "in.csv.zip", tmp_path / "zip.csv", "reply", chunksize=2)
    assert read(tmp_path / "zip.csv")["reply"].tolist() == REPLIES


# --- columns -------------------------------------------------------------------------------
def test_columns_keeps_only_the_listed_input_columns_in_that_order(tmp_path):
    src = write_csv(tmp_path / "in.csv", [f'{i},x{i},"{r}"' for i, r in enumerate(REPLIES)],
                    header="id,other,reply")  # fmt: skip
    score_file(src, tmp_path / "out.csv", "reply", columns=["other", "id"])
    out = read(tmp_path / "out.csv")
    assert list(out.columns) == ["other", "id", "lang", *FEATURES, "tone_score"]
    assert out["other"].tolist() == [f"x{i}" for i in range(len(REPLIES))]
    assert out["lang"].iloc[2] == "ru"  # the text was scored though not written


@pytest.mark.parametrize(("options", "named"), [
    ({"text_column": "message"}, "text_column 'message' is not a column"),
    ({"text_column": "reply", "lang_column": "language"}, "lang_column 'language'"),
    ({"text_column": "reply", "columns": ["id", "nope"]}, "columns entry 'nope'"),
])  # fmt: skip
def test_a_missing_column_is_named_before_any_output_exists(tmp_path, options, named):
    src = write_csv(tmp_path / "in.csv", [*csv_rows(3), "3,a,b"])
    with pytest.raises(DatasetError) as info:
        score_file(src, tmp_path / "out.csv", **options)
    assert named in str(info.value) and "['id', 'reply']" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # nor a rejects file


def test_added_columns_that_clash_need_a_prefix(tmp_path):
    src = write_csv(tmp_path / "in.csv", ["1,Thanks,en"], header="id,reply,lang")
    with pytest.raises(DatasetError, match="prefix"):
        score_file(src, tmp_path / "out.csv", "reply", lang_column="lang")
    assert not (tmp_path / "out.csv").exists()
    score_file(src, tmp_path / "out.csv", "reply", lang_column="lang", prefix="p_")
    assert read(tmp_path / "out.csv").columns[:4].tolist() == ["id", "reply", "lang", "p_lang"]
    score_file(src, tmp_path / "out2.csv", "reply", lang_column="lang", columns=["id"])
    assert read(tmp_path / "out2.csv").columns[:2].tolist() == ["id", "lang"]


# --- chunks and processes ------------------------------------------------------------------
def test_chunked_output_equals_unchunked(tmp_path):
    src = write_csv(tmp_path / "in.csv", [*csv_rows(10), "10,", "11,a,b", "12,=1+1"])
    one = score_file(src, tmp_path / "one.csv", "reply", chunksize=10_000)
    three = score_file(src, tmp_path / "three.csv", "reply", chunksize=3)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "three.csv").read_bytes()
    assert one.rejected == three.rejected == [(12, 13, "ragged row: 3 fields, the header has 2")]
    assert (one.rows_written, one.empty_text) == (three.rows_written, three.empty_text) == (12, 1)


def test_two_processes_give_the_same_file_as_one(tmp_path):
    rows = [f"{i},Sorry about order {i}. I will refund you today.,en" for i in range(5_001)]
    src = write_csv(tmp_path / "in.csv", rows, header="id,reply,language")
    score_file(src, tmp_path / "one.csv", "reply", lang_column="language", n_jobs=1)
    report = score_file(src, tmp_path / "two.csv", "reply", lang_column="language", n_jobs=2)
    assert report.rows_written == 5_001
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def test_reads_and_writes_a_chunk_at_a_time(tmp_path, monkeypatch):
    """Memory is bounded by chunksize: the scorer never sees more, and output is written
    (to the .part file) before the input is read to the end."""
    src = write_csv(tmp_path / "in.csv", [f"{i},text {i}" for i in range(2_500)])
    seen = []
    real = cio._task("tone")[0]

    def spy(texts, langs=None, n_jobs=1):
        part = tmp_path / "out.csv.part"
        seen.append((len(texts), part.stat().st_size if part.exists() else 0))
        return real(texts, ["en"] * len(texts), n_jobs=n_jobs)

    monkeypatch.setattr(cio, "_task", lambda task: (spy, TASKS["tone"]))
    score_file(src, tmp_path / "out.csv", "reply", chunksize=1_000)
    assert [n for n, _ in seen] == [1_000, 1_000, 500]
    assert seen[0][1] == 0 and 0 < seen[1][1] < seen[2][1]
    assert len(read(tmp_path / "out.csv")) == 2_500


def test_a_failure_midway_leaves_no_truncated_output(tmp_path, monkeypatch):
    src = write_csv(tmp_path / "in.csv", [f"{i},text {i}" for i in range(10)] + ["10,a,b"])
    (tmp_path / "out.csv").write_text("an older result\n")
    calls = []
    real = cio._task("tone")[0]

    def breaks(texts, langs=None, n_jobs=1):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("scorer crashed")
        return real(texts, langs)

    monkeypatch.setattr(cio, "_task", lambda task: (breaks, TASKS["tone"]))
    with pytest.raises(RuntimeError, match="scorer crashed"):
        score_file(src, tmp_path / "out.csv", "reply", chunksize=4)
    assert (tmp_path / "out.csv").read_text() == "an older result\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


# --- bad rows ------------------------------------------------------------------------------
def test_a_ragged_row_is_rejected_with_its_row_and_line_and_the_rest_written(tmp_path):
    rows = ['0,"a reply over\ntwo lines"', "1,Thank you!", "2,one,field,too many", "3,",
            "4,Sorry for the wait."]  # fmt: skip
    src = write_csv(tmp_path / "in.csv", rows)
    report = score_file(src, tmp_path / "out.csv", "reply", chunksize=2)
    assert read(tmp_path / "out.csv")["id"].tolist() == ["0", "1", "3", "4"]
    assert report.rejected == [(3, 5, "ragged row: 4 fields, the header has 2")]
    assert not report.ok and (report.rows_read, report.rows_written) == (5, 4)
    rejects = read(tmp_path / "out.csv.rejected.csv")
    assert rejects.to_dict("records") == [{"row": "3", "line": "5", "reason": report.rejected[0][2],
                                           "record": "2,one,field,too many"}]  # fmt: skip
    assert report.rejects_file == f"{tmp_path / 'out.csv'}.rejected.csv"


def test_strict_raises_after_writing_every_good_row(tmp_path):
    rows = [f"{i},Thanks {i}" for i in range(30)]
    rows[7] = "7,x,y"
    rows[21] = "21"
    src = write_csv(tmp_path / "in.csv", rows)
    with pytest.raises(ScoreFileError) as info:
        score_file(src, tmp_path / "out.csv", "reply", chunksize=5, strict=True,
                   rejects=tmp_path / "bad.csv")  # fmt: skip
    message = str(info.value)
    assert "row 8 (line 9): rejected: ragged row: 3 fields" in message
    assert "row 22 (line 23): rejected: ragged row: 1 fields" in message
    assert "28 good rows were written" in message and "bad.csv" in message
    assert len(read(tmp_path / "out.csv")) == 28 == info.value.report.rows_written
    assert read(tmp_path / "bad.csv")["row"].tolist() == ["8", "22"]


def test_a_stale_rejects_file_is_removed(tmp_path):
    src = write_csv(tmp_path / "in.csv", csv_rows(2))
    (tmp_path / "out.csv.rejected.csv").write_text("row,line,reason,record\n1,2,old,x\n")
    assert score_file(src, tmp_path / "out.csv", "reply").rejects_file is None
    assert not (tmp_path / "out.csv.rejected.csv").exists()


def test_an_unreadable_csv_record_is_rejected_and_reading_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(cio, "FIELD_LIMIT", 1_000)  # as if an unclosed quote ran on
    before = csv.field_size_limit()
    huge = "x" * 200_000
    src = write_csv(tmp_path / "in.csv", ["1,Thanks", f'2,"{huge}"', "3,Sorry"])
    report = score_file(src, tmp_path / "out.csv", "reply")
    assert read(tmp_path / "out.csv")["id"].tolist() == ["1", "3"]
    assert report.rejected[0][:2] == (2, 3) and "field limit" in report.rejected[0][2]
    assert csv.field_size_limit() == before  # the module's setting is restored


def test_a_text_longer_than_the_csv_modules_default_limit_is_scored(tmp_path):
    long = "Sorry about that. " * 12_000  # 216,000 characters; the csv module stops at 131,072
    src = write_csv(tmp_path / "in.csv", ["1,Thanks", f'2,"{long}"', "3,Sorry"])
    report = score_file(src, tmp_path / "out.csv", "reply")
    out = read(tmp_path / "out.csv")
    assert report.rejected == [] and out["id"].tolist() == ["1", "2", "3"]
    assert out["reply"][1] == long and out["apology"][1] == "True"


def test_undecodable_bytes_alter_only_their_row(tmp_path):
    good = ["1,Спасибо за ожидание", "2,Thank you", "4,\"שלום, תודה\""]
    data = ("id,reply\n" + "\n".join(good[:2]) + "\n").encode()
    data += "3,Привет из cp1251\n".encode("cp1251") + (good[2] + "\n").encode()
    (tmp_path / "in.csv").write_bytes(data)
    report = score_file(tmp_path / "in.csv", tmp_path / "out.csv", "reply")
    out = read(tmp_path / "out.csv")
    assert out["id"].tolist() == ["1", "2", "3", "4"]  # kept, with replacement characters
    assert out.loc[0, "reply"] == "Спасибо за ожидание" and out.loc[3, "reply"] == "שלום, תודה"
    assert "\ufffd" in out.loc[2, "reply"] and "cp1251" in out.loc[2, "reply"]
    assert [(row, line) for row, line, _ in report.altered] == [(3, 4)]
    assert "not valid utf-8" in report.altered[0][2] and report.rejected == []
    with pytest.raises(ScoreFileError, match="row 3 \\(line 4\\): altered"):
        score_file(tmp_path / "in.csv", tmp_path / "out2.csv", "reply", strict=True)
    assert len(read(tmp_path / "out2.csv")) == 4


def test_a_file_mostly_in_another_encoding_is_an_error_naming_it(tmp_path):
    src = write_csv(tmp_path / "in.csv", ["1,شكوى من الفاتورة", "2,ok"], encoding="cp1256")
    with pytest.raises(DatasetError, match="encoding"):
        score_file(src, tmp_path / "out.csv", "reply", chunksize=1)
    assert not (tmp_path / "out.csv").exists()
    report = score_file(src, tmp_path / "out.csv", "reply", encoding="cp1256")
    assert read(tmp_path / "out.csv")["lang"].tolist()[0] == "ar" and report.ok


def test_empty_text_is_kept_and_counted_as_undetermined(tmp_path):
    src = write_csv(tmp_path / "in.csv", ["1,", '2,"   "', "3,Thank you"])
    report = score_file(src, tmp_path / "out.csv", "reply")
    out = read(tmp_path / "out.csv")
    assert out["lang"].tolist() == ["und", "und", "en"]
    assert out.loc[0, "tone_score"] == "0.0"
    assert (report.empty_text, report.undetermined, report.ok) == (2, 2, True)


def test_blank_lines_and_a_bom_and_crlf_are_read(tmp_path):
    (tmp_path / "in.csv").write_bytes(b"\xef\xbb\xbfid,reply\r\n1,Thanks\r\n\r\n2,Sorry\r\n")
    report = score_file(tmp_path / "in.csv", tmp_path / "out.csv", "reply")
    assert read(tmp_path / "out.csv")[["id", "reply"]].values.tolist() == [["1", "Thanks"],
                                                                          ["2", "Sorry"]]
    assert report.rows_read == 2 and report.ok


# --- spreadsheets, streams, parameters -----------------------------------------------------
def test_formulas_are_neutralised_in_the_written_file(tmp_path):
    src = write_csv(tmp_path / "in.csv", ['1,"=HYPERLINK(""http://x"")"', "2,+33 6 12",
                                          "3,-1 star", "4,@support", "5,fine"])  # fmt: skip
    score_file(src, tmp_path / "out.csv", "reply")
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ['"\'=HYPERLINK(""http://x"")"',
                                                          "'+33 6 12", "'-1 star",
                                                          "'@support", "fine"]  # fmt: skip
    assert lines[1].endswith(",0.0") or "," in lines[1]  # numbers are left alone
    score_file(src, tmp_path / "raw.csv", "reply", neutralize=False)
    assert read(tmp_path / "raw.csv")["reply"].tolist()[:2] == ['=HYPERLINK("http://x")',
                                                               "+33 6 12"]  # fmt: skip


def test_negative_scores_are_not_touched_by_neutralising(tmp_path):
    src = write_csv(tmp_path / "in.csv", ["1,As per clause 7 of the terms this is not refundable."])
    score_file(src, tmp_path / "out.csv", "reply")
    assert float(read(tmp_path / "out.csv").loc[0, "tone_score"]) < 0


def test_standard_input_and_output(monkeypatch, capsys):
    data = b"id,reply\n1,Thank you\n2,a,b\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    report = score_file("-", "-", "reply")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("id,reply,lang,empathy") and out[1].startswith("1,Thank you,en,")
    assert len(out) == 2 and report.destination == "standard output"
    assert report.rejected[0][:2] == (2, 3) and report.rejects_file is None


@pytest.mark.parametrize(("options", "message"), [
    ({"task": "sentiment"}, "'task' parameter"),
    ({"chunksize": 0}, "positive number of rows"),
    ({"n_jobs": 0}, "n_jobs"),
    ({"encoding": "klingon"}, "unknown encoding"),
    ({"encoding": "utf-16"}, "ASCII-compatible"),
    ({"sep": ";;"}, "'sep' parameter"),
    ({"input_format": "xml"}, "'input_format' parameter"),
])  # fmt: skip
def test_bad_parameters_are_named(tmp_path, options, message):
    src = write_csv(tmp_path / "in.csv", csv_rows(1))
    with pytest.raises(ValueError, match=message):
        score_file(src, tmp_path / "out.csv", "reply", **options)


def test_empty_and_missing_inputs(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DatasetError, match="empty"):
        score_file(tmp_path / "empty.csv", tmp_path / "out.csv", "reply")
    with pytest.raises(FileNotFoundError):
        score_file(tmp_path / "nope.csv", tmp_path / "out.csv", "reply")
    (tmp_path / "header.csv").write_text("id,reply\n")
    report = score_file(tmp_path / "header.csv", tmp_path / "out.parquet", "reply")
    assert report.rows_written == 0
    assert list(pd.read_parquet(tmp_path / "out.parquet").columns)[:3] == ["id", "reply", "lang"]
    assert not (tmp_path / "out.csv").exists()


def test_report_and_progress_bar(tmp_path, capsys):
    src = write_csv(tmp_path / "in.csv", [*csv_rows(3), "3,a,b"])
    report = score_file(src, tmp_path / "out.csv", "reply", progress=True)
    assert "tone" in capsys.readouterr().err  # the bar's label
    text = str(report)
    assert "4 read, 3 written" in text and "row 4 (line 5): rejected: ragged row" in text


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bare_carriage_return_in_a_text_is_quoted_and_reads_back(tmp_path, jobs):
    rows = ["id,text", '1,"Sorry\rwe will call you tomorrow"', "2,Thanks"]
    rows += [f"{i},Reply number {i}" for i in range(3, 12)]
    (tmp_path / "in.csv").write_text("\n".join(rows) + "\n", encoding="utf-8", newline="")
    score_file(tmp_path / "in.csv", tmp_path / "out.csv", "text", "tone", progress=False,
               n_jobs=jobs, chunksize=4)  # fmt: skip
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["id"].tolist() == [str(i) for i in range(1, 12)]
    assert out.loc[0, "text"] == "Sorry\rwe will call you tomorrow"


def test_a_lone_surrogate_escape_in_json_lines_is_replaced_and_listed(tmp_path):
    lines = ['{"id": 1, "text": "sorry \\ud83d we will call you tomorrow"}',
             '{"id": 2, "text": "Thanks"}']  # fmt: skip
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = score_file(tmp_path / "in.jsonl", tmp_path / "out.csv", "text", "tone",
                        progress=False)  # fmt: skip
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["id"].tolist() == ["1", "2"]
    assert out.loc[0, "text"] == "sorry \ufffd we will call you tomorrow"
    assert [(row, reason.startswith("a \\u escape")) for row, _, reason in report.altered] == [
        (1, True)]
    assert report.rows_written == 2


def test_a_file_whose_lines_end_in_cr_alone_gets_a_clear_error(tmp_path):
    (tmp_path / "in.csv").write_bytes(b"id,text\r1,Thanks\r2,Sorry\r")
    with pytest.raises(DatasetError, match="end in CR alone"):
        score_file(tmp_path / "in.csv", tmp_path / "out.csv", "text", "tone", progress=False)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_blank_lines_are_counted_and_named_not_dropped_silently(tmp_path, suffix):
    src = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        src.write_text("reply\nWe are so sorry. That was our mistake.\n\nthanks\n\n", "utf-8")
    else:
        src.write_text('{"reply": "We are so sorry."}\n\n   \n{"reply": "thanks"}\n', "utf-8")
    report = score_file(src, tmp_path / "out.csv", "reply", task="tone", progress=False)
    assert report.rows_read == report.rows_written == 2
    assert report.blank_lines == 2
    assert report.blank_line_numbers == ([3, 5] if suffix == ".csv" else [2, 3])
    assert "2 blank lines skipped" in str(report) and report.ok
