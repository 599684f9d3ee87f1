"""Where complaintlab finds the real public data samples that live outside the repository.

One setting: the ``COMPLAINTLAB_DATA`` environment variable, a folder holding one sub-folder
per data set (``cfpb_complaints/``, ``twcs_customer_support/`` ...). When it is not set, the
default is ``../shared/data`` next to the repository root, if that folder exists. Code that
needs the data calls :func:`require_data` and gets a :class:`DataNotFoundError` that says how
to point the setting at a copy; tests that need it skip.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_VAR", "DataNotFoundError", "data_dir", "require_data"]

#: Name of the environment variable that points at the real-data folder.
ENV_VAR = "COMPLAINTLAB_DATA"
_REPO_ROOT = Path(__file__).resolve().parent.parent


class DataNotFoundError(FileNotFoundError):
    """The real public data (or one of its data sets) is not where the setting points."""


def data_dir() -> Path | None:
    """The real-data folder, or ``None`` when there is none.

    ``$COMPLAINTLAB_DATA`` if set (relative paths are taken from the current directory),
    else ``../shared/data`` beside the repository root when it exists.

    Examples
    --------
    >>> path = data_dir()
    >>> path is None or path.is_dir()
    True
    """
    setting = os.environ.get(ENV_VAR)
    path = Path(setting).expanduser() if setting else _REPO_ROOT.parent / "shared" / "data"
    return path.resolve() if path.is_dir() else None


def require_data(name: str | None = None) -> Path:
    """The real-data folder (or its sub-folder ``name``); raise if it is absent.

    Raises
    ------
    DataNotFoundError
        With the path that was looked at and how to set ``COMPLAINTLAB_DATA``.
    """
    root = data_dir()
    if root is None:
        where = os.environ.get(ENV_VAR) or "../shared/data (beside the repository)"
        raise DataNotFoundError(
            f"The real public data samples were not found at {where}. Set the {ENV_VAR} "
            "environment variable to the folder that holds them (one sub-folder per data set)."
        )
    if name is None:
        return root
    path = root / name
    if not path.is_dir():
        available = sorted(p.name for p in root.iterdir() if p.is_dir())
        raise DataNotFoundError(
            f"No data set {name!r} in the real-data folder. Available: {available}."
        )
    return path
