from django.core.management.base import BaseCommand, CommandError

from hubs import services
from hubs.importers.progress import Progress
from hubs.models import Hub
from hubs.services.suggestions import SUGGEST_BATCH


class Command(BaseCommand):
    help = (
        "Store the classifier's suggested role and polarity for citations with a citing "
        "sentence, in bulk (a progress bar on stderr). It never touches a curator's label or "
        "an import's suggestion, and replaces model suggestions, so run it again after a new "
        "model."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hub", metavar="SLUG", help="Only this hub's citations.")
        parser.add_argument(
            "--only-missing",
            action="store_true",
            help="Skip citations that already have a current suggestion for every open label.",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=SUGGEST_BATCH,
            metavar="N",
            help=f"Citations per transaction (default {SUGGEST_BATCH}).",
        )

    def handle(self, *args, **options):
        hub = None
        if options["hub"]:
            hub = Hub.objects.filter(slug=options["hub"]).first()
            if hub is None:
                raise CommandError(f"No hub with the slug {options['hub']!r}.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        try:
            report = services.citations_suggest(
                hub=hub,
                only_missing=options["only_missing"],
                batch=options["batch"],
                progress=Progress.for_terminal(),
            )
        except services.ClassifierMissing as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
