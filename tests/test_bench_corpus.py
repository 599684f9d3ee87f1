"""The seeded corpus generator of the scale benchmark (benchmarks/corpus.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from complaintlab.corpus import LANGS

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.py"


@pytest.fixture(scope="module")
def corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.mark.parametrize(("kind", "real"), [("replies", True), ("complaints", False)])
def test_seeded_exact_size_all_languages(corpus, kind, real):
    # real=True adds the real English samples when COMPLAINTLAB_DATA has them
    frame = corpus.make_corpus(600, kind, seed=3, real=real)
    assert frame.columns.tolist() == ["id", "lang", "text"]
    assert len(frame) == 600 and frame["id"].tolist() == list(range(600))
    assert set(frame["lang"]) == set(LANGS)
    assert frame["text"].str.strip().str.len().gt(0).all()
    pd.testing.assert_frame_equal(frame, corpus.make_corpus(600, kind, seed=3, real=real))
    assert not frame["text"].equals(corpus.make_corpus(600, kind, seed=4, real=real)["text"])


def test_rows_do_not_depend_on_chunking(corpus):
    whole = corpus.make_corpus(250, seed=7, real=False)
    parts = pd.concat(corpus.iter_corpus(250, seed=7, real=False, chunksize=64), ignore_index=True)
    pd.testing.assert_frame_equal(whole, parts)
    # a longer corpus starts with the shorter one
    pd.testing.assert_frame_equal(corpus.make_corpus(300, seed=7, real=False).head(250), whole)


def test_languages_and_bundled_only(corpus):
    frame = corpus.make_corpus(200, langs=["he", "fa"], real=False)
    assert set(frame["lang"]) == {"he", "fa"}
    assert len(corpus.make_corpus(0, real=False)) == 0
    with pytest.raises(ValueError):
        corpus.make_corpus(10, langs=["xx"])
    with pytest.raises(ValueError):
        corpus.make_corpus(10, kind="tweets")


def test_write_corpus_streams_n_rows(corpus, tmp_path):
    path = corpus.write_corpus(tmp_path / "corpus.csv", 1_234, "replies", seed=1, chunksize=500,
                               real=False)  # fmt: skip
    back = pd.read_csv(path, keep_default_na=False)
    assert len(back) == 1_234
    expected = corpus.make_corpus(1_234, seed=1, real=False)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_sentence_splitter_six_scripts(corpus):
    split = corpus.split_sentences
    assert split("Refund of 14.3 USD sent. Thanks!\nBye") == ["Refund of 14.3 USD sent.",
                                                             "Thanks!", "Bye"]  # fmt: skip
    assert split("متى يصل الطلب؟ انتظرت أسبوعين.") == ["متى يصل الطلب؟", "انتظرت أسبوعين."]
    persian = ["سفارش کجاست؟", "دو هفته گذشته۔", "ممنون"]
    assert split("سفارش کجاست؟ دو هفته گذشته۔ ممنون") == persian
    assert split("הזמנתי לפני שבוע! איפה החבילה?") == ["הזמנתי לפני שבוע!", "איפה החבילה?"]
    assert split("Здравствуйте. Где заказ?") == ["Здравствуйте.", "Где заказ?"]
    assert split("Благодарим! Поръчката е изпратена.") == ["Благодарим!", "Поръчката е изпратена."]
