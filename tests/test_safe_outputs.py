"""Safe outputs: every CSV/TSV writer neutralises spreadsheet formulas by default (and writes
cells verbatim when asked to), and every HTML view escapes user text.

Each writer test writes a file, opens the written file with the csv module and checks every
cell: formula-like text gets a leading apostrophe, everything else (numbers, a "-5" read as
text, ordinary text) is byte-for-byte what was given, and the rows keep their number and order.
The expected cells are written out here, not computed by the code under test.
"""

from __future__ import annotations

import csv
import gzip
import io
import json

import pandas as pd
import pytest

from complaintlab.cli import main
from complaintlab.display import highlight, html_table
from complaintlab.export import formula_mask, neutralize, restore, to_csv
from complaintlab.io import TASKS, score_file
from complaintlab.widgets import AnnotationGame, TaxonomyExplorer, ToneChecker, room_agreement

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
PREFIXED = ['\'=HYPERLINK("http://evil","x")', "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1"]
# left alone: ordinary text (RTL too), a formula sign inside the text, a number held as text
HARMLESS = ["Thank you for waiting", "שלום, ההזמנה נשלחה =1", "a = b", "-5"]
TEXTS = HOSTILE + HARMLESS
SAFE = PREFIXED + HARMLESS
AMOUNTS = [-5, -5, 3, -1, 0, -5, 2, 7, -12, -5]  # a numeric column: never touched
PRICES = [-5.5, 0.25, -1.0, 2.0, -0.125, 3.5, -7.75, 1.5, 0.0, -2.25]
N = len(TEXTS)


def cells(path, sep=","):
    """Every row of a written file, as the csv module reads it (gzip if the name says so)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=sep))


def column(rows, name):
    at = rows[0].index(name)
    return [row[at] for row in rows[1:]]


def frame():
    return pd.DataFrame({"id": range(N), "amount": AMOUNTS, "price": PRICES, "text": TEXTS,
                         "=note": TEXTS[::-1]})  # fmt: skip


# --- complaintlab.export.to_csv --------------------------------------------------------------
@pytest.mark.parametrize("sep", [",", "\t"])
def test_export_to_csv_neutralises_text_cells_and_keeps_numbers(tmp_path, sep):
    path = tmp_path / "out.csv"
    to_csv(frame(), path, sep=sep)
    rows = cells(path, sep)
    assert rows[0] == ["id", "amount", "price", "text", "'=note"]
    assert len(rows) == N + 1
    assert column(rows, "id") == [str(i) for i in range(N)]
    assert column(rows, "text") == SAFE
    assert column(rows, "'=note") == SAFE[::-1]
    assert column(rows, "amount") == [str(a) for a in AMOUNTS]
    assert column(rows, "price") == [repr(p) for p in PRICES]


@pytest.mark.parametrize("sep", [",", "\t"])
def test_export_to_csv_can_write_verbatim(tmp_path, sep):
    path = tmp_path / "out.csv"
    to_csv(frame(), path, sep=sep, neutralize=False)
    rows = cells(path, sep)
    assert rows[0] == ["id", "amount", "price", "text", "=note"]
    assert column(rows, "text") == TEXTS and column(rows, "=note") == TEXTS[::-1]
    assert column(rows, "amount") == [str(a) for a in AMOUNTS]
    assert column(rows, "id") == [str(i) for i in range(N)]


def test_export_to_csv_neutralises_row_labels_and_header_aliases(tmp_path):
    path = tmp_path / "out.csv"
    to_csv(frame().set_index("text"), path, index=True,
           header=["id", "amount", "price", "@alias"])  # fmt: skip
    rows = cells(path)
    assert rows[0] == ["text", "id", "amount", "price", "'@alias"]
    assert [row[0] for row in rows[1:]] == SAFE
    assert [row[2] for row in rows[1:]] == [str(a) for a in AMOUNTS]


def test_neutralize_then_pandas_to_csv_and_restore_round_trip(tmp_path):
    path = tmp_path / "out.csv"
    neutralize(frame()).to_csv(path, index=False, lineterminator="\r\n")
    assert column(cells(path), "text") == SAFE
    back = restore(pd.read_csv(path, dtype=str, keep_default_na=False))
    assert back["text"].tolist() == TEXTS and "=note" in back.columns
    assert back["amount"].tolist() == [str(a) for a in AMOUNTS]


def test_text_numbers_in_an_object_column_are_not_touched():
    mixed = pd.DataFrame({"v": ["-5", -5, "-5 stars", 2.5, None, "-0.5e3", "-.5", "-5%"]})
    assert neutralize(mixed)["v"].tolist()[:7] == ["-5", -5, "'-5 stars", 2.5, None, "-0.5e3",
                                                   "-.5"]  # fmt: skip
    assert neutralize(mixed)["v"].tolist()[7] == "'-5%"  # not a plain number


MASK = [True] * len(HOSTILE) + [False] * len(HARMLESS)


@pytest.mark.parametrize("arrow", [True, False])
def test_formula_mask_is_the_same_with_and_without_arrow(monkeypatch, arrow):
    if not arrow:  # the pandas path, used without pyarrow or for mixed columns
        monkeypatch.setattr("complaintlab.export._arrow_text", lambda values: None)
    values = pd.Series([*TEXTS, None, "-0.5e3", "-5 stars"], dtype=object)
    assert formula_mask(values).tolist() == [*MASK, False, False, True]


@pytest.mark.parametrize("dtype", ["object", "string", "category", "str"])
def test_every_text_dtype_is_neutralised(dtype):
    safe = neutralize(pd.DataFrame({"t": pd.Series(TEXTS, dtype=dtype), "n": AMOUNTS}))
    assert [str(v) for v in safe["t"]] == SAFE
    assert safe["n"].tolist() == AMOUNTS


def test_arrow_text_columns_are_neutralised():
    pa = pytest.importorskip("pyarrow")
    texts = pd.Series(TEXTS, dtype=pd.ArrowDtype(pa.string()))
    numbers = pd.Series(AMOUNTS, dtype=pd.ArrowDtype(pa.int64()))
    safe = neutralize(pd.DataFrame({"t": texts, "n": numbers}))
    assert safe["t"].tolist() == SAFE and safe["n"].tolist() == AMOUNTS


# --- complaintlab.io.score_file and its rejects file ------------------------------------------
RAGGED = ["=cmd|' /C calc'!A0", "x", "y", "z", "w"]  # 5 fields, the header has 4
BEFORE_RAGGED = 3  # good rows before it


def write_input(path, kind="csv"):
    """The frame's id, amount, text (as "reply") and =note columns, with one ragged row."""
    data = frame().rename(columns={"text": "reply"}).drop(columns="price")
    if kind == "parquet":
        data.to_parquet(path)
        return path
    if kind == "jsonl":
        lines = [json.dumps(record) for record in data.to_dict("records")]
        lines.insert(BEFORE_RAGGED, "=1+1 not json")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(data.columns)
        records = data.astype(str).values.tolist()
        records.insert(BEFORE_RAGGED, RAGGED)
        writer.writerows(records)
    return path


