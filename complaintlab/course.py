"""Run the course notebooks headless, make the student edition, check the course reproduces.

``python -m complaintlab.course execute --html build notebooks`` runs every notebook top to
bottom with nbclient (in the current environment's Python kernel) and writes an HTML copy of
each to ``build/``; ``--in-place`` stores the fresh outputs back into the notebooks instead
(how the committed outputs that nbval checks are regenerated). A failing cell stops the run
with the notebook's name and the cell's error.

``python -m complaintlab.course student --out build/student notebooks`` writes the student
edition (``make student``); see :func:`student_edition` for the rule. The notebooks go to
``build/student/notebooks/`` and the files their code opens by a relative ``../`` path (the
corpus CSV, the test fixtures) are copied beside them at the same relative place, so the
edition runs from that folder as it is (``jupyter lab build/student/notebooks``) with the
project's environment. The facilitator guide is left out (it has the worked answers); a link
to a file the edition does not ship becomes plain text.

``python -m complaintlab.course reproduce --out build/reproduce notebooks`` runs the whole
course twice (``make reproduce``), stores both runs in ``build/reproduce/run1`` and ``run2``
and compares every code cell's outputs as canonical JSON (:func:`output_differences`); any
difference between the two runs is an error. Run 1 is also compared with the committed
outputs, for information. The notebooks folder is never written to (it is checked).
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "SOLUTION_TAG",
    "CellDifference",
    "StudentReport",
    "execute_notebook",
    "exercise_cells",
    "main",
    "output_differences",
    "reproduce",
    "student_edition",
    "write_student_edition",
]

#: Cells with this tag hold a worked solution; the student edition leaves them out.
SOLUTION_TAG = "solution"

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Sentences that speak of the hidden solutions, and what the student edition says instead.
_ADAPTED = (
    (re.compile(r"The\s+solutions\s+are\s+in\s+the\s+collapsed\s+cells\s+below"
                r"(?:\s*\([^)]*\))?\."),
     "Work them out here: this edition has no solutions (your facilitator has them)."),
    (re.compile(r"exercises\s+whose\s+solutions\s+are\s+hidden"),
     "exercises (the solutions are with your facilitator)"),
)  # fmt: skip
_LINK = re.compile(r"\[(?P<text>[^\]\n]+)\]\((?P<target>[^)\s]+)\)")
_RELATIVE_FILE = re.compile(r"""(["'])(\.\./[^"'\n]+?)\1""")
_MARKER = ".complaintlab-student"


def execute_notebook(path: Path, *, timeout: int = 600):
    """Execute one notebook (working directory: its folder) and return the executed node.

    Cells tagged ``real-data`` need the real public data samples; when they are absent
    (:func:`complaintlab.config.data_dir` is None) those cells are not run and keep their
    stored outputs, as under ``make test``, so the rest of the course still runs. The
    notebook file itself is only read.
    """
    import nbformat
    from nbclient import NotebookClient

    from complaintlab.config import data_dir

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    skip_real = data_dir() is None
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if skip_real and "real-data" in cell.get("metadata", {}).get("tags", []):
                continue
            client.execute_cell(cell, index)
    for cell in nb.cells:  # keep diffs quiet: no per-run metadata
        cell.get("metadata", {}).pop("execution", None)
    return nb


# ---------------------------------------------------------------------------------------------
# the student edition


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _top_headings(markdown: str) -> list[str]:
    """Titles of the ``#`` and ``##`` headings of a markdown cell, outside fenced code."""
    prose = _FENCE.sub("", markdown)
    return [title for hashes, title in _HEADING.findall(prose) if len(hashes) <= 2]


def exercise_cells(nb) -> list[int]:
    """Indices of the exercise code cells: in the Exercises section and not a solution.

    The Exercises section starts at the markdown cell whose last ``#``/``##`` heading is
    "Exercises" and ends at the next markdown cell with a ``#``/``##`` heading (usually
    "Key points") or at the end of the notebook; ``###`` subheadings do not end it, and
    lines inside fenced code are not headings.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("x = 1"),
    ...     nbformat.v4.new_markdown_cell("## Exercises\\n\\n1. Print x."),
    ...     nbformat.v4.new_code_cell("# your answer"),
    ...     nbformat.v4.new_markdown_cell("## Key points"),
    ...     nbformat.v4.new_code_cell("x")])
    >>> exercise_cells(nb)
    [2]
    """
    found, inside = [], False
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            headings = _top_headings(cell.source)
            if headings:
                inside = headings[-1].strip().rstrip(":").casefold() == "exercises"
        elif cell.cell_type == "code" and inside and SOLUTION_TAG not in _tags(cell):
            found.append(index)
    return found


@dataclass
class StudentReport:
    """What :func:`student_edition` changed, by the cell indices of the full notebook."""

    name: str
    cells: int
    removed: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)
    adapted: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``name: N cells, -R solution(s), C exercise cell(s) cleared, A adapted``."""
        return (f"{self.name}: {self.cells} cells, -{len(self.removed)} solution(s), "
                f"{len(self.cleared)} exercise cell(s) cleared, {len(self.adapted)} adapted")


def _unlink(markdown: str, keep) -> str:
    def replace(match: re.Match) -> str:
        target = match["target"]
        if ":" in target or target.startswith("#") or keep(target.split("#")[0]):
            return match[0]
        return match["text"]

    return _LINK.sub(replace, markdown)


def student_edition(nb, *, name: str = "notebook", shipped=None):
    """The student edition of one notebook: ``(new_notebook, StudentReport)``.

    The rule:

    - cells tagged ``solution`` are removed, wherever they are;
    - exercise code cells (:func:`exercise_cells`) keep their source but lose their outputs
      and execution count, so students see an empty answer cell;
    - the sentences that point to the collapsed solutions are rewritten to say the
      facilitator has them;
    - when ``shipped`` is given (a function that says whether a relative link target is part
      of the edition), a markdown link to anything else becomes its plain text;
    - every other cell, and the notebook's metadata, is left exactly as it is.

    The input notebook is not changed.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("## Exercises\\n\\nThe solutions are in the collapsed "
    ...                                   "cells below (click the bar to expand them)."),
    ...     nbformat.v4.new_code_cell("answer = 6 * 7", execution_count=3),
    ...     nbformat.v4.new_code_cell("print(42)", metadata={"tags": ["solution"]})])
    >>> student, report = student_edition(nb, name="demo")
    >>> [cell.cell_type for cell in student.cells]
    ['markdown', 'code']
    >>> student.cells[1].execution_count is None, report.removed, report.cleared
    (True, [2], [1])
    >>> "facilitator" in student.cells[0].source
    True
    """
    exercises = set(exercise_cells(nb))
    report = StudentReport(name=name, cells=len(nb.cells))
    out = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(out.cells):
        if SOLUTION_TAG in _tags(cell):
            report.removed.append(index)
            continue
        if index in exercises:
            if cell.outputs or cell.execution_count is not None:
                report.cleared.append(index)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            source = cell.source
            for pattern, replacement in _ADAPTED:
                source = pattern.sub(replacement, source)
            if shipped is not None:
                source = _unlink(source, shipped)
            if source != cell.source:
                cell.source = source
                report.adapted.append(index)
        cells.append(cell)
    out.cells = cells
    return out, report


def _relative_files(nb) -> list[str]:
    """The ``"../…"`` paths that the code cells of a notebook open, in order of appearance."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for _, path in _RELATIVE_FILE.findall(cell.source):
                if path not in found:
                    found.append(path)
    return found


