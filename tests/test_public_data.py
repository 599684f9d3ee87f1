import csv

import pandas as pd
import pytest

from complaintlab.errors import DatasetError
from complaintlab.public_data import CFPB_COLUMNS, iter_cfpb, load_cfpb, load_twcs


@pytest.fixture
def fixtures(root):
    return root / "tests" / "fixtures"


def test_cfpb_official_header_bom_quoted_newline_and_na(fixtures):
    frame = load_cfpb(fixtures / "cfpb_official.csv")
    assert frame["complaint_id"].tolist() == [1000001, 1000002, 1000003]
    assert "\n" in frame.loc[0, "text"]  # the quoted newline stays inside the narrative
    assert pd.isna(frame.loc[1, "text"])  # empty narrative is missing, row kept
    assert frame["timely_response"].tolist() == [True, True, False]
    assert frame["disputed"].tolist()[0] is False and frame["disputed"].tolist()[2] is True
    assert pd.isna(frame.loc[1, "disputed"])  # N/A
    assert pd.isna(frame.loc[1, "consumer_consent"])
    assert frame["channel"].tolist() == ["web_form", "phone", "referral"]
    assert str(frame["received_at"].dt.tz) == "UTC"
    assert frame.loc[2, "received_at"] == pd.Timestamp("2017-01-15", tz="UTC")


def test_cfpb_snake_case_header_and_us_dates(fixtures):
    frame = load_cfpb(fixtures / "cfpb_snake.csv")
    assert len(frame) == 2
    assert set(CFPB_COLUMNS.values()) <= set(frame.columns)
    assert frame.loc[0, "received_at"] == pd.Timestamp("2012-05-17", tz="UTC")
    assert frame["channel"].tolist() == ["mail", "fax"]
    assert frame["timely_response"].tolist() == [True, False]


def test_cfpb_chunks_keep_order_and_index(fixtures):
    chunks = list(iter_cfpb(fixtures / "cfpb_official.csv", chunksize=2))
    assert [len(c) for c in chunks] == [2, 1]
    assert chunks[1].index.tolist() == [2]


def test_cfpb_bad_values_are_named(tmp_path, fixtures):
    text = (fixtures / "cfpb_official.csv").read_text(encoding="utf-8-sig")
    bad = text.replace("2016-06-10,Debt", "someday,Debt").replace(",Yes,N/A,", ",Maybe,N/A,")
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_cfpb(path)
    message = str(info.value)
    assert "data row 2, column 'received_at': 'someday'" in message
    assert "data row 2, column 'timely_response': 'Maybe'" in message


def test_cfpb_missing_columns_listed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Date received,Product\n2020-01-01,Mortgage\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="Complaint ID"):
        load_cfpb(path)


def test_twcs_threads_and_first_response(fixtures):
    frame = load_twcs(fixtures / "twcs_small.csv")
    assert frame["tweet_id"].tolist() == [10, 11, 12, 13, 20, 30, 31]
    assert frame["thread_id"].tolist() == [10, 10, 10, 10, 20, 30, 30]
    by_id = frame.set_index("tweet_id")
    assert by_id.loc[10, "first_response_minutes"] == 30
    assert by_id.loc[12, "first_response_minutes"] == 60
    assert pd.isna(by_id.loc[20, "first_response_minutes"])  # nobody answered
    assert by_id.loc[20, "company"] == "ShopHelp"  # from the @mention of a known account
    assert by_id.loc[30, "company"] == "AirCo"
    assert frame.attrs["dangling_references"] == 1  # tweet 99 is not in the file
    assert "\n" in by_id.loc[10, "text"]


# --- the real samples: nothing lost ----------------------------------------------------------
def _count_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


@pytest.mark.parametrize(
    "name", ["cfpb_complaints_2015_2020_sample.csv", "cfpb_complaints_2012_2017_small.csv"]
)
def test_real_cfpb_keeps_every_row(real_data, name):
    path = real_data / "cfpb_complaints" / name
    frame = load_cfpb(path, chunksize=1000)
    assert len(frame) == _count_rows(path)
    assert frame["complaint_id"].is_unique
    assert frame["received_at"].notna().all()


