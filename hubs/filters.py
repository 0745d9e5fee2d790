"""The one definition of how a hub's citing papers are filtered, counted and sorted.

FILTERS is the registry: each filter is declared once, with its query parameter, its
label, the labels of its values, how it filters and (for a facet) how it counts. The
explorer's filter set (CitingPaperFilter), its facets and their labels (selectors), and
the API's documented parameters (hubs.api.schema) are all built from it, so adding a
filter or a facet is one entry here. `sort_named` is the one check of a `sort` parameter,
for every list, page or API.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db import connections
from django.db.models import Case, Count, F, QuerySet, Value, When
from drf_spectacular.utils import extend_schema_field

from hubs.inputs import SEARCH_MAX_LENGTH, SEARCH_TOO_LONG, whole_number
from hubs.paging import DEFAULT_SORT, MISSING_DATE, SORTS
from hubs.querysets import label_is_q, labelled_q, public_label, text_q, verdict_of
from hubs.vocab import UNCLASSIFIED, UNKNOWN, Polarity, Role, Verdict


class InvalidSort(ValueError):
    pass


def sort_named(value: str | None, sorts: Mapping, *, default: str) -> str:
    """`value` if it names one of `sorts`, `default` if it is missing or empty; else
    InvalidSort. Every list checks its `sort` here: none falls back silently."""
    if value in (None, ""):
        return default
    if value not in sorts:
        raise InvalidSort(f"Unknown sort “{value}”; use one of {', '.join(sorts)}.")
    return value


# How each filter filters and counts. A filter takes (queryset, cleaned value); a count
# takes a queryset and answers {value: number of citing papers}, leaving out zeros.


def _by_text(queryset, value):
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(text_q(value, "citing__"))


def _by_label(field_name: str):
    # The public label (a curator's, else a suggestion at or above its threshold:
    # hubs.querysets), so the counts, the rows and this filter agree.
    def apply(queryset, value):
        if value == UNCLASSIFIED:
            return queryset.exclude(labelled_q(field_name))
        return queryset.filter(label_is_q(field_name, value))

    return apply


def _count_labels(field_name: str, values: list[str]):
    def count(queryset) -> dict[str, int]:
        # One pass: each label's classified count, and the rest as "unclassified".
        totals = queryset.aggregate(
            **{v: Count("pk", filter=label_is_q(field_name, v)) for v in values},
            **{UNCLASSIFIED: Count("pk", filter=~labelled_q(field_name))},
        )
        return {value: n for value, n in totals.items() if n}

    return count


def _by_year(queryset, value):
    # A range of the citation's copy of the citing paper's sort date (hubs.paging), which
    # the hub's date index walks in the "newest" and "oldest" orders, rather than a join
    # to every citing paper to read its year. Exact: a paper's sort date lies in its year
    # and exists exactly when the year does (the constraint paper_sort_date_in_year). The
    # copy of a missing date (MISSING_DATE) is also the first day of year 1, so the paper's
    # own year tells those two apart.
    if value == UNKNOWN:
        return queryset.filter(citing_date_key=MISSING_DATE, citing__year__isnull=True)
    if value < datetime.MINYEAR:  # "0000": no paper has a date in it
        return queryset.none()
    rows = queryset.filter(
        citing_date_key__gte=datetime.date(value, 1, 1),
        citing_date_key__lte=datetime.date(value, 12, 31),
    )
    return rows.filter(citing__year=value) if value == MISSING_DATE.year else rows


def _by_citing(path: str, missing):
    def apply(queryset, value):
        return queryset.filter(**{f"citing__{path}": missing if value == UNKNOWN else value})

    return apply


def facet_key(value) -> str:
    """A facet's value as pages, links and the API name it: a missing one is "unknown"."""
    return str(value) if value not in (None, "") else UNKNOWN


def _grouped(rows) -> dict[str, int]:
    counts = rows.annotate(n=Count("pk")).order_by()
    return {facet_key(value): n for value, n in counts}


def _label_of(field_name: str):
    # The value a row shows in the role or polarity facet: its label where it counts as
    # classified, else "unclassified" (as _by_label filters and _count_labels counts).
    return lambda: Case(
        When(labelled_q(field_name), then=public_label(field_name)),
        default=Value(UNCLASSIFIED),
    )


def _count_citing(path: str):
    return lambda queryset: _grouped(queryset.values_list(f"citing__{path}"))


