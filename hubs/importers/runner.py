"""The machinery every format shares: batches, deferred records, transactions, the report.

Papers are written as they are read, in batches. Records that need other papers to be
there first (citations, and partial paper records such as S2AG abstracts) are spilled to
a temporary file and written after every paper of every file, so the order of lines and
of files does not matter and memory stays flat however big the input is.
"""

import pickle
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import ModuleType

from django.db import DatabaseError, transaction

from hubs import services
from hubs.importers.ids import ids_of, same_paper
from hubs.importers.progress import Progress
from hubs.importers.report import ImportReport, Problem
from hubs.importers.sources import Bad, Skip
from hubs.importers.tuning import fewer_gc_pauses
from hubs.models import Paper
from hubs.services import CitationRecord, Outcome, PaperRecord

DEFAULT_BATCH_SIZE = 2000

Record = PaperRecord | CitationRecord
Item = tuple[Path, int, Record | Bad | Skip]


@dataclass
class ImportOptions:
    progress: Progress = field(default_factory=Progress)
    # --hub: the hub's paper. Only citations of that paper are imported, and formats with
    # no citations of their own (CITES_HUB) make every paper cite it.
    hub_paper: Paper | None = None
    # The cited paper of S2 Graph API citation records (--cited, or the hub's paper).
    cited_ids: dict | None = None


class ImportAborted(Exception):
    """--strict met a bad record; the whole run is rolled back."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class ImportFailed(Exception):
    """The database refused a batch; earlier batches stay written (unless strict/dry run)."""


class ImportConfigError(Exception):
    """The files need an option that was not given (e.g. --cited for S2 Graph API records)."""


def run_import(
    *,
    reader: ModuleType,
    paths: Sequence[Path],
    options: ImportOptions,
    strict: bool = False,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Read `paths` with a format module and write what they hold; the report says what changed.

    Each batch is its own transaction, so an interrupted import keeps what it wrote and a
    second run resumes (finished batches come out unchanged). With `strict` or `dry_run`
    the whole run is one transaction: strict rolls it all back at the first bad record,
    a dry run rolls it back at the end.
    """
    report = ImportReport(dry_run=dry_run)
    started = time.monotonic()
    writer = _Writer(report=report, strict=strict)
    whole_run = transaction.atomic() if strict or dry_run else nullcontext()
    with (
        fewer_gc_pauses(),
        tempfile.TemporaryDirectory(prefix="pithsite-import-") as folder,
        whole_run,
    ):
        patches, citations = _Spill(Path(folder) / "patches"), _Spill(Path(folder) / "citations")
        batch: list[tuple[Path, int, PaperRecord]] = []
        for path, line, item in reader.read(paths, options):
            options.progress.tick()
            if isinstance(item, Bad):
                writer.bad(path, line, item.reason)
            elif isinstance(item, Skip):
                report.skip(item.kind, item.reason)
            elif isinstance(item, PaperRecord) and item.create:
                batch.append((path, line, item))
                if options.hub_paper and getattr(reader, "CITES_HUB", False):
                    implied = CitationRecord(citing=item.ids(), cited=ids_of(options.hub_paper))
                    citations.add(path, line, implied)
                if len(batch) >= batch_size:
                    writer.papers(batch)
                    batch = []
            elif isinstance(item, PaperRecord):
                patches.add(path, line, item)
            else:
                citations.add(path, line, item)
        writer.papers(batch)
        for chunk in _batched(patches.items(options.progress), batch_size):
            writer.papers(chunk)
        deferred = citations.items(options.progress)
        if options.hub_paper:
            # Read the hub's ids now: the files may have given its paper more of them.
            options.hub_paper.refresh_from_db()
            deferred = _citing(ids_of(options.hub_paper), deferred, report)
        for chunk in _batched(deferred, batch_size):
            writer.citations(chunk)
        options.progress.finish()
        if dry_run:
            transaction.set_rollback(True)
    report.seconds = time.monotonic() - started
    return report


@dataclass
class _Writer:
    report: ImportReport
    strict: bool

    def bad(self, path: Path, line: int, reason: str) -> None:
        problem = Problem(file=str(path), line=line, reason=reason)
        if self.strict:
            raise ImportAborted(problem)
        self.report.problem(problem)

    def papers(self, chunk: list[tuple[Path, int, PaperRecord]]) -> None:
        if chunk:
            result = self._write(chunk, services.papers_upsert_bulk)
            self._count("papers", chunk, result.outcomes)
            self.report.left_alone.update(result.left_alone)

    def citations(self, chunk: list[tuple[Path, int, CitationRecord]]) -> None:
        if not chunk:
            return
        started = time.monotonic()
        result = self._write(chunk, services.citations_add_bulk)
        self.report.citation_seconds += time.monotonic() - started
        self._count("citations", chunk, result.outcomes)
        self.report.left_alone.update(result.left_alone)
        for kind, counts in (("contexts", result.contexts), ("labels", result.labels)):
            for status, count in counts.items():
                getattr(self.report, kind).add(status, count)

    def _write(self, chunk, service):
        try:
            with transaction.atomic():
                return service(records=[record for _, _, record in chunk])
        except DatabaseError as exc:
            (path, first, _), (_, last, _) = chunk[0], chunk[-1]
            raise ImportFailed(
                f"the batch from {path}:{first} to line {last} failed: {exc}"
            ) from exc

    def _count(self, kind: str, chunk: list, outcomes: Iterable[Outcome]) -> None:
        tally = getattr(self.report, kind)
        for (path, line, _), outcome in zip(chunk, outcomes, strict=True):
            if outcome.status == "invalid":
                tally.add("skipped")
                self.bad(path, line, outcome.reason)
            elif outcome.status == "skipped":
                self.report.skip(kind, outcome.reason)
            else:
                tally.add(outcome.status)


class _Spill:
    """Records set aside on disk, pickled one after the other, to be written in a later phase.

    Pickle, not JSON: the records are our own dataclasses, read back by this process only,
    and encoding them field by field (dataclasses.asdict + json) took a fifth of an import.
    """

    def __init__(self, path: Path):
        self.path = path.with_suffix(".pickle")
        self.file = open(self.path, "wb")  # noqa: SIM115 (closed in items)
        self.count = 0

    def add(self, path: Path, line: int, record: Record) -> None:
        pickle.dump((str(path), line, record), self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def items(self, progress: Progress) -> Iterator[tuple[Path, int, Record]]:
        self.file.close()
        progress.start(f"{self.path.stem} (second pass)", self.path.stat().st_size)
        with open(self.path, "rb") as spilled:
            for _ in range(self.count):
                path, line, record = pickle.load(spilled)
                progress.position = spilled.tell()
                progress.tick()
                yield Path(path), line, record


def _citing(hub_ids: dict, items: Iterable[tuple], report: ImportReport) -> Iterator[tuple]:
    """Only the citations of the hub's paper; the others are counted as skipped."""
    for path, line, record in items:
        if same_paper(record.cited, hub_ids):
            yield path, line, record
        else:
            report.skip("citations", "does not cite the hub's paper")


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
