from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from hubs.selectors import hub_feed_citations, hub_visible

FEED_ITEMS = 50


class TextAtomFeed(Atom1Feed):
    """Atom with each entry's summary sent as text (`type="text"`), not HTML.

    Django's Atom1Feed marks summaries `type="html"`, so a feed reader renders them as
    markup; ours are abstracts, citing sentences and review summaries that came from
    imports and people, never markup we wrote. As text, a `<script>` in an abstract
    reaches the reader as the characters it is. Every feed of the site uses this one.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description") is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class HubCitingPapersFeed(Feed):
    """Atom feed of a hub's citing papers, most recently added first."""

    feed_type = TextAtomFeed

    def get_object(self, request, slug):
        return hub_visible(slug, include_drafts=False)  # feeds are public: no drafts

    def title(self, hub):
        return f"New papers citing “{hub.paper.title}”"

    def link(self, hub):
        return hub.get_absolute_url()

    def subtitle(self, hub):
        return f"Papers newly recorded as citing “{hub.paper.title}”, newest first."

    def items(self, hub):
        return hub_feed_citations(hub, limit=FEED_ITEMS)

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
        review = citation.citing.review_or_none
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