def _by_verdict(queryset, value):
    return queryset.citing_of_verdict(value)


def _count_verdicts(queryset) -> dict[str, int]:
    return _grouped(queryset.annotate(verdict=verdict_of("citing__")).values_list("verdict"))


class YearField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in ("", UNKNOWN):
            return value
        year = whole_number(value) if len(value) == 4 else None
        if year is None:
            raise forms.ValidationError("Enter a year such as 2025, or “unknown”.")
        return year


class SearchField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = SEARCH_TOO_LONG


@extend_schema_field({"type": "string", "maxLength": SEARCH_MAX_LENGTH})
class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


YEAR_SCHEMA = {"type": "string", "pattern": "^([0-9]{4}|unknown)$", "example": "2025"}


@extend_schema_field(YEAR_SCHEMA)
class YearFilter(django_filters.Filter):
    field_class = YearField


@dataclass(frozen=True)
class FilterSpec:
    """One filter of the citing-papers list, and its facet if it has one."""

    name: str  # the query parameter
    label: str  # the form's label; also the API parameter's description
    apply: Callable[[QuerySet, object], QuerySet]
    values: dict[str, str] = field(default_factory=dict)  # a closed set: value -> label
    empty_label: str = ""  # the "no filter" option of a closed set
    filter_class: type = django_filters.CharFilter  # for free values
    schema: dict = field(default_factory=lambda: {"type": "string"})
    # A facet: its heading, how it counts, and how its values are listed ("labels": in
    # the order of `values`, "newest": by value, descending, "count": most first).
    facet_label: str = ""
    count: Callable[[QuerySet], dict[str, int]] | None = None
    facet_order: str = "count"
    # The facet's value of each row, as an expression: filtering by a value keeps exactly
    # the rows whose facet_key(dimension) is that value (tests hold every facet to it), so
    # count_facets_together can count all the facets in one pass.
    dimension: Callable[[], object] | None = None

    def value_label(self, value: str) -> str:
        return self.values.get(value, value)

    def make_filter(self) -> django_filters.Filter:
        def method(queryset, name, value):
            return self.apply(queryset, value)

        if self.values:
            return django_filters.ChoiceFilter(
                label=self.label,
                choices=list(self.values.items()),
                method=method,
                empty_label=self.empty_label,
            )
        return self.filter_class(label=self.label, method=method)


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec(
        name="q",
        label="Title or author",
        apply=_by_text,
        filter_class=SearchFilter,
        schema={"type": "string", "maxLength": SEARCH_MAX_LENGTH},
    ),
    FilterSpec(
        name="role",
        label="Role",
        apply=_by_label("role"),
        values={**dict(Role.choices), UNCLASSIFIED: "unclassified"},
        empty_label="any role",
        facet_label="Roles",
        count=_count_labels("role", Role.values),
        facet_order="labels",
        dimension=_label_of("role"),
    ),
    FilterSpec(
        name="polarity",
        label="Polarity",
        apply=_by_label("polarity"),
        values={**dict(Polarity.choices), UNCLASSIFIED: "unclassified"},
        empty_label="any polarity",
        facet_label="Polarities",
        count=_count_labels("polarity", Polarity.values),
        facet_order="labels",
        dimension=_label_of("polarity"),
    ),
    FilterSpec(
        name="year",
        label="Year",
        apply=_by_year,
        filter_class=YearFilter,
        schema=YEAR_SCHEMA,
        facet_label="Years",
        count=_count_citing("year"),
        facet_order="newest",
        dimension=lambda: F("citing__year"),
    ),
    FilterSpec(
        name="category",
        label="Category",
        apply=_by_citing("primary_category", ""),
        facet_label="Categories",
        count=_count_citing("primary_category"),
        dimension=lambda: F("citing__primary_category"),
    ),
    FilterSpec(
        name="verdict",
        label="Verdict",
        apply=_by_verdict,
        values=dict(Verdict.choices),
        empty_label="any verdict",
        facet_label="Verdicts",
        count=_count_verdicts,
        facet_order="labels",
        dimension=lambda: verdict_of("citing__"),
    ),
)
FACETS: tuple[FilterSpec, ...] = tuple(spec for spec in FILTERS if spec.count)
FILTER_BY_NAME = {spec.name: spec for spec in FILTERS}


