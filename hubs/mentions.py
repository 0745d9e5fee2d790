"""Where a citing sentence names the cited paper: the span pages highlight as the
evidence (the citation marker, or the cited paper's mention).

Contexts are stored as plain sentences, without the position of the marker, so it is
found here, once for every page that shows a sentence: the first author's surname with
the year ("Zhang et al., 2025b", "Zhang et al. (2025)"), else the cited paper's title,
else the sentence's only numeric marker ("[41]"). A sentence citing several papers by
number ("[12, 17] ... [41]") gets no highlight rather than a guessed one.
"""

import re
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

NUMERIC_MARKER = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")


def surname(author: str) -> str:
    """ "Kaiyan Zhang" -> "Zhang"; "Zhang, Kaiyan" -> "Zhang"."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    return author.split()[-1] if author else ""


def mention_span(
    text: str, *, authors: Sequence[str], year: int | None, title: str
) -> tuple[int, int] | None:
    """(start, end) of the cited paper's marker or mention in `text`, or None."""
    name = surname(authors[0]) if authors else ""
    if name:
        others = r"(?:\s+et\s+al\.?|\s+(?:and|&)\s+[^\s,;()\[\]]+)?"
        # "…, 2025b" or "… (2025b)": a closing bracket only with its opening one.
        when = rf"(?:,?\s*{year}[a-z]?\b|\s*\({year}[a-z]?\))" if year else ""
        match = re.search(rf"\b{re.escape(name)}{others}{when}", text)
        if match:
            return match.span()
    if title and (start := text.lower().find(title.lower())) >= 0:
        return start, start + len(title)
    markers = list(NUMERIC_MARKER.finditer(text))
    if len(markers) == 1:
        return markers[0].span()
    return None


def marked(text: str, cited) -> SafeString:
    """The sentence, escaped, with `cited`'s (a Paper's) marker or mention in <mark>."""
    span = mention_span(text, authors=cited.authors, year=cited.year, title=cited.title)
    if span is None:
        return escape(text)
    start, end = span
    return format_html("{}<mark>{}</mark>{}", text[:start], text[start:end], text[end:])
