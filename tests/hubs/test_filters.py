"""The filter registry: every filter and facet is declared once, and the explorer's filter
set, its facets and their labels all come from that declaration."""

import pytest
from django.http import QueryDict

from hubs.filters import FACETS, FILTERS, CitingPaperFilter, InvalidSort, sort_named
from hubs.models import Citation
from hubs.paging import DEFAULT_SORT, SORTS
from hubs.selectors import hub_explorer
from tests.factories import hub_with_citing_papers

pytestmark = pytest.mark.django_db


def test_the_filter_set_has_one_filter_per_registry_entry_and_the_sort():
    assert list(CitingPaperFilter.base_filters) == [spec.name for spec in FILTERS] + ["sort"]
    for spec in FILTERS:
        assert CitingPaperFilter.base_filters[spec.name].label == spec.label


def test_the_explorer_shows_each_registry_facet_with_its_labels():
    hub = hub_with_citing_papers(12)
    explorer = hub_explorer(hub, QueryDict())
    assert [(facet.name, facet.label) for facet in explorer.facets] == [
        (spec.name, spec.facet_label) for spec in FACETS
    ]
    roles = next(facet for facet in explorer.facets if facet.name == "role")
    assert {item.value: item.label for item in roles.values}["builds_on"] == "builds on"
    for facet in explorer.facets:  # every citing paper is counted once in each facet
        assert sum(item.count for item in facet.values) == 12


def test_sort_named_is_the_one_check_of_a_sort():
    assert sort_named(None, SORTS, default=DEFAULT_SORT) == DEFAULT_SORT
    assert sort_named("", SORTS, default=DEFAULT_SORT) == DEFAULT_SORT
    assert sort_named("refs", SORTS, default=DEFAULT_SORT) == "refs"
    with pytest.raises(InvalidSort, match="Unknown sort “bogus”; use one of newest, oldest"):
        sort_named("bogus", SORTS, default=DEFAULT_SORT)


def test_an_unknown_sort_is_a_form_error_of_the_filter_set():
    filterset = CitingPaperFilter(QueryDict("sort=bogus"), queryset=Citation.objects.none())
    assert "Unknown sort “bogus”" in filterset.errors["sort"][0]
    assert filterset.sort_name == DEFAULT_SORT
