"""Execute the course notebooks headless: the batch form of ``make lab``.

``python -m complaintlab.course execute --html build notebooks`` runs every notebook top to
bottom with nbclient (in the current environment's Python kernel) and writes an HTML copy of
each to ``build/``; ``--in-place`` stores the fresh outputs back into the notebooks instead
(how the committed outputs that nbval checks are regenerated). A failing cell stops the run
with the notebook's name and the cell's error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["execute_notebook", "main"]


def execute_notebook(path: Path, *, timeout: int = 600):
    """Execute one notebook (working directory: its folder) and return the executed node.

    Cells tagged ``real-data`` need the real public data samples; when they are absent
    (:func:`complaintlab.config.data_dir` is None) those cells are not run and keep their
    stored outputs, as under ``make test``, so the rest of the course still runs.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaintlab.course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="execute notebooks")
    run.add_argument("folder", type=Path, help="folder of .ipynb files (run in name order)")
    out = run.add_mutually_exclusive_group(required=True)
    out.add_argument("--html", type=Path, metavar="DIR", help="write HTML copies to DIR")
    out.add_argument("--in-place", action="store_true", help="store outputs in the notebooks")
    args = parser.parse_args(argv)

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
