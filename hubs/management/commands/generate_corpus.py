import time
from collections import Counter
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from hubs import services
from hubs.importers import synthetic
from hubs.importers.tuning import fewer_gc_pauses
from hubs.models import Paper
from hubs.services.left_alone import left_alone_text

BATCH_SIZE = 5000


class Command(BaseCommand):
    help = (
        "Build a synthetic corpus for benchmarks: N papers, four published hubs, the first "
        "cited by M papers and the others by a quarter, a twentieth and a hundredth of that, "
        "with 1-3 contexts per citation and spread years, categories, roles, polarities, "
        "label sources and verdicts. Deterministic for a seed; written through the importers' "
        "bulk services; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--papers", type=int, required=True, metavar="N")
        parser.add_argument("--hub-citations", type=int, required=True, metavar="M")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        plan = synthetic.CorpusPlan(
            papers=options["papers"], hub_citations=options["hub_citations"], seed=options["seed"]
        )
        if plan.papers < plan.hub_count + plan.hub_citations:
            raise CommandError(
                f"--papers must be at least --hub-citations + {plan.hub_count} (the hubs)."
            )
        started = time.monotonic()
        left_alone: Counter = Counter()
        with fewer_gc_pauses():
            # Reviews before citations: each citation's copy of its citing paper's novelty
            # (hubs.paging) is then filled as the citation is inserted, where reviews written
            # after would update every reviewed citation (and its indexes) a second time.
            made = {
                "papers": _write(synthetic.papers(plan), services.papers_upsert_bulk, left_alone),
                "reviews": _write(
                    synthetic.reviews(plan), services.reviews_add_bulk, left_alone, by=None
                ),
                "citations": _write(
                    synthetic.citations(plan), services.citations_add_bulk, left_alone
                ),
            }
        slugs = [_hub(plan, number, left_alone) for number in range(plan.hub_count)]
        seconds = time.monotonic() - started
        for kind, counts in made.items():
            summary = ", ".join(f"{count:,} {status}" for status, count in sorted(counts.items()))
            self.stdout.write(f"{kind}: {summary}")
        self.stdout.write(f"hubs: {', '.join(slugs)}")
        if text := left_alone_text(left_alone):
            self.stdout.write(f"{text} (a person set them; the generator never overwrites that)")
        self.stdout.write(
            self.style.SUCCESS(f"Corpus (seed {plan.seed}) ready in {seconds:.1f} s.")
        )


def _write(records, service, left_alone: Counter, **extra) -> Counter:
    counts: Counter = Counter()
    records = iter(records)
    while batch := list(islice(records, BATCH_SIZE)):
        result = service(records=batch, **extra)
        counts.update(outcome.status for outcome in result.outcomes)
        left_alone.update(result.left_alone)
    return counts


def _hub(plan: synthetic.CorpusPlan, number: int, left_alone: Counter) -> str:
    paper = Paper.objects.get(doi=plan.doi(number))
    hub, _ = services.hub_create_missing(
        paper=paper, slug=plan.hub_slug(number), is_published=True, left_alone=left_alone
    )
    return hub.slug
