"""ParsiNLU Persian reviews: the loader, and the real-data category check built on it."""

from __future__ import annotations

import pandas as pd
import pytest

from complaintlab.datasets import DatasetError, load_parsinlu_reviews
from complaintlab.taxonomy import classify
from complaintlab.taxonomy.evaluate import aspect_test_set, macro_f1

FIXTURE = "tests/fixtures/parsinlu_small.csv"


def test_loader_keeps_every_row_typed(root):
    reviews = load_parsinlu_reviews(root / FIXTURE)
    assert len(reviews) == 5
    assert reviews["sentiment"].tolist() == [-1, -2, 2, 0, -2]
    assert reviews["aspects"].iloc[1] == {"ارسال": -2, "کیفیت": -1}
    assert pd.isna(reviews["text"].iloc[3]) and (reviews["lang"] == "fa").all()


def test_aspect_test_set_keeps_single_category_complaints(root):
    test = aspect_test_set(load_parsinlu_reviews(root / FIXTURE))
    # row 1 mixes delivery and product, row 2 is praise, row 3 is neutral: all left out
    assert test.index.tolist() == [0, 4]
    assert test["category"].tolist() == ["billing", "product"]


def test_loader_names_unreadable_rows(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("review,sentiment,sentiment_name,category,aspects\n"
                   "خوب,7,x,چای,{}\nبد,-1,negative,چای,\"[1, 2]\"\n"
                   "بد,-1,negative,چای,__import__('os')\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(DatasetError) as error:
        load_parsinlu_reviews(bad)
    message = str(error.value)
    assert "data row 1, column 'sentiment': '7'" in message
    assert "data row 2, column 'aspects'" in message and "data row 3, column 'aspects'" in message
    missing = tmp_path / "missing.csv"
    missing.write_text("review,sentiment\nخوب,1\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="missing column 'aspects'"):
        load_parsinlu_reviews(missing)


def test_classifier_generalises_to_real_persian_reviews(real_data):
    path = real_data / "persian_digikala_food_reviews" / "parsinlu_digikala_food_reviews.csv"
    if not path.exists():
        pytest.skip("ParsiNLU sample not present")
    test = aspect_test_set(load_parsinlu_reviews(path))
    predicted = classify(test["text"], test["lang"])
    # written by Digikala customers, never seen by the model or the lexicon writers; most are
    # about the product, so compare macro-F1 with always answering "product"
    model = macro_f1(test[["category"]], predicted[["category"]]).loc["all", "category"]
    always = pd.DataFrame({"category": "product"}, index=test.index)
    floor = macro_f1(test[["category"]], always).loc["all", "category"]
    assert model >= floor + 0.15, (model, floor)
