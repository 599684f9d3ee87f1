"""The numbered course notebooks read as one course.

Every ``notebooks/NN_name.ipynb``:

- opens with a header cell of one shape: ``# NN · Title``, then
  ``*Estimated time: N minutes* · previous: [NN · Title](file) · next: [NN · Title](file)``
  (00 has no previous; 08 links the facilitator guide instead of a next notebook; every link
  points to a file that exists and carries that file's own title), then **Questions** (each
  one a question) and **Objectives** (each one a sentence);
- ends with a ``## Key points`` cell and, last of all, a navigation footer that repeats the
  header's links;
- is stored freshly executed: execution counts 1..n in order, no errors or stderr, no machine
  paths (home or temporary folders) in sources or outputs;
- uses the package's names as it spells them today (imports, ``module.attribute``,
  ``complaintlab.x.y`` anywhere, ``complaintlab`` commands), the six languages and the
  complainant types in the package's order, and draws figures only with the helpers of
  :mod:`complaintlab.plots`, with titles and labels in sentence case.

Each rule is a function that returns a list of problems; the tests at the end break a copy of
a real notebook on purpose to show that each rule can fail.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib
import io
import json
import re
import shlex
import types
from pathlib import Path

import pytest

from complaintlab.datasets import COMPLAINANT_TYPES, LANGS

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]_*.ipynb"))
GUIDE = FOLDER / "FACILITATOR.md"
IDS = [path.stem for path in NOTEBOOKS]

LANGUAGE_NAMES = {"he": "Hebrew", "bg": "Bulgarian", "fa": "Persian", "ar": "Arabic",
                  "ru": "Russian", "en": "English"}  # fmt: skip
TITLE = re.compile(r"# (?P<number>\d\d) · (?P<name>[A-Z][^\n:·]*[^\s.:·])")
TIME = re.compile(r"\*Estimated time: (?P<minutes>[1-9]\d*) minutes\*")
LINK = re.compile(r"(?P<label>previous|next|guide): \[(?P<text>[^\]\n]+)\]\((?P<target>[^)\s]+)\)")
MACHINE_PATH = re.compile(r"(?:^|[\s'\"(=:,\[])(?:/(?:root|tmp|home|work|Users)(?=/|\b)|"
                          r"[A-Za-z]:\\\\?Users\\)")  # fmt: skip
PLOT_METHODS = {"plot", "hist", "bar", "barh", "scatter", "imshow", "pie", "boxplot", "heatmap"}
LABEL_KEYWORDS = {"title", "xlabel", "ylabel", "caption"}


# ---------------------------------------------------------------------------------------------
# reading


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def code_cells(nb: dict) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def markdown(nb: dict) -> list[str]:
    return [text(cell) for cell in nb["cells"] if cell["cell_type"] == "markdown"]


def output_texts(cell: dict) -> list[str]:
    """Every piece of text a code cell shows (streams, text data, tracebacks), never images."""
    texts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append("".join(output["text"]) if isinstance(output["text"], list)
                         else output["text"])  # fmt: skip
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                texts.append("".join(value) if isinstance(value, list) else json.dumps(value))
        texts.extend(output.get("traceback", []))
    return texts


def title_of(path: Path) -> str | None:
    """A notebook's title (``NN · Name``) or a markdown file's first heading."""
    if not path.is_file():
        return None
    if path.suffix == ".ipynb":
        first = text(read(path)["cells"][0]).split("\n", 1)[0]
        match = TITLE.fullmatch(first)
        return f"{match['number']} · {match['name']}" if match else None
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    return first[2:] if first.startswith("# ") else None


def expected_links(path: Path) -> list[tuple[str, Path]]:
    """The header's links for a numbered notebook: previous and next, 08 the guide instead."""
    position = NOTEBOOKS.index(path)
    links = [("previous", NOTEBOOKS[position - 1])] if position > 0 else []
    if position + 1 < len(NOTEBOOKS):
        links.append(("next", NOTEBOOKS[position + 1]))
    else:
        links.append(("guide", GUIDE))
    return links


