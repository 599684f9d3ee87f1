"""The complaintlab command line: classify a CSV file, streaming, keeping every row."""

from __future__ import annotations

import io
import sys

import pandas as pd
import pytest

from complaintlab.cli import main
from complaintlab.export import neutralize, neutralize_cell

ROWS = ("id,body,lang\n"
        "1,The courier left my parcel at the wrong address,en\n"
        "2,,en\n"
        "3,=HYPERLINK(\"http://evil\"),\n"
        "4,Поръчката ми още не е пристигнала,bg\n"
        "5,הכרטיס חויב פעמיים על אותה הזמנה,\n")  # fmt: skip


def run(tmp_path, *extra, text=ROWS, encoding="utf-8"):
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode(encoding))
    target = tmp_path / "out.csv"
    status = main(["classify", str(source), "-o", str(target), "--no-progress", *extra])
    return status, target


def test_classify_streams_in_chunks_keeping_every_row_in_order(tmp_path):
    text = "n,t\n" + "".join(f"{i},{'Where is my order ' + str(i) if i % 3 else ''}\n"
                              for i in range(10))  # fmt: skip
    status, target = run(tmp_path, "--text-column", "t", "--chunksize", "3", text=text)
    assert status == 0
    out = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(out.columns) == ["n", "t", "lang", "category", "complainant_type", "severity",
                                 "confidence"]  # fmt: skip
    assert out["n"].tolist() == [str(i) for i in range(10)]
    assert (out["lang"] == "und").tolist() == [i % 3 == 0 for i in range(10)]


