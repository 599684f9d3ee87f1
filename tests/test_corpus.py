"""The hand-written corpora: what the data issue promises about them, checked on the files."""

import itertools
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

from complaintlab.datasets import (
    CATEGORIES,
    COMPLAINANT_TYPES,
    LANGS,
    SEVERITIES,
    TONE_FEATURES,
    agreement,
    count_tables,
    label_association,
    load_annotations,
    load_complaints,
    load_responses,
)
from complaintlab.text import UnknownLanguageError, detect_languages


@pytest.fixture(scope="module")
def complaints():
    return load_complaints()


@pytest.fixture(scope="module")
def turns():
    return load_responses()


def test_types_are_as_documented(complaints, turns):
    assert complaints["severity"].cat.ordered
    assert list(complaints["severity"].cat.categories) == [1, 2, 3, 4]
    assert list(complaints["category"].cat.categories) == list(CATEGORIES)
    assert not complaints["category"].cat.ordered
    assert str(complaints["received_at"].dt.tz) == "UTC"
    assert str(turns["sent_at"].dt.tz) == "UTC"
    assert complaints["customer_value"].dtype == "int64"
    for feature in TONE_FEATURES:
        assert str(turns[feature].dtype) == "boolean"
    customer = turns["author"] == "customer"
    assert turns.loc[customer, list(TONE_FEATURES)].isna().all().all()
    assert turns.loc[~customer, list(TONE_FEATURES)].notna().all().all()


def test_lang_filter_and_unknown_code(complaints):
    farsi = load_complaints("fa")
    assert len(farsi) == (complaints["lang"] == "fa").sum()
    assert farsi["complaint_id"].str.startswith("fa-").all()
    assert list(farsi.index) == list(range(len(farsi)))
    with pytest.raises(UnknownLanguageError, match="xx"):
        load_complaints("xx")


def test_loaders_return_copies(complaints):
    frame = load_complaints()
    frame.loc[0, "text"] = "changed"
    assert load_complaints().loc[0, "text"] != "changed"


def test_ids_and_languages_agree(complaints, turns):
    assert complaints["complaint_id"].str.fullmatch(r"[a-z]{2}-\d{4}").all()
    assert (complaints["complaint_id"].str[:2] == complaints["lang"].astype(str)).all()
    texts = pd.concat([complaints["text"], turns["text"]], ignore_index=True).astype(str)
    expected = pd.concat([complaints["lang"].astype(str), turns["complaint_id"].str[:2]],
                         ignore_index=True)  # fmt: skip
    assert (detect_languages(texts) == expected).mean() >= 0.99


@pytest.mark.parametrize("lang", LANGS)
def test_label_counts_meet_the_brief(complaints, lang):
    part = complaints[complaints["lang"] == lang]
    assert len(part) >= 70
    assert part["category"].value_counts().reindex(CATEGORIES).min() >= 10
    assert part["complainant_type"].value_counts().reindex(COMPLAINANT_TYPES).min() >= 8
    assert part["severity"].value_counts().reindex(SEVERITIES).min() >= 10


@pytest.mark.parametrize("lang", LANGS)
def test_threads_meet_the_brief(turns, lang):
    part = turns[turns["complaint_id"].str.startswith(f"{lang}-")]
    agents = part[part["author"] == "agent"]
    assert len(agents) >= 70
    assert agents[list(TONE_FEATURES)].sum().min() >= 10
    assert (~agents[list(TONE_FEATURES)].any(axis=1)).sum() >= 5
    answered = part[part["author"] == "customer"]["complaint_id"].nunique()
    assert answered >= 20
    # turns are numbered 1, 2, 3 ... with the agent first and authors alternating
    for _, thread in part.groupby("complaint_id"):
        assert list(thread["turn"]) == list(range(1, len(thread) + 1))
        authors = list(thread["author"].astype(str))
        assert authors[0] == "agent"
        assert all(a != b for a, b in itertools.pairwise(authors))


def test_no_label_word_in_its_own_text(complaints, turns):
    for row in complaints.itertuples():
        for label in (row.category, row.complainant_type):
            pattern = r"\b" + label.replace("_", "[ -]?") + r"\b"
            assert not re.search(pattern, row.text, flags=re.I), (row.complaint_id, label)
    agents = turns[turns["author"] == "agent"]
    for feature in ("empathy", "apology", "bureaucratic", "blame", "gratitude"):
        flagged = agents[agents[feature].astype(bool)]
        hits = flagged["text"].str.contains(rf"\b{feature}\b", case=False, regex=True)
        assert not hits.any(), flagged.loc[hits, "complaint_id"].tolist()


