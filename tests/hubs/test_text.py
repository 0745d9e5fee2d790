"""Titles cut to fit a message or a cell: on a word boundary, with an ellipsis."""

import pytest

from hubs.text import shorten


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short title", 60, "Short title"),
        ("Attention is all you need", 20, "Attention is all…"),
        ("Attention is all you need", 17, "Attention is all…"),
        ("Attention is all you need", 18, "Attention is all…"),
        ("Attention, is all you need", 12, "Attention…"),  # no comma before the ellipsis
        ("Supercalifragilistic words", 10, "Supercali…"),  # one word longer than the limit
        ("  Spaces\n and   lines  ", 60, "Spaces and lines"),
    ],
)
def test_shorten_cuts_on_a_word_boundary(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit
