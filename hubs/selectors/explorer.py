"""The citing-papers explorer: one filtered, sorted, keyset-paged list with its facets,
shared by the hub page, its exports and the API."""

from dataclasses import dataclass

from django.db.models import Count, Q

from hubs.filters import CitingPaperFilter
from hubs.models import Citation, Hub, Polarity, Role, Verdict
from hubs.numbers_cache import cached_numbers
from hubs.paging import SORTS, KeysetPage, keyset_page, sorted_rows
from hubs.querysets import labelled_q, verdict_of
from hubs.selectors.hubs import LabelCount
from hubs.vocab import UNCLASSIFIED, UNKNOWN

EXPLORER_PAGE_SIZE = 25


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[LabelCount]  # share: of the largest value, for bar widths


@dataclass(frozen=True)
class Explorer:
    filterset: CitingPaperFilter
    page: KeysetPage
    matching: int  # citing papers that pass the filters
    facets: list[Facet]


def hub_citations(hub: Hub, params) -> CitingPaperFilter:
    """The hub's citations filtered by `params` (a QueryDict): the explorer's definition."""
    return CitingPaperFilter(params, queryset=Citation.objects.of_paper(hub.paper_id))


def _facet_counts(
    filterset: CitingPaperFilter, name: str, *, keep_own_filter: bool = False
) -> dict[str, int]:
    # A page's facet ignores its own filter, so every value of it stays one click away;
    # the API's group_by applies every filter it is given, as OpenAlex does.
    queryset = (filterset if keep_own_filter else filterset.without(name)).qs
    if name in ("role", "polarity"):
        # One pass: each label's classified count, and the rest as "unclassified".
        labelled = labelled_q(name)
        values = Role.values if name == "role" else Polarity.values
        totals = queryset.aggregate(
            **{value: Count("pk", filter=labelled & Q(**{name: value})) for value in values},
            **{UNCLASSIFIED: Count("pk", filter=~labelled)},
        )
        return {value: n for value, n in totals.items() if n}
    if name == "year":
        rows = queryset.values_list("citing__year")
    elif name == "category":
        rows = queryset.values_list("citing__primary_category")
    else:  # verdict
        rows = queryset.annotate(verdict=verdict_of("citing__")).values_list("verdict")
    counts = rows.annotate(n=Count("pk")).order_by()
    return {(str(value) if value else UNKNOWN): n for value, n in counts}


FACET_LABELS = {
    "role": ("Roles", {**dict(Role.choices), UNCLASSIFIED: "unclassified"}),
    "polarity": ("Polarities", {**dict(Polarity.choices), UNCLASSIFIED: "unclassified"}),
    "year": ("Years", {}),
    "category": ("Categories", {}),
    "verdict": ("Verdicts", dict(Verdict.choices)),
}


def _facet(filterset: CitingPaperFilter, name: str) -> Facet:
    counts = _facet_counts(filterset, name)
    title, labels = FACET_LABELS[name]
    if name == "year":
        ordered = sorted(counts.items(), key=lambda item: item[0], reverse=True)
    elif labels:
        ordered = [(value, counts[value]) for value in labels if value in counts]
    else:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    largest = max(counts.values(), default=0)
    return Facet(
        name=name,
        label=title,
        values=[
            LabelCount(value=value, label=labels.get(value, value), count=n, share=n / largest)
            for value, n in ordered
        ],
    )


def hub_explorer(hub: Hub, params, *, page_size: int = EXPLORER_PAGE_SIZE) -> Explorer:
    """One page of a hub's citing papers under `params`, with counts and facets.

    Raises hubs.paging.InvalidCursor for a malformed cursor. Invalid filter values are
    left out of the filtering and reported by `explorer.filterset.errors`.
    """
    filterset = hub_citations(hub, params)
    page = keyset_page(
        filterset.qs.with_citing(),
        sort=SORTS[filterset.sort_name],
        cursor=params.get("cursor") or None,
        size=page_size,
    )

    def facets():
        return [_facet(filterset, name) for name in CitingPaperFilter.FACETS]

    # The unfiltered facets are the same for every visitor: cached between writes.
    unfiltered = filterset.form.is_valid() and not filterset.active_filters
    return Explorer(
        filterset=filterset,
        page=page,
        matching=filterset.qs.count(),
        facets=cached_numbers(hub.paper_id, "facets", facets) if unfiltered else facets(),
    )


def hub_facet(hub: Hub, params, *, group_by: str) -> tuple[CitingPaperFilter, dict[str, int]]:
    """Counts of the hub's citing papers grouped by one dimension, under every filter given."""
    filterset = hub_citations(hub, params)
    return filterset, _facet_counts(filterset, group_by, keep_own_filter=True)


def hub_citations_in_order(filterset: CitingPaperFilter):
    """The filtered citations with their citing papers, in the filterset's sort order (for
    exports, which stream the whole list)."""
    return sorted_rows(filterset.qs.with_citing(), SORTS[filterset.sort_name])