def test_labels_are_crossed(complaints):
    association = label_association(complaints)
    assert association["all"].max() < 0.2
    assert association.drop(columns="all").max().max() < 0.5


def test_no_two_items_share_a_frame(complaints):
    # the first five words of a complaint never repeat within a language
    openings = complaints["text"].str.split().str[:5].str.join(" ")
    assert not openings.groupby(complaints["lang"]).apply(lambda s: s.duplicated().any()).any()


def test_annotations_pair_gold_with_a_blind_pass(complaints):
    labels = load_annotations()
    assert labels.groupby("annotator").size().to_dict() == {"annotator_1": 144,
                                                            "annotator_2": 144}  # fmt: skip
    per_lang = labels[labels["annotator"] == "annotator_2"]["complaint_id"].str[:2]
    assert per_lang.value_counts().min() >= 20
    gold = complaints.set_index("complaint_id")
    first = labels[labels["annotator"] == "annotator_1"].set_index("complaint_id")
    for target in ("category", "complainant_type", "severity"):
        assert (first[target].astype(str) == gold.loc[first.index, target].astype(str)).all()
    # disagreements are kept, not smoothed away
    second = labels[labels["annotator"] == "annotator_2"].set_index("complaint_id")
    assert (second["category"].astype(str) != first["category"].astype(str)).sum() > 0


def test_agreement_meets_the_bar_and_matches_a_direct_count():
    table = agreement(by_lang=True)
    assert table.loc["all", "category"] >= 0.6
    assert list(table.index) == ["all", *LANGS]
    assert table.loc["all", "items"] == 144
    # kappa from first principles for category, to check the helper
    wide = load_annotations().pivot(index="complaint_id", columns="annotator", values="category")
    a, b = wide["annotator_1"].astype(str), wide["annotator_2"].astype(str)
    observed = (a == b).mean()
    expected = sum((a == k).mean() * (b == k).mean() for k in CATEGORIES)
    assert table.loc["all", "category"] == pytest.approx((observed - expected) / (1 - expected),
                                                         abs=1e-3)  # fmt: skip


def test_agreement_needs_two_annotators():
    labels = load_annotations()
    with pytest.raises(ValueError, match="exactly two annotators"):
        agreement(labels[labels["annotator"] == "annotator_1"])


def test_data_card_tables_are_generated_from_the_files(root):
    card = (root / "datasets" / "README.md").read_text(encoding="utf-8")
    stored = card.split("<!-- counts:start -->\n", 1)[1].split("\n<!-- counts:end -->", 1)[0]
    assert stored == count_tables()
    assert "CC BY 4.0" in card


def test_card_counts_match_an_independent_read_of_the_csv(root):
    raw = pd.read_csv(root / "datasets" / "complaints.csv", dtype=str, keep_default_na=False)
    table = count_tables()
    for category, count in raw[raw["lang"] == "he"]["category"].value_counts().items():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{category}` |"))
        assert row.split(" | ")[1] == str(count)


def test_corpora_load_from_a_wheel_outside_the_checkout(root, tmp_path):
    """Build the wheel, unpack it, and load the corpora with the checkout out of reach."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(root)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("complaintlab-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in ("complaints.csv", "responses.csv", "annotations.csv", "datapackage.json",
                 "langid_sentences.tsv"):  # fmt: skip
        assert f"complaintlab/_datasets/{name}" in names
    assert not any(name.startswith("complaintlab/_datasets/making") for name in names)
    site = str(tmp_path / "site")
    code = (
        "import complaintlab, complaintlab.datasets as d;"
        f"print(complaintlab.__file__.startswith({site!r}), len(d.load_complaints()),"
        " len(d.load_responses()), len(d.load_langid_sentences()))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env={"PYTHONPATH": site}, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["True", str(len(load_complaints())),
                                  str(len(load_responses())), "604"]  # fmt: skip


def test_agreement_names_repeated_labels():
    labels = load_annotations()
    with pytest.raises(ValueError, match="1 repeated"):
        agreement(pd.concat([labels, labels.head(1)]))
