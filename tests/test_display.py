import pandas as pd

from complaintlab.display import hidden_characters, html_table


def test_user_text_is_escaped_never_markup():
    frame = pd.DataFrame({"text": ["<img src=x onerror=alert(1)>", "<script>x()</script>"]})
    out = html_table(frame)
    assert "<img" not in out and "<script>" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_every_cell_gets_its_own_direction():
    frame = pd.DataFrame({"he": ["שלום 12:00"], "en": ["hello"]})
    out = html_table(frame, caption="<b>cap</b>")
    assert out.count('dir="auto"') == 4  # two headers, two cells
    assert "&lt;b&gt;cap&lt;/b&gt;" in out


def test_missing_values_are_empty_cells():
    out = html_table(pd.DataFrame({"a": [None, float("nan")]}))
    assert out.count('"></td>') == 2


def test_hidden_characters_names_marks_and_controls():
    assert hidden_characters("\u202eabc\u200c") == [
        "RIGHT-TO-LEFT OVERRIDE",
        "ZERO WIDTH NON-JOINER",
    ]
    assert hidden_characters("plain") == []