def _prepare_output(out: Path, source: Path) -> None:
    out = out.resolve()
    if out == source or source.is_relative_to(out / "notebooks") or out.is_relative_to(source):
        raise ValueError(f"the student edition cannot be written to {out}: it would overwrite "
                         f"or sit inside the notebooks it is made from ({source})")
    if out.exists():
        if (out / _MARKER).is_file():
            shutil.rmtree(out)
        elif any(out.iterdir()):
            raise ValueError(f"{out} exists, is not empty and is not a student edition made by "
                             f"this command; choose an empty or new folder")
    out.mkdir(parents=True, exist_ok=True)
    (out / _MARKER).write_text("made by python -m complaintlab.course student\n",
                               encoding="utf-8")


_STUDENT_README = """# complaintlab · student edition

The course notebooks without the worked solutions, made from the facilitators' edition by
`make student` (`python -m complaintlab.course student`). Do not edit this folder: it is
rebuilt from `notebooks/` every time.

- `notebooks/` the numbered notebooks. Exercise cells are empty (no outputs); the solution
  cells are not included, and neither is the facilitator guide.
- {files}

Open it with the project's environment, from the repository root:
`.venv/bin/jupyter lab build/student/notebooks` (or `jupyter lab` inside this folder with
complaintlab installed). The real public data samples are found as in the full edition
(`COMPLAINTLAB_DATA`, or `../shared/data` beside the repository).
"""


