from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hubs import services
from hubs.identifiers import parse
from hubs.importers import FORMATS, format_reader
from hubs.importers.detect import detect_format
from hubs.importers.ids import ids_of
from hubs.importers.progress import Progress
from hubs.importers.report import STATUSES, ImportReport
from hubs.importers.runner import (
    DEFAULT_BATCH_SIZE,
    ImportAborted,
    ImportConfigError,
    ImportFailed,
    ImportOptions,
    run_import,
)
from hubs.models import Citation, Hub, Paper
from hubs.selectors import paper_by_identifier
from hubs.services.left_alone import left_alone_text

PROBLEMS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import papers, citations and their contexts from files (plain or gzip), creating or "
        "updating papers matched by arXiv id, then DOI, then the other ids. Safe to repeat: "
        "a second run changes nothing, and curated fields (reviews, curator labels) are "
        "never overwritten. Formats: openalex (works, JSON Lines), s2 (Graph API citation "
        "records, or S2AG papers/abstracts/citations files), acl (AAN metadata + Athar "
        "sentiment corpus), arxiv (OAI snapshot JSON Lines), bibtex (.bib)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="The files' format; guessed from the first file when not given.",
        )
        parser.add_argument(
            "--hub",
            metavar="SLUG",
            help=(
                "Import only the citations of this hub's paper. For s2 Graph API records the "
                "hub's paper is the cited paper (so --cited may be left out); for arxiv and "
                "bibtex, which hold no citations, every paper in the file is taken to cite it; "
                "for openalex, s2 bulk files and acl, citations of other papers are skipped "
                "(papers are imported all the same)."
            ),
        )
        parser.add_argument(
            "--cited",
            metavar="ID",
            help=(
                "s2 Graph API records: the paper they cite (in the site), by any of its ids: "
                "arXiv id, DOI, ACL id, CorpusId:<n>, OpenAlex id, or a link to it."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything in a transaction, print what would change, and roll it back.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Stop at the first bad record; the whole run is one transaction, so nothing "
                "from any of the files is written. (Without it each batch is its own "
                "transaction and bad records are reported and skipped.)"
            ),
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--classify",
            action="store_true",
            help=(
                "Then store the classifier's suggestions for the citations this run added "
                "(as classify_citations --only-missing does; never over a curator's label or "
                "an import's suggestion)."
            ),
        )

    def handle(self, *args, **options):
        paths = options["files"]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        name = options["format"] or detect_format(paths[0])
        if name is None:
            raise CommandError(f"Cannot tell the format of {paths[0]}; give --format.")
        import_options = ImportOptions(progress=Progress.for_terminal())
        if options["hub"] and options["cited"]:
            raise CommandError("Give --hub or --cited, not both.")
        if options["hub"]:
            hub = Hub.objects.select_related("paper").filter(slug=options["hub"]).first()
            if hub is None:
                raise CommandError(f"No hub with the slug {options['hub']!r}.")
            import_options.hub_paper = hub.paper
            import_options.cited_ids = ids_of(hub.paper)
        elif options["cited"]:
            import_options.cited_ids = ids_of(_cited_paper(options["cited"]))
        started = timezone.now()
        try:
            report = run_import(
                reader=format_reader(name),
                paths=paths,
                options=import_options,
                strict=options["strict"],
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
            )
        except ImportAborted as exc:
            raise CommandError(f"{exc.problem} (--strict: nothing was written)") from exc
        except ImportFailed as exc:
            if options["strict"] or options["dry_run"]:
                raise CommandError(f"{exc}. Nothing was written.") from exc
            raise CommandError(
                f"{exc}. Batches before it are saved: run the command again to resume."
            ) from exc
        except ImportConfigError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            import_options.progress.finish()
        self._summary(report, name, len(paths))
        if options["classify"] and not options["dry_run"]:
            self._classify(started)

    def _classify(self, started) -> None:
        try:
            suggested = services.citations_suggest(
                citations=Citation.objects.filter(created_at__gte=started),
                only_missing=True,
                progress=Progress.for_terminal(),
            )
        except services.ClassifierMissing as exc:
            raise CommandError(f"{exc} The import itself is saved.") from exc
        for line in suggested.lines():
            self.stdout.write(line)

    def _summary(self, report: ImportReport, name: str, files: int) -> None:
        write = self.stdout.write
        title = f"{'Dry run' if report.dry_run else 'Imported'}: {files} {name} file(s)"
        write(f"{title} in {report.seconds:.1f} s")
        if report.dry_run:
            write("Nothing was written; these are the changes the import would make.")
        write(f"{'':<10}" + "".join(f"{status:>11}" for status in STATUSES))
        for kind, counts in report.counts().items():
            write(f"{kind:<10}" + "".join(f"{counts[status]:>11,}" for status in STATUSES))
        for reason, count in sorted(report.skip_reasons.items()):
            write(f"skipped {reason}: {count:,}")
        if left_alone := left_alone_text(report.left_alone):
            write(f"{left_alone} (a person set them; imports never overwrite that)")
        if report.problem_count:
            write(self.style.WARNING(f"{report.problem_count:,} bad record(s), skipped:"))
            for problem in report.problems[:PROBLEMS_SHOWN]:
                write(f"  {problem}")
            if report.problem_count > PROBLEMS_SHOWN:
                write(f"  ... and {report.problem_count - PROBLEMS_SHOWN:,} more")
        write(
            f"Citations: {report.citations.total:,} in {report.citation_seconds:.1f} s, "
            f"{report.citations_per_second:,.0f} per second"
        )


def _cited_paper(identifier: str) -> Paper:
    try:
        parse(identifier)
    except ValueError as exc:
        raise CommandError(f"--cited: {exc}.") from None
    paper = paper_by_identifier(identifier)
    if paper is None:
        raise CommandError(f"--cited {identifier}: no such paper in the site; import it first.")
    return paper
