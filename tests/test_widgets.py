"""Workshop widgets, driven without a browser: set values, check what they show."""

import pandas as pd
import pytest

from complaintlab.corpus import load_complaints
from complaintlab.errors import DatasetError
from complaintlab.widgets import (
    AnnotationGame,
    FollowUpSimulator,
    TaxonomyExplorer,
    ToneChecker,
    room_agreement,
)

# ---- ToneChecker ---------------------------------------------------------------------------


def test_tone_checker_lights_up_features_as_the_text_changes():
    checker = ToneChecker()
    assert checker.result["lang"] == "und" and "not determined" in checker.html
    checker.set_text("I'm so sorry, that was our mistake. I'll refund you today. "
                     "What else can I help you with?")  # fmt: skip
    assert checker.result["apology"] and checker.result["next_steps"]
    assert checker.result["open_offer"] and not checker.result["blame"]
    assert checker.result["tone_score"] > 0.2
    assert "<mark" in checker.html and "tone score" in checker.html
    checker.set_text("You should have read the terms before ordering.")
    assert checker.result["blame"] and checker.result["tone_score"] < 0


@pytest.mark.parametrize("attack", ["<script>alert(1)</script>",
                                    '<img src=x onerror="alert(1)">', "</div><b>bold</b>"])
def test_typed_html_is_shown_never_run(attack):
    checker = ToneChecker()
    checker.set_text(f"Sorry for the delay {attack}")
    assert attack not in checker.html
    assert "&lt;" in checker.html


def test_rtl_reply_is_shown_right_to_left_and_language_detected():
    checker = ToneChecker()
    checker.set_text("אני מצטערת מאוד, זו טעות שלנו. אחזיר לך את הכסף עוד היום.")
    assert checker.result["lang"] == "he"
    assert 'dir="rtl"' in checker.html
    assert checker.result["apology"]


def test_chosen_language_overrides_detection_and_bad_input_is_refused():
    checker = ToneChecker(lang="ru")
    checker.set_text("Приносим извинения за задержку.")
    assert checker.result["lang"] == "ru" and checker.result["apology"]
    with pytest.raises(TypeError, match="text must be a string"):
        checker.set_text(None)


def test_widget_displays_with_a_short_plain_text_form():
    checker = ToneChecker("Thanks for your patience.")
    bundle = checker._repr_mimebundle_()
    assert bundle["text/plain"] == "ToneChecker(lang=None, characters=25)"
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "gratitude" in checker.summary()


# ---- AnnotationGame and the room -----------------------------------------------------------


def test_annotation_game_records_answers_and_compares_with_gold():
    game = AnnotationGame(lang="ar", n=3, seed=4, annotator="noor")
    gold = load_complaints().set_index("complaint_id")
    for _ in range(3):
        cid = game.current["complaint_id"]
        row = gold.loc[cid]
        feedback = game.answer(str(row["category"]), str(row["complainant_type"]),
                               int(row["severity"]))  # fmt: skip
        assert feedback["yours"] == feedback["gold"]
    assert game.remaining == 0 and game.current is None
    assert game.labels["complaint_id"].str.startswith("ar-").all()
    table = game.agreement().set_index("label")
    assert (table["agree"] == 1.0).all() and (table["answered"] == 3).all()
    assert "All done" in game.view.value and "✓" in game.feedback.value
    with pytest.raises(ValueError, match="already labelled"):
        game.answer("billing", "reasonable", 1)


def test_annotation_game_is_seeded_and_checks_its_input():
    first = AnnotationGame(n=5, seed=9).items["complaint_id"].tolist()
    assert first == AnnotationGame(n=5, seed=9).items["complaint_id"].tolist()
    assert first != AnnotationGame(n=5, seed=10).items["complaint_id"].tolist()
    game = AnnotationGame(n=2)
    with pytest.raises(ValueError, match="category 'prices' is not one of"):
        game.answer("prices", "reasonable", 1)
    with pytest.raises(ValueError, match="severity 7 is not one of"):
        game.answer("billing", "reasonable", 7)
    with pytest.raises(ValueError, match="n must be between 1 and"):
        AnnotationGame(n=0)
    with pytest.raises(ValueError, match="xx"):
        AnnotationGame(lang="xx")


def test_saved_labels_are_spreadsheet_safe(tmp_path):
    game = AnnotationGame(n=1, annotator="=cmd|' /C calc'!A0")
    game.answer("billing", "reasonable", 2)
    path = tmp_path / "labels.csv"
    game.to_csv(path)
    text = path.read_text(encoding="utf-8")
    assert "'=cmd" in text and "\n=cmd" not in text


def test_room_agreement_over_participants_and_gold(tmp_path):
    paths = []
    for name, label in (("a", "billing"), ("b", "billing"), ("c", "service")):
        game = AnnotationGame(n=4, seed=3, annotator=name)
        for _ in range(4):
            game.answer(label, "reasonable", 2)
        paths.append(tmp_path / f"{name}.csv")
        game.to_csv(paths[-1])
    table = room_agreement(paths)
    assert int(table.loc["all", "annotators"]) == 4 and int(table.loc["all", "items"]) == 4
    without = room_agreement(paths, with_gold=False)
    assert int(without.loc["all", "annotators"]) == 3
    assert without.loc["all", "category kappa"] < 1.0


