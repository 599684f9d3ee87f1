import pytest

from complaintlab.config import DataNotFoundError, data_dir, require_data


def test_setting_points_elsewhere(monkeypatch, tmp_path):
    (tmp_path / "cfpb_complaints").mkdir()
    monkeypatch.setenv("COMPLAINTLAB_DATA", str(tmp_path))
    assert data_dir() == tmp_path.resolve()
    assert require_data("cfpb_complaints").name == "cfpb_complaints"


def test_missing_data_set_lists_what_exists(monkeypatch, tmp_path):
    (tmp_path / "cfpb_complaints").mkdir()
    monkeypatch.setenv("COMPLAINTLAB_DATA", str(tmp_path))
    with pytest.raises(DataNotFoundError, match="cfpb_complaints"):
        require_data("twcs")


def test_absent_folder_says_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPLAINTLAB_DATA", str(tmp_path / "nowhere"))
    assert data_dir() is None
    with pytest.raises(DataNotFoundError, match="COMPLAINTLAB_DATA"):
        require_data()
