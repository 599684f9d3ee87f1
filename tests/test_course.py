import copy
import hashlib
import json
from pathlib import Path

import nbformat
import pytest

from complaintlab.course import (
    SOLUTION_TAG,
    execute_notebook,
    exercise_cells,
    main,
    output_differences,
    reproduce,
    student_edition,
    write_student_edition,
)


def test_execute_notebook_runs_cells_in_order(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 20"), nbformat.v4.new_code_cell("print(x + 1)")]
    path = tmp_path / "01_tiny.ipynb"
    nbformat.write(nb, path)
    executed = execute_notebook(path, timeout=120)
    assert executed.cells[1].outputs[0]["text"] == "21\n"


def test_html_copies_written(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('שלום')")]
    nbformat.write(nb, tmp_path / "00_hello.ipynb")
    assert main(["execute", "--html", str(tmp_path / "build"), str(tmp_path)]) == 0
    assert "שלום" in (tmp_path / "build" / "00_hello.html").read_text(encoding="utf-8")


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(SystemExit):
        main(["execute", "--in-place", str(tmp_path)])


def test_real_data_cells_are_left_alone_without_the_data(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTLAB_DATA", str(tmp_path / "nowhere"))
    nb = nbformat.v4.new_notebook()
    needs_data = nbformat.v4.new_code_cell("raise RuntimeError('would need the data')")
    needs_data.metadata["tags"] = ["real-data"]
    needs_data.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stored\n")]
    nb.cells = [needs_data, nbformat.v4.new_code_cell("print('still runs')")]
    path = tmp_path / "07_case.ipynb"
    nbformat.write(nb, path)
    executed = execute_notebook(path, timeout=120)
    assert executed.cells[0].outputs[0]["text"] == "stored\n"  # kept, not cleared
    assert executed.cells[1].outputs[0]["text"] == "still runs\n"


def test_real_data_cells_run_when_the_data_is_there(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLAINTLAB_DATA", str(tmp_path))
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('data cell ran')")
    cell.metadata["tags"] = ["real-data"]
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "07_case.ipynb")
    executed = execute_notebook(tmp_path / "07_case.ipynb", timeout=120)
    assert executed.cells[0].outputs[0]["text"] == "data cell ran\n"


# ---------------------------------------------------------------------------------------------
# the student edition

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "notebooks"


def _fingerprint(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _stdout(text):
    return [nbformat.v4.new_output("stream", name="stdout", text=text)]


def _tagged(source, *tags, **kwargs):
    cell = nbformat.v4.new_code_cell(source, **kwargs)
    cell.metadata["tags"] = list(tags)
    return cell


def _small_course_notebook():
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 01 · Demo\n\nnext: [02](02_next.ipynb) · guide: "
                                      "[the guide](GUIDE.md)"),
        nbformat.v4.new_code_cell("x = 1", execution_count=1, outputs=_stdout("before\n")),
        nbformat.v4.new_markdown_cell("```bash\n# Exercises\n```\n\n## Exercises\n\n1. Print x.\n"
                                      "\nThe solutions are in the collapsed cells below (click "
                                      "the bar to expand them)."),
        nbformat.v4.new_code_cell("# Exercise 1\nprint(x)", execution_count=2,
                                  outputs=_stdout("1\n")),
        _tagged("# Solution 1\nprint(x)", SOLUTION_TAG, execution_count=3,
                outputs=_stdout("1\n")),
        nbformat.v4.new_markdown_cell("### A hint\n\nstill the exercises"),
        nbformat.v4.new_code_cell("# Exercise 2", execution_count=4),
        nbformat.v4.new_markdown_cell("## Key points\n\n- x is 1"),
        nbformat.v4.new_code_cell("x", execution_count=5, outputs=_stdout("after\n")),
    ])


def test_student_edition_follows_the_rule():
    nb = _small_course_notebook()
    original = copy.deepcopy(nb)
    assert exercise_cells(nb) == [3, 6]
    student, report = student_edition(nb, name="01_demo.ipynb", shipped=lambda t: False)
    assert nb == original  # the full edition is not touched
    assert (report.removed, report.cleared, report.adapted) == ([4], [3, 6], [0, 2])
    assert len(student.cells) == len(nb.cells) - 1
    assert not any(SOLUTION_TAG in c.metadata.get("tags", []) for c in student.cells)
    exercise_1, exercise_2 = student.cells[3], student.cells[5]
    assert exercise_1.source == "# Exercise 1\nprint(x)" and exercise_1.outputs == []
    assert exercise_1.execution_count is None and exercise_2.execution_count is None
    assert "collapsed cells" not in student.cells[2].source
    assert "facilitator" in student.cells[2].source
    assert student.cells[0].source == "# 01 · Demo\n\nnext: 02 · guide: the guide"
    # before the section, after it, and the other markdown cells: exactly as they were
    assert student.cells[1] == nb.cells[1]
    assert student.cells[4] == nb.cells[5]
    assert student.cells[6:] == nb.cells[7:]
    assert student.metadata == nb.metadata
    nbformat.validate(student)


@pytest.mark.parametrize(("markdown", "expected"), [
    ("## Key points\n\n- one\n\n## Exercises\n\n1. two", [1]),  # the last heading counts
    ("## Exercises\n\n1. two\n\n## Key points", []),
    ("## Exercises:\n\n1. two", [1]),
    ("```python\n## Exercises\n```", []),  # a comment in fenced code is not a heading
    ("### Exercises", []),  # a subsection does not open the section
    ("Exercises", []),
])
def test_which_cells_are_exercise_cells(markdown, expected):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown),
                                         nbformat.v4.new_code_cell("answer = ...")])
    assert exercise_cells(nb) == expected