def test_added_columns_clash_needs_a_prefix(tmp_path, capsys):
    status, target = run(tmp_path, "--text-column", "body", "--lang-column", "lang")
    assert status == 2 and not target.exists()
    assert "--prefix" in capsys.readouterr().err
    status, target = run(tmp_path, "--text-column", "body", "--lang-column", "lang",
                         "--prefix", "predicted_", "--chunksize", "2")  # fmt: skip
    assert status == 0
    out = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(out.columns) == ["id", "body", "lang", "predicted_lang", "predicted_category",
                                 "predicted_complainant_type", "predicted_severity",
                                 "predicted_confidence"]  # fmt: skip
    assert out["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert out["predicted_lang"].tolist() == ["en", "und", "en", "bg", "he"]
    assert out.loc[1, "predicted_category"] == ""
    assert out.loc[2, "body"].startswith("'=")  # formula neutralised
    assert out.loc[0, "predicted_category"] == "delivery"


def test_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"t\nWHERE IS MY REFUND\n")))
    assert main(["classify", "-", "--text-column", "t", "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "t,lang,category,complainant_type,severity,confidence"
    assert "classified 1 rows" in captured.err


@pytest.mark.parametrize(("text", "extra", "message"), [
    (ROWS, ["--text-column", "message"], "'message' is not a column"),
    ("", ["--text-column", "body"], "is empty"),
    (ROWS, ["--text-column", "body", "--chunksize", "0"], "positive"),
    (ROWS, ["--text-column", "body", "--encoding", "klingon"], "unknown encoding"),
])  # fmt: skip
def test_bad_input_exits_2_with_a_named_problem(tmp_path, capsys, text, extra, message):
    status, _ = run(tmp_path, *extra, "--prefix", "x_", text=text)
    assert status == 2
    assert message in capsys.readouterr().err


def test_wrong_encoding_is_named(tmp_path, capsys):
    status, _ = run(tmp_path, "--text-column", "t", text="t\nشكوى من الفاتورة\n",
                    encoding="cp1256")  # fmt: skip
    assert status == 2
    assert "--encoding" in capsys.readouterr().err
    status, target = run(tmp_path, "--text-column", "t", "--encoding", "cp1256",
                         text="t\nشكوى من الفاتورة\n", encoding="cp1256")  # fmt: skip
    assert status == 0
    assert pd.read_csv(target)["lang"].tolist() == ["ar"]


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["classify", str(tmp_path / "nope.csv"), "--text-column", "t"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_neutralize_only_touches_text_that_starts_a_formula():
    frame = pd.DataFrame({"a": ["=1+1", "+33 6", "-x", "@me", "\tTab", "ok", None],
                          "n": [-1, 2, 3, 4, 5, 6, 7]})  # fmt: skip
    out = neutralize(frame)
    assert out["a"].tolist()[:5] == ["'=1+1", "'+33 6", "'-x", "'@me", "'\tTab"]
    assert out["a"].tolist()[5] == "ok" and pd.isna(out["a"].tolist()[6])
    assert out["n"].tolist() == frame["n"].tolist()
    assert frame["a"].iloc[0] == "=1+1"  # the input is not changed
    assert neutralize_cell(3.5) == 3.5
    twice = pd.DataFrame([["=a", "=b"]], columns=["x", "x"])
    assert neutralize(twice).iloc[0].tolist() == ["'=a", "'=b"]


# --- issue 10: formats, bad rows, strict, fetch --------------------------------------------
RAGGED = "id,body\n" + "".join(f"{i},Where is my order {i}\n" for i in range(14))
RAGGED = RAGGED.replace("3,Where is my order 3\n", "3,Where,is,my,order\n")


def test_bad_rows_are_listed_and_every_good_row_written(tmp_path, capsys):
    text = RAGGED.replace("5,Where is my order 5\n", "5\n") + "".join(
        f"{i},a,b\n" for i in range(14, 30))  # fmt: skip
    status, target = run(tmp_path, "--text-column", "body", "--columns", "id", text=text)
    assert status == 0
    out = pd.read_csv(target, dtype=str)
    assert out["id"].tolist() == [str(i) for i in range(14) if i not in (3, 5)]
    assert list(out.columns)[:2] == ["id", "lang"]
    err = capsys.readouterr().err
    assert "18 rows rejected (not in the output; see " in err
    assert "  - row 4 (line 5): ragged row: 5 fields, the header has 2" in err
    assert "  - row 6 (line 7): ragged row: 1 fields" in err
    assert "... and 8 more" in err  # the first 10 are listed
    assert "classified 12 rows" in err
    rejects = pd.read_csv(f"{target}.rejected.csv", dtype=str)
    assert rejects["row"].tolist()[:2] == ["4", "6"] and len(rejects) == 18


def test_strict_exits_1_after_writing_the_good_rows(tmp_path, capsys):
    status, target = run(tmp_path, "--text-column", "body", "--strict", "--rejects",
                         str(tmp_path / "bad.csv"), text=RAGGED)  # fmt: skip
    assert status == 1
    assert len(pd.read_csv(target)) == 13
    assert pd.read_csv(tmp_path / "bad.csv")["line"].tolist() == [5]
    assert "1 rows rejected" in capsys.readouterr().err
    status, _ = run(tmp_path, "--text-column", "body", "--strict", "--prefix", "x_")
    assert status == 0  # strict with nothing wrong


def test_tone_to_parquet_with_quiet_and_jobs(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,reply\n1,Sorry for the wait. I'll refund you today.\n2,\n",
                      encoding="utf-8")  # fmt: skip
    target = tmp_path / "out.parquet"
    assert main(["tone", str(source), "-o", str(target), "--text-column", "reply",
                 "--quiet", "--n-jobs", "2"]) == 0  # fmt: skip
    out = pd.read_parquet(target)
    assert out["apology"].tolist() == [True, False] and out["lang"].tolist() == ["en", "und"]


def test_unwritable_output_exits_2(tmp_path, capsys):
    status = main(["classify", "-", "--text-column", "t", "-o",
                   str(tmp_path / "no" / "such" / "out.csv")])  # fmt: skip
    assert status == 2
    assert "no such folder for the output" in capsys.readouterr().err


def test_fetch_reports_an_unreachable_host(tmp_path, capsys):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = main(["fetch", "cfpb", "--dest", str(tmp_path), "--quiet", "--timeout", "5",
                   "--url", f"http://127.0.0.1:{port}/complaints.csv.zip"])  # fmt: skip
    assert status == 1
    assert "could not reach 127.0.0.1" in capsys.readouterr().err
