"""Plots: RTL text shaped and reordered in one place, no missing glyphs, one style."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from complaintlab import plots
from complaintlab.corpus import load_complaints
from complaintlab.plots import display_text

LABELS = {"ar": "شكوى العميل رقم ٣", "fa": "شکایت مشتری پیگیری شد", "he": "תלונת לקוח 12"}


def _draw_strictly(fig):
    """Draw the figure; a missing-glyph warning from matplotlib fails the test."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig.canvas.draw()


def test_left_to_right_text_is_unchanged():
    for text in ("follow-up rate", "Жалоба клиента", "12:00 €5", ""):
        assert display_text(text) == text
    assert display_text(None) == ""


def test_hebrew_is_reordered_for_a_matplotlib_without_text_layout():
    assert display_text("שלום", layout=False) == "םולש"
    assert display_text("תלונה 12", layout=False) == "12 הנולת"
    assert display_text("תלונה 12", layout=True) == "תלונה 12"


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_arabic_script_is_joined_then_reordered_without_text_layout(lang):
    shaped = display_text(LABELS[lang], layout=False)
    letters = [ch for ch in shaped if ch.isalpha()]
    assert letters and all("\ufb50" <= ch <= "\ufeff" for ch in letters)  # presentation forms
    assert shaped != LABELS[lang][::-1]


def _glyphs(text):
    """(character, glyph index, x) as matplotlib lays the text out with the course font."""
    from matplotlib import font_manager, ft2font
    from matplotlib._text_helpers import layout

    font = ft2font.FT2Font(font_manager.findfont(plots.STYLE["font.family"]))
    font.set_size(12, 72)
    return [(item.char, item.glyph_index, item.x) for item in layout(text, font)], font


@pytest.mark.parametrize("lang", ["ar", "fa", "he"])
def test_rtl_labels_draw_without_missing_glyphs_right_to_left_and_joined(lang):
    import arabic_reshaper

    label = LABELS[lang]
    with plots.course_style():
        fig, ax = plt.subplots()
        ax.set_title(display_text(label))
        ax.set_xticks([0, 1], [display_text(label), display_text(plots.LANGUAGE_NAMES[lang])])
        _draw_strictly(fig)
    assert ax.get_title() == display_text(label)
    assert ax.get_xticklabels()[0].get_text() == display_text(label)
    plt.close(fig)
    if not plots.matplotlib_lays_out_rtl():
        assert display_text(label) != label  # shaped and reordered by us instead
        return
    glyphs, font = _glyphs(display_text(label))
    # the first letter (the rightmost glyph of that letter) is drawn rightmost of all
    first = max((g for g in glyphs if g[0] == label[0]), key=lambda g: g[2])
    assert first[2] == max(x for _char, _glyph, x in glyphs)
    if lang in ("ar", "fa"):  # ... and takes its joined (initial) form, not the isolated one
        initial = arabic_reshaper.reshape(label.split()[0])[0]
        assert first[1] == font.get_char_index(ord(initial)) != font.get_char_index(ord(label[0]))


def test_the_missing_glyph_check_can_fail():
    """A font without Arabic letters must trip the check (so the test above means something)."""
    fig, ax = plt.subplots()
    ax.set_title(LABELS["ar"], fontfamily="cmr10")
    with pytest.raises(UserWarning, match="missing"):
        _draw_strictly(fig)
    plt.close(fig)


def test_course_figures_carry_rtl_language_names():
    complaints = load_complaints()
    ax = plots.plot_label_distribution(complaints, "category")
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert display_text("עברית") in names and display_text("فارسی") in names
    _draw_strictly(ax.figure)
    plt.close(ax.figure)


def test_confusion_matrix_counts_and_rtl_labels():
    truth = ["חיוב", "חיוב", "שירות", "שירות"]
    predicted = ["חיוב", "שירות", "שירות", "שירות"]
    ax = plots.plot_confusion(truth, predicted, normalize=False)
    assert [t.get_text() for t in ax.texts] == ["1", "1", "0", "2"]
    assert ax.get_yticklabels()[0].get_text() == display_text("חיוב")
    _draw_strictly(ax.figure)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="truth has 2 labels but predicted has 1"):
        plots.plot_confusion(["a", "b"], ["a"])


def test_tone_heatmap_shares_and_missing_columns():
    scored = pd.DataFrame({"lang": ["ar", "ar", "en"], "apology": [True, False, True],
                           "blame": [False, False, True]})  # fmt: skip
    ax = plots.plot_tone_heatmap(scored, features=["apology", "blame"])
    assert [t.get_text() for t in ax.texts] == ["0.50", "1.00", "0.00", "1.00"]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="missing column 'gratitude'"):
        plots.plot_tone_heatmap(scored, features=["gratitude"])
    with pytest.raises(ValueError, match="'lang': 1 missing value"):
        plots.plot_tone_heatmap(scored.assign(lang=["ar", None, "en"]), features=["apology"])


def test_every_figure_uses_the_course_font():
    ax = plots.plot_carp_coverage(["אני מצטער. אחזיר לך את הכסף היום."], ["he"])
    assert ax.title.get_fontfamily() == ["DejaVu Sans"]
    plt.close(ax.figure)


def test_rtl_sample_is_saved_for_a_person_to_check(tmp_path):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        path = plots.save_rtl_sample(tmp_path / "figures" / "rtl.png")
    assert path.exists() and path.stat().st_size > 10_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_confusion_matrix_gives_missing_predictions_their_own_column():
    ax = plots.plot_confusion(["a", "b", "b"], ["a", None, "b"], labels=["a", "b"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "(none)"]
    assert [t.get_text() for t in ax.texts] == ["1.00", "0.00", "0.00", "0.00", "0.50", "0.50"]
    plt.close(ax.figure)
