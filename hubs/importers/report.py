"""What an import did: counts per kind, skip reasons, and the bad records it met."""

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

# Problems kept for the summary; the rest are only counted, so a file of garbage cannot
# fill memory with error messages.
PROBLEMS_KEPT = 1000
KINDS = ("papers", "citations", "contexts", "labels")
STATUSES = ("created", "updated", "unchanged", "skipped")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def add(self, status: str, count: int = 1) -> None:
        setattr(self, status, getattr(self, status) + count)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped


@dataclass
class ImportReport:
    papers: Tally = field(default_factory=Tally)
    citations: Tally = field(default_factory=Tally)
    # Context rows written or kept; labels are imported classifications ("skipped" = a
    # curator's label that the import left alone).
    contexts: Tally = field(default_factory=Tally)
    labels: Tally = field(default_factory=Tally)
    skip_reasons: Counter = field(default_factory=Counter)
    # What a person set that the import left as it was (hubs.services.left_alone's names).
    left_alone: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0
    # Seconds spent writing citations, for the citations-per-second figure.
    citation_seconds: float = 0.0
    dry_run: bool = False

    def problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(problem)

    def skip(self, kind: str, reason: str) -> None:
        getattr(self, kind).add("skipped")
        self.skip_reasons[f"{kind}: {reason}"] += 1

    @property
    def citations_per_second(self) -> float:
        return self.citations.total / self.citation_seconds if self.citation_seconds else 0.0

    @property
    def changed_anything(self) -> bool:
        return any(getattr(self, kind).created or getattr(self, kind).updated for kind in KINDS)

    def counts(self) -> dict[str, dict[str, int]]:
        """Every count as plain dicts (for tests and machine-readable output)."""
        return {kind: dataclasses.asdict(getattr(self, kind)) for kind in KINDS}