def facet_cells(
    queryset: QuerySet, *, limit: int | None = None
) -> list[tuple[tuple[str, ...], int]] | None:
    """The rows of `queryset` counted by every facet's value at once (each cell: the values
    as facet_key names them, in FACETS' order, and n): one query, which facets_folded and
    facet_grouped fold as the counts table's cells (hubs.counts.hub_facet_cells) are.

    With `limit`, the query reads at most `limit` + 1 rows of `queryset`, and None means
    it has more than `limit` (a common word's search): not counted.
    """
    if limit is None:
        rows = list(
            queryset.values_list(*(spec.dimension() for spec in FACETS))
            .annotate(n=Count("pk"))
            .order_by()
        )
    else:
        rows = _grouped_first(queryset, limit + 1)
        if sum(row[-1] for row in rows) > limit:
            return None
    return [(tuple(facet_key(value) for value in row[:-1]), row[-1]) for row in rows]


def _grouped_first(queryset: QuerySet, first: int) -> list[tuple]:
    """The first `first` rows of `queryset` (in no order) grouped by every facet's value,
    with how many in each: one query that reads each row once. The facets' values are
    read in the limited scan itself, beside the filters' columns, rather than by looking
    the kept rows up again by pk afterwards (10,001 more index look-ups per search, a
    third of a common word's search at a million citations)."""
    names = [f"facet_{spec.name}" for spec in FACETS]
    database = connections[queryset.db]
    columns = ", ".join(database.ops.quote_name(name) for name in names)
    sql, params = _first_rows(queryset, first)
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, COUNT(*) FROM ({sql}) first_rows GROUP BY {columns}", params
        )
        return cursor.fetchall()


def _first_rows(queryset: QuerySet, first: int) -> tuple[str, tuple]:
    """The SQL of the first `first` rows of `queryset` (in no order), each as its facets'
    values (columns facet_<name>, in FACETS' order): what _grouped_first groups."""
    names = [f"facet_{spec.name}" for spec in FACETS]
    rows = (
        queryset.order_by()
        .annotate(**{name: spec.dimension() for name, spec in zip(names, FACETS, strict=True)})
        .values_list(*names)[:first]
    )
    return rows.query.sql_with_params()


def facet_cells_narrowed(
    queryset: QuerySet, narrowed: QuerySet, *, limit: int
) -> tuple[list[tuple[tuple[str, ...], int]] | None, list[tuple[tuple[str, ...], int]] | None]:
    """facet_cells(queryset, limit=limit) and facet_cells(narrowed, limit=limit), where
    `narrowed` keeps some of the rows `queryset` keeps (a text search and its facets'
    filters, beside the search alone): one query, which counts `narrowed` first and reads
    `queryset` only when `narrowed` is within the limit. Past it, `queryset` is too (it
    keeps more rows), and both are None without reading it: a common word narrowed by a
    facet, which counted the first 10,001 matches of the word for nothing (80-140 ms at
    a million citing papers) before counting the narrowed ones."""
    names = [f"facet_{spec.name}" for spec in FACETS]
    database = connections[queryset.db]
    columns = ", ".join(database.ops.quote_name(name) for name in names)
    narrowed_sql, narrowed_params = _first_rows(narrowed, limit + 1)
    whole_sql, whole_params = _first_rows(queryset, limit + 1)
    # The condition on `whole_rows` names none of its columns: PostgreSQL checks it once,
    # before reading any row, and reads none when it is false.
    sql = (
        f"WITH narrowed_cells AS (SELECT {columns}, COUNT(*) AS n FROM ({narrowed_sql})"
        f" narrowed_rows GROUP BY {columns}) "
        f"SELECT 1, {columns}, n FROM narrowed_cells "
        f"UNION ALL SELECT 0, {columns}, COUNT(*) FROM ({whole_sql}) whole_rows"
        f" WHERE (SELECT COALESCE(SUM(n), 0) FROM narrowed_cells) <= %s GROUP BY {columns}"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, (*narrowed_params, *whole_params, limit))
        found = cursor.fetchall()

    def cells(which: int):
        rows = [row[1:] for row in found if row[0] == which]
        if sum(row[-1] for row in rows) > limit:
            return None
        return [(tuple(facet_key(value) for value in row[:-1]), row[-1]) for row in rows]

    narrowed_cells = cells(1)
    return (None if narrowed_cells is None else cells(0)), narrowed_cells


