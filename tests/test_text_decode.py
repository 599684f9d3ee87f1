import pytest

from complaintlab.text import decode


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("החבילה לא הגיעה", "cp1255"),
        ("الطلب لم يصل", "cp1256"),
        ("سفارش پول نرسيد", "cp1256"),
        ("Поръчката не дойде", "cp1251"),
        ("Заказ не пришёл", "cp1251"),
    ],
)
def test_legacy_code_pages_are_recognised(text, codec):
    assert decode(text.encode(codec)) == text


def test_utf8_with_and_without_bom():
    assert decode("שלום".encode()) == "שלום"
    assert decode("\ufeffשלום".encode("utf-8")) == "שלום"
    assert decode("שלום".encode("utf-16")) == "שלום"


def test_explicit_encoding_error_names_the_byte():
    with pytest.raises(ValueError, match="byte 0"):
        decode(b"\xff\xfe\xfa", encoding="utf-8")


def test_non_bytes_rejected():
    with pytest.raises(TypeError, match="str"):
        decode("already text")