def input_row(position: int, rejected: int = 1) -> int:
    """The input data row of output row ``position`` (0-based): one row was rejected."""
    return position + 1 + (rejected if position >= BEFORE_RAGGED else 0)


@pytest.mark.parametrize(("name", "n_jobs"), [("out.csv", 1), ("out.tsv", 1), ("out.csv.gz", 1),
                                              ("out.csv", 2), ("out.tsv", 2)])  # fmt: skip
def test_score_file_neutralises_every_text_cell_and_reports_them(tmp_path, name, n_jobs):
    src = write_input(tmp_path / "in.csv")
    sep = "\t" if ".tsv" in name else ","
    safe, raw = tmp_path / name, tmp_path / ("raw." + name.split(".", 1)[1])
    report = score_file(src, safe, "reply", chunksize=3, n_jobs=n_jobs)
    verbatim = score_file(src, raw, "reply", chunksize=3, n_jobs=n_jobs, neutralize=False)
    rows, plain = cells(safe, sep), cells(raw, sep)
    added = list(TASKS["tone"])
    assert rows[0] == ["id", "amount", "reply", "'=note", *added]
    assert plain[0] == ["id", "amount", "reply", "=note", *added]
    assert len(rows) == len(plain) == N + 1
    assert column(rows, "id") == column(plain, "id") == [str(i) for i in range(N)]
    assert column(rows, "reply") == SAFE and column(plain, "reply") == TEXTS
    assert column(rows, "'=note") == SAFE[::-1] and column(plain, "=note") == TEXTS[::-1]
    assert column(rows, "amount") == column(plain, "amount") == [str(a) for a in AMOUNTS]
    for name_ in added:  # the scores (negative tone_score included) are untouched
        assert column(rows, name_) == column(plain, name_)
    assert all(not cell.startswith("'") for cell in column(rows, "tone_score"))
    hostile = [i for i, text in enumerate(TEXTS) if text in HOSTILE]
    hostile_note = [i for i, text in enumerate(TEXTS[::-1]) if text in HOSTILE]
    assert report.neutralized == len(hostile) + len(hostile_note) + 1  # + the header
    assert report.neutralized_columns == {"reply": len(hostile), "=note": len(hostile_note) + 1}
    listed = sorted([(0, "=note")] + [(input_row(i), "reply") for i in hostile]
                    + [(input_row(i), "=note") for i in hostile_note])  # fmt: skip
    assert sorted(report.neutralized_cells) == listed
    assert report.neutralized_cells[0] == (0, "=note")
    assert verbatim.neutralized == 0 and verbatim.neutralized_cells == []
    # neutralising is not a problem: only the ragged row is
    assert len(report.rejected) == 1 and report.altered == []
    assert report.rejected[0][0] == BEFORE_RAGGED + 1
    assert "neutralised" in str(report) and "neutralised" not in str(verbatim)
    # the rejects file is neutralised too, or verbatim
    rejected, rejected_raw = cells(report.rejects_file), cells(verbatim.rejects_file)
    assert rejected[0] == rejected_raw[0] == ["row", "line", "reason", "record"]
    assert rejected[1][0] == rejected_raw[1][0] == str(BEFORE_RAGGED + 1)
    assert rejected[1][3] == "'" + rejected_raw[1][3]
    assert rejected_raw[1][3].startswith("=cmd|")