def test_student_edition_keeps_links_to_what_it_ships():
    student, _ = student_edition(_small_course_notebook(), shipped=lambda t: t != "GUIDE.md")
    assert student.cells[0].source.endswith("next: [02](02_next.ipynb) · guide: the guide")


def _code_text(cell):
    return cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""


def test_student_edition_of_the_course(tmp_path):
    before = _fingerprint(COURSE)
    reports = {r.name: r for r in write_student_edition(COURSE, tmp_path / "student")}
    assert _fingerprint(COURSE) == before  # the facilitators' edition is only read
    full_paths = sorted(COURSE.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(reports) == [p.name for p in full_paths]
    assert not (tmp_path / "student" / "notebooks" / "FACILITATOR.md").exists()
    solutions = 0
    for path in full_paths:
        full = nbformat.read(path, as_version=4)
        written = tmp_path / "student" / "notebooks" / path.name
        nbformat.validate(json.loads(written.read_text(encoding="utf-8")), version=4)
        student = nbformat.read(written, as_version=4)
        report = reports[path.name]
        is_solution = [SOLUTION_TAG in c.metadata.get("tags", []) for c in full.cells]
        solutions += sum(is_solution)
        assert len(student.cells) == len(full.cells) - sum(is_solution)
        assert not any(SOLUTION_TAG in c.metadata.get("tags", []) for c in student.cells)
        kept = [(i, c) for i, c in enumerate(full.cells) if not is_solution[i]]
        for (index, before_cell), after in zip(kept, student.cells, strict=True):
            if index in report.cleared:
                assert after.source == before_cell.source
                assert after.outputs == [] and after.execution_count is None
            elif index in report.adapted:
                assert before_cell.cell_type == "markdown"
                assert ("collapsed cells below" in before_cell.source
                        or "](FACILITATOR.md)" in before_cell.source)
                assert "collapsed cells below" not in after.source
                assert "](FACILITATOR.md)" not in after.source
            else:
                assert after == before_cell, f"{path.name} cell {index} changed"
            if after.cell_type == "code" and _code_text(after).startswith("# Exercise"):
                assert after.outputs == [] and after.execution_count is None
        assert student.metadata == full.metadata
    assert solutions > 0
    # every file a notebook opens by a relative path is there, byte for byte
    for relative in ("datasets/complaints.csv", "tests/fixtures/cfpb_official.csv"):
        assert (tmp_path / "student" / relative).read_bytes() == (ROOT / relative).read_bytes()


def test_student_edition_runs_from_where_it_is_written(tmp_path):
    course = tmp_path / "course" / "notebooks"
    course.mkdir(parents=True)
    (tmp_path / "course" / "data").mkdir()
    (tmp_path / "course" / "data" / "rows.csv").write_text("n\n1\n2\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(open('../data/rows.csv').read().count('\\n'))"),
        nbformat.v4.new_markdown_cell("[the data](../data/rows.csv), [a guide](GUIDE.md)")])
    nbformat.write(nb, course / "01_rows.ipynb")
    write_student_edition(course, tmp_path / "student")
    executed = execute_notebook(tmp_path / "student" / "notebooks" / "01_rows.ipynb", timeout=120)
    assert executed.cells[0].outputs[0]["text"] == "3\n"
    assert executed.cells[1].source == "[the data](../data/rows.csv), a guide"


def test_student_edition_refuses_unsafe_places(tmp_path):
    course = tmp_path / "notebooks"
    course.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
                   course / "01_one.ipynb")
    with pytest.raises(ValueError, match="overwrite or sit inside"):
        write_student_edition(course, tmp_path)  # tmp_path/notebooks is the source itself
    with pytest.raises(ValueError, match="overwrite or sit inside"):
        write_student_edition(course, course / "student")
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not a student edition"):
        write_student_edition(course, foreign)
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"
    write_student_edition(course, tmp_path / "edition")
    write_student_edition(course, tmp_path / "edition")  # an earlier edition is replaced
    with pytest.raises(SystemExit):
        main(["student", "--out", str(tmp_path / "other"), str(tmp_path / "empty")])


