"""What a loader or an importer found set by a person and left as it was, and how to say so.

No loader overwrites what a person set (reviews, curator labels, paper fields edited in
the admin, a hub's representatives, note and published flag). Each counts what it left
alone under one of these names, and every command prints it with left_alone_text().
"""

from collections.abc import Mapping

REVIEW = "review"
LABEL = "label"
PAPER_FIELD = "paper field"
REPRESENTATIVES = "representatives"
HUB_NOTE = "hub note"
HUB_PUBLISHED = "published flag"

# One, many.
_WORDS = {
    REVIEW: ("review", "reviews"),
    LABEL: ("label set by a curator", "labels set by curators"),
    PAPER_FIELD: ("paper field edited in the admin", "paper fields edited in the admin"),
    REPRESENTATIVES: (
        "hub's representatives and their order",
        "hubs' representatives and their order",
    ),
    HUB_NOTE: ("hub note", "hub notes"),
    HUB_PUBLISHED: ("hub's published flag", "hubs' published flags"),
}


def left_alone_text(counts: Mapping[str, int]) -> str:
    """'left alone: 1 review, 2 labels set by curators', or '' when nothing was."""
    parts = [
        f"{count:,} {words[count != 1]}"
        for name, words in _WORDS.items()
        if (count := counts.get(name, 0))
    ]
    return f"left alone: {', '.join(parts)}" if parts else ""