def bullet_items(block: str, heading: str | None) -> tuple[list[str], list[str]]:
    """(items, problems) of a markdown list block, optionally under a ``**heading**`` line."""
    lines = block.split("\n")
    problems = []
    if heading is not None:
        if lines[0] != f"**{heading}**":
            return [], [f"expected a **{heading}** line, found {lines[0]!r}"]
        lines = lines[1:]
    items: list[str] = []
    for line in lines:
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        else:
            problems.append(f"not a list item: {line!r}")
    return items, problems


# ---------------------------------------------------------------------------------------------
# the rules: each returns a list of problems (empty: the rule holds)


def nav_problems(line: str, expected: list[tuple[str, Path]]) -> list[str]:
    """``label: [title](file)`` links, in the expected order, to existing files, right titles."""
    links = list(LINK.finditer(line))
    problems = []
    rebuilt = " · ".join(link.group(0) for link in links)
    if not line.endswith(rebuilt) or not links:
        problems.append(f"navigation links are not of the form 'label: [title](file)': {line!r}")
    labels = [link["label"] for link in links]
    if labels != [label for label, _ in expected]:
        problems.append(f"links {labels}, expected {[label for label, _ in expected]}")
    for link, (_, target) in zip(links, expected, strict=False):
        path = FOLDER / link["target"]
        if not path.is_file():
            problems.append(f"link to {link['target']!r}: no such file")
        elif path.resolve() != target.resolve():
            problems.append(f"{link['label']} points to {link['target']!r}, not {target.name!r}")
        elif link["text"] != title_of(path):
            problems.append(f"link text {link['text']!r} is not the title {title_of(path)!r}")
    return problems


def header_problems(nb: dict, path: Path) -> list[str]:
    first = nb["cells"][0]
    if first["cell_type"] != "markdown":
        return ["the first cell is not markdown"]
    blocks = text(first).strip("\n").split("\n\n")
    if len(blocks) != 4:
        return [f"header has {len(blocks)} blocks (title, time and links, Questions, "
                "Objectives expected)"]  # fmt: skip
    title, nav, questions, objectives = blocks
    problems = []
    match = TITLE.fullmatch(title)
    if match is None:
        problems.append(f"title is not '# NN · Name' (sentence case, no subtitle): {title!r}")
    elif match["number"] != path.name[:2]:
        problems.append(f"title number {match['number']} in {path.name}")
    time = TIME.match(nav)
    if time is None or "\n" in nav:
        problems.append(f"time and links are not one line '*Estimated time: N minutes* · ...': "
                        f"{nav!r}")  # fmt: skip
    else:
        problems += nav_problems(nav[time.end():], expected_links(path))
    asked, trouble = bullet_items(questions, "Questions")
    problems += trouble
    problems += [f"question without '?': {q!r}" for q in asked if not q.endswith("?")]
    aims, trouble = bullet_items(objectives, "Objectives")
    problems += trouble
    problems += [f"objective is not a sentence: {o!r}" for o in aims
                 if not (o[:1].isupper() and o.endswith("."))]  # fmt: skip
    for name, found in (("questions", asked), ("objectives", aims)):
        if not 2 <= len(found) <= 4:
            problems.append(f"{len(found)} {name} (2 to 4 expected)")
    return problems


