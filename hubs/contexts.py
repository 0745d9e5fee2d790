"""Where a citing sentence names the cited paper: the one rule that finds the citation
marker in a context, so every page highlights the same words (<mark>).

The marker is found from what the cited paper's record says, not guessed from the
sentence's shape: its first author's surname with its year ("Zhang et al., 2025b",
"Jing and McKeown (2000)"); failing that, a sentence with a single numeric marker
("[12]", "[3, 5]") is taken to cite the paper there. A sentence citing many works by
number has no way to tell which is this one, and nothing is marked.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NUMERIC_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]")


def first_author_surname(authors: list[str]) -> str:
    """ "Zhang" for "Kaiyan Zhang" or "Zhang, Kaiyan"; "" when there is no author."""
    if not authors or not authors[0].strip():
        return ""
    name = authors[0].strip()
    return name.split(",")[0].strip() if "," in name else name.split()[-1]


def marker_pattern(cited) -> re.Pattern | None:
    """The author-year mention of `cited` (a Paper), or None when it has no author."""
    surname = first_author_surname(cited.authors)
    if not surname:
        return None
    others = r"(?:\s+et\s+al\.?|\s+(?:and|&)\s+[^\s,;()\[\]]+)?"
    if cited.year:
        year = rf"{cited.year}[a-z]?"
        return re.compile(rf"\b{re.escape(surname)}\b{others},?\s*(?:\({year}\)|{year}\b)")
    return re.compile(rf"\b{re.escape(surname)}\b\s+et\s+al\.?")


def marker_spans(text: str, cited) -> list[tuple[int, int]]:
    """Where `text` cites `cited`: (start, end) of each marker, in order."""
    pattern = marker_pattern(cited)
    spans = [match.span() for match in pattern.finditer(text)] if pattern else []
    if not spans:
        numbers = [match.span() for match in NUMERIC_MARKER.finditer(text)]
        spans = numbers if len(numbers) == 1 else []
    return spans


def context_marked(text: str, cited) -> SafeString:
    """The sentence, escaped, with the markers citing `cited` in <mark>."""
    parts, position = [], 0
    for start, end in marker_spans(text, cited):
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece of the text above is escaped
