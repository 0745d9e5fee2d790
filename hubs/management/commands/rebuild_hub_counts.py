"""Recount the hubs' counts table (hubs.counts) from the citations.

Run it after changing PITHSITE_CLASSIFICATION_THRESHOLD (what counts as classified changes
without any write), or after rows were changed around the services.
"""

from django.core.management.base import BaseCommand, CommandError

from hubs.counts import hub_counts_rebuild
from hubs.models import Hub
from hubs.numbers_cache import numbers_changed


class Command(BaseCommand):
    help = "Recount every hub's page-wide counts from its citations (or one hub's: --hub SLUG)."

    def add_arguments(self, parser):
        parser.add_argument("--hub", metavar="SLUG", help="Only this hub.")

    def handle(self, *args, hub=None, **options):
        hubs = Hub.objects.all()
        if hub:
            hubs = hubs.filter(slug=hub)
            if not hubs.exists():
                raise CommandError(f"No hub with the slug {hub!r}.")
        hub_ids = None if not hub else list(hubs.values_list("pk", flat=True))
        cells = hub_counts_rebuild(hub_ids)
        numbers_changed(paper_ids=hubs.values_list("paper_id", flat=True))
        self.stdout.write(f"Recounted {len(hubs)} hub(s): {cells} cells.")