def write_student_edition(source: Path, out: Path) -> list[StudentReport]:
    """Write the student edition of every ``NN_name.ipynb`` in ``source`` to ``out``.

    The notebooks go to ``out/notebooks/``; each file their code opens by a ``../`` path is
    copied to the same place relative to them (``out/datasets/…``, ``out/tests/fixtures/…``),
    so the edition runs as it is. ``out`` is replaced if it holds an earlier edition made by
    this function; any other non-empty folder is refused, and so is a folder that would
    overwrite ``source``. A file that a notebook opens but that does not exist is an error
    naming the notebook and the path.

    >>> import shutil, tempfile, nbformat
    >>> from pathlib import Path
    >>> tmp = Path(tempfile.mkdtemp())
    >>> (tmp / "course").mkdir()
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    >>> nbformat.write(nb, tmp / "course" / "01_one.ipynb")
    >>> [r.summary() for r in write_student_edition(tmp / "course", tmp / "student")]
    ['01_one.ipynb: 1 cells, -0 solution(s), 0 exercise cell(s) cleared, 0 adapted']
    >>> sorted(p.name for p in (tmp / "student" / "notebooks").iterdir())
    ['01_one.ipynb']
    >>> shutil.rmtree(tmp)
    """
    import nbformat

    source = Path(source).resolve()
    notebooks = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise ValueError(f"no numbered notebooks (NN_name.ipynb) in {source}")
    full = {path.name: nbformat.read(path, as_version=4) for path in notebooks}
    out = Path(out)
    _prepare_output(out, source)

    editions, copies = {}, {}
    for path in notebooks:
        student, _ = student_edition(full[path.name], name=path.name)
        for relative in _relative_files(student):
            origin = (source / relative).resolve()
            if not (out.resolve() / "notebooks" / relative).resolve().is_relative_to(
                    out.resolve()):
                raise ValueError(f"{path.name} opens {relative!r}, outside the folder the "
                                 f"edition can copy it to")
            if not origin.is_file():
                raise FileNotFoundError(f"{path.name} opens {relative!r}, which is not a file "
                                        f"({origin})")
            copies[relative] = origin
        editions[path.name] = student

    def shipped(target: str) -> bool:
        target = target.removeprefix("./")
        return target in editions or target in copies

    reports = []
    folder = out / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in full.items():
        student, report = student_edition(nb, name=name, shipped=shipped)
        nbformat.validate(student)
        nbformat.write(student, folder / name)
        reports.append(report)
    for relative, origin in sorted(copies.items()):
        target = (folder / relative).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, target)
    listed = ", ".join(f"`{Path(r).relative_to('..')}`" for r in sorted(copies)) or "nothing"
    (out / "README.md").write_text(
        _STUDENT_README.format(files=f"{listed}: the files the notebooks open by a relative "
                                     f"path, copied from the repository."),
        encoding="utf-8")
    return reports


# ---------------------------------------------------------------------------------------------
# reproducibility


@dataclass
class CellDifference:
    """One code cell whose outputs differ between two runs of the same notebook."""

    notebook: str
    cell: int
    diff: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell}:\n{self.diff}"


