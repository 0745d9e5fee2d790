"""Small text clean-ups shared by the formats."""

import re

_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """One line, single spaces (titles in arXiv and BibTeX files wrap)."""
    return _SPACE.sub(" ", text or "").strip()


def first_last(name: str) -> str:
    """'Rush, Alexander M.' -> 'Alexander M. Rush'; names without a comma stay as they are."""
    if "," not in name:
        return clean(name)
    last, _, first = name.partition(",")
    return clean(f"{first} {last}")