def test_a_missing_relative_file_is_named(tmp_path):
    course = tmp_path / "notebooks"
    course.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("open('../gone.csv')")])
    nbformat.write(nb, course / "03_gone.ipynb")
    with pytest.raises(FileNotFoundError, match=r"03_gone.ipynb opens '\.\./gone\.csv'"):
        write_student_edition(course, tmp_path / "student")


# ---------------------------------------------------------------------------------------------
# reproducibility


def _widget_run(model_id, text):
    view = nbformat.v4.new_output("execute_result", execution_count=1, data={
        "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2,
                                                     "version_minor": 0},
        "text/plain": text})
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w", outputs=[view])])


def test_widget_model_ids_are_the_only_thing_forgiven():
    first = _widget_run("6b4e9269c4324f4290ba5e4ad09e86e6", "Game(answered=0)")
    assert output_differences(first, _widget_run("1b8d6b708a2a4264ac67fbd6467a408d",
                                                 "Game(answered=0)")) == []
    diffs = output_differences(first, _widget_run("1b8d", "Game(answered=1)"), name="08.ipynb")
    assert [(d.notebook, d.cell) for d in diffs] == [("08.ipynb", 0)]
    assert "answered=1" in diffs[0].diff and "model_id" not in diffs[0].diff


def _streams(*parts):
    outputs = [nbformat.v4.new_output("stream", name=name, text=text) for name, text in parts]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("run()", outputs=outputs)])


def test_printed_text_cut_differently_is_the_same_output():
    # the kernel sends printed text in chunks whose borders depend on timing
    first = _streams(("stdout", "rate 0.5\nrate 0.6\n"), ("stdout", "rate 0.7\n"))
    assert output_differences(first, _streams(("stdout", "rate 0.5\n"),
                                              ("stdout", "rate 0.6\nrate 0.7\n"))) == []
    assert output_differences(first, _streams(("stdout", "rate 0.5\nrate 0.6\nrate 0.8\n")))
    # a stderr message between two prints is kept where it is
    assert output_differences(_streams(("stdout", "a\n"), ("stderr", "w\n"), ("stdout", "b\n")),
                              _streams(("stdout", "a\nb\n"), ("stderr", "w\n")))


def test_images_are_compared_byte_for_byte_and_shown_by_hash():
    def figure(png):
        shown = nbformat.v4.new_output("display_data", data={"image/png": png,
                                                              "text/plain": "<Figure>"})
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()",
                                                                         outputs=[shown])])

    assert output_differences(figure("iVBORw0KGgoAAAA"), figure("iVBORw0KGgoAAAA")) == []
    diffs = output_differences(figure("iVBORw0KGgoAAAA"), figure("iVBORw0KGgoAAAB"))
    assert len(diffs) == 1
    assert "15 characters, sha256" in diffs[0].diff and "iVBOR" not in diffs[0].diff


def test_different_notebooks_are_not_compared():
    a = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    b = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("2")])
    with pytest.raises(ValueError, match="not have the same cells"):
        output_differences(a, b, name="x.ipynb")


def test_a_deterministic_course_reproduces(tmp_path):
    course = tmp_path / "notebooks"
    course.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import random\nrandom.seed(1)\nprint(random.random())",
                                  outputs=_stdout("stale\n"))])
    nbformat.write(nb, course / "01_seeded.ipynb")
    before = _fingerprint(course)
    lines = []
    assert reproduce(course, tmp_path / "out", log=lines.append) == 0
    assert _fingerprint(course) == before
    assert (tmp_path / "out" / "run1" / "01_seeded.ipynb").is_file()
    assert (tmp_path / "out" / "run2" / "01_seeded.ipynb").is_file()
    assert "run 1 vs run 2: all 1 code cells identical in 1 notebook(s)" in lines
    # the stale committed output is reported, and does not decide the result
    assert any(line.startswith("(information) committed vs run 1: 1 of 1 code cell(s) differ")
               for line in lines)
    assert lines[-1] == "OK: the course reproduces"


def test_a_course_that_does_not_reproduce_fails_and_names_the_cell(tmp_path, capsys):
    course = tmp_path / "notebooks"
    course.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("import uuid\nprint(uuid.uuid4())")])
    nbformat.write(nb, course / "02_random.ipynb")
    assert main(["reproduce", "--out", str(tmp_path / "out"), str(course)]) == 1
    printed = capsys.readouterr().out
    assert "run 1 vs run 2: 1 of 2 code cell(s) differ, in 1 notebook(s)" in printed
    assert "02_random.ipynb, cell 1:" in printed
    assert printed.rstrip().endswith("FAILED: the course does not reproduce")
