"""Text cut to fit a message, a title or a table cell: one rule, so no page or message
cuts a title mid-word or drops the sign that something was cut."""

ELLIPSIS = "…"
TITLE_LIMIT = 60


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """`text` on one line, at most `limit` characters: cut after the last whole word
    that fits, with an ellipsis (a first word longer than the limit is cut in it)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = text[: limit - len(ELLIPSIS)]
    if not text[len(kept)].isspace():  # the cut falls inside a word: drop that word
        kept = kept.rpartition(" ")[0] or kept
    return kept.rstrip(" ,;:.-–—") + ELLIPSIS


def quoted_title(title: str) -> str:
    """A title as messages quote it: “Attention is all you need”, shortened."""
    return f"“{shorten(title)}”"
