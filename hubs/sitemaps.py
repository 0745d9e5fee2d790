from django.contrib.sitemaps import Sitemap

from hubs.identifiers import ID_FIELDS
from hubs.models import Hub, Paper


class HubSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Hub.objects.published().order_by("pk")

    def lastmod(self, hub):
        return hub.updated_at


class PaperSitemap(Sitemap):
    # Django splits this into pages of `limit` URLs under the sitemap index.
    changefreq = "weekly"
    priority = 0.5
    limit = 10_000

    def items(self):
        # Every paper has a page: each URL is Paper.get_absolute_url, built from the ids
        # alone (hubs.identifiers), and each one resolves (tests fetch them all).
        return Paper.objects.only(*ID_FIELDS, "updated_at").order_by("pk")

    def lastmod(self, paper):
        return paper.updated_at


SITEMAPS = {"hubs": HubSitemap, "papers": PaperSitemap}
