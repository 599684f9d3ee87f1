"""Sphinx configuration of the course book (``make book``).

The source folder is the repository root (``sphinx-build -c docs/book . build/book/html``), so
the notebooks, the data card, the facilitator guide and ``docs/scale.md`` are read where they
live and their relative links keep working; ``include_patterns`` picks exactly those files.
The notebooks are rendered with the outputs they were committed with: nothing is executed and
nothing is fetched while building (no intersphinx, themes and assets come from the installed
packages).
"""

from __future__ import annotations

import json

# autodoc imports the installed package (make venv installs this checkout in editable mode;
# the corpora are reachable only through the installed package, as complaintlab._datasets)
import complaintlab

project = "complaintlab"
author = "complaintlab contributors"
copyright = "complaintlab contributors (code MIT, corpora CC BY 4.0)"
release = version = complaintlab.__version__
language = "en"

root_doc = "docs/book/index"
include_patterns = [
    "docs/book/**",
    "docs/scale.md",
    "datasets/README.md",
    "notebooks/[0-9][0-9]_*.ipynb",
    "notebooks/FACILITATOR.md",
]
# Not searched at all (include_patterns alone would still walk .venv/ and build/).
exclude_patterns = [
    ".venv", ".git", "build", "tests", "benchmarks", "complaintlab", "*.egg-info",
    ".pytest_cache", ".ruff_cache", ".hypothesis", "**/.ipynb_checkpoints",
    "docs/book/_extra",
]  # fmt: skip

extensions = [
    "myst_nb",  # also registers myst_parser for the .md files
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # the package's docstrings are numpy-style
    "sphinx.ext.viewcode",
]

# --- notebooks: render the committed outputs, never execute --------------------------------
nb_execution_mode = "off"
nb_merge_streams = True
# ipywidgets views (notebook 08) need a live kernel; the book shows their text fallback.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
# No "dollarmath": the notebooks write prices such as $1,000 in prose.
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# --- API reference ---------------------------------------------------------------------------
# `:members:` is given on each automodule (a default of True here would override the
# explicit member list of complaintlab.datasets).
autodoc_default_options = {"show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# --- HTML ------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = f"complaintlab {release}"
html_extra_path = ["_extra"]  # index.html at the top of the output: a redirect to the book
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
}


def _collapse_solutions(app, docname, source):
    """Fold the ``solution`` cells (input and output) behind a toggle, as JupyterLab does.

    The committed notebooks mark them with the tag ``solution`` and Lab's ``source_hidden``;
    myst-nb folds cells tagged ``hide-cell``. Only the text handed to the parser changes.
    """
    if not docname.startswith("notebooks/") or not source or not source[0].lstrip().startswith("{"):
        return
    nb = json.loads(source[0])
    changed = False
    for cell in nb.get("cells", []):
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "solution" in tags and "hide-cell" not in tags:
            tags.append("hide-cell")
            changed = True
    if changed:
        source[0] = json.dumps(nb, ensure_ascii=False)


def _skip_sklearn_routing(app, what, name, obj, skip, options):
    """Leave out scikit-learn's generated ``set_*_request`` methods (metadata routing).

    scikit-learn adds them to every estimator subclass; their docstrings point into
    scikit-learn's own documentation, which this book does not have.
    """
    if what == "class" and name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("source-read", _collapse_solutions)
    app.connect("autodoc-skip-member", _skip_sklearn_routing)
