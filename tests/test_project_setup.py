"""The set-up contract: two commands, CI calling the README's test command, environments in step."""

import re
import tomllib

import yaml

import complaintlab

# conda-forge names that differ from the PyPI ones
_CONDA_TO_PYPI = {"python-build": "build"}


def _names(requirements):
    return {re.split(r"[<>=!~\[ ;]", r.strip(), maxsplit=1)[0].lower() for r in requirements}


def _project(root):
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _dependencies_section(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    return readme.split("## Dependencies", 1)[1].split("\n## ", 1)[0]


def test_pyproject_and_environment_yml_list_the_same_packages(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    # dev pulls in the scale extra by name ("complaintlab[scale]"): conda lists its packages
    wanted = (_names(project["dependencies"]) | _names(extras["dev"]) | _names(extras["scale"])
              | _names(extras["docs"])
              ) - {"complaintlab"}  # fmt: skip
    env = (root / "environment.yml").read_text(encoding="utf-8").split("dependencies:", 1)[1]
    listed = set(re.findall(r"^\s+- ([A-Za-z0-9_.-]+)", env, flags=re.M))
    listed = {name.lower() for name in listed if not name.startswith("-")} - {"python", "pip"}
    listed = {_CONDA_TO_PYPI.get(name, name) for name in listed}
    assert wanted == listed
    assert "-e ." in env  # the package itself, editable


def test_every_runtime_dependency_has_a_lower_bound(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        assert ">=" in requirement, requirement


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)


def test_readme_dependency_table_lists_exactly_the_runtime_dependencies(root):
    rows = re.findall(r"^\| `([^`]+)` \|", _dependencies_section(root), flags=re.M)
    assert len(rows) == len(set(rows))  # no package explained twice
    assert {name.lower() for name in rows} == _names(_project(root)["dependencies"])


def test_readme_names_every_extra_package(root):
    extras = _project(root)["optional-dependencies"]
    section = _dependencies_section(root)
    named = _names(extras["dev"]) | _names(extras["scale"]) | _names(extras["docs"])
    for name in named - {"complaintlab"}:
        assert f"`{name}`" in section, name


def test_version_is_the_same_everywhere(root):
    version = _project(root)["version"]
    assert complaintlab.__version__ == version
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == version
    assert citation["license"] == _project(root)["license"] == "MIT"
    assert citation["authors"] == [{"name": "complaintlab contributors"}]
    assert citation["title"] and citation["message"]


def test_changelog_has_a_dated_section_for_this_version(root):
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", changelog, flags=re.M)[1:]
    heads = [section.split("\n", 1)[0] for section in sections]
    assert heads[0] == "[Unreleased]"  # Keep a Changelog: newest first, under Unreleased
    version = re.escape(complaintlab.__version__)
    found = [s for s in sections if re.match(rf"\[{version}\] - \d{{4}}-\d{{2}}-\d{{2}}\n", s)]
    assert len(found) == 1, heads
    assert re.search(r"^### Added\n\n- \S", found[0], flags=re.M)


def test_licence_files_are_declared_and_say_what_they_cover(root):
    project = _project(root)
    assert project["license-files"] == ["LICENSE", "datasets/LICENSE"]
    code = (root / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License\n\nCopyright (c) 2026 complaintlab contributors\n")
    data = " ".join((root / "datasets" / "LICENSE").read_text(encoding="utf-8").split())
    assert "Creative Commons Attribution 4.0 International" in data
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in data
    for covered in ("datasets/", "complaintlab/data", "../shared/data", "SOURCE.md"):
        assert covered in data, covered
    assert "are NOT ours" in data


def test_no_machine_paths_in_notebooks(root):
    for notebook in (root / "notebooks").glob("*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        assert not re.search(r"/(root|home|tmp|work|Users)/[\w.-]+", text), notebook.name
        assert not re.search(r"0x[0-9a-f]{8,}", text), notebook.name


def test_every_package_folder_is_listed_for_the_wheel(root):
    setuptools = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    listed = set(setuptools["packages"])
    folders = {
        ".".join(path.relative_to(root).parts)
        for path in (root / "complaintlab").rglob("*")
        if path.is_dir() and path.name != "__pycache__"
    } | {"complaintlab"}
    assert folders | {"complaintlab._datasets"} == listed
    assert setuptools["package-dir"]["complaintlab._datasets"] == "datasets"


def test_readme_first_taste_runs_as_written(root):
    import doctest

    text = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## A first taste\n\n```python\n(.*?)```", text, re.S).group(1)
    test = doctest.DocTestParser().get_doctest(block, {}, "README first taste", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False) == (0, len(test.examples)) and len(test.examples) >= 10
