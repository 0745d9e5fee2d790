"""Writes on hubs: create, publish, order representatives, revert, delete."""

from collections import Counter
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from hubs.counts import hub_counts_rebuild
from hubs.models import (
    Citation,
    Hub,
    HubRepresentative,
    Paper,
)
from hubs.numbers_cache import numbers_changed
from hubs.services.left_alone import HUB_NOTE, HUB_PUBLISHED, REPRESENTATIVES


@transaction.atomic
def hub_create(
    *, paper: Paper, slug: str, by: User | None, is_published: bool = False, curator_note: str = ""
) -> Hub:
    """Promote a paper to a hub (a draft unless is_published)."""
    hub = Hub(paper=paper, slug=slug, is_published=is_published, curator_note=curator_note)
    hub.full_clean()
    hub._history_user = by
    hub.save()
    hub_counts_rebuild([hub.pk])  # the paper's citations, counted once
    return hub


@transaction.atomic
def hub_create_missing(
    *,
    paper: Paper,
    slug: str,
    is_published: bool,
    curator_note: str = "",
    representatives: Sequence[Paper] | None = None,
    left_alone: Counter,
) -> tuple[Hub, bool]:
    """The loaders' way to a hub: create it when the paper has none; (hub, created).

    A hub that exists belongs to its curators: its representatives and their order, note
    and published flag stay as they are, and what differs from the loader's wish is
    counted in `left_alone`.
    """
    hub = Hub.objects.filter(paper=paper).first()
    if hub is None:
        hub = hub_create(
            paper=paper, slug=slug, is_published=is_published, curator_note=curator_note, by=None
        )
        if representatives:
            hub_set_representatives(hub=hub, papers=representatives, by=None)
        return hub, True
    if hub.is_published != is_published:
        left_alone[HUB_PUBLISHED] += 1
    if hub.curator_note != curator_note:
        left_alone[HUB_NOTE] += 1
    if representatives is not None:
        current = list(hub.representative_links.values_list("paper_id", flat=True))
        if current != [paper.pk for paper in representatives]:
            left_alone[REPRESENTATIVES] += 1
    return hub, False


@transaction.atomic
def hub_update(
    *, hub: Hub, by: User | None, slug: str, is_published: bool, curator_note: str
) -> Hub:
    """Change a hub's slug, published flag and curator note."""
    hub.slug, hub.is_published, hub.curator_note = slug, is_published, curator_note
    hub.full_clean(exclude=["paper"])
    hub._history_user = by
    hub.save()
    numbers_changed(paper_ids=[hub.paper_id])  # the cached page and API detail show it
    return hub


@transaction.atomic
def hub_delete(*, hub: Hub) -> None:
    """Take a hub away (its paper, citations and reviews stay); its page goes at once."""
    paper_id = hub.paper_id
    hub.delete()
    numbers_changed(paper_ids=[paper_id])  # the kept page and API detail (hubs.page_cache)


def hub_publish(*, hub: Hub, published: bool = True, by: User | None) -> Hub:
    """Publish (or withdraw) a hub's public page."""
    return hub_update(
        hub=hub, by=by, slug=hub.slug, is_published=published, curator_note=hub.curator_note
    )


def hub_representatives_check(*, hub: Hub, papers: Sequence[Paper]) -> None:
    """ValidationError unless each paper cites the hub's paper, once."""
    ids = [paper.pk for paper in papers]
    if len(set(ids)) != len(ids):
        raise ValidationError("A paper can represent a hub only once.")
    citing = set(
        Citation.objects.filter(cited_id=hub.paper_id, citing_id__in=ids).values_list(
            "citing_id", flat=True
        )
    )
    strays = [paper for paper in papers if paper.pk not in citing]
    if strays:
        names = "; ".join(paper.identifier for paper in strays)
        raise ValidationError(f"Representatives must cite the hub's paper: {names} does not.")


@transaction.atomic
def hub_set_representatives(*, hub: Hub, papers: Sequence[Paper], by: User | None) -> Hub:
    """Make `papers`, in this order, the hub's representative citing papers."""
    hub_representatives_check(hub=hub, papers=papers)
    hub.representative_links.all().delete()
    HubRepresentative.objects.bulk_create(
        HubRepresentative(hub=hub, paper=paper, position=position)
        for position, paper in enumerate(papers, start=1)
    )
    # Saving the hub writes one historical record that snapshots the new order.
    hub._history_user = by
    hub.save()
    numbers_changed(paper_ids=[hub.paper_id])  # the cached page and API detail show it
    return hub


@transaction.atomic
def hub_revert(*, hub: Hub, history_id: int, by: User | None) -> Hub:
    """Put a hub back as it was in one of its historical records, representatives included."""
    record = hub.history.get(history_id=history_id)
    snapshot = record.representatives.order_by("position").select_related("paper")
    papers = [row.paper for row in snapshot]
    hub.slug, hub.is_published, hub.curator_note = (
        record.slug,
        record.is_published,
        record.curator_note,
    )
    hub.full_clean(exclude=["paper"])
    return hub_set_representatives(hub=hub, papers=papers, by=by)
