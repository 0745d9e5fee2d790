"""Helpers for tests that check a command writes nothing the second time it runs."""

from hubs.models import Citation, CitationContext, Hub, Paper, Review


def snapshot() -> dict:
    """Every row the demo or an import can write, and the history counts, as values."""
    return {
        "papers": list(Paper.objects.order_by("pk").values()),
        "citations": list(Citation.objects.order_by("pk").values()),
        "contexts": list(CitationContext.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
        "hubs": list(Hub.objects.order_by("pk").values()),
        "history": [Citation.history.count(), Review.history.count(), Hub.history.count()],
    }
