from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hubs.demo import load_demo_hub
from hubs.demo.acl import SHARED_DATA_ENV, load_acl_demo, shared_data_dir


class Command(BaseCommand):
    help = (
        "Load the demo hub (arXiv 2509.08827 and the 36 real papers citing it), or with --acl "
        "the ACL demo (about 2,500 ACL Anthology papers, 6,900 hand-labelled citing sentences, "
        "the most-cited papers as hubs). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--acl",
            action="store_true",
            help="Load the ACL Anthology + Athar citation sentiment demo instead.",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            help=f"The shared data folder (default: ${SHARED_DATA_ENV}, else ../shared/data).",
        )

    def handle(self, *args, **options):
        if options["acl"]:
            self._acl(options["data_dir"] or shared_data_dir())
            return
        report = load_demo_hub()
        if not report.changed_anything:
            self.stdout.write("Demo hub already loaded; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo hub loaded: {report.papers_created} papers and "
                f"{report.citations_created} citations created, "
                f"{len(report.changes)} other changes."
            )
        )

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
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"ACL demo loaded: {imported.papers.created:,} papers, "
                f"{imported.citations.created:,} citations and "
                f"{imported.contexts.created:,} citing sentences created; "
                f"hubs: {', '.join(report.hubs_created) or 'none new'}."
            )
        )
