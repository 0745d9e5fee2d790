"""Sidebar filters for the curation admin; each runs one query for its choices at most."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from hubs.inputs import whole_number
from hubs.models import Citation, Hub, Verdict


def _number(value: str) -> int:
    """A filter's number from the URL; anything else sends the admin back to the list
    with its "invalid filter" notice, as for its own filters."""
    number = whole_number(value, maximum=2**63 - 1)
    if number is None:
        raise IncorrectLookupParameters(f"{value[:40]!r} is not a number.")
    return number


class CitedHubFilter(admin.SimpleListFilter):
    title = "hub"
    parameter_name = "hub"

    def lookups(self, request, model_admin):
        return [(str(hub.paper_id), hub.slug) for hub in Hub.objects.only("slug", "paper_id")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(cited_id=_number(self.value()))
        return queryset


class ClassifiedFilter(admin.SimpleListFilter):
    title = "classified (public count)"
    parameter_name = "classified"

    def lookups(self, request, model_admin):
        return [("yes", "classified"), ("no", "unclassified")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.classified()
        if self.value() == "no":
            return queryset.unclassified()
        return queryset


class CitingYearFilter(admin.SimpleListFilter):
    title = "year of the citing paper"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Citation.objects.exclude(citing__year=None)
            .values_list("citing__year", flat=True)
            .distinct()
            .order_by("-citing__year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(citing__year=_number(self.value()))
        return queryset


class PaperVerdictFilter(admin.SimpleListFilter):
    """A paper nobody has reviewed yet is unverdicted too (PaperQuerySet.of_verdict)."""

    title = "verdict"
    parameter_name = "verdict"

    def lookups(self, request, model_admin):
        return Verdict.choices

    def queryset(self, request, queryset):
        return queryset.of_verdict(self.value()) if self.value() else queryset


class CitingVerdictFilter(PaperVerdictFilter):
    title = "verdict on the citing paper"

    def queryset(self, request, queryset):
        return queryset.citing_of_verdict(self.value()) if self.value() else queryset