def test_score_file_reports_the_same_cells_with_one_or_two_processes(tmp_path):
    src = write_input(tmp_path / "in.csv")
    one = score_file(src, tmp_path / "one.csv", "reply", "classify", chunksize=2)
    two = score_file(src, tmp_path / "two.csv", "reply", "classify", chunksize=2,
                     n_jobs=2)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert one.neutralized_cells == two.neutralized_cells
    assert one.neutralized_columns == two.neutralized_columns and one.neutralized > 0


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_score_file_from_jsonl_and_parquet_inputs(tmp_path, kind):
    pytest.importorskip("pyarrow")
    src = write_input(tmp_path / f"in.{kind}", kind)
    report = score_file(src, tmp_path / "out.csv", "reply", chunksize=4)
    rows = cells(tmp_path / "out.csv")
    assert len(rows) == N + 1 and column(rows, "id") == [str(i) for i in range(N)]
    assert column(rows, "reply") == SAFE and column(rows, "'=note") == SAFE[::-1]
    assert column(rows, "amount") == [str(a) for a in AMOUNTS]
    skipped = 1 if kind == "jsonl" else 0  # the line that is not JSON
    first = next(i for i, text in enumerate(TEXTS) if text in HOSTILE and i >= BEFORE_RAGGED)
    assert (input_row(first, skipped), "reply") in report.neutralized_cells


def test_score_file_parquet_output_keeps_text_as_it_is(tmp_path):
    pytest.importorskip("pyarrow")
    src = write_input(tmp_path / "in.csv")
    report = score_file(src, tmp_path / "out.parquet", "reply")
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["reply"].tolist() == TEXTS and "=note" in out.columns
    assert report.neutralized == 0  # Parquet is not opened as a spreadsheet


def test_score_file_to_standard_output(tmp_path, capsys):
    src = write_input(tmp_path / "in.csv")
    report = score_file(src, "-", "reply", chunksize=4)
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == N + 1 and column(rows, "reply") == SAFE
    assert column(rows, "amount") == [str(a) for a in AMOUNTS]
    assert report.neutralized == 2 * len(HOSTILE) + 1


