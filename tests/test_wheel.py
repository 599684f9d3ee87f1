"""The release artefacts: build the sdist and wheel, check what the wheel holds, then install it
into a fresh virtual environment and use it from another folder.

Slow (about 30 s: the fresh install compiles the numba loops and trains the taxonomy model
again), but part of the normal suite (``make test``); ``-m "not slow"`` leaves it out.
"""

from __future__ import annotations

import csv
import email
import json
import os
import pickle
import site
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest

import complaintlab
from complaintlab.datasets import load_complaints, load_responses
from complaintlab.taxonomy import LABELS, classify
from complaintlab.text import LANGUAGES
from complaintlab.tone import FEATURES, score

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]
NAME = f"complaintlab-{complaintlab.__version__}"
DIST_INFO = f"{NAME}.dist-info"
CACHE_SUFFIXES = {".pyc", ".pyo", ".nbi", ".nbc"}


def _source_dir(package: str) -> Path:
    """The folder a package is built from (``package-dir`` or its dotted path)."""
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / (mapped if mapped else package.replace(".", "/"))


def _expected_files() -> dict[str, Path]:
    """Path in the wheel -> source file: every module and every file package-data declares."""
    expected = {}
    for package in SETUPTOOLS["packages"]:
        folder = _source_dir(package)
        target = PurePosixPath(*package.split("."))
        patterns = ["*.py", *SETUPTOOLS["package-data"].get(package, [])]
        for pattern in patterns:
            for path in folder.glob(pattern):
                if path.is_file():
                    expected[str(target / path.name)] = path
    return expected


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> dict[str, Path]:
    """``python -m build``: the sdist, then the wheel built from the unpacked sdist.

    That is the release command. It builds the wheel in a clean copy, so nothing left in the
    checkout's ``build/`` folder by an earlier ``python -m build --wheel`` (modules since
    deleted) can get into it. ``--no-isolation`` uses the installed setuptools and works offline.
    """
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert [w.name for w in wheels] == [f"{NAME}-py3-none-any.whl"]
    assert [s.name for s in sdists] == [f"{NAME}.tar.gz"]
    return {"wheel": wheels[0], "sdist": sdists[0]}


@pytest.fixture(scope="module")
def wheel_names(artefacts) -> list[str]:
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        return wheel.namelist()


def test_every_package_folder_file_is_a_module_or_declared_data():
    # a file the code reads but package-data does not declare would be missing from the wheel
    expected = set(_expected_files().values())
    for package in SETUPTOOLS["packages"]:
        for path in _source_dir(package).iterdir():
            if path.is_file() and not path.name.startswith("."):
                assert path in expected, f"{path.relative_to(ROOT)} is not in the wheel"


def test_wheel_holds_exactly_the_modules_and_declared_data(artefacts, wheel_names):
    expected = _expected_files()
    data = [name for name in expected if not name.endswith(".py")]
    assert any(name.startswith("complaintlab/data/tone/") for name in data)
    assert "complaintlab/_datasets/complaints.csv" in expected
    package_files = {name for name in wheel_names if not name.startswith(f"{DIST_INFO}/")}
    missing, extra = sorted(set(expected) - package_files), sorted(package_files - set(expected))
    assert not missing, f"missing from the wheel: {missing}"
    assert not extra, f"in the wheel but not in the source tree: {extra}"
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        for name in data:  # byte for byte the source tree's files
            assert wheel.read(name) == expected[name].read_bytes(), name


def test_wheel_holds_no_tests_notebooks_caches_or_build_leftovers(wheel_names):
    for name in wheel_names:
        path = PurePosixPath(name)
        assert path.parts[0] in {"complaintlab", DIST_INFO}, name
        assert not {"tests", "notebooks", "__pycache__", "build"} & set(path.parts), name
        assert path.suffix not in CACHE_SUFFIXES | {".ipynb"}, name


def test_wheel_metadata_names_the_version_and_both_licences(artefacts, wheel_names):
    licences = {
        f"{DIST_INFO}/licenses/LICENSE": ROOT / "LICENSE",
        f"{DIST_INFO}/licenses/datasets/LICENSE": ROOT / "datasets" / "LICENSE",
    }
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        for name, source in licences.items():
            assert wheel.read(name) == source.read_bytes(), name
        metadata = email.message_from_bytes(wheel.read(f"{DIST_INFO}/METADATA"))
        entry_points = wheel.read(f"{DIST_INFO}/entry_points.txt").decode()
    assert metadata["Name"] == "complaintlab"
    assert metadata["Version"] == complaintlab.__version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE", "datasets/LICENSE"]
    assert "complaintlab = complaintlab.cli:main" in entry_points
    with tarfile.open(artefacts["sdist"]) as sdist:
        names = set(sdist.getnames())
    for path in ("LICENSE", "datasets/LICENSE", "pyproject.toml", "README.md", "CHANGELOG.md",
                 "CITATION.cff", "environment.yml", "tests/conftest.py",
                 "tests/fixtures/cfpb_official.csv", "tests/test_fast.py"):  # fmt: skip
        assert f"{NAME}/{path}" in names, path
    assert not any(Path(name).suffix in CACHE_SUFFIXES for name in names)


