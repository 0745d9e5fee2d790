"""The one definition of how a hub's citing papers are filtered and sorted.

The hub page's explorer, its exports and the API list endpoint all use CitingPaperFilter,
so they cannot disagree about what "role=background&year=2025" means.
"""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from hubs.paging import DEFAULT_SORT, SORTS
from hubs.querysets import labelled_q
from hubs.vocab import UNCLASSIFIED, UNKNOWN, Polarity, Role, Verdict


class YearField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in ("", UNKNOWN):
            return value
        if not (value.isdigit() and len(value) == 4):
            raise forms.ValidationError("Enter a year such as 2025, or “unknown”.")
        return int(value)


@extend_schema_field({"type": "string", "pattern": "^([0-9]{4}|unknown)$", "example": "2025"})
class YearFilter(django_filters.Filter):
    field_class = YearField


def _by_label(queryset, field: str, value: str):
    # Only labels public pages count as classified, so the counts and this filter agree.
    if value == UNCLASSIFIED:
        return queryset.exclude(labelled_q(field))
    return queryset.filter(labelled_q(field), **{field: value})


class CitingPaperFilter(django_filters.FilterSet):
    """Filters over the citations of one hub's paper (one row per citing paper)."""

    q = django_filters.CharFilter(label="Title or author", method="filter_text")
    role = django_filters.ChoiceFilter(
        label="Role",
        choices=[*Role.choices, (UNCLASSIFIED, "unclassified")],
        method="filter_role",
        empty_label="any role",
    )
    polarity = django_filters.ChoiceFilter(
        label="Polarity",
        choices=[*Polarity.choices, (UNCLASSIFIED, "unclassified")],
        method="filter_polarity",
        empty_label="any polarity",
    )
    year = YearFilter(label="Year", method="filter_year")
    category = django_filters.CharFilter(label="Category", method="filter_category")
    verdict = django_filters.ChoiceFilter(
        label="Verdict",
        choices=Verdict.choices,
        method="filter_verdict",
        empty_label="any verdict",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=[(name, sort.label) for name, sort in SORTS.items()],
        method="keep",
        empty_label=None,
    )

    # Facet dimensions: for each, the field whose value a facet link sets.
    FACETS = ("role", "polarity", "year", "category", "verdict")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(citing__title__icontains=value) | Q(citing__authors__icontains=value)
        )

    def filter_role(self, queryset, name, value):
        return _by_label(queryset, "role", value)

    def filter_polarity(self, queryset, name, value):
        return _by_label(queryset, "polarity", value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(citing__year=None if value == UNKNOWN else value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(citing__primary_category="" if value == UNKNOWN else value)

    def filter_verdict(self, queryset, name, value):
        return queryset.citing_of_verdict(value)

    def keep(self, queryset, name, value):
        return queryset  # sorting is the pager's job (hubs.paging)

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

    def without(self, name: str) -> "CitingPaperFilter":
        """The same filters less one: what a facet on `name` counts over."""
        data = self.data.copy()
        data.pop(name, None)
        return type(self)(data, queryset=self.queryset)
