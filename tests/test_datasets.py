import pytest

from complaintlab.datasets import load_langid_sentences


def test_loader_keeps_every_row_in_order(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("lang\tkind\ttext\nbg\tchat\tЧакам\nund\tother\t12345\n", encoding="utf-8")
    frame = load_langid_sentences(path)
    assert frame.to_dict("records") == [
        {"lang": "bg", "kind": "chat", "text": "Чакам"},
        {"lang": "und", "kind": "other", "text": "12345"},
    ]


def test_loader_names_the_bad_line(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("lang\tkind\ttext\nbg\tchat\tok\nbroken line\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        load_langid_sentences(path)


def test_loader_checks_the_header(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("language\ttext\nbg\tok\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_langid_sentences(path)
