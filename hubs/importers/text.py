"""The one text clean-up every format uses for titles, names and sentences."""

import html
import re

_SPACE = re.compile(r"\s+")
# Only complete entities, ended by ";" (`&eacute;`, `&#x10D;`): html.unescape alone would
# also read "&copy" in "&copy=1" or "&para" in "R&paragraph" as characters.
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def clean(text: str | None) -> str:
    """HTML entities decoded (the ACL metadata writes `Nov&aacute;k`), on one line with
    single spaces (titles in arXiv and BibTeX files wrap)."""
    decoded = _ENTITY.sub(lambda match: html.unescape(match[0]), text or "")
    return _SPACE.sub(" ", decoded).strip()


def first_last(name: str) -> str:
    """'Rush, Alexander M.' -> 'Alexander M. Rush'; names without a comma stay as they are."""
    if "," not in name:
        return clean(name)
    last, _, first = name.partition(",")
    return clean(f"{first} {last}")