def test_room_agreement_lists_bad_rows():
    bad = pd.DataFrame({"annotator": ["a", "a"], "complaint_id": ["he-0001", "zz-9999"],
                        "category": ["billing", "prices"], "complainant_type": ["meek", "meek"],
                        "severity": ["2", "2"]})  # fmt: skip
    with pytest.raises(DatasetError) as err:
        room_agreement(bad)
    assert "row 1: unknown complaint_id 'zz-9999'" in str(err.value)
    assert "row 1: category 'prices'" in str(err.value)
    with pytest.raises(DatasetError, match="missing column 'severity'"):
        room_agreement(bad.drop(columns="severity"))


# ---- FollowUpSimulator ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def simulator():
    return FollowUpSimulator(n=8_000, seed=1)


def test_simulator_starts_at_its_baseline(simulator):
    assert (simulator.table["change"] == 0).all()
    assert list(simulator.table.index) == list(FollowUpSimulator.METRICS)


def test_simulator_sliders_move_outcomes_the_documented_way(simulator):
    simulator.set(follow_up_rate=0.9)
    more_calls = simulator.table.loc["kept after 90 days", "change"]
    simulator.set(follow_up_rate=0.9, follow_up_delay_hours=336)
    late_calls = simulator.table.loc["kept after 90 days", "change"]
    assert more_calls > late_calls and more_calls > 0.02
    simulator.set(follow_up_rate=0.35, follow_up_delay_hours=52, response_time_scale=4.0)
    assert simulator.table.loc["disputes", "change"] > 0
    simulator.set(response_time_scale=1.0, set_mix=True, none=1.0, apology=0.0, discount=0.0,
                  refund=0.0)  # fmt: skip
    assert simulator.table.loc["mean satisfaction (1-5)", "change"] < 0
    assert "scenario" in simulator.view.value
    with pytest.raises(ValueError, match="unknown control"):
        simulator.set(speed=2)


def test_simulator_is_deterministic():
    one, two = FollowUpSimulator(n=3_000, seed=5), FollowUpSimulator(n=3_000, seed=5)
    one.set(follow_up_rate=0.6)
    two.set(follow_up_rate=0.6)
    pd.testing.assert_frame_equal(one.table, two.table)


# ---- TaxonomyExplorer ----------------------------------------------------------------------


def test_explorer_filters_and_shows_gold_predicted_and_cues():
    explorer = TaxonomyExplorer()
    explorer.filter(lang="he", target="severity", value=4)
    gold = load_complaints()
    expected = gold[(gold["lang"] == "he") & (gold["severity"] == 4)]["complaint_id"]
    assert explorer.ids == expected.astype(str).tolist()
    explorer.show(explorer.ids[0])
    assert 'dir="rtl"' in explorer.html and "cues that fired" in explorer.html
    assert "predicted (learned, trained here)" in explorer.html
    assert "predicted (rules)" in explorer.html
    with pytest.raises(ValueError, match="no complaint 'xx-1'"):
        explorer.show("xx-1")
    with pytest.raises(ValueError, match="target must be one of"):
        explorer.filter(target="mood")


def test_explorer_escapes_corpus_text():
    explorer = TaxonomyExplorer()
    explorer.data.loc[0, "text"] = "<script>alert(1)</script> charged twice"
    explorer.show(explorer.data.loc[0, "complaint_id"])
    assert "<script>" not in explorer.html and "&lt;script&gt;" in explorer.html


def test_room_agreement_refuses_two_participants_with_one_name():
    first, second = AnnotationGame(n=2, seed=2), AnnotationGame(n=2, seed=2)
    for game in (first, second):
        for _ in range(2):
            game.answer("billing", "reasonable", 2)
    with pytest.raises(DatasetError, match=r"labelled .* more than once"):
        room_agreement([first.labels, second.labels])
    with pytest.raises(ValueError, match="at least two annotators"):
        room_agreement(first.labels, with_gold=False)
    with pytest.raises(ValueError, match="'gold' is reserved"):
        AnnotationGame(n=1, annotator="Gold")


@pytest.mark.parametrize("bad", [True, 2.0, "high", 0])
def test_severity_must_be_a_level(bad):
    with pytest.raises(ValueError, match="severity"):
        AnnotationGame(n=1).answer("billing", "reasonable", bad)


def test_simulator_refuses_values_off_the_slider():
    sim = FollowUpSimulator(n=2_000)
    with pytest.raises(ValueError, match=r"follow_up_rate must lie between 0\.05 and 0\.95"):
        sim.set(follow_up_rate=5.0)
    sim.set(follow_up_delay_hours=388)
    assert sim.controls["follow_up_delay_hours"].value == 388


def test_tone_checker_uses_the_users_weights_and_keeps_the_others():
    text = "I'm sorry for the trouble. Please hold while I transfer you."
    usual, strict = ToneChecker(), ToneChecker(weights={"unexplained_transfer": -3.0})
    for checker in (usual, strict):
        checker.set_text(text)
    assert strict.result["tone_score"] < usual.result["tone_score"]
    assert "#bbf7d0" in strict.html  # the apology chip stays green: its default weight is kept
