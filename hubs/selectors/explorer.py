"""The citing-papers explorer: one filtered, sorted, keyset-paged list with its facets,
shared by the hub page, its exports and the API."""

import hashlib
from dataclasses import dataclass

from django import forms

from hubs.counts import hub_facet_cells
from hubs.filters import (
    FACETS,
    FILTER_BY_NAME,
    CitingPaperFilter,
    count_facets_together,
    facet_cells,
    facet_cells_narrowed,
    facet_grouped,
    facet_key,
    facets_folded,
)
from hubs.models import Citation, Hub
from hubs.numbers_cache import cached_numbers
from hubs.paging import SORTS, KeysetPage, keyset_page, sorted_rows
from hubs.selectors.hubs import LabelCount

EXPLORER_PAGE_SIZE = 25
# A text search counts its matches up to this many: past it a page says "more than 2,000"
# and shows no facet counts (narrowing by a facet brings them back), instead of counting
# half a million matches of a common word for every page of results. Every match is still
# listed; only the count stops. The cost of counting grows with this number divided by the
# share of rows a search keeps: at a million citing papers, a common word ("distillation",
# 12% of papers) narrowed by a role took 330-440 ms cold to count to 10,000, 185 ms to
# 5,000, 90-120 ms to 2,000 (PostgreSQL 15, 2 cores).
SEARCH_COUNT_LIMIT = 2_000


class Matching(int):
    """How many citing papers pass the filters: exactly, or (`exact` False) more than
    this many, when a text search matches more than SEARCH_COUNT_LIMIT. Pages print it
    as it is ("36", "more than 2,000"); the API says which with `count_exact`."""

    exact: bool

    def __new__(cls, count: int, *, exact: bool = True):
        matching = super().__new__(cls, count)
        matching.exact = exact
        return matching

    def __str__(self) -> str:
        return int.__repr__(self) if self.exact else f"more than {int(self):,}"


def _too_many() -> Matching:
    return Matching(SEARCH_COUNT_LIMIT, exact=False)


def _counted(queryset) -> Matching:
    """The rows of `queryset` (a text search's), counted up to SEARCH_COUNT_LIMIT: one
    query that stops reading at the limit."""
    found = queryset.order_by()[: SEARCH_COUNT_LIMIT + 1].count()
    return _too_many() if found > SEARCH_COUNT_LIMIT else Matching(found)


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[LabelCount]  # share: of the largest value, for bar widths


@dataclass(frozen=True)
class CitingPage:
    """One page of a filtered citing list: what the page's explorer and the API list show."""

    filterset: CitingPaperFilter
    page: KeysetPage
    matching: Matching  # citing papers that pass the filters

    @property
    def filtered(self) -> bool:
        return bool(self.filterset.active_filters)


@dataclass(frozen=True)
class InUse:
    name: str
    label: str  # the filter's
    value: str  # the value's, as the facets name it


@dataclass(frozen=True)
class Explorer(CitingPage):
    facets: list[Facet]

    @property
    def in_use(self) -> list[InUse]:
        """The filters in use, each with its value in words (the page's "Filtered by")."""
        data = self.filterset.form.cleaned_data
        return [
            InUse(name=name, label=spec.label, value=spec.value_label(facet_key(data[name])))
            for name in self.filterset.active_filters
            for spec in [FILTER_BY_NAME[name]]
        ]

    @property
    def form(self) -> forms.Form:
        """The filter form, each facet a select of the hub's own values with their counts
        (under the other filters, as the facets count): year and category as well as the
        closed sets, rather than free text. Validation is the filter set's, unchanged: a
        value typed into the URL is kept as an option and reported if it is invalid."""
        form = self.filterset.form
        for facet in self.facets:
            spec = FILTER_BY_NAME[facet.name]
            counts = {item.value: item.count for item in facet.values}
            values = (
                [(value, label) for value, label in spec.values.items()]  # a closed set: all
                if spec.values
                else [(item.value, item.label) for item in facet.values]
            )
            options = [(value, f"{label} ({counts.get(value, 0)})") for value, label in values]
            asked = form.data.get(facet.name, "")
            if asked and asked not in counts and asked not in spec.values:
                options.append((asked, asked))
            empty = spec.empty_label or f"any {spec.label.lower()}"
            form.fields[facet.name].widget = forms.Select(choices=[("", empty), *options])
        return form


def hub_citations(hub: Hub, params) -> CitingPaperFilter:
    """The hub's citations filtered by `params` (a QueryDict): the explorer's definition."""
    return CitingPaperFilter(params, queryset=Citation.objects.of_paper(hub.paper_id))


def _facet(name: str, counts: dict[str, int]) -> Facet:
    spec = FILTER_BY_NAME[name]
    if spec.facet_order == "newest":
        ordered = sorted(counts.items(), key=lambda item: item[0], reverse=True)
    elif spec.facet_order == "labels":
        ordered = [(value, counts[value]) for value in spec.values if value in counts]
    else:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    largest = max(counts.values(), default=0)
    return Facet(
        name=name,
        label=spec.facet_label,
        values=[
            LabelCount(
                value=value,
                label=spec.value_label(value),
                count=n,
                share=n / largest if largest else 0.0,
            )
            for value, n in ordered
        ],
    )


