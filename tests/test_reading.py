import pandas as pd
import pytest

from complaintlab.errors import DatasetError
from complaintlab.reading import read_complaints


def _write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def test_every_row_kept_or_reported(tmp_path):
    path = _write(
        tmp_path,
        "t.csv",
        'id,body,when\n1,"Two\nlines",2024-03-01\n2,,2024-03-02\n'
        "3,Bad date,someday\n4,too,many,fields\n5,Fine,\n",
    )
    frame, report = read_complaints(
        path, {"id": "complaint_id", "body": "text", "when": "received_at"}, on_bad_rows="report"
    )
    assert frame["complaint_id"].tolist() == ["1", "5"]
    assert frame.index.tolist() == [1, 5]
    assert "\n" in frame.loc[1, "text"]
    assert report.rows_read == 5 and report.rows_kept == 2
    reasons = dict(report.rejected)
    assert reasons[2] == "empty text"
    assert "someday" in reasons[3]
    assert "ragged" in reasons[4]
    assert report.rows_kept + len(report.rejected) == report.rows_read


def test_raise_names_every_bad_row(tmp_path):
    path = _write(tmp_path, "t.csv", "text,channel\nok,chat\n,email\nhi,pigeon\n")
    with pytest.raises(DatasetError) as info:
        read_complaints(path)
    message = str(info.value)
    assert "row 2: empty text" in message and "row 3: channel 'pigeon'" in message


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("שלום החבילה לא הגיעה", "cp1255"),
        ("طلبي لم يصل بعد", "cp1256"),
        ("Поръчката ми не е дошла", "cp1251"),
        ("Where is my parcel?", "utf-8-sig"),
    ],
)
def test_legacy_encodings_are_read_and_reported(tmp_path, text, codec):
    path = _write(tmp_path, "t.csv", f"text\n{text}\n", encoding=codec)
    frame, report = read_complaints(path)
    assert frame["text"].tolist() == [text]
    assert report.encoding == codec


def test_language_detected_or_given(tmp_path):
    path = _write(tmp_path, "t.csv", "text\nЗаказ не пришёл\nПоръчката не дойде\n")
    frame, _ = read_complaints(path)
    assert frame["lang"].tolist() == ["ru", "bg"]
    frame, _ = read_complaints(path, lang="ru")
    assert frame["lang"].tolist() == ["ru", "ru"]


def test_jsonl_with_a_broken_line(tmp_path):
    path = _write(
        tmp_path,
        "t.jsonl",
        '{"text": "refund please", "customer_value": 120}\n'
        "{not json\n"
        '{"text": "again", "customer_value": "lots"}\n',
    )
    frame, report = read_complaints(path, on_bad_rows="report")
    assert frame["customer_value"].tolist() == [120]
    assert [r for r, _ in report.rejected] == [2, 3]


def test_missing_text_column_says_how_to_map(tmp_path):
    path = _write(tmp_path, "t.csv", "id,body\n1,hello\n")
    with pytest.raises(DatasetError, match="mapping"):
        read_complaints(path)


def test_bad_options_are_named(tmp_path):
    path = _write(tmp_path, "t.csv", "text\nhello there\n")
    with pytest.raises(ValueError, match="on_bad_rows"):
        read_complaints(path, on_bad_rows="drop")
    with pytest.raises(ValueError, match="lang"):
        read_complaints(path, lang="xx")


def test_excel_export_keeps_every_row(tmp_path):
    path = tmp_path / "export.xlsx"
    pd.DataFrame(
        {
            "Ticket": [101, 102, 103],
            "Opened": pd.to_datetime(["2025-03-01 09:30", "2025-03-02 10:00", "2025-03-03 00:00"]),
            "Body": ["החשבונית כפולה, אני מבקש החזר", None, "Где мой заказ? Жду уже неделю."],
            "Value": [1200.0, 50.0, "n/a"],
        }
    ).to_excel(path, index=False)
    mapping = {"Ticket": "complaint_id", "Opened": "received_at", "Body": "text",
               "Value": "customer_value"}  # fmt: skip
    frame, report = read_complaints(path, mapping, on_bad_rows="report")
    assert report.encoding == "xlsx"
    assert (report.rows_read, report.rows_kept) == (3, 1)
    assert report.rejected == [(2, "empty text"), (3, "customer_value 'n/a' is not a number")]
    assert frame["complaint_id"].tolist() == ["101"]
    assert frame["lang"].tolist() == ["he"]
    assert frame["received_at"].iloc[0] == pd.Timestamp("2025-03-01 09:30", tz="UTC")
    with pytest.raises(DatasetError, match="row 3: customer_value 'n/a'"):
        read_complaints(path, mapping)


def test_broken_or_old_excel_files_are_named_errors(tmp_path):
    broken = tmp_path / "export.xlsx"
    broken.write_bytes(b"this is not a zip archive")
    with pytest.raises(DatasetError, match=r"export\.xlsx: 1 problem\n  - not a readable \.xlsx"):
        read_complaints(broken)
    old = tmp_path / "export.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DatasetError, match=r"old binary \.xls files are not read"):
        read_complaints(old)