def footer_problems(nb: dict, path: Path) -> list[str]:
    """Second to last: ``## Key points`` and bullets; last: rule, the header's links, one line."""
    cells = nb["cells"]
    problems = []
    summary = cells[-2] if len(cells) > 1 else {"cell_type": "none", "source": ""}
    body = text(summary)
    if summary["cell_type"] != "markdown" or not body.startswith("## Key points\n\n"):
        problems.append("the second to last cell is not the '## Key points' summary")
    else:
        points, trouble = bullet_items(body.removeprefix("## Key points\n\n").strip("\n"), None)
        problems += trouble
        if len(points) < 2:
            problems.append("fewer than two key points")
    last = cells[-1]
    if last["cell_type"] != "markdown":
        return [*problems, "the last cell is not a markdown navigation footer"]
    blocks = text(last).strip("\n").split("\n\n")
    if len(blocks) != 3 or blocks[0] != "---" or "\n" in blocks[2]:
        return [*problems, "footer is not: '---', the links, one closing line"]
    header = text(cells[0]).split("\n\n")
    header_links = header[1][TIME.match(header[1]).end():] if len(header) > 1 and TIME.match(
        header[1]) else None
    if header_links is None or " · " + blocks[1] != header_links:
        problems.append(f"footer links {blocks[1]!r} differ from the header's {header_links!r}")
    problems += nav_problems(blocks[1], expected_links(path))
    return problems


def execution_problems(nb: dict) -> list[str]:
    problems = []
    counts = [cell.get("execution_count") for cell in code_cells(nb)]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"execution counts {counts}, expected 1..{len(counts)} in order")
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if not text(cell).strip():
            problems.append(f"cell {index} is an empty code cell")
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "error":
                problems.append(f"cell {index} stores an error: {output.get('ename')}")
            elif kind == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} stores stderr output")
            elif kind == "execute_result" and output.get("execution_count") != cell.get(
                    "execution_count"):
                problems.append(f"cell {index} has a stale result (count differs)")
    return problems


def machine_path_problems(nb: dict) -> list[str]:
    problems = []
    for index, cell in enumerate(nb["cells"]):
        for where, value in [("source", text(cell))] + [("output", t) for t in output_texts(cell)]:
            match = MACHINE_PATH.search(value)
            if match:
                problems.append(f"cell {index} {where} shows a machine path: {match.group(0)!r}")
    return problems


