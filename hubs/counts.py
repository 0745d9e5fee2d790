"""A hub's counts, kept on write: the table HubCount holds how many of each hub's citing
papers share one value of every dimension the hub page and the API count by, so the
summary, the cube and the facets (filtered by facets or not) are sums over a few hundred
rows instead of counts over up to a million citations.

The dimensions are the facets' own expressions (hubs.filters.FACETS' `dimension`: the
public role and polarity as the read layer's one rule decides them, year, category,
verdict) and who set each public label (hubs.querysets.label_state). Nothing here says
again what "classified" means.

Kept by the services, not by database triggers: whether a label counts depends on the
confidence threshold in settings and on the read layer's rule, which triggers would have to
copy into SQL (twice: PL/pgSQL and SQLite). Each service wraps its write in
`counts_kept(citations)`, naming a set of citations that contains every one the write can
change (by citing paper, by pair, by id): the cells of that set are counted before and after
the write, in the same transaction, and the difference is added to the table (one grouped
query each side, one upsert). A bulk import pays two grouped queries per batch.

`rebuild_hub_counts` (manage.py) recounts the table from the rows: run it after changing
PITHSITE_CLASSIFICATION_THRESHOLD (which changes what counts as classified without a
write), or after rows were changed around the services (a superuser's delete).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from hubs.models import HUB_COUNT_COLUMNS, Citation, Hub, HubCount
from hubs.querysets import label_state
from pithsite.db_routing import primary_reads

FACET_COLUMNS = ("role", "polarity", "year", "category", "verdict")
COLUMNS = HUB_COUNT_COLUMNS
UNKNOWN_YEAR = 0  # how the table stores a missing year (a unique key cannot hold NULL)

Cell = tuple  # (hub_id, *COLUMNS)


def _dimensions() -> dict:
    from hubs.filters import FILTER_BY_NAME  # the filters read this module's sums

    dims = {name: FILTER_BY_NAME[name].dimension() for name in FACET_COLUMNS}
    dims["year"] = Coalesce(dims["year"], Value(UNKNOWN_YEAR))
    dims["role_state"] = label_state("role")
    dims["polarity_state"] = label_state("polarity")
    return dims


def _cells(citations: QuerySet) -> Counter:
    """The citations counted by hub and every dimension; the caller selects citations of
    hubs only."""
    dims = _dimensions()
    rows = (
        citations.values_list(F("cited__hub"), *(dims[name] for name in COLUMNS))
        .annotate(n=Count("pk"))
        .order_by()
    )
    with primary_reads():
        return Counter({tuple(row[:-1]): row[-1] for row in rows})


def _upsert(delta: Mapping[Cell, int]) -> None:
    changes = [(*cell, n) for cell, n in delta.items() if n]
    if not changes:
        return
    table = HubCount._meta.db_table
    columns = ("hub_id", *COLUMNS, "n")
    key = ", ".join(columns[:-1])
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n"
    )
    connection = connections[router.db_for_write(HubCount)]
    with connection.cursor() as cursor:
        cursor.executemany(sql, changes)
    if any(n < 0 for *_, n in changes):  # only a subtraction can empty a cell
        HubCount.objects.filter(hub_id__in={cell[0] for cell in delta}, n=0).delete()


@contextmanager
def counts_kept(citations: Q):
    """Keep the hubs' counts in step with a write done inside the block: `citations` must
    select every citation the write adds, changes or whose citing paper or review it
    changes (a superset is fine), the same set before and after."""
    # Part of the caller's transaction (each service is atomic): no savepoint of its own.
    with transaction.atomic(savepoint=False):
        selected = Citation.objects.filter(citations, cited__hub__isnull=False)
        before = _cells(selected)
        yield
        after = _cells(selected)
        after.subtract(before)
        _upsert(after)


def hub_counts_recount(hub_ids: Iterable[int] | None = None) -> Counter:
    """What the table should hold, counted from the rows (all hubs, or these)."""
    hubs = Hub.objects.all() if hub_ids is None else Hub.objects.filter(pk__in=list(hub_ids))
    # Selected by the hubs' papers, not through the hubs: the planner then reads from the
    # cited paper's statistics how many citations it counts and joins their papers and
    # reviews by hash. Through the hubs it planned nested loops for "2 rows" (a million:
    # 8.1 s, against 4.1 s).
    papers = list(hubs.values_list("paper_id", flat=True))
    return _cells(Citation.objects.filter(cited_id__in=papers))


def hub_counts_stored(hub_ids: Iterable[int] | None = None) -> Counter:
    rows = HubCount.objects.all()
    if hub_ids is not None:
        rows = rows.filter(hub_id__in=list(hub_ids))
    with primary_reads():
        return Counter(
            {tuple(row[:-1]): row[-1] for row in rows.values_list("hub_id", *COLUMNS, "n")}
        )


@transaction.atomic
def hub_counts_rebuild(hub_ids: Iterable[int] | None = None) -> int:
    """Recount the table from the rows (all hubs, or these); returns how many cells."""
    hub_ids = None if hub_ids is None else list(hub_ids)
    stored = HubCount.objects.all()
    if hub_ids is not None:
        stored = stored.filter(hub_id__in=hub_ids)
    stored.delete()
    cells = hub_counts_recount(hub_ids)
    HubCount.objects.bulk_create(
        (
            HubCount(hub_id=cell[0], **dict(zip(COLUMNS, cell[1:], strict=True)), n=n)
            for cell, n in cells.items()
        ),
        batch_size=2000,
    )
    return len(cells)


def hub_count_sums(hub_id: int, columns: Iterable[str], where: Q | None = None) -> list[dict]:
    """The hub's citing papers counted by these columns (sums over the table), each row a
    dict of the columns' values (a missing year as None) and `n`."""
    columns = list(columns)
    rows = (
        HubCount.objects.filter(Q(hub_id=hub_id) & (where or Q()))
        .values(*columns)
        .annotate(total=Sum("n"))
        .order_by()
    )
    result = []
    for row in rows:
        if row["total"]:
            if row.get("year") == UNKNOWN_YEAR:
                row["year"] = None
            row["n"] = row.pop("total")
            result.append(row)
    return result


def hub_facet_cells(hub_id: int) -> list[tuple[tuple[str, ...], int]]:
    """The hub's citing papers counted by every facet's value at once, as the facets name
    the values (hubs.filters.facet_key), in FACETS' order: the cells the explorer's facets,
    its "matching" count and the API's group_by are all folded from (hubs.filters
    .facets_folded), whatever the filters. One grouped query over the table; the same for
    every reader, so the callers cache it between writes (hubs.numbers_cache)."""
    from hubs.filters import FACETS, facet_key

    names = [spec.name for spec in FACETS]
    # facet_key of each stored value, per column: only the year (0 for unknown) and the
    # category ("" for unknown) can be missing; a few thousand cells, so no call per value.
    year, category = names.index("year"), names.index("category")
    rows = (
        HubCount.objects.filter(hub_id=hub_id)
        .values_list(*names)
        .annotate(total=Sum("n"))
        .order_by()
    )
    cells = []
    for row in rows:
        if row[-1]:
            keys = list(row[:-1])
            keys[year] = facet_key(None if keys[year] == UNKNOWN_YEAR else keys[year])
            keys[category] = facet_key(keys[category])
            cells.append((tuple(keys), row[-1]))
    return cells
