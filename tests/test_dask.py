"""complaintlab.dask: the Dask path gives the pandas path's columns, row for row."""

from importlib import resources

import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from complaintlab.dask import rates_by, score_dask  # noqa: E402
from complaintlab.public_data import cfpb_sample, load_cfpb  # noqa: E402
from complaintlab.taxonomy import classify  # noqa: E402
from complaintlab.tone import score  # noqa: E402

TASKS = {"classify": classify, "tone": score}


@pytest.fixture(scope="module")
def fixture_frame() -> pd.DataFrame:
    """The 40 invented CFPB-format complaints that ship with complaintlab."""
    return load_cfpb(str(resources.files("complaintlab.data").joinpath("cfpb_fixture.csv")))


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _pandas_path(inputs: pd.DataFrame, task: str, text: str, lang: str | None, prefix: str,
                 strings: bool = True) -> pd.DataFrame:  # fmt: skip
    """The pandas function on the whole column; with ``strings``, the text columns converted
    as Dask converts them (a round trip through ``from_pandas``)."""
    added = TASKS[task](inputs[text], None if lang is None else inputs[lang])
    expected = pd.concat([inputs, added.add_prefix(prefix)], axis=1)
    return dd.from_pandas(expected, npartitions=1).compute() if strings else expected


@pytest.mark.parametrize("task", ["classify", "tone"])
@pytest.mark.parametrize("lang_column", [None, "lang"])
def test_fixture_in_four_partitions_equals_pandas_path(fixture_frame, task, lang_column):
    ddf = dd.from_pandas(fixture_frame, npartitions=4)
    scored = score_dask(ddf, "text", task, lang_column=lang_column, prefix="predicted_")
    result = scored.compute()
    assert scored.npartitions == 4
    pd.testing.assert_index_equal(result.index, fixture_frame.index)
    expected = _pandas_path(ddf.compute(), task, "text", lang_column, "predicted_")
    pd.testing.assert_frame_equal(result, expected)


def test_input_columns_kept_unchanged_without_string_conversion(fixture_frame):
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(fixture_frame, npartitions=4)
        result = score_dask(ddf, "text", "classify", prefix="predicted_").compute()
    expected = _pandas_path(fixture_frame, "classify", "text", None, "predicted_", False)
    pd.testing.assert_frame_equal(result, expected)  # lang stays object, as in pandas
    assert list(result.columns[: fixture_frame.shape[1]]) == list(fixture_frame.columns)


@pytest.mark.parametrize("task", ["classify", "tone"])
def test_meta_matches_computed_dtypes(fixture_frame, task):
    scored = score_dask(dd.from_pandas(fixture_frame, npartitions=4), "text", task,
                        prefix="x_")  # fmt: skip
    result = scored.compute()
    pd.testing.assert_series_equal(scored.dtypes, result.dtypes)
    dd.utils.assert_eq(scored, result)  # also checks each partition against the meta
    if task == "classify":
        assert list(result["x_severity"].cat.categories) == [1, 2, 3, 4]
        assert result["x_severity"].cat.ordered


def test_result_writes_to_parquet_and_reads_back(fixture_frame, tmp_path):
    pytest.importorskip("pyarrow")
    ddf = dd.from_pandas(fixture_frame.drop(columns="lang"), npartitions=4)
    scored = score_dask(score_dask(ddf, "text", "classify"), "company_public_response", "tone",
                        prefix="response_")  # fmt: skip
    scored.to_parquet(tmp_path / "scored")
    back, expected = dd.read_parquet(tmp_path / "scored").compute(), scored.compute()
    assert list(back.columns) == list(expected.columns) and len(back) == len(expected)
    for name in ["lang", "response_lang", "confidence", "response_tone_score"]:
        pd.testing.assert_series_equal(back[name], expected[name])
    assert back["severity"].tolist() == expected["severity"].tolist()


def test_missing_narratives_are_kept_as_undetermined(fixture_frame):
    frame = fixture_frame.drop(columns="lang")
    frame.loc[frame.index[:3], "text"] = pd.NA
    result = score_dask(dd.from_pandas(frame, npartitions=4), "text", "classify").compute()
    assert len(result) == len(frame)
    assert (result["lang"].iloc[:3] == "und").all()
    assert result["category"].iloc[:3].isna().all()


def test_processes_scheduler_gives_the_same_rows(fixture_frame):
    ddf = dd.from_pandas(fixture_frame[["complaint_id", "company_public_response"]],
                         npartitions=2)  # fmt: skip
    scored = score_dask(ddf, "company_public_response", "tone")
    result = scored.compute(scheduler="processes", num_workers=2)
    pd.testing.assert_frame_equal(result, scored.compute())


