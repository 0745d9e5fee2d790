from django.core.management.base import BaseCommand

from hubs.demo import load_demo_hub


class Command(BaseCommand):
    help = "Load the demo hub (arXiv 2509.08827 and the 36 real papers citing it). Idempotent."

    def handle(self, *args, **options):
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
