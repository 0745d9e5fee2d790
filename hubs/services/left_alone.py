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

# How to say n of each, for one and for many.
_WORDS = {
    REVIEW: ("{n} review", "{n} reviews"),
    LABEL: ("{n} label set by a curator", "{n} labels set by curators"),
    PAPER_FIELD: ("{n} paper field edited in the admin", "{n} paper fields edited in the admin"),
    REPRESENTATIVES: (
        "the representatives and their order of {n} hub",
        "the representatives and their order of {n} hubs",
    ),
    HUB_NOTE: ("the curator note of {n} hub", "the curator notes of {n} hubs"),
    HUB_PUBLISHED: ("the published flag of {n} hub", "the published flags of {n} hubs"),
}


def left_alone_text(counts: Mapping[str, int]) -> str:
    """'left alone: 1 review, 2 labels set by curators', or '' when nothing was."""
    parts = [
        words[count != 1].format(n=f"{count:,}")
        for name, words in _WORDS.items()
        if (count := counts.get(name, 0))
    ]
    return f"left alone: {', '.join(parts)}" if parts else ""