def resolve(dotted: str) -> object:
    """Import ``complaintlab.x.y...``: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)  # AttributeError: not there
        return found
    raise ImportError(dotted)


def _imported(node: ast.AST, names: dict) -> list[str]:
    """Check one import statement and record what it binds; returns problems."""
    problems = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] == "complaintlab":
                try:
                    module = importlib.import_module(alias.name)
                except ImportError:
                    problems.append(f"import {alias.name}: no such module")
                    continue
                names[alias.asname or alias.name.split(".")[0]] = (
                    module if alias.asname else importlib.import_module("complaintlab"))
    elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "complaintlab":
        try:
            module = importlib.import_module(node.module)
        except ImportError:
            return [f"from {node.module} import ...: no such module"]
        for alias in node.names:
            try:
                names[alias.asname or alias.name] = resolve(f"{node.module}.{alias.name}")
            except (ImportError, AttributeError):
                problems.append(f"from {node.module} import {alias.name}: not in the package")
    return problems


def _chain(node: ast.Attribute) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def name_problems(nb: dict) -> list[str]:
    """Every complaintlab name used in code or markdown exists in the package today."""
    problems = []
    names: dict = {}
    for index, cell in enumerate(code_cells(nb)):
        try:
            tree = ast.parse(text(cell))
        except SyntaxError as error:
            problems.append(f"code cell {index} does not parse: {error}")
            continue
        for node in ast.walk(tree):
            problems += _imported(node, names)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
                continue
            chain = _chain(node)
            if not chain or not isinstance(names.get(chain[0]), types.ModuleType | type):
                continue
            found = names[chain[0]]
            for attribute in chain[1:]:
                if not isinstance(found, types.ModuleType | type):
                    break
                if not hasattr(found, attribute):
                    problems.append(f"{'.'.join(chain)}: {found.__name__} has no {attribute!r}")
                    break
                found = getattr(found, attribute)
    dotted = re.compile(r"complaintlab(?:\.[A-Za-z_]\w*)+")
    dotted_names = {m.group(0) for cell in nb["cells"] for m in dotted.finditer(text(cell))}
    for name in sorted(dotted_names):
        try:
            resolve(name)
        except (ImportError, AttributeError):
            problems.append(f"{name}: not in the package")
    problems += command_problems(nb)
    return problems


def command_problems(nb: dict) -> list[str]:
    """``complaintlab <command> ...`` lines in markdown parse with the real command line."""
    from complaintlab.cli import _parser

    subcommands = {name for action in _parser()._actions
                   if isinstance(action, argparse._SubParsersAction) for name in action.choices}
    problems = []
    for body in markdown(nb):
        commands = [" ".join(m.group(1).split()) for m in
                    re.finditer(r"`(complaintlab [a-z][^`]*)`", body)]  # fmt: skip
        commands += [line.split("#")[0].strip() for line in body.split("\n")
                     if line.startswith("complaintlab ")]  # fmt: skip
        for command in commands:
            words = shlex.split(command)[1:]
            if len(words) == 1:  # a command named in the text, without its arguments
                valid = words[0] in subcommands
            else:
                with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(
                        io.StringIO()):
                    try:
                        _parser().parse_args(words)
                        valid = True
                    except SystemExit:
                        valid = False
            if not valid:
                problems.append(f"not a valid complaintlab command: {command!r}")
    return problems


def _runs(body: str, words: dict[str, str]) -> list[list[str]]:
    """Runs of two or more of ``words`` (values) joined by ',', 'and', 'or' or '/'."""
    name = "|".join(re.escape(w) for w in sorted(words.values(), key=len, reverse=True))
    joined = rf"`?(?:{name})`?(?:(?:,? and |,? or |, |/)`?(?:{name})`?)+"
    return [re.findall(name, m.group(0)) for m in re.finditer(joined, body)]


def _listed(node: ast.AST) -> list[str]:
    """Language codes a list literal in code walks through: its items, or its rows' first items
    (``["he", "bg", "und"]``, ``[("he", "text"), ("bg", "text")]``), repeats collapsed."""
    if not isinstance(node, ast.List | ast.Tuple):
        return []
    items = [e.elts[0] if isinstance(e, ast.List | ast.Tuple) and e.elts else e
             for e in node.elts]  # fmt: skip
    if not items or not all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                            for e in items):  # fmt: skip
        return []
    found = [e.value for e in items if e.value in LANGS]
    return [code for i, code in enumerate(found) if i == 0 or found[i - 1] != code]


def type_names() -> dict[str, int]:
    """Every spelling of a complainant type the package uses (label and English name), ranked."""
    from complaintlab.taxonomy import definitions

    names = definitions("en").loc["complainant_type", "name"]
    ranks = {label: rank for rank, label in enumerate(COMPLAINANT_TYPES)}
    return ranks | {names[label].lower(): rank for label, rank in ranks.items()}


def wording_problems(nb: dict) -> list[str]:
    """Same names for the same things, and the six languages always in the package's order."""
    problems = []
    for index, cell in enumerate(nb["cells"]):
        for value in [text(cell), *output_texts(cell)]:
            wrong = re.search(r"complainer[ _]types?|types? of complainers?", value, re.IGNORECASE)
            if wrong:
                problems.append(f"cell {index}: {wrong.group(0)!r}, say 'complainant type'")
    language_rank = {LANGUAGE_NAMES[code]: rank for rank, code in enumerate(LANGS)}
    language_rank.update({code: rank for rank, code in enumerate(LANGS)})
    codes = {code: code for code in LANGS}
    prose = [" ".join(re.sub(r"```.*?```", "", body, flags=re.DOTALL).split())
             for body in markdown(nb)]  # without code blocks, on one line
    runs = [run for body in prose for run in _runs(body, LANGUAGE_NAMES) + _runs(body, codes)]
    for cell in code_cells(nb):
        runs += [run for value in output_texts(cell) for run in _runs(value, codes)]
        runs += [run for node in ast.walk(ast.parse(text(cell))) if (run := _listed(node))]
    for run in runs:  # a list of three or more languages: always in the package's order
        ranks = [language_rank[word] for word in run]
        if len(run) >= 3 and ranks != sorted(ranks):
            problems.append(f"languages out of the order {', '.join(LANGS)}: {run}")
    spellings = type_names()
    for body in prose:
        lower = body.lower()
        for run in _runs(lower, {name: name for name in spellings}):
            ranks = [spellings[word] for word in run]
            if len(run) >= 3 and ranks != sorted(ranks):
                problems.append(f"complainant types out of the package's order: {run}")
        for label in COMPLAINANT_TYPES:
            variants = {label.replace("_", "-"), label.replace("_", " "), label.replace("_", "")}
            for variant in variants - set(spellings):
                if re.search(rf"(?<![\w-]){re.escape(variant)}s?(?![\w-])", lower):
                    problems.append(f"complainant type spelled {variant!r}: use `{label}` or "
                                    "its name in the package's definitions")  # fmt: skip
    return problems