def _canonical(outputs, *, shown: bool = False) -> str:
    """Outputs as canonical JSON: sorted keys, consecutive stream outputs of one name joined
    (how the kernel cuts printed text into messages depends on timing), and the random ids of
    widget views replaced. ``shown``: images as their size and hash, for a readable diff."""
    merged: list[dict] = []
    for output in copy.deepcopy([dict(output) for output in outputs]):
        last = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last.get("name") == output.get("name")):
            last["text"] = last.get("text", "") + output.get("text", "")
        else:
            merged.append(output)
    outputs = merged
    for output in outputs:
        view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
        if isinstance(view, dict) and "model_id" in view:  # a fresh uuid4 on every run
            view["model_id"] = "<widget model id>"
        if shown:
            for kind, value in output.get("data", {}).items():
                if kind.startswith("image/") and isinstance(value, str):
                    digest = hashlib.sha256(value.encode()).hexdigest()[:12]
                    output["data"][kind] = f"<{len(value)} characters, sha256 {digest}>"
    return json.dumps(outputs, sort_keys=True, ensure_ascii=False, indent=1)


def output_differences(first, second, *, name: str = "notebook",
                       context: int = 12) -> list[CellDifference]:
    """The code cells whose outputs differ between two executions of one notebook.

    Outputs are compared as canonical JSON (keys sorted), byte for byte, images included,
    with two allowances for what Jupyter itself varies from run to run: consecutive ``stream``
    outputs of the same name (stdout, stderr) are joined first, because how the kernel cuts
    printed text into messages depends on timing (nbval does the same), and the random
    ``model_id`` of ipywidgets views is not compared. Each difference carries a short unified
    diff (at most ``context`` lines). Notebooks with different cells are an error (they are
    not two runs of the same notebook).

    >>> import nbformat
    >>> def run(text):
    ...     shown = nbformat.v4.new_output("stream", name="stdout", text=text)
    ...     return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)",
    ...                                                                       outputs=[shown])])
    >>> a, b = run("1\\n"), run("2\\n")
    >>> output_differences(a, a)
    []
    >>> [(d.notebook, d.cell) for d in output_differences(a, b, name="demo.ipynb")]
    [('demo.ipynb', 0)]
    """
    sources = [(c.cell_type, c.source) for c in first.cells]
    if sources != [(c.cell_type, c.source) for c in second.cells]:
        raise ValueError(f"{name}: the two notebooks do not have the same cells")
    found = []
    for index, (a, b) in enumerate(zip(first.cells, second.cells, strict=True)):
        if a.cell_type != "code":
            continue
        left, right = _canonical(a.outputs), _canonical(b.outputs)
        if left != right:
            left, right = _canonical(a.outputs, shown=True), _canonical(b.outputs, shown=True)
            lines = list(difflib.unified_diff(left.splitlines(), right.splitlines(),
                                              "first", "second", n=1, lineterm=""))
            shown = [line if len(line) <= 160 else line[:157] + "..." for line in lines]
            if len(shown) > context:
                shown = [*shown[:context], f"... ({len(lines) - context} more diff lines)"]
            found.append(CellDifference(name, index, "\n".join(shown)))
    return found


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
            and ".ipynb_checkpoints" not in path.parts}


