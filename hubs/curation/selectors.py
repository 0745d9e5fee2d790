"""Reads for the curation pages."""

from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, Min, OuterRef, Q, Value, When

from hubs.labels import field_name, value_words
from hubs.models import Citation, CitationContext, Hub, Paper, Review
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


# The citation queue's orders. Both put citations with a citing sentence first: without
# one there is little to judge a role by. Then where a person helps most (the least
# confident suggestion; citations with none come after those with one), or hub by hub.
QUEUE_ORDERS = {
    "least-confident": "least confident suggestion first",
    "hubs": "biggest hub first, then newest",
}
DEFAULT_QUEUE_ORDER = "least-confident"


def classification_done_q() -> Q:
    """A citation leaves the queue once a curator has given it both labels."""
    return curated_q("role") & curated_q("polarity")


def citation_left_queue(citation: Citation) -> bool:
    """Whether the citation is done (classification_done_q), as the database says."""
    return Citation.objects.filter(classification_done_q(), pk=citation.pk).exists()


def citations_to_classify(hubs, *, order: str = DEFAULT_QUEUE_ORDER):
    """Citations of these hubs (from queue_hubs) that a curator has not yet given both
    labels, with contexts and suggestions, in one of QUEUE_ORDERS."""
    queue = (
        Citation.objects.filter(cited_id__in=[hub.paper_id for hub in hubs])
        .exclude(classification_done_q())
        .select_related("citing", "cited__hub", "classified_by")
        .prefetch_related("contexts")  # CitationContext's default order: position
        .with_public_labels()  # which suggestions count publicly, beside each one
        .annotate(
            hub_rank=_hub_rank(hubs, "cited_id"),
            has_evidence=Exists(CitationContext.objects.filter(citation=OuterRef("pk"))),
        )
    )
    if order == "least-confident":
        return queue.least_confident_first().order_by(
            F("has_evidence").desc(),
            F("lowest_confidence").asc(nulls_last=True),
            "hub_rank",
            "-citing__sort_date",
            "-id",
        )
    return queue.order_by(F("has_evidence").desc(), "hub_rank", "-citing__sort_date", "-id")


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

    @property
    def label(self) -> str:
        """ "citation #61": the changed record's own id (its history id names nothing a
        curator sees)."""
        return f"{self.kind} #{self.record.id}"


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
    """What the change did, in words (hubs.labels): "role: — → uses data"."""
    if before is None:
        made = [
            f"{field_name(field)} {value_words(field, getattr(record, field))}"
            for field in fields
            if getattr(record, field)
        ]
        # No earlier record: the record's creation, or its first change after a load that
        # kept no history (bulk imports, the demo).
        verb = "created" if record.history_type == "+" else "set"
        return verb + (": " + ", ".join(made) if made else "")
    changed = [
        f"{field_name(field)}: {value_words(field, before[field])} → "
        f"{value_words(field, getattr(record, field))}"
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
