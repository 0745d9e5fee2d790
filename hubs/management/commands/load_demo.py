from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubs import services
from hubs.demo import load_demo_hub
from hubs.demo.acl import SHARED_DATA_ENV, load_acl_demo, shared_data_dir
from hubs.importers.progress import Progress
from hubs.models import Citation, Hub
from hubs.services.left_alone import left_alone_text


class Command(BaseCommand):
    help = (
        "Load the demo hub (arXiv 2509.08827 and the 36 real papers citing it), or with --acl "
        "the ACL demo (about 2,500 ACL Anthology papers, 6,900 hand-labelled citing sentences, "
        "the most-cited papers as hubs). Safe to repeat: it writes only what is missing or what "
        "its files own, never what a person set since, and says what it left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--acl",
            action="store_true",
            help="Load the ACL Anthology + Athar citation sentiment demo instead.",
        )
        parser.add_argument(
            "--no-classify",
            action="store_true",
            help="Load only the data: store no classifier suggestions.",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            help=f"The shared data folder (default: ${SHARED_DATA_ENV}, else ../shared/data).",
        )

    def handle(self, *args, **options):
        classify = not options["no_classify"]
        if options["acl"]:
            self._acl(options["data_dir"] or shared_data_dir())
            if classify:
                self._classify(
                    citations=Citation.objects.filter(
                        cited__hub__isnull=False, cited__acl_id__isnull=False
                    )
                )
            return
        report = load_demo_hub()
        if not report.changed_anything:
            self.stdout.write("Demo hub already loaded; nothing changed.")
        else:
            counts = ", ".join(
                f"{report.created[kind]} {kind} created and {report.updated[kind]} updated"
                for kind in ("papers", "citations", "reviews")
            )
            hub = "the hub created" if report.hub_created else "the hub was there"
            self.stdout.write(self.style.SUCCESS(f"Demo hub loaded: {counts}; {hub}."))
        self._left_alone(report.left_alone)
        if classify:
            self._classify(hub=Hub.objects.get(slug=report.hub_slug))

    def _classify(self, **which) -> None:
        """Suggest labels for the demo's citing sentences with the shipped classifier: only
        where no current suggestion stands (so a second load writes nothing), never over a
        curator's label or an import's suggestion."""
        try:
            report = services.citations_suggest(
                **which, only_missing=True, progress=Progress.for_terminal()
            )
        except services.ClassifierMissing as exc:
            self.stdout.write(f"No suggestions: {exc}")
            return
        self.stdout.write("Suggested labels (hubs.services.suggestions):")
        for line in report.lines():
            self.stdout.write(f"  {line}")

    def _acl(self, data_dir: Path) -> None:
        try:
            report = load_acl_demo(data_dir=data_dir)
        except FileNotFoundError as exc:
            raise CommandError(
                f"The ACL demo needs {exc.args[0]}, which is missing. Point --data-dir or "
                f"${SHARED_DATA_ENV} at the shared data folder."
            ) from exc
        imported = report.imported
        if not imported.changed_anything and not report.hubs_created:
            self.stdout.write("ACL demo already loaded; nothing changed.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"ACL demo loaded: {imported.papers.created:,} papers, "
                    f"{imported.citations.created:,} citations and "
                    f"{imported.contexts.created:,} citing sentences created; "
                    f"hubs: {', '.join(report.hubs_created) or 'none new'}."
                )
            )
        self._left_alone(imported.left_alone)

    def _left_alone(self, counts) -> None:
        if text := left_alone_text(counts):
            self.stdout.write(f"{text} (a person set them; the demo never overwrites that)")
