"""One citation, as the citation page and the API show it, and a hub's feed items."""

from django.shortcuts import get_object_or_404

from hubs.models import Citation, Hub, Paper


def _detailed():
    return (
        Citation.objects.with_citing()
        .select_related("cited", "cited__hub")
        .prefetch_related("contexts")  # CitationContext's default order: position
    )


def citation_detail(pk: int) -> Citation:
    """The citation with its papers, the cited paper's hub, the citing paper's verdict, who
    set its labels, whether they count, and its contexts (page and API); else Http404."""
    return get_object_or_404(_detailed(), pk=pk)


def citation_between(citing: Paper, cited: Paper) -> Citation:
    """`citing`'s citation of `cited`, with what citation_detail reads; else Http404."""
    return get_object_or_404(_detailed(), citing=citing, cited=cited)


def hub_feed_citations(hub: Hub, *, limit: int) -> list[Citation]:
    """The hub's newest citations (the Atom feed's items), with what an item shows."""
    return list(
        Citation.objects.of_paper(hub.paper_id)
        .with_citing()
        .select_related("cited")
        .prefetch_related("contexts")
        .order_by("-created_at", "-id")[:limit]
    )
