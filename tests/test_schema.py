"""validate(): every bundled file passes, and each kind of problem is caught and named."""

import io
import json

import pandas as pd
import pytest

from complaintlab.datasets import DatasetError, load_complaints, load_responses, validate
from complaintlab.schema import TABLES, field_names, schema


def _raw(root, name):
    sep = "\t" if name.endswith(".tsv") else ","
    text = (root / "datasets" / name).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep,
                       quoting=3 if sep == "\t" else 0)  # fmt: skip


@pytest.mark.parametrize("table", TABLES)
def test_every_bundled_file_is_valid_as_read_from_disk(root, table):
    validate(_raw(root, schema(table)["path"]), table)


def test_typed_frames_are_valid_too():
    validate(load_complaints(), "complaints")
    validate(load_responses(), "responses")


def test_datapackage_is_a_frictionless_tabular_package(root):
    package = json.loads((root / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    for resource in package["resources"]:
        assert (root / "datasets" / resource["path"]).is_file()
        header = (root / "datasets" / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        sep = resource.get("dialect", {}).get("delimiter", ",")
        assert header.split(sep) == field_names(resource["name"])


def _problems(frame, table, **kwargs):
    with pytest.raises(DatasetError) as info:
        validate(frame, table, **kwargs)
    return info.value.problems


@pytest.fixture
def complaints(root):
    return _raw(root, "complaints.csv").head(6).copy()


@pytest.fixture
def turns(root):
    raw = _raw(root, "responses.csv")
    return raw[raw["complaint_id"].isin(["he-0001", "he-0002"])].reset_index(drop=True)


def test_missing_and_extra_columns(complaints):
    broken = complaints.drop(columns="severity").assign(mood="grumpy")
    assert _problems(broken, "complaints") == [
        "missing column 'severity'",
        "extra column 'mood' (not in the complaints schema)",
    ]


def test_wrong_type(complaints):
    complaints.loc[2, "customer_value"] = "lots"
    assert _problems(complaints, "complaints") == [
        "row 2, column 'customer_value': 'lots' is not an integer"
    ]


def test_value_outside_the_enum(complaints):
    complaints.loc[1, "category"] = "pricing"
    complaints.loc[3, "severity"] = "5"
    assert _problems(complaints, "complaints") == [
        "row 1, column 'category': 'pricing' is not one of ['product', 'service', 'delivery', "
        "'billing', 'usability', 'communication']",
        "row 3, column 'severity': '5' is not one of [1, 2, 3, 4]",
    ]


def test_pattern_and_minimum(complaints):
    complaints.loc[0, "complaint_id"] = "HE_1"
    complaints.loc[4, "customer_value"] = "-3"
    problems = _problems(complaints, "complaints")
    assert problems[0].startswith("row 0, column 'complaint_id': 'HE_1' does not match")
    assert problems[1] == "row 4, column 'customer_value': '-3' is below the minimum 0"


def test_bad_or_naive_datetime(complaints):
    complaints.loc[1, "received_at"] = "yesterday"
    complaints.loc[2, "received_at"] = "2025-01-01 10:00"
    problems = _problems(complaints, "complaints")
    assert problems == [
        "row 1, column 'received_at': 'yesterday' is not an ISO 8601 date-time with a time zone",
        "row 2, column 'received_at': '2025-01-01 10:00' is not an ISO 8601 date-time with a "
        "time zone",
    ]
    typed = load_complaints().head(3)
    typed["received_at"] = typed["received_at"].dt.tz_localize(None)
    assert (
        _problems(typed, "complaints")[0] == "row 0, column 'received_at': no time zone (need UTC)"
    )


def test_duplicate_key(complaints):
    complaints.loc[5, "complaint_id"] = complaints.loc[0, "complaint_id"]
    assert _problems(complaints, "complaints") == ["row 5: duplicate key (complaint_id='he-0001')"]


def test_empty_and_missing_text(complaints):
    complaints.loc[2, "text"] = "   "
    complaints.loc[4, "text"] = None
    assert _problems(complaints, "complaints") == [
        "row 2, column 'text': empty text",
        "row 4, column 'text': empty text",
    ]


def test_dangling_foreign_key(turns, complaints):
    turns.loc[0, "complaint_id"] = "he-9999"
    problems = _problems(turns, "responses", complaints=complaints)
    assert problems == [
        "row 0, column 'complaint_id': 'he-9999' is not a complaint_id in complaints"
    ]


def test_reply_earlier_than_its_complaint(turns, complaints):
    turns.loc[0, "sent_at"] = "2020-01-01T00:00:00Z"
    problems = _problems(turns, "responses", complaints=complaints)
    assert problems[0].startswith("row 0, column 'sent_at': 2020-01-01T00:00:00+00:00 is "
                                  "earlier than complaint he-0001")  # fmt: skip


def test_turn_earlier_than_the_turn_before(turns, complaints):
    second = turns.index[(turns["complaint_id"] == "he-0002") & (turns["turn"] == "2")][0]
    first = turns.index[(turns["complaint_id"] == "he-0002") & (turns["turn"] == "1")][0]
    earlier = pd.Timestamp(turns.loc[first, "sent_at"]) - pd.Timedelta(seconds=30)
    turns.loc[second, "sent_at"] = earlier.strftime("%Y-%m-%dT%H:%M:%SZ")
    problems = _problems(turns, "responses", complaints=complaints)
    assert problems == [
        f"row {second}, column 'sent_at': turn 2 is earlier than the turn before it"
    ]


def test_tone_labels_belong_on_agent_turns_only(turns, complaints):
    agent = turns.index[turns["author"] == "agent"][0]
    customer = turns.index[turns["author"] == "customer"][0]
    turns.loc[agent, "empathy"] = ""
    turns.loc[agent, "agent_id"] = ""
    turns.loc[customer, "blame"] = "true"
    problems = _problems(turns, "responses", complaints=complaints)
    assert problems == [
        f"row {agent}, column 'agent_id': an agent turn needs an agent_id",
        f"row {agent}, column 'empathy': an agent turn needs true or false",
        f"row {customer}, column 'blame': customer turns carry no tone labels",
    ]


def test_boolean_type(turns, complaints):
    turns.loc[0, "apology"] = "yes"
    assert _problems(turns, "responses", complaints=complaints) == [
        "row 0, column 'apology': 'yes' is not true or false"
    ]


def test_many_problems_are_counted_not_all_shown(root):
    raw = _raw(root, "complaints.csv").head(30).copy()
    raw["channel"] = "fax"
    with pytest.raises(DatasetError) as info:
        validate(raw, "complaints", source="mine.csv")
    assert len(info.value.problems) == 30
    message = str(info.value)
    assert message.startswith("mine.csv: 30 problems")
    assert message.endswith("... and 10 more")


def test_unknown_table_and_wrong_input():
    with pytest.raises(ValueError, match="unknown table 'tickets'"):
        validate(pd.DataFrame(), "tickets")
    with pytest.raises(TypeError, match="DataFrame"):
        validate([{"text": "x"}], "complaints")


def test_thread_rules_still_run_beside_other_problems(turns, complaints):
    turns.loc[0, "sent_at"] = "2020-01-01T00:00:00Z"
    turns.loc[1, "complaint_id"] = "he-9999"
    problems = _problems(turns, "responses", complaints=complaints)
    assert len(problems) == 2
    assert (
        problems[0] == "row 1, column 'complaint_id': 'he-9999' is not a complaint_id in complaints"
    )
    assert problems[1].startswith("row 0, column 'sent_at': 2020-01-01T00:00:00+00:00 is earlier")


def test_repeated_index_labels_and_thin_complaints_are_clear_errors(turns, complaints):
    doubled = pd.concat([complaints.head(2), complaints.head(2)])
    with pytest.raises(ValueError, match=r"index repeats \[0, 1\]"):
        validate(doubled, "complaints")
    with pytest.raises(ValueError, match=r"lack the column\(s\) \['received_at'\]"):
        validate(turns, "responses", complaints=complaints[["complaint_id"]])


def test_datetime_objects_with_a_zone_are_accepted(complaints):
    complaints = complaints.astype(object)
    complaints.loc[0, "received_at"] = pd.Timestamp("2025-01-01 10:00", tz="Asia/Tehran")
    complaints.loc[1, "received_at"] = "2025-13-01T10:00:00Z"  # ISO-shaped, but month 13
    assert _problems(complaints, "complaints") == [
        "row 1, column 'received_at': '2025-13-01T10:00:00Z' is not an ISO 8601 date-time with "
        "a time zone"
    ]
