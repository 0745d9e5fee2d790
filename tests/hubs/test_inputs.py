"""hubs/inputs.py: a whole number from input is ASCII digits, or nothing."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hubs.inputs import whole_number


@pytest.mark.parametrize(
    "text",
    ["²", "²⁰²⁵", "٣", "\u09ed", "\uff11\uff12", "-1", "+1", " 1", "1 ", "1.0", "1e3", "", "0x1"],
)
def test_anything_but_ascii_digits_is_not_a_number(text):
    assert whole_number(text) is None


def test_bounds_and_size():
    assert whole_number("2025") == 2025
    assert whole_number("0", minimum=1) is None
    assert whole_number("101", maximum=100) is None
    assert whole_number("9" * 20) is None  # never an id, a year or a page size


@given(st.text(max_size=30))
@example("²")
def test_never_raises_and_agrees_with_ascii_digits(text):
    number = whole_number(text)
    if number is None:
        assert not (text.isascii() and text.isdigit() and len(text) <= 19)
    else:
        assert text.isascii() and text.isdigit() and int(text) == number
