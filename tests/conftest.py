"""Shared fixtures: the repository root and the optional real public data."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaintlab.config import data_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The real-data folder (COMPLAINTLAB_DATA); tests that need it skip when it is absent."""
    path = data_dir()
    if path is None:
        pytest.skip("real public data not found: set COMPLAINTLAB_DATA to run this test")
    return path