FACET_NAMES = [spec.name for spec in FACETS]


def _facet_cells(hub: Hub) -> list:
    """The hub's counts table folded to one cell per combination of facet values
    (hubs.counts.hub_facet_cells): the same for every filter and reader, cached between
    writes, so a filtered page or API call folds a few thousand cells in Python rather
    than reading them again."""
    return cached_numbers(hub.paper_id, "facet-cells", lambda: hub_facet_cells(hub.pk))


def _chosen_key(chosen) -> str:
    text = "&".join(f"{name}={facet_key(value)}" for name, value in sorted(chosen.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _facets_from_table(hub: Hub, chosen) -> tuple[dict[str, dict[str, int]], int]:
    """The facets and the matching count under these facet filters, folded from the
    table's cells; cached per filter combination between writes, like the cells."""
    return cached_numbers(
        hub.paper_id,
        f"facets:{_chosen_key(chosen)}",
        lambda: facets_folded(_facet_cells(hub), chosen),
    )


def _search_cells(hub: Hub, filterset: CitingPaperFilter):
    """The facet cells (hubs.filters.facet_cells) of the rows a text search keeps, the
    facets' filters left out; None past SEARCH_COUNT_LIMIT matches (not counted). Cached
    per search between writes, like the table's: a second reader of the same search reads
    no matches again."""
    rows = filterset.without(*FACET_NAMES).qs
    (cells,) = cached_numbers(
        hub.paper_id,
        f"search-cells:{_search_key(filterset, with_facets=False)}",
        lambda: (facet_cells(rows, limit=SEARCH_COUNT_LIMIT),),  # a tuple: None is cached too
    )
    return cells


def _search_cells_narrowed(hub: Hub, filterset: CitingPaperFilter):
    """A search narrowed by facets: (the search's cells, the narrowed search's cells), each
    None past SEARCH_COUNT_LIMIT, in one query that reads the search alone only when the
    narrowed one is within the limit (hubs.filters.facet_cells_narrowed). Cached per
    search between writes, like _search_cells."""
    return cached_numbers(
        hub.paper_id,
        f"search-cells-narrowed:{_search_key(filterset)}",
        lambda: facet_cells_narrowed(
            filterset.without(*FACET_NAMES).qs, filterset.qs, limit=SEARCH_COUNT_LIMIT
        ),
    )


def _search_cells_both(hub: Hub, filterset: CitingPaperFilter):
    """(the search's cells, the cells under the facets' filters chosen too, or None when
    none is chosen): what the search's numbers and facets are read from."""
    if filterset.chosen(FACET_NAMES):
        return _search_cells_narrowed(hub, filterset)
    return _search_cells(hub, filterset), None


def _search_key(filterset: CitingPaperFilter, *, with_facets: bool = True) -> str:
    """The cache key of a search's filters (the text, and the facets' filters or not)."""
    chosen = filterset.chosen(FACET_NAMES) if with_facets else {}
    others = {
        name: value
        for name, value in filterset.chosen(filterset.active_filters).items()
        if name not in FACET_NAMES
    }
    return _chosen_key({**{f"~{name}": value for name, value in others.items()}, **chosen})


def _search_counted(hub: Hub, filterset: CitingPaperFilter) -> Matching:
    """How many rows a search keeps (under every filter), counted up to SEARCH_COUNT_LIMIT
    (_counted: one query that stops at the limit, cheaper than the facets' cells when only
    the count is shown, as on the API list), cached per search between writes."""
    count, exact = cached_numbers(
        hub.paper_id,
        f"search-count:{_search_key(filterset)}",
        lambda: (lambda found: (int(found), found.exact))(_counted(filterset.qs)),
    )
    return Matching(count, exact=exact)


def _search_numbers(hub: Hub, filterset: CitingPaperFilter):
    """A search's facets and matching count: (counts, matching), or (None, matching) when it
    is too common to facet; matching is counted up to SEARCH_COUNT_LIMIT."""
    chosen = filterset.chosen(FACET_NAMES)
    cells, narrowed = _search_cells_both(hub, filterset)
    if cells is not None:
        counts, matching = facets_folded(cells, chosen)
        return counts, Matching(matching)
    if narrowed is None:
        return None, _too_many()
    # A common word narrowed by facets under the limit: counted, not faceted.
    return None, Matching(sum(n for _, n in narrowed))


def _counted_by_table(filterset: CitingPaperFilter) -> bool:
    """Whether the hub's counts table (hubs.counts) answers this filterset's counts: every
    filter in use is a facet's. A text search counts the rows that match it."""
    return filterset.form.is_valid() and set(filterset.active_filters) <= set(FACET_NAMES)


def hub_citing_page(hub: Hub, params, *, page_size: int = EXPLORER_PAGE_SIZE) -> CitingPage:
    """One page of a hub's citing papers under `params` (filters, `sort`, `cursor`), and how
    many match: the hub page's explorer and the API list both read it here.

    Raises hubs.paging.InvalidCursor for a malformed cursor. Invalid filter values (and an
    unknown sort) are left out and reported by `.filterset.errors`.
    """
    filterset = hub_citations(hub, params)
    page = _page(filterset.qs.with_citing(), filterset, params, page_size)
    if _counted_by_table(filterset):
        matching = Matching(_facets_from_table(hub, filterset.chosen(FACET_NAMES))[1])
    elif filterset.form.is_valid():
        matching = _search_counted(hub, filterset)
    else:
        matching = _counted(filterset.qs)
    return CitingPage(filterset=filterset, page=page, matching=matching)


def _page(rows, filterset: CitingPaperFilter, params, page_size: int) -> KeysetPage:
    """One page of `rows` (the filterset's, with what the caller shows of each)."""
    return keyset_page(
        rows,
        sort=SORTS[filterset.sort_name],
        cursor=params.get("cursor") or None,
        size=page_size,
    )


def hub_explorer(hub: Hub, params, *, page_size: int = EXPLORER_PAGE_SIZE) -> Explorer:
    """The hub page's explorer: hub_citing_page, with the facets, all counted in one query
    (a search or a filter recounts them once, not once per facet)."""
    filterset = hub_citations(hub, params)
    rows = filterset.qs.with_citing().with_first_context()  # each row shows its sentence
    page = _page(rows, filterset, params, page_size)
    names = [spec.name for spec in FACETS]

    def numbers() -> tuple[list[Facet], Matching]:
        if _counted_by_table(filterset):
            counts, matching = _facets_from_table(hub, filterset.chosen(names))
        elif filterset.form.is_valid():
            counts, matching = _search_numbers(hub, filterset)
            if counts is None:  # a search too common to facet
                return [], matching
        else:
            counted = count_facets_together(
                filterset.without(*names).qs, filterset.chosen(names), limit=SEARCH_COUNT_LIMIT
            )
            if counted is None:
                return [], _counted(filterset.qs)
            counts, matching = counted
        return [_facet(name, counts[name]) for name in names], Matching(matching)

    # The unfiltered facets are the same for every visitor: cached between writes.
    unfiltered = filterset.form.is_valid() and not filterset.active_filters
    facets, matching = (
        cached_numbers(hub.paper_id, "explorer-numbers", numbers) if unfiltered else numbers()
    )
    return Explorer(filterset=filterset, page=page, matching=matching, facets=facets)


def hub_facet(
    hub: Hub, params, *, group_by: str
) -> tuple[CitingPaperFilter, dict[str, int] | None]:
    """Counts of the hub's citing papers grouped by one dimension, under every filter given;
    None for a text search matching more than SEARCH_COUNT_LIMIT (not counted, as on the
    hub page)."""
    filterset = hub_citations(hub, params)
    # Unlike a page's facets (count_facets_together), which leave out their own filter so
    # every value stays one click away, the API's group_by applies every filter it is
    # given, as OpenAlex does.
    if _counted_by_table(filterset):
        chosen = filterset.chosen(FACET_NAMES)
        return filterset, cached_numbers(
            hub.paper_id,
            f"group:{group_by}:{_chosen_key(chosen)}",
            lambda: facet_grouped(_facet_cells(hub), group_by, chosen),
        )
    if not filterset.form.is_valid():
        return filterset, {}  # the caller reports the errors
    chosen = filterset.chosen(FACET_NAMES)
    cells, narrowed = _search_cells_both(hub, filterset)
    if cells is not None:
        return filterset, facet_grouped(cells, group_by, chosen)
    return filterset, None if narrowed is None else facet_grouped(narrowed, group_by, {})


def hub_grouped(hub: Hub, params, *, group_by: str) -> tuple[CitingPaperFilter, dict]:
    """The API's and the MCP server's answer to "group the hub's citing papers by X":
    the groups, most first, and how many citing papers pass the filters. Every citing
    paper falls in exactly one group (unknown and unclassified are groups too), so that
    number is the groups' sum, not one more count over the hub's rows. A text search
    matching more than SEARCH_COUNT_LIMIT is not counted: no groups, `matching` the limit
    and `matching_exact` false (the hub page says "more than" the limit and shows no facets)."""
    filterset, counts = hub_facet(hub, params, group_by=group_by)
    if counts is None:
        return filterset, {
            "group_by": group_by,
            "matching": SEARCH_COUNT_LIMIT,
            "matching_exact": False,
            "groups": [],
        }
    groups = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return filterset, {
        "group_by": group_by,
        "matching": sum(counts.values()),
        "matching_exact": True,
        "groups": [{"value": value, "count": n} for value, n in groups],
    }


def hub_citations_in_order(filterset: CitingPaperFilter):
    """The filtered citations with their citing papers, in the filterset's sort order (for
    exports, which stream the whole list)."""
    return sorted_rows(filterset.qs.with_citing(), SORTS[filterset.sort_name])
