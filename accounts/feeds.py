from django.contrib.syndication.views import Feed
from django.http import Http404

from accounts.selectors import feed_owner, following_feed_items
from hubs.feeds import TextAtomFeed


class FollowingFeed(Feed):
    """A reader's personal Atom feed: new citing papers in the hubs they follow.

    The URL's secret stands in for a sign-in, since feed readers cannot sign in.
    """

    feed_type = TextAtomFeed  # titles of imported papers are text, never markup
    title = "New citing papers in the hubs you follow · pithsite"
    subtitle = "Papers newly recorded as citing a hub you follow, newest first."

    def get_object(self, request, key):
        if user := feed_owner(key):
            return user
        raise Http404("No feed at this address (it may have been switched off).")

    def link(self, user):
        return "/account/following/"

    def items(self, user):
        return following_feed_items(user)

    def item_title(self, citation):
        return citation.citing.title

    def item_description(self, citation):
        return f"Cites “{citation.cited.title}” (hub {citation.cited.hub.slug})."

    def item_link(self, citation):
        return citation.citing.get_absolute_url()

    def item_guid(self, citation):
        return f"pithsite:citation:{citation.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, citation):
        return citation.created_at

    def item_updateddate(self, citation):
        return citation.created_at