def test_score_file_counts_every_cell_but_lists_the_first_thousand(tmp_path):
    rows = ["id,reply"] + [f"{i},{'-' if i % 2 else '='}{i}+1" for i in range(2_500)]
    (tmp_path / "in.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = score_file(tmp_path / "in.csv", tmp_path / "out.csv", "reply", chunksize=700)
    assert report.neutralized == 2_500 and report.neutralized_columns == {"reply": 2_500}
    assert report.neutralized_cells == [(row, "reply") for row in range(1, 1_001)]
    written = column(cells(tmp_path / "out.csv"), "reply")
    assert written == [f"'{'-' if i % 2 else '='}{i}+1" for i in range(2_500)]


# --- the command line ------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["tone", "classify"])
def test_cli_neutralises_by_default_and_lists_the_cells(tmp_path, capsys, command):
    src = write_input(tmp_path / "in.csv")
    out, rejects = tmp_path / "out.csv", tmp_path / "bad.csv"
    status = main([command, str(src), "--text-column", "reply", "-o", str(out),
                   "--rejects", str(rejects), "--no-progress"])  # fmt: skip
    assert status == 0
    rows = cells(out)
    assert len(rows) == N + 1 and column(rows, "id") == [str(i) for i in range(N)]
    assert column(rows, "reply") == SAFE and column(rows, "'=note") == SAFE[::-1]
    assert column(rows, "amount") == [str(a) for a in AMOUNTS]
    assert cells(rejects)[1][3].startswith("'=cmd|")
    err = capsys.readouterr().err
    assert f"{2 * len(HOSTILE) + 1} text cells neutralised" in err and "--no-neutralize" in err
    assert "  - the header: column '=note'" in err
    assert "  - row 1: column 'reply'" in err


@pytest.mark.parametrize("command", ["tone", "classify"])
def test_cli_no_neutralize_writes_cells_verbatim(tmp_path, capsys, command):
    src = write_input(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    status = main([command, str(src), "--text-column", "reply", "-o", str(out),
                   "--no-progress", "--no-neutralize"])  # fmt: skip
    assert status == 0
    rows = cells(out)
    assert rows[0][:4] == ["id", "amount", "reply", "=note"]
    assert column(rows, "reply") == TEXTS and column(rows, "=note") == TEXTS[::-1]
    assert column(rows, "id") == [str(i) for i in range(N)]
    assert cells(tmp_path / "out.csv.rejected.csv")[1][3].startswith("=cmd|")
    assert "neutralised" not in capsys.readouterr().err


def test_cli_standard_output_is_neutralised(tmp_path, capsys):
    src = write_input(tmp_path / "in.csv")
    assert main(["classify", str(src), "--text-column", "reply", "--no-progress"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert column(rows, "reply") == SAFE and column(rows, "amount") == [str(a) for a in AMOUNTS]


def test_cli_help_names_the_option(capsys):
    with pytest.raises(SystemExit):
        main(["tone", "--help"])
    assert "--no-neutralize" in capsys.readouterr().out


# --- AnnotationGame.to_csv --------------------------------------------------------------------
def hostile_corpus(texts=None, categories=None):
    """A small corpus whose ids (and, when given, texts and categories) are attacks."""
    size = N
    return pd.DataFrame({
        "complaint_id": TEXTS, "lang": (["en", "he", "ar"] * size)[:size],
        "text": texts or [f"complaint {i}" for i in range(size)],
        "category": categories or ["billing"] * size, "complainant_type": ["meek"] * size,
        "severity": [1 + i % 4 for i in range(size)]})  # fmt: skip


@pytest.fixture
def hostile_game(monkeypatch):
    monkeypatch.setattr("complaintlab.corpus.load_complaints", lambda lang=None: hostile_corpus())
    game = AnnotationGame(n=N, seed=0, annotator=HOSTILE[0])
    answered = []
    for _ in range(N):
        answered.append(game.current["complaint_id"])
        game.answer("delivery", "meek", 3)
    return game, answered


def test_annotation_game_to_csv_neutralises(tmp_path, hostile_game):
    game, answered = hostile_game
    path = tmp_path / "labels.csv"
    game.to_csv(path)
    rows = cells(path)
    assert rows[0] == ["annotator", "complaint_id", "category", "complainant_type", "severity"]
    assert len(rows) == N + 1
    assert column(rows, "annotator") == [PREFIXED[0]] * N
    assert column(rows, "complaint_id") == [SAFE[TEXTS.index(i)] for i in answered]
    assert column(rows, "severity") == ["3"] * N and column(rows, "category") == ["delivery"] * N


def test_annotation_game_to_csv_can_write_verbatim(tmp_path, hostile_game):
    game, answered = hostile_game
    path = tmp_path / "labels.csv"
    game.to_csv(path, neutralize=False)
    rows = cells(path)
    assert column(rows, "annotator") == [HOSTILE[0]] * N
    assert column(rows, "complaint_id") == answered


def test_room_agreement_reads_neutralised_files_back(tmp_path):
    games = [AnnotationGame(n=4, seed=5, annotator=name) for name in ("=a", "@b")]
    for game, label in zip(games, ("billing", "service"), strict=True):
        for _ in range(4):
            game.answer(label, "reasonable", 2)
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for game, path in zip(games, paths, strict=True):
        game.to_csv(path)
    assert column(cells(paths[0]), "annotator") == ["'=a"] * 4
    from_files = room_agreement(paths, with_gold=False)
    from_frames = room_agreement([g.labels for g in games], with_gold=False)
    pd.testing.assert_frame_equal(from_files, from_frames)


# --- HTML: escaped everywhere ----------------------------------------------------------------
IMG, SCRIPT = "<img src=x onerror=alert(1)>", "<script>alert(1)</script>"
IMG_SAFE = "&lt;img src=x onerror=alert(1)&gt;"
SCRIPT_SAFE = "&lt;script&gt;alert(1)&lt;/script&gt;"
RTL = f"שלום {IMG} عربي {SCRIPT} ‏سلام"
BREAKOUT = 'x" onmouseover="alert(1)'


def assert_escaped(html: str, *attacks: str) -> None:
    assert "<script" not in html and "<img" not in html and 'onmouseover="' not in html
    for attack in attacks:
        assert attack not in html
    for attack, safe in ((IMG, IMG_SAFE), (SCRIPT, SCRIPT_SAFE)):
        if any(attack in given for given in attacks):
            assert safe in html


def test_html_table_escapes_cells_column_names_and_caption():
    table = pd.DataFrame({IMG: [SCRIPT, RTL, BREAKOUT], SCRIPT: [1, None, IMG]})
    html = html_table(table, caption=f"{IMG} {SCRIPT}")
    assert_escaped(html, IMG, SCRIPT, RTL)
    assert html.count(IMG_SAFE) == 4 and html.count(SCRIPT_SAFE) == 4
    assert f"<caption>{IMG_SAFE} {SCRIPT_SAFE}</caption>" in html
    assert "x&quot; onmouseover=&quot;alert(1)" in html
    assert f"שלום {IMG_SAFE} عربي {SCRIPT_SAFE}" in html


def test_highlight_escapes_text_and_feature_names():
    from types import SimpleNamespace as Evidence

    text = f"Sorry {IMG} and {SCRIPT}"
    evidence = [Evidence(feature=SCRIPT, start=0, end=5), Evidence(feature=BREAKOUT, start=0,
                                                                   end=5)]  # fmt: skip
    html = highlight(text, evidence, "en")
    assert_escaped(html, IMG, SCRIPT)
    assert "x&quot; onmouseover=&quot;alert(1)" in html
    rtl = highlight(RTL, [Evidence(feature=IMG, start=0, end=4)], "he")
    assert_escaped(rtl, IMG, SCRIPT)
    assert 'dir="rtl"' in rtl and f"{IMG_SAFE} عربي {SCRIPT_SAFE}" in rtl


@pytest.mark.parametrize(("lang", "text"), [
    (None, f"I'm so sorry for the delay {IMG} we will refund you {SCRIPT}"),
    (None, RTL), ("he", RTL), ("ar", f"نعتذر عن التأخير {IMG} {SCRIPT}")])  # fmt: skip
def test_tone_checker_escapes_what_is_typed(lang, text):
    checker = ToneChecker(lang=lang)
    checker.set_text(text)
    assert_escaped(checker.html, IMG, SCRIPT)
    assert checker.result["lang"] != "und"
    assert "text/html" not in checker._repr_mimebundle_()


def test_annotation_game_escapes_corpus_text_and_ids(monkeypatch):
    texts = [IMG, SCRIPT, RTL] * 3 + [f"{IMG}{SCRIPT}"]
    monkeypatch.setattr("complaintlab.corpus.load_complaints",
                        lambda lang=None: hostile_corpus(texts=texts))  # fmt: skip
    game = AnnotationGame(n=N, seed=1, annotator=SCRIPT)
    for _ in range(N):
        shown = game.current
        assert_escaped(game.view.value, shown["text"])
        if shown["lang"] in ("he", "ar"):
            assert 'dir="rtl"' in game.view.value
        game.answer("billing", "meek", 2)
        assert_escaped(game.feedback.value)
    assert "All done" in game.view.value
    assert "text/html" not in game._repr_mimebundle_()


def test_taxonomy_explorer_escapes_text_ids_and_gold_labels():
    explorer = TaxonomyExplorer()
    texts = [f"I was charged twice {IMG}", f"{SCRIPT} where is my parcel", RTL] * 3 + [IMG]
    explorer.data = hostile_corpus(texts=texts, categories=[SCRIPT, IMG] * (N // 2))
    explorer.filter()
    assert explorer.ids == TEXTS
    for complaint_id, text in zip(explorer.ids, texts, strict=True):
        explorer.show(complaint_id)
        assert_escaped(explorer.html, text)
        assert explorer.html.count(SCRIPT_SAFE) + explorer.html.count(IMG_SAFE) >= 2


