from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from hubs.models import Citation, Hub

FEED_ITEMS = 50


class HubCitingPapersFeed(Feed):
    """Atom feed of a hub's citing papers, most recently added first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Hub.objects.published().select_related("paper"), slug=slug)

    def title(self, hub):
        return f"New papers citing “{hub.paper.title}”"

    def link(self, hub):
        return hub.get_absolute_url()

    def subtitle(self, hub):
        return f"Papers newly recorded as citing “{hub.paper.title}”, newest first."

    def items(self, hub):
        return (
            Citation.objects.of_paper(hub.paper_id)
            .with_citing()
            .select_related("cited")
            .prefetch_related("contexts")
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, citation):
        return citation.citing.title

    def item_link(self, citation):
        return citation.citing.get_absolute_url()

    def item_guid(self, citation):
        return f"pithsite:citation:{citation.pk}"

    item_guid_is_permalink = False

    def item_description(self, citation):
        contexts = list(citation.contexts.all())
        if contexts:
            return f"“{contexts[0].text}” ({contexts[0].section or 'section unknown'})"
        review = getattr(citation.citing, "review", None)
        if review and review.summary:
            return review.summary
        return citation.citing.abstract[:500] or f"Cites “{citation.cited.title}”."

    def item_author_name(self, citation):
        return ", ".join(citation.citing.authors[:10])

    def item_pubdate(self, citation):
        return citation.created_at

    def item_updateddate(self, citation):
        return citation.created_at

    def item_categories(self, citation):
        return [citation.citing.primary_category] if citation.citing.primary_category else []
