# complaintlab: the one front door. `make lab` to learn, `make test` to check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# JupyterLab/nbval settings that keep everything inside the project (nothing registered globally).
export JUPYTER_PLATFORM_DIRS := 1
# No MPLBACKEND here: the notebooks need Jupyter's inline backend to show their plots (it draws
# off-screen, so it works headless in CI too); plain Python picks a non-GUI backend by itself.
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider

.PHONY: help venv lab test lint unit notebooks-test notebooks course bench clean book student \
        reproduce

help:
	@echo "make lab    - create .venv if needed, install, open the course in JupyterLab"
	@echo "make test   - create .venv if needed, lint, unit tests and doctests, nbval over every notebook"
	@echo "make course - execute every notebook headless, write HTML copies and an RTL sample plot to build/"
	@echo "make notebooks - re-execute every notebook in place (to regenerate stored outputs)"
	@echo "make bench  - measure throughput against VADER; writes benchmarks/RESULTS.md (not part of make test)"
	@echo "make book   - the course as a static HTML book with API reference, from the committed outputs: build/book/html"
	@echo "make student - the student edition (no solutions, exercise cells empty): build/student"
	@echo "make reproduce - run the whole course twice and check the outputs are identical (about 5 min)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

lab: venv
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

lint: venv
	$(BIN)/ruff check .

unit: venv
	$(BIN)/python -m pytest --doctest-modules complaintlab tests

notebooks-test: venv
	$(BIN)/python -m pytest $(NBVAL) notebooks/

test: lint unit notebooks-test

notebooks: venv
	$(BIN)/python -m complaintlab.course execute --in-place notebooks

course: venv
	$(BIN)/python -m complaintlab.course execute --html build notebooks
	$(BIN)/python -m complaintlab.plots build/rtl_labels.png

bench: venv
	$(BIN)/python benchmarks/bench_vs_vader.py
	$(BIN)/python benchmarks/bench_scale.py

# The book's own tools (Sphinx, myst-nb, the theme), installed once into the same .venv.
BOOK_STAMP := $(VENV)/.book-stamp
SPHINXOPTS ?= -q

$(BOOK_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[docs]'
	@touch $(BOOK_STAMP)

book: $(BOOK_STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -c docs/book -d build/book/doctrees . build/book/html
	@echo "the book: build/book/html/index.html"

student: venv
	$(BIN)/python -m complaintlab.course student --out build/student notebooks

reproduce: venv
	$(BIN)/python -m complaintlab.course reproduce --out build/reproduce notebooks

clean:
	rm -rf build .pytest_cache .ruff_cache