def test_threads_scheduler_gives_the_same_rows(fixture_frame):
    ddf = dd.from_pandas(fixture_frame[["complaint_id", "text"]], npartitions=4)
    scored = score_dask(ddf, "text", "classify")
    result = scored.compute(scheduler="threads", num_workers=4)
    pd.testing.assert_frame_equal(result, scored.compute())


def test_missing_column_is_named_with_the_available_ones(fixture_frame):
    ddf = dd.from_pandas(fixture_frame[["complaint_id", "text"]], npartitions=2)
    with pytest.raises(ValueError, match=r"text_column 'narrative' is not a column of ddf; "
                                         r"columns are \['complaint_id', 'text'\]"):  # fmt: skip
        score_dask(ddf, "narrative", "tone")
    with pytest.raises(ValueError, match="lang_column 'language'"):
        score_dask(ddf, "text", "tone", lang_column="language")


def test_clashing_column_names_suggest_a_prefix(fixture_frame):
    ddf = dd.from_pandas(fixture_frame, npartitions=2)  # has a "lang" column already
    with pytest.raises(ValueError, match=r"column\(s\) \['lang'\].*prefix='classify_'"):
        score_dask(ddf, "text", "classify")
    score_dask(ddf, "text", "classify", prefix="classify_")  # fine with a prefix


def test_unknown_task_lists_the_tasks(fixture_frame):
    ddf = dd.from_pandas(fixture_frame[["text"]], npartitions=2)
    with pytest.raises(ValueError, match=r"one of \{'classify', 'tone'\}. Got 'sentiment'"):
        score_dask(ddf, "text", "sentiment")


def test_pandas_frame_is_refused_with_a_pointer(fixture_frame):
    with pytest.raises(TypeError, match="from_pandas"):
        score_dask(fixture_frame, "text", "tone")


def test_missing_dask_says_how_to_install(monkeypatch, fixture_frame):
    import sys

    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ImportError, match=r"pip install 'complaintlab\[scale\]'"):
        score_dask(fixture_frame, "text", "tone")


def test_rates_by_is_the_same_on_dask_and_pandas(fixture_frame):
    frame = _pandas_path(fixture_frame.drop(columns="lang"), "classify", "text", None, "")
    outcomes = ["timely_response", "company_response"]
    expected = rates_by(frame, "category", outcomes)
    result = rates_by(dd.from_pandas(frame, npartitions=4), "category", outcomes)
    pd.testing.assert_frame_equal(result, expected)
    assert expected["count"].sum() == len(frame) * len(outcomes)  # every row, every outcome
    shares = expected.groupby(["category", "outcome"], dropna=False, observed=True)["share"]
    assert shares.sum().round(12).eq(1).all()


def test_rates_by_names_a_missing_column(fixture_frame):
    with pytest.raises(ValueError, match="outcomes column 'timely' is not a column"):
        rates_by(fixture_frame, "product", "timely")


# The real CFPB samples (skipped when COMPLAINTLAB_DATA finds none).


@pytest.fixture(scope="module")
def real_cfpb() -> pd.DataFrame:
    from complaintlab.config import data_dir

    if data_dir() is None:
        pytest.skip("real public data not found: set COMPLAINTLAB_DATA to run this test")
    frame, source = cfpb_sample()
    if not source.startswith("the real CFPB samples"):
        pytest.skip("the real CFPB samples are not in the real-data folder")
    return frame


@pytest.mark.parametrize("task", ["classify", "tone"])
def test_real_narratives_equal_pandas_path(real_cfpb, task):
    # Every row: 1,545 narratives and the rows without one (10-15 s, both paths).
    inputs = real_cfpb[["complaint_id", "text"]]
    ddf = dd.from_pandas(inputs, npartitions=7)
    result = score_dask(ddf, "text", task).compute()
    assert len(result) == len(real_cfpb) and result["complaint_id"].is_unique
    pd.testing.assert_frame_equal(result, _pandas_path(ddf.compute(), task, "text", None, ""))
    assert (result.loc[real_cfpb["text"].isna().to_numpy(), "lang"] == "und").all()


def test_real_company_public_responses_equal_pandas_path(real_cfpb):
    inputs = real_cfpb[["complaint_id", "company_public_response", "lang"]]
    ddf = dd.from_pandas(inputs, npartitions=5)
    result = score_dask(ddf, "company_public_response", "tone", lang_column="lang",
                        prefix="response_").compute()  # fmt: skip
    expected = _pandas_path(ddf.compute(), "tone", "company_public_response", "lang",
                            "response_")  # fmt: skip
    pd.testing.assert_frame_equal(result, expected)