def test_real_twcs_keeps_every_row(real_data):
    path = real_data / "twcs_customer_support" / "twcs_first5000.csv"
    frame = load_twcs(path)
    assert len(frame) == _count_rows(path)
    answered = frame["first_response_minutes"].dropna()
    assert len(answered) > 1000
    assert (answered >= 0).all()


def test_twcs_ragged_file_is_a_named_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('tweet_id,author_id\n1,"unclosed\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"t\.csv"):
        load_twcs(path)


def test_twcs_chunked_reading_rebuilds_the_same_threads(fixtures, capsys):
    whole = load_twcs(fixtures / "twcs_small.csv")
    chunked = load_twcs(fixtures / "twcs_small.csv", chunksize=2, progress=True)
    pd.testing.assert_frame_equal(whole, chunked)
    assert chunked.attrs == whole.attrs
    assert "twcs_small.csv" in capsys.readouterr().err  # the progress bar went to stderr


def test_twcs_bad_value_in_a_later_chunk_names_its_row(tmp_path, fixtures):
    with (fixtures / "twcs_small.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[3][rows[0].index("inbound")] = "maybe"
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(DatasetError, match=r"data row 3, column 'inbound': 'maybe'"):
        load_twcs(path, chunksize=2)


def test_chunksize_must_be_positive(fixtures):
    with pytest.raises(ValueError, match="chunksize"):
        load_cfpb(fixtures / "cfpb_official.csv", chunksize=0)


@pytest.mark.parametrize("loader", [load_cfpb, load_twcs])
def test_empty_file_is_a_named_error(tmp_path, loader):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DatasetError, match=r"empty\.csv: 1 problem\n  - the file is empty"):
        loader(path)


def test_twcs_header_only_file_gives_an_empty_frame(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(",".join(["tweet_id", "author_id", "inbound", "created_at", "text",
                              "response_tweet_id", "in_response_to_tweet_id"]) + "\n")  # fmt: skip
    frame = load_twcs(path)
    assert len(frame) == 0 and "first_response_minutes" in frame.columns


def test_cfpb_sample_falls_back_to_our_fixture(monkeypatch, tmp_path):
    from complaintlab.public_data import cfpb_sample, cfpb_sample_files

    monkeypatch.setenv("COMPLAINTLAB_DATA", str(tmp_path))
    frame, source = cfpb_sample()
    assert "fixture" in source and len(frame) == 40
    assert [p.name for p in cfpb_sample_files()] == ["cfpb_fixture.csv"]
    assert frame["text"].notna().sum() == 30 and frame["complaint_id"].is_unique
    # like the real database: no dispute answers after the CFPB stopped asking (April 2017)
    late = frame["received_at"] >= pd.Timestamp("2017-04-24", tz="UTC")
    assert frame.loc[late, "disputed"].isna().all() and frame.loc[~late, "disputed"].notna().all()


def test_cfpb_sample_uses_the_real_samples_when_present():
    from complaintlab.config import data_dir
    from complaintlab.public_data import cfpb_sample

    if data_dir() is None or not (data_dir() / "cfpb_complaints").is_dir():
        pytest.skip("real CFPB samples not present")
    frame, source = cfpb_sample()
    assert "real CFPB samples" in source and len(frame) > 1_000
    assert frame["complaint_id"].is_unique and frame["received_at"].is_monotonic_increasing


def test_cfpb_iterator_yields_chunks_that_add_up_to_the_whole_file(root):
    path = root / "complaintlab" / "data" / "cfpb_fixture.csv"
    chunks = load_cfpb(path, chunksize=7, iterator=True)
    assert not isinstance(chunks, pd.DataFrame)  # a generator: nothing read yet
    chunks = list(chunks)
    assert len(chunks) > 1 and all(len(c) <= 7 for c in chunks)
    pd.testing.assert_frame_equal(pd.concat(chunks), load_cfpb(path))


def test_cfpb_zipped_export_reads_like_the_csv(tmp_path, fixtures):
    import zipfile

    with zipfile.ZipFile(tmp_path / "complaints.csv.zip", "w") as archive:
        archive.write(fixtures / "cfpb_official.csv", "complaints.csv")
    frame = load_cfpb(tmp_path / "complaints.csv.zip", chunksize=2)
    pd.testing.assert_frame_equal(frame, load_cfpb(fixtures / "cfpb_official.csv"))