def reproduce(source: Path, out: Path, *, runs: int = 2, timeout: int = 600,
              log=print) -> int:
    """Run every notebook of ``source`` ``runs`` times and check the outputs are identical.

    Each run writes its executed notebooks to ``out/runN/``; the notebooks in ``source`` are
    only read (they are fingerprinted before and after, and a change is an error). Every
    run is compared with the first (:func:`output_differences`): the first differing cell of
    each notebook is logged with a short diff. Run 1 is also compared with the committed
    outputs; that is logged but does not decide the result. Returns 0 when all runs agree
    and ``source`` is unchanged, else 1.
    """
    import nbformat

    source, out = Path(source), Path(out)
    if runs < 2:
        raise ValueError(f"runs must be at least 2 to compare runs, not {runs}")
    notebooks = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise ValueError(f"no numbered notebooks (NN_name.ipynb) in {source}")
    before = _fingerprint(source)
    executed: list[dict] = []
    for run in range(1, runs + 1):
        folder = out / f"run{run}"
        folder.mkdir(parents=True, exist_ok=True)
        results, started = {}, time.perf_counter()
        for path in notebooks:
            tick = time.perf_counter()
            nb = execute_notebook(path, timeout=timeout)
            nbformat.write(nb, folder / path.name)
            results[path.name] = nb
            log(f"run {run}: {path.name} executed in {time.perf_counter() - tick:.1f} s")
        log(f"run {run}: {len(notebooks)} notebook(s) in {time.perf_counter() - started:.1f} s "
            f"-> {folder}")
        executed.append(results)

    failed = False
    after = _fingerprint(source)
    changed = sorted(name for name in set(before) | set(after)
                     if before.get(name) != after.get(name))
    if changed:
        failed = True
        log(f"ERROR: running the course changed files in {source}: {', '.join(changed)}")
    cells = sum(c.cell_type == "code" for nb in executed[0].values() for c in nb.cells)
    for run, results in enumerate(executed[1:], start=2):
        differing = []
        for name, first in executed[0].items():
            diffs = output_differences(first, results[name], name=name)
            if diffs:
                differing.append(diffs)
        if differing:
            failed = True
            total = sum(len(d) for d in differing)
            log(f"run 1 vs run {run}: {total} of {cells} code cell(s) differ, in "
                f"{len(differing)} notebook(s); first differing cell of each:")
            for diffs in differing:
                log(f"{diffs[0]}")
        else:
            log(f"run 1 vs run {run}: all {cells} code cells identical in {len(notebooks)} "
                f"notebook(s)")

    committed_diffs = []
    for path in notebooks:
        committed = nbformat.read(path, as_version=4)
        diffs = output_differences(committed, executed[0][path.name], name=path.name)
        committed_diffs.extend(diffs)
    if committed_diffs:
        log(f"(information) committed vs run 1: {len(committed_diffs)} of {cells} code cell(s) "
            f"differ: {', '.join(f'{d.notebook} cell {d.cell}' for d in committed_diffs)}; "
            f"first:\n{committed_diffs[0]}")
    else:
        log(f"(information) committed vs run 1: all {cells} code cells identical")
    log("FAILED: the course does not reproduce" if failed else "OK: the course reproduces")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------
# command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaintlab.course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="execute notebooks")
    run.add_argument("folder", type=Path, help="folder of .ipynb files (run in name order)")
    out = run.add_mutually_exclusive_group(required=True)
    out.add_argument("--html", type=Path, metavar="DIR", help="write HTML copies to DIR")
    out.add_argument("--in-place", action="store_true", help="store outputs in the notebooks")
    student = sub.add_parser("student", help="write the student edition (no solutions)")
    student.add_argument("folder", type=Path, help="folder of the full NN_name.ipynb notebooks")
    student.add_argument("--out", type=Path, default=Path("build/student"), metavar="DIR",
                         help="where to write it (default: build/student)")
    again = sub.add_parser("reproduce", help="run the course twice and compare the outputs")
    again.add_argument("folder", type=Path, help="folder of the NN_name.ipynb notebooks")
    again.add_argument("--out", type=Path, default=Path("build/reproduce"), metavar="DIR",
                       help="where the runs go (DIR/run1, DIR/run2; default: build/reproduce)")
    again.add_argument("--runs", type=int, default=2, help="how many runs (default: 2)")
    args = parser.parse_args(argv)

    if args.command == "student":
        try:
            reports = write_student_edition(args.folder, args.out)
        except (ValueError, FileNotFoundError) as error:
            parser.error(str(error))
        for report in reports:
            print(report.summary(), flush=True)
        print(f"student edition of {len(reports)} notebook(s) written to {args.out}", flush=True)
        return 0
    if args.command == "reproduce":
        try:
            return reproduce(args.folder, args.out, runs=args.runs,
                             log=lambda line: print(line, flush=True))
        except ValueError as error:
            parser.error(str(error))

    import nbformat

    notebooks = sorted(args.folder.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        parser.error(f"no numbered notebooks (NN_name.ipynb) in {args.folder}")
    for path in notebooks:
        print(f"executing {path.name}", flush=True)
        nb = execute_notebook(path)
        if args.in_place:
            nbformat.write(nb, path)
        else:
            from nbconvert import HTMLExporter

            args.html.mkdir(parents=True, exist_ok=True)
            body, _ = HTMLExporter().from_notebook_node(nb)
            (args.html / f"{path.stem}.html").write_text(body, encoding="utf-8")
    print(f"{len(notebooks)} notebook(s) executed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
