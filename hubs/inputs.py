"""How numbers and text typed by someone else are read: one rule for every page, API,
form and importer.

`str.isdigit()` is true for "²⁰²⁵" and for the digits of other scripts as well, and
`int()` then fails or reads a number nobody typed; so a whole number from input is ASCII
digits only, read here.
"""

import re

from django.utils.http import url_has_allowed_host_and_scheme

_ASCII_DIGITS = re.compile(r"[0-9]+")
# Longer numbers are never an id, a year or a page size; also keeps int() cheap.
_MAX_DIGITS = 19


def whole_number(text, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """`text` as a whole number if it is ASCII digits only (no sign, no spaces) within
    [minimum, maximum]; else None. Callers turn None into their own clear 4xx."""
    if not isinstance(text, str) or len(text) > _MAX_DIGITS or not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number


# The longest search text any page or API list takes: longer ones are a 400 with this
# message, not a query (SQLite refuses LIKE patterns past 50,000 bytes; no title is this long).
SEARCH_MAX_LENGTH = 300
SEARCH_TOO_LONG = f"Search text is limited to {SEARCH_MAX_LENGTH} characters."


def next_path(request, fallback: str) -> str:
    """Where a form asks to go back to (its `next` field): a path on this site, or
    `fallback`. Never another site, and never text `redirect()` would try to reverse."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
