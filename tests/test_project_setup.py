"""The set-up contract: two commands, CI calling the README's test command, environments in step."""

import re
import tomllib


def _names(requirements):
    return {re.split(r"[<>=!~\[ ;]", r.strip(), maxsplit=1)[0].lower() for r in requirements}


def test_pyproject_and_environment_yml_list_the_same_packages(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    # dev pulls in the scale extra by name ("complaintlab[scale]"): conda lists its packages
    wanted = (_names(project["dependencies"]) | _names(extras["dev"]) | _names(extras["scale"])
              ) - {"complaintlab"}  # fmt: skip
    env = (root / "environment.yml").read_text(encoding="utf-8").split("dependencies:", 1)[1]
    listed = set(re.findall(r"^\s+- ([A-Za-z0-9_.-]+)", env, flags=re.M))
    listed = {name.lower() for name in listed if not name.startswith("-")} - {"python", "pip"}
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


def test_readme_explains_every_dependency(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    table = (root / "README.md").read_text(encoding="utf-8").split("## Dependencies", 1)[1]
    for name in _names(project["dependencies"]):
        assert f"`{name}`" in table, name


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
