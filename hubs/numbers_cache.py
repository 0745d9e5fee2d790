"""A hub's page-wide numbers (summary and unfiltered facets), cached between writes.

Counting a big hub's citations by role, polarity, year, category and verdict is most of
what its page costs (about a second at 300,000 citing papers on PostgreSQL), and nearly
every visit asks for the same unfiltered numbers. They are cached under a per-hub
version that every service writing citations, labels, reviews or paper metadata bumps
(after its transaction commits), so a curator's change shows on the next page view.
Writes that bypass the services (a superuser deleting rows in the admin) are caught by
the expiry, PITHSITE_HUB_NUMBERS_TTL seconds (0 turns the cache off), once
`manage.py rebuild_hub_counts` has recounted the counts table the numbers are summed from
(hubs.counts).
"""

import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from hubs.models import Citation
from pithsite.db_routing import primary_reads


def version_key(paper_id: int) -> str:
    """The cache key of the hub's version: every value cached for the hub names it."""
    return f"hub-numbers:{paper_id}:version"


def hub_version(paper_id: int) -> int | None:
    """The hub's current version; None when the cache does not answer.

    A missing version (never bumped, or evicted) starts at a random number, not 0: values
    cached under an evicted version must never match again.
    """
    key = version_key(paper_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.randbits(48), None)  # atomic: a concurrent start wins once
        version = cache.get(key)
    return version


def cached_numbers(paper_id: int, name: str, compute: Callable[[], object]):
    """`compute()`, or its cached value for the hub's current version."""
    ttl = settings.PITHSITE_HUB_NUMBERS_TTL
    version = hub_version(paper_id) if ttl else None
    if version is None:
        return compute()
    key = f"hub-numbers:{paper_id}:{version}:{name}"
    value = cache.get(key)
    if value is None:
        # From the primary: a lagging replica's numbers would be kept under the new version.
        with primary_reads():
            value = compute()
        cache.set(key, value, ttl)
    return value


def numbers_changed(*, paper_ids: Iterable[int]) -> None:
    """Mark these cited papers' numbers stale, once the current transaction commits."""
    ids = {paper_id for paper_id in paper_ids if paper_id is not None}
    if not ids or not settings.PITHSITE_HUB_NUMBERS_TTL:
        return

    def bump():
        for paper_id in ids:
            key = version_key(paper_id)
            try:
                cache.incr(key)
            except ValueError:  # never read, or evicted: a fresh start matches nothing cached
                cache.add(key, secrets.randbits(48), None)

    transaction.on_commit(bump)


def papers_cited_by(paper_ids: Iterable[int]) -> set[int]:
    """The papers these papers cite: whose numbers change when these papers do."""
    return set(
        Citation.objects.filter(citing_id__in=set(paper_ids))
        .values_list("cited_id", flat=True)
        .distinct()
    )