_SCRIPT = """
import json, pickle, sys, importlib.metadata, importlib.resources
from pathlib import Path

import complaintlab
from complaintlab.datasets import load_complaints
from complaintlab.taxonomy import classify
from complaintlab.tone import score

inputs = json.loads(Path("inputs.json").read_text(encoding="utf-8"))
labels = classify(inputs["complaints"])
tone = score(inputs["replies"])
Path("results.pkl").write_bytes(pickle.dumps({"classify": labels, "score": tone}))
facts = {
    "file": complaintlab.__file__,
    "datasets": str(importlib.resources.files("complaintlab._datasets")),
    "version": complaintlab.__version__,
    "metadata_version": importlib.metadata.version("complaintlab"),
    "sys_path": sys.path,
    "complaints": len(load_complaints()),
}
Path("facts.json").write_text(json.dumps(facts), encoding="utf-8")
"""


def _fresh_environment(where: Path, wheel: Path) -> Path:
    """A new venv with only the wheel installed; the dependencies come from this environment."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True, timeout=300,
    )  # fmt: skip
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # Plain path lines: the folders are added to sys.path, but their own .pth files (the
    # editable install's finder, which would map complaintlab to the checkout) do not run.
    ours = site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
    ours = [p for p in ours if Path(p).is_dir()]
    (Path(fresh_site) / "complaintlab_test_deps.pth").write_text("\n".join(ours) + "\n")
    return python


def test_installed_wheel_works_in_a_fresh_environment(artefacts, tmp_path):
    complaints = [*load_complaints()["text"], None, "", "12345"]
    turns = load_responses()
    replies = [*turns.loc[turns["author"] == "agent", "text"], None, ""]
    (tmp_path / "inputs.json").write_text(
        json.dumps({"complaints": complaints, "replies": replies}), encoding="utf-8"
    )
    (tmp_path / "check.py").write_text(_SCRIPT, encoding="utf-8")
    python = _fresh_environment(tmp_path / "fresh", artefacts["wheel"])
    # -I: no PYTHONPATH, no user site, not even the script's folder on sys.path
    run = subprocess.run([str(python), "-I", "check.py"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=600, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]

    facts = json.loads((tmp_path / "facts.json").read_text(encoding="utf-8"))
    fresh = (tmp_path / "fresh").resolve()
    assert Path(facts["file"]).resolve().is_relative_to(fresh)
    assert Path(facts["datasets"]).resolve().is_relative_to(fresh)
    assert all(Path(p).resolve() != ROOT for p in facts["sys_path"] if p)
    assert facts["version"] == facts["metadata_version"] == complaintlab.__version__

    with open(ROOT / "datasets" / "complaints.csv", encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert facts["complaints"] == rows

    results = pickle.loads((tmp_path / "results.pkl").read_bytes())
    labels, tone = results["classify"], results["score"]
    assert len(labels) == len(complaints) and len(tone) == len(replies)
    assert labels.index.equals(pd.RangeIndex(len(complaints)))
    assert set(labels["lang"]) <= {*LANGUAGES, "und"}
    assert labels["lang"].tolist()[-3:] == ["und"] * 3
    for target, allowed in LABELS.items():
        known = labels[target].dropna()
        assert set(known) <= set(allowed), target
        assert known.index.equals(labels.index[labels["lang"] != "und"]), target
    assert labels[labels["lang"] != "und"]["category"].nunique() == len(LABELS["category"])
    assert tone.columns.tolist() == ["lang", *FEATURES, "tone_score"]
    assert tone["lang"].tolist()[-2:] == ["und", "und"]
    assert tone["tone_score"].between(-1, 1).all() and tone[list(FEATURES)].any().all()
    # and the installed package gives the same answers as this checkout
    pd.testing.assert_frame_equal(labels, classify(complaints))
    pd.testing.assert_frame_equal(tone, score(replies))

    # the console script works too
    (tmp_path / "replies.csv").write_text('reply\nWe are so sorry. That was our mistake.\n""\n',
                                          encoding="utf-8")  # fmt: skip
    cli = subprocess.run(
        [str(python.parent / "complaintlab"), "tone", "replies.csv", "--text-column", "reply",
         "-o", "scored.csv", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr[-3000:]
    scored = pd.read_csv(tmp_path / "scored.csv", keep_default_na=False)
    assert scored["lang"].tolist() == ["en", "und"]
    assert scored["apology"].tolist() == [True, False]
