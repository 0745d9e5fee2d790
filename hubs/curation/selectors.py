"""Reads for the curation pages."""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Min, Value, When

from hubs.models import Citation, Hub, Paper, Review
from hubs.querysets import curated_q
from hubs.selectors import hub_directory

QUEUE_PAGE = 25
CHANGES_SHOWN = 100


def queue_hubs():
    """Hubs a curator can pick for the queue: all of them, drafts too, biggest first."""
    return hub_directory(include_drafts=True)


def _hub_rank(hubs, field: str) -> Case:
    """0 for the biggest hub, 1 for the next...: ordering by it puts big hubs first
    without counting any hub's citations again (queue_hubs already did)."""
    ranked = sorted(hubs, key=lambda hub: (-hub.citing_count, hub.slug))
    return Case(
        *[When(**{field: hub.paper_id}, then=Value(rank)) for rank, hub in enumerate(ranked)],
        default=Value(len(ranked)),
        output_field=IntegerField(),
    )


# The citation queue's orders: where a person helps most first, or the hub order.
QUEUE_ORDERS = {
    "hubs": "biggest hub first, then newest",
    "least-confident": "least confident suggestion first",
}
DEFAULT_QUEUE_ORDER = "hubs"


def citations_to_classify(hubs, *, order: str = DEFAULT_QUEUE_ORDER):
    """Citations of these hubs (from queue_hubs) that a curator has not yet given both
    labels, with contexts and suggestions: biggest hub first, then newest citing paper;
    or ("least-confident") the least confident suggestion first, where a person's
    answer helps most, citations with no suggestion after them."""
    done = curated_q("role") & curated_q("polarity")
    queue = (
        Citation.objects.filter(cited_id__in=[hub.paper_id for hub in hubs])
        .exclude(done)
        .select_related("citing", "cited__hub", "classified_by")
        .prefetch_related("contexts")  # CitationContext's default order: position
        .with_public_labels()  # which suggestions count publicly, beside each one
        .annotate(hub_rank=_hub_rank(hubs, "cited_id"))
    )
    if order == "least-confident":
        return queue.least_confident_first().order_by(
            F("lowest_confidence").asc(nulls_last=True), "hub_rank", "-id"
        )
    return queue.order_by("hub_rank", "-citing__sort_date", "-id")


def papers_to_review(hubs):
    """Citing papers of these hubs still unverdicted (or never reviewed), biggest hub
    first, then newest."""
    return (
        Paper.objects.filter(references__cited_id__in=[hub.paper_id for hub in hubs])
        .unverdicted()
        .with_review()
        .annotate(hub_rank=Min(_hub_rank(hubs, "references__cited_id")))
        .order_by("hub_rank", "-sort_date", "-id")
    )


@dataclass(frozen=True)
class Change:
    kind: str  # citation, review or hub
    record: object  # the historical record
    summary: str  # what changed, in words
    target: object  # the live object, for a link

    @property
    def history_id(self) -> int:
        return self.record.history_id


def _previous_values(history, records, fields) -> dict[int, dict]:
    """For each record, the field values just before it (one query for them all)."""
    rows = history.filter(id__in={record.id for record in records}).order_by(
        "id", "history_date", "history_id"
    )
    previous, last = {}, {}
    for row in rows.values("id", "history_id", *fields):
        previous[row["history_id"]] = last.get(row["id"])
        last[row["id"]] = row
    return previous


def _describe(record, before: dict | None, fields) -> str:
    if before is None:
        made = [f"{field} {getattr(record, field)}" for field in fields if getattr(record, field)]
        return "created" + (": " + ", ".join(made) if made else "")
    changed = [
        f"{field}: {before[field] or '—'} → {getattr(record, field) or '—'}"
        for field in fields
        if before[field] != getattr(record, field)
    ]
    return "; ".join(changed) or "no change to these fields"


def changes_by(user, *, everyone: bool = False) -> list[Change]:
    """Recent changes to citation labels, reviews and hubs: the user's own, or everyone's.

    Two queries per kind of change, whatever the number shown."""
    histories = [
        ("citation", Citation.history, "citing", ["role", "polarity"]),
        ("review", Review.history, "paper", ["verdict", "novelty", "summary"]),
        ("hub", Hub.history, "paper", ["slug", "is_published", "curator_note"]),
    ]
    rows = []
    for kind, history, target, fields in histories:
        records = history.select_related("history_user", target).order_by("-history_date")
        records = (
            records.exclude(history_user=None) if everyone else records.filter(history_user=user)
        )
        records = list(records[:CHANGES_SHOWN])
        previous = _previous_values(history, records, fields) if records else {}
        rows += [
            Change(
                kind=kind,
                record=record,
                summary=_describe(record, previous.get(record.history_id), fields),
                target=getattr(record, target),
            )
            for record in records
        ]
    return sorted(rows, key=lambda change: change.record.history_date, reverse=True)[
        :CHANGES_SHOWN
    ]
