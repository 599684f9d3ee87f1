import nbformat
import pytest

from complaintlab.course import execute_notebook, main


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