def count_facets_together(
    queryset: QuerySet, chosen: Mapping[str, object], *, limit: int | None = None
) -> tuple[dict[str, dict[str, int]], int] | None:
    """Every facet's counts in one query, and how many rows pass all the filters.

    `queryset` is filtered by everything but the facets (the text search, say); `chosen`
    holds the facets' own filter values in use. Each facet counts the rows that pass the
    other facets' filters, not its own (so every value stays one click away), exactly as
    FacetSpec.count over FilterSet.without(name) would, without a query per facet: the
    rows are grouped by all the facets' values at once (facet_cells) and summed here.
    None when `queryset` has more than `limit` rows.
    """
    cells = facet_cells(queryset, limit=limit)
    return None if cells is None else facets_folded(cells, chosen)


def facets_folded(
    cells: Iterable[tuple[tuple[str, ...], int]], chosen: Mapping[str, object]
) -> tuple[dict[str, dict[str, int]], int]:
    """Every facet's counts and how many rows pass all the filters, from counts of rows
    grouped by every facet's value (each cell: the values as facet_key names them, in
    FACETS' order, and n): see count_facets_together. The counts table gives the same
    cells without counting the rows (hubs.counts.hub_facet_cells)."""
    names = [spec.name for spec in FACETS]
    wanted = [(i, facet_key(chosen[name])) for i, name in enumerate(names) if name in chosen]
    counts = [Counter() for _ in names]
    matching = 0
    for keys, n in cells:
        missed = None
        for i, value in wanted:
            if keys[i] != value:
                if missed is not None:
                    break  # misses two filters: no facet counts it
                missed = i
        else:
            if missed is None:
                matching += n
                for i, key in enumerate(keys):
                    counts[i][key] += n
            else:  # counted only by the facet whose own filter it misses
                counts[missed][keys[missed]] += n
    return {name: dict(counts[i]) for i, name in enumerate(names)}, matching


def facet_grouped(
    cells: Iterable[tuple[tuple[str, ...], int]], group_by: str, chosen: Mapping[str, object]
) -> dict[str, int]:
    """The rows passing every filter in `chosen` (facets' filters only), counted by one
    facet, from the same cells as facets_folded: the API's group_by."""
    names = [spec.name for spec in FACETS]
    wanted = [(i, facet_key(chosen[name])) for i, name in enumerate(names) if name in chosen]
    at = names.index(group_by)
    counts: Counter = Counter()
    for keys, n in cells:
        if all(keys[i] == value for i, value in wanted):
            counts[keys[at]] += n
    return {value: n for value, n in counts.items() if n}


class SortField(forms.ChoiceField):
    """A `sort` chosen from the select, checked by sort_named like every other list's."""

    def validate(self, value):
        pass  # sort_named is the check, with the message every list gives

    def clean(self, value):
        value = super().clean(value)
        try:
            return sort_named(value, SORTS, default=DEFAULT_SORT)
        except InvalidSort as exc:
            raise forms.ValidationError(str(exc)) from exc


class SortFilter(django_filters.Filter):
    field_class = SortField


class BaseCitingPaperFilter(django_filters.FilterSet):
    """Filters over the citations of one hub's paper (one row per citing paper)."""

    @property
    def sort_name(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return DEFAULT_SORT

    @property
    def active_filters(self) -> list[str]:
        """The filters in use (valid, non-empty); the sort is not a filter."""
        return [
            name
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and value not in ("", None)
        ]

    def without(self, *names: str) -> "BaseCitingPaperFilter":
        """The same filters less these: what a facet on `name` counts over."""
        data = self.data.copy()
        for name in names:
            data.pop(name, None)
        return type(self)(data, queryset=self.queryset)

    def chosen(self, names) -> dict[str, object]:
        """The values in use (valid, non-empty) of these filters."""
        self.form.is_valid()  # cleans the form; invalid values are left out
        active = set(self.active_filters)
        return {name: self.form.cleaned_data[name] for name in names if name in active}


def _keep(queryset, name, value):
    return queryset  # sorting is the pager's job (hubs.paging)


# The registry's filters in its order, then the sort: a FilterSet orders the filters of
# its class body by when each was made.
CitingPaperFilter = type(
    "CitingPaperFilter",
    (BaseCitingPaperFilter,),
    {
        "__module__": __name__,
        "__doc__": BaseCitingPaperFilter.__doc__,
        **{spec.name: spec.make_filter() for spec in FILTERS},
        "sort": SortFilter(
            label="Sort",
            choices=[(name, sort.label) for name, sort in SORTS.items()],
            method=_keep,
        ),
    },
)
