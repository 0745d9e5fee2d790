"""Template hygiene: a Django {# #} comment spans one line; a longer one prints as text."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_multiline_short_comments():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\{#(?:(?!#\}).)*\n", path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use {% comment %} for comments over several lines"
