"""Peak memory and speed of `import_papers` as the input grows: it should stay flat.

    .venv/bin/python bench/import_memory.py                 # 10k, 50k, 100k, 200k lines
    .venv/bin/python bench/import_memory.py 1000 5000 --gzip
    bin/with-postgres sh -c '.venv/bin/python bench/import_memory.py 9000 --database $DATABASE_URL'

For each size it writes a synthetic file of Semantic Scholar Graph API citation records
(one citing paper per line, 1-3 citing sentences, intents) citing one hub, then imports it
in a fresh process on a fresh SQLite database (or the --database given) and prints the
file size, the process's peak RSS (resource.getrusage) before and after the import, and
the import's rates. On PostgreSQL it also measures the limit: COPY of the same rows (the
papers, citations, contexts and history rows the import wrote, copied out and COPY'd back
into empty tables of the same shape), as citations per second. It prints figures (--json:
one JSON line per size); it asserts nothing.
"""

import argparse
import gzip
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HUB_ARXIV_ID = "2509.08827"
INTENTS = ["background", "methodology", "result"]


def bench_doi_prefix(run: int) -> str:
    """The DOIs of one run's records: the COPY limit copies exactly the rows it wrote."""
    return f"10.5555/bench.{run}."


def write_records(path: Path, lines: int, *, compress: bool, run: int) -> None:
    """`lines` records under identifiers of this run alone (`run`: its number): a database
    that holds an earlier run's records (bench/run.py reuses its corpus) still gets every
    record as a new citing paper, so the import is measured, not a pass that finds them
    all there."""
    rng = random.Random(lines)
    opener = gzip.open if compress else open
    with opener(path, "wt", encoding="utf-8") as out:
        for number in range(lines):
            contexts = [
                f"Sentence {k} of paper {number} citing the survey (Zhang et al., 2025)."
                for k in range(rng.randint(1, 3))
            ]
            record = {
                "contexts": contexts,
                "intents": rng.sample(INTENTS, rng.randint(0, 2)),
                "isInfluential": rng.random() < 0.1,
                "citingPaper": {
                    "paperId": f"{run:08x}{number:032x}",
                    "externalIds": {
                        "DOI": f"{bench_doi_prefix(run)}{number}",
                        "CorpusId": 10**12 + run * 10**7 + number,
                    },
                    "title": f"Benchmark citing paper number {number}",
                    "authors": [{"name": f"Author {n}"} for n in range(rng.randint(1, 12))],
                    "year": 2025,
                    "publicationDate": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                },
            }
            out.write(json.dumps(record) + "\n")


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: Path, run: int) -> None:
    """Runs in a fresh process: set up a database, import `path`, print figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pithsite.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    from hubs import services
    from hubs.importers import s2
    from hubs.importers.runner import ImportOptions, run_import

    call_command("migrate", verbosity=0)
    services.paper_upsert(arxiv_id=HUB_ARXIV_ID, title="The hub")
    before = peak_rss_mb()
    started = time.monotonic()
    report = run_import(
        reader=s2, paths=[path], options=ImportOptions(cited_ids={"arxiv_id": HUB_ARXIV_ID})
    )
    seconds = time.monotonic() - started
    figures = {
        "rss_before": before,
        "rss_peak": peak_rss_mb(),
        "seconds": seconds,
        "papers": report.papers.created,
        "citations": report.citations.created,
        # Overall: the whole run (reading, papers, citations), per citation.
        "citations_per_second": report.citations.created / seconds,
        "citation_phase_per_second": report.citations_per_second,
    }
    from django.db import connection

    if connection.vendor == "postgresql":
        figures["copy_rows_per_second"] = report.citations.created / copy_seconds(run)
    print(json.dumps(figures))


def copy_seconds(run: int) -> float:
    """Seconds to COPY the rows the import wrote into empty tables of the same shape."""
    import io

    from django.db import connection

    from hubs.models import Citation, CitationContext, Paper

    papers = f"SELECT id FROM {Paper._meta.db_table} WHERE doi LIKE '{bench_doi_prefix(run)}%'"
    citations = f"SELECT id FROM {Citation._meta.db_table} WHERE citing_id IN ({papers})"
    tables = [
        (Paper, f"id IN ({papers})"),
        (Citation, f"id IN ({citations})"),
        (CitationContext, f"citation_id IN ({citations})"),
        (Citation.history.model, f"id IN ({citations})"),
    ]
    spent = 0.0
    with connection.cursor() as cursor:
        for model, condition in tables:
            table = model._meta.db_table
            # The columns a write gives (the database computes a generated one itself).
            columns = ", ".join(
                field.column for field in model._meta.concrete_fields if not field.generated
            )
            data = io.BytesIO()
            with cursor.copy(
                f"COPY (SELECT {columns} FROM {table} WHERE {condition}) TO STDOUT"
            ) as copy:
                for block in copy:
                    data.write(block)
            cursor.execute(f"CREATE TEMPORARY TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            started = time.monotonic()
            with cursor.copy(f"COPY bench_{table} ({columns}) FROM STDIN") as copy:
                copy.write(data.getvalue())
            spent += time.monotonic() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000, 100_000, 200_000])
    parser.add_argument("--gzip", action="store_true", help="Write the inputs gzip-compressed.")
    parser.add_argument(
        "--database", help="A DATABASE_URL to import into (default: fresh SQLite)."
    )
    parser.add_argument("--json", action="store_true", help="Print one JSON line per size.")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.run)
        return
    run = secrets.randbelow(10**5)
    if not args.json:
        print(
            f"{'lines':>9} {'file MB':>8} {'RSS before':>11} {'RSS peak':>9} "
            f"{'seconds':>8} {'papers/s':>9} {'citations/s':>12} {'COPY cit./s':>12}"
        )
    with tempfile.TemporaryDirectory(prefix="pithsite-bench-") as folder:
        for lines in args.sizes:
            path = Path(folder) / f"citations-{lines}.jsonl{'.gz' if args.gzip else ''}"
            write_records(path, lines, compress=args.gzip, run=run)
            database = Path(folder) / f"bench-{lines}.sqlite3"
            env = {**os.environ, "DATABASE_URL": args.database or f"sqlite:///{database}"}
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path), "--run", str(run)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            size = path.stat().st_size
            path.unlink()
            if not args.database:
                database.unlink()
            if args.json:
                print(json.dumps({"lines": lines, **figures}))
                continue
            print(
                f"{lines:>9,} {size / 2**20:>8.1f} "
                f"{figures['rss_before']:>9.0f}MB {figures['rss_peak']:>7.0f}MB "
                f"{figures['seconds']:>8.1f} {figures['papers'] / figures['seconds']:>9,.0f} "
                f"{figures['citations_per_second']:>12,.0f}"
                + (
                    f" {figures['copy_rows_per_second']:>12,.0f}"
                    if "copy_rows_per_second" in figures
                    else ""
                )
            )


if __name__ == "__main__":
    main()
