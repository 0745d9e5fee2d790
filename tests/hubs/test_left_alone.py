"""How every loader says what it left alone."""

from hubs.services.left_alone import HUB_NOTE, LABEL, REVIEW, left_alone_text


def test_counts_read_in_one_order_with_plurals():
    counts = {LABEL: 2, REVIEW: 1, HUB_NOTE: 1}
    assert left_alone_text(counts) == (
        "left alone: 1 review, 2 labels set by curators, the curator note of 1 hub"
    )


def test_nothing_left_alone_says_nothing():
    assert left_alone_text({REVIEW: 0}) == ""