def sentence_case(label: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", label)
    if not words or not words[0][0].isupper():
        return False
    long = [word for word in words[1:] if len(word) >= 4]
    return not (len(long) >= 2 and all(word[0].isupper() for word in long))


def plot_problems(nb: dict) -> list[str]:
    """Figures only through complaintlab.plots; titles and labels in sentence case."""
    problems = []
    from_plots: set[str] = set()
    for index, cell in enumerate(code_cells(nb)):
        tree = ast.parse(text(cell))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "complaintlab.plots":
                from_plots.update(alias.asname or alias.name for alias in node.names)
            modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for module in modules:
                if module.split(".")[0] in {"matplotlib", "seaborn", "plotly", "altair"}:
                    problems.append(f"code cell {index} imports {module}: use complaintlab.plots")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in PLOT_METHODS:
                problems.append(f"code cell {index} draws with .{func.attr}(): use "
                                "complaintlab.plots")  # fmt: skip
            if isinstance(func, ast.Name) and func.id.startswith("plot_") and (
                    func.id not in from_plots):
                problems.append(f"code cell {index}: {func.id} is not imported from "
                                "complaintlab.plots")  # fmt: skip
            for keyword in node.keywords:
                value = keyword.value
                if isinstance(value, ast.JoinedStr) and value.values:
                    value = value.values[0]
                if (keyword.arg in LABEL_KEYWORDS and isinstance(value, ast.Constant)
                        and isinstance(value.value, str) and not sentence_case(value.value)):
                    problems.append(f"code cell {index}: {keyword.arg}={value.value!r} is not "
                                    "in sentence case")  # fmt: skip
    return problems


def course_map_problems(welcome: dict) -> list[str]:
    """00's course map links every notebook by its title, with the header's minutes."""
    problems = []
    rows = {m["number"]: m for m in re.finditer(
        r"^\| (?P<number>\d\d) \| \[(?P<name>[^\]]+)\]\((?P<target>[^)]+)\) \|[^\n]*\| "
        r"(?P<minutes>\d+) \|$", "\n".join(markdown(welcome)), re.MULTILINE)}  # fmt: skip
    for path in NOTEBOOKS:
        row = rows.get(path.name[:2])
        minutes = TIME.search(text(read(path)["cells"][0]))
        if row is None:
            problems.append(f"the course map has no linked row for {path.name}")
        elif (row["target"] != path.name or f"{row['number']} · {row['name']}" != title_of(path)
              or minutes is None or row["minutes"] != minutes["minutes"]):
            problems.append(f"the course map row for {path.name} does not match its header")
    return problems


def guide_problems(guide: str) -> list[str]:
    """The facilitator guide has a section '<title> (<minutes> min)' for every notebook."""
    problems = []
    for path in NOTEBOOKS:
        title = title_of(path)
        minutes = TIME.search(text(read(path)["cells"][0]))
        heading = rf"^#+ {re.escape(str(title))} \({minutes['minutes'] if minutes else '?'} min\)$"
        if not re.search(heading, guide, re.MULTILINE):
            problems.append(f"the guide has no heading '{title} (... min)' matching {path.name}")
    return problems


RULES = {
    "header": header_problems,
    "footer": footer_problems,
    "execution": lambda nb, path: execution_problems(nb),
    "machine paths": lambda nb, path: machine_path_problems(nb),
    "names": lambda nb, path: name_problems(nb),
    "wording": lambda nb, path: wording_problems(nb),
    "plots": lambda nb, path: plot_problems(nb),
}


# ---------------------------------------------------------------------------------------------
# the course as it is


def test_the_course_is_numbered_00_to_08():
    assert [path.name[:2] for path in NOTEBOOKS] == [f"{n:02d}" for n in range(9)]
    assert GUIDE.is_file()


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_follows_the_course_rules(path, rule):
    assert RULES[rule](read(path), path) == []


def test_course_map_and_guide_match_the_headers():
    assert course_map_problems(read(NOTEBOOKS[0])) == []
    assert guide_problems(GUIDE.read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------------------------------------
# every rule can fail: break a copy of a real notebook on purpose


@pytest.fixture
def nb3() -> tuple[dict, Path]:
    path = NOTEBOOKS[3]
    return copy.deepcopy(read(path)), path


def _set(cell: dict, value: str) -> None:
    cell["source"] = value


def _replace(cell: dict, old: str, new: str) -> None:
    assert old in text(cell), old
    _set(cell, text(cell).replace(old, new))


def _first_code(nb: dict) -> dict:
    return code_cells(nb)[0]


def _cell_with(nb: dict, snippet: str) -> dict:
    return next(cell for cell in code_cells(nb) if snippet in text(cell))


def _add_text(nb: dict, extra: str) -> None:
    """Append a line to a markdown cell in the middle of the notebook (section 1)."""
    _set(nb["cells"][2], text(nb["cells"][2]) + "\n" + extra)


def _add_code(nb: dict, extra: str) -> None:
    _set(_first_code(nb), text(_first_code(nb)) + "\n" + extra)


def _add_output(nb: dict, output: dict) -> None:
    _first_code(nb)["outputs"].append(output)


HEADER, FOOTER = 0, -1
BREAKS = {
    "header": [
        lambda nb: _replace(nb["cells"][HEADER], "· Complaint taxonomy", "· Complaint Taxonomy: x"),
        lambda nb: _replace(nb["cells"][HEADER], "50 minutes*", "50 min*"),
        lambda nb: _replace(nb["cells"][HEADER], "[02 · Complaint data]", "[02 · Data]"),
        lambda nb: _replace(nb["cells"][HEADER], "(02_complaint_data.ipynb)", "(02_data.ipynb)"),
        lambda nb: _replace(nb["cells"][HEADER], "(04_response_tone.ipynb)", "(03_taxonomy.ipynb)"),
        lambda nb: _replace(nb["cells"][HEADER], " · previous:", " ·\nprevious:"),
        lambda nb: _replace(nb["cells"][HEADER], "**Questions**", "**Question**"),
        lambda nb: _replace(nb["cells"][HEADER], "whether to trust it?", "whether to trust it."),
        lambda nb: _replace(nb["cells"][HEADER], "- Use the taxonomy", "- use the taxonomy"),
        lambda nb: _set(nb["cells"][HEADER], text(nb["cells"][0]).split("\n\n**Objectives**")[0]),
        lambda nb: nb["cells"].insert(0, {"cell_type": "markdown", "source": "# Intro"}),
    ],
    "footer": [
        lambda nb: nb["cells"].pop(),
        lambda nb: nb["cells"].pop(-2),
        lambda nb: nb["cells"].append(copy.deepcopy(_first_code(nb))),
        lambda nb: _replace(nb["cells"][FOOTER], "(04_response_tone.ipynb)", "(05_x.ipynb)"),
        lambda nb: _replace(nb["cells"][FOOTER], "previous: ", "back: "),
        lambda nb: _replace(nb["cells"][FOOTER], "---\n\n", ""),
        lambda nb: _replace(nb["cells"][FOOTER - 1], "## Key points", "## Summary"),
    ],
    "execution": [
        lambda nb: _first_code(nb).update(execution_count=None),
        lambda nb: code_cells(nb)[1].update(execution_count=1),
        lambda nb: _add_output(nb, {"output_type": "error", "ename": "KeyError", "evalue": "'x'",
                                    "traceback": []}),
        lambda nb: _add_output(nb, {"output_type": "stream", "name": "stderr",
                                    "text": "FutureWarning: ..."}),
    ],
    "machine paths": [
        lambda nb: _add_output(nb, {"output_type": "stream", "name": "stdout",
                                    "text": "saved to /tmp/abc/x.csv\n"}),
        lambda nb: _add_text(nb, "See '/home/ana/data'."),
        lambda nb: _add_output(nb, {"output_type": "display_data", "metadata": {},
                                    "data": {"text/plain": "'/root/.cache'"}}),
    ],
    "names": [
        lambda nb: _replace(_first_code(nb), "    classify,\n", "    classify_texts,\n"),
        lambda nb: _replace(_cell_with(nb, "evaluate.compare("), "evaluate.compare(",
                            "evaluate.compare_models("),
        lambda nb: _add_text(nb, "Use `complaintlab.tone.scores`."),
        lambda nb: _add_text(nb, "`complaintlab label x.csv`"),
        lambda nb: _add_text(nb, "`complaintlab classify x.csv --body text`"),
    ],
    "wording": [
        lambda nb: _add_text(nb, "In Hebrew, Arabic and Persian."),
        lambda nb: _add_text(nb, "Codes he, ar, fa, bg."),
        lambda nb: _add_code(nb, 'order = ["en", "he", "und", "ar"]'),
        lambda nb: _add_text(nb, "Each complainer type."),
        lambda nb: _add_text(nb, "`meek`, `reasonable`, `chronic`"),
        lambda nb: _add_text(nb, "The high-roller."),
        lambda nb: _add_text(nb, "Meek, high roller or rip off."),
    ],
    "plots": [
        lambda nb: _add_code(nb, "import matplotlib.pyplot as plt"),
        lambda nb: _add_code(nb, "complaints['lang'].value_counts().plot()"),
        lambda nb: _add_code(nb, "from complaintlab.followup import plot_survival\n"
                                 "ax = plot_survival(x, 'y')"),
        lambda nb: _add_code(nb, "HTML(html_table(x, caption='share of complaints'))"),
        lambda nb: _add_code(nb, "HTML(html_table(x, caption='Share Of Complaints By Language'))"),
    ],
}


@pytest.mark.parametrize(("rule", "number"),
                         [(rule, n) for rule, breaks in BREAKS.items() for n in range(len(breaks))])
def test_each_rule_fails_on_a_broken_notebook(nb3, rule, number):
    nb, path = nb3
    assert RULES[rule](nb, path) == []  # the real notebook passes...
    BREAKS[rule][number](nb)
    assert RULES[rule](nb, path) != []  # ...and this break is caught


def test_course_map_and_guide_checks_can_fail():
    welcome = copy.deepcopy(read(NOTEBOOKS[0]))
    for cell in welcome["cells"]:
        if "| 04 |" in text(cell):
            _replace(cell, "| 60 |\n| 05", "| 45 |\n| 05")
    assert course_map_problems(welcome) != []
    guide = GUIDE.read_text(encoding="utf-8")
    assert guide_problems(guide.replace("### 02 · Complaint data (35 min)", "### 02 · Data")) != []


def test_sentence_case():
    assert sentence_case("Rule classifier on held-out complaints: category")
    assert sentence_case("Categories, in Arabic")
    assert not sentence_case("what people complain about")
    assert not sentence_case("What People Complain About")
