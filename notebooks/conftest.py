"""nbval helpers: cells tagged ``real-data`` need the real public data samples.

They are skipped (not failed) when ``COMPLAINTLAB_DATA`` does not point at them, so the
course stays testable on a machine without the samples. Keep such cells self-contained:
later cells must not depend on what they compute.
"""

from complaintlab.config import data_dir


def pytest_collection_modifyitems(config, items):
    if data_dir() is not None:
        return
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is not None and "real-data" in cell.get("metadata", {}).get("tags", []):
            item.options["skip"] = True
