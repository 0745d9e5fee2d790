"""hubs/filters.py: the filter registry (every filter and facet declared once; the
explorer's filter set, its facets and their labels all come from that declaration), the
one check of a sort, and what each of the explorer's filters keeps, one filter at a time."""

import datetime

import pytest
from django.http import QueryDict

from hubs.filters import FACETS, FILTERS, CitingPaperFilter, InvalidSort, sort_named
from hubs.models import Citation
from hubs.paging import DEFAULT_SORT, SORTS
from hubs.selectors import hub_explorer
from hubs.vocab import UNCLASSIFIED, UNKNOWN, ClassificationSource, Polarity, Role, Verdict
from tests.factories import (
    CitationFactory,
    HubFactory,
    PaperFactory,
    ReviewFactory,
    hub_with_citing_papers,
)

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


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8


def cite(
    hub, *, title="A paper", authors=("Ada Lovelace",), year=2025, category="cs.LG", **labels
):
    paper = PaperFactory(
        title=title,
        authors=list(authors),
        year=year,
        month=1 if year else None,
        submitted=datetime.date(year, 1, 1) if year else None,
        sort_date=datetime.date(year, 1, 1) if year else None,
        primary_category=category,
    )
    return CitationFactory(cited=hub.paper, citing=paper, **labels)


def kept(hub, **params) -> set:
    filterset = CitingPaperFilter(params, queryset=Citation.objects.of_paper(hub.paper))
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


class TestText:
    def test_title_or_author_case_insensitive(self, hub):
        by_title = cite(hub, title="Flawed Thinking")
        by_author = cite(hub, authors=["Duen Horng Chau"])
        cite(hub, title="Something else")
        assert kept(hub, q="flawed") == {by_title}
        assert kept(hub, q="chau") == {by_author}

    def test_blank_text_keeps_everything(self, hub):
        rows = {cite(hub), cite(hub)}
        assert kept(hub, q="   ") == rows


class TestLabels:
    @pytest.fixture
    def rows(self, hub):
        return {
            "background": cite(hub, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL),
            "polarity only": cite(hub, polarity=Polarity.SUPPORTING),
            "weak suggestion": cite(
                hub,
                suggested_role=Role.BACKGROUND,
                suggested_polarity=Polarity.CONTRASTING,
                confidence=0.5,
            ),
            "sure suggestion": cite(
                hub,
                suggested_role=Role.BUILDS_ON,
                suggestion_source=ClassificationSource.IMPORT,
                confidence=0.95,
            ),
            "curator over suggestion": cite(
                hub, role=Role.USES_DATA, suggested_role=Role.BUILDS_ON, confidence=0.99
            ),
            "none": cite(hub),
        }

    def test_role_keeps_only_classified_labels(self, hub, rows):
        assert kept(hub, role=Role.BACKGROUND) == {rows["background"]}
        assert kept(hub, role=Role.BUILDS_ON) == {rows["sure suggestion"]}
        assert kept(hub, role=Role.USES_DATA) == {rows["curator over suggestion"]}

    def test_unclassified_role_is_every_citation_without_a_counted_role(self, hub, rows):
        assert kept(hub, role=UNCLASSIFIED) == {
            rows["polarity only"],
            rows["weak suggestion"],
            rows["none"],
        }

    def test_polarity_keeps_only_classified_labels(self, hub, rows):
        assert kept(hub, polarity=Polarity.NEUTRAL) == {rows["background"]}
        assert kept(hub, polarity=Polarity.SUPPORTING) == {rows["polarity only"]}
        assert kept(hub, polarity=Polarity.CONTRASTING) == set()

    def test_unclassified_polarity(self, hub, rows):
        assert kept(hub, polarity=UNCLASSIFIED) == {
            rows["weak suggestion"],
            rows["sure suggestion"],
            rows["curator over suggestion"],
            rows["none"],
        }

    def test_a_label_and_unclassified_partition_the_hub(self, hub, rows):
        for name, values in (("role", Role.values), ("polarity", Polarity.values)):
            parts = [kept(hub, **{name: value}) for value in [*values, UNCLASSIFIED]]
            assert sum(len(part) for part in parts) == len(rows)
            assert set().union(*parts) == set(rows.values())

    def test_an_unknown_label_is_an_error(self, hub):
        filterset = CitingPaperFilter(
            {"role": "praises"}, queryset=Citation.objects.of_paper(hub.paper)
        )
        assert not filterset.is_valid()
        assert "role" in filterset.errors


class TestYearAndCategory:
    def test_year_and_unknown_year(self, hub):
        old, new, undated = cite(hub, year=2024), cite(hub, year=2025), cite(hub, year=None)
        assert kept(hub, year="2024") == {old}
        assert kept(hub, year="2025") == {new}
        assert kept(hub, year=UNKNOWN) == {undated}

    @pytest.mark.parametrize("year", ["25", "twenty", "20255", "-2024"])
    def test_a_year_must_have_four_digits(self, hub, year):
        filterset = CitingPaperFilter(
            {"year": year}, queryset=Citation.objects.of_paper(hub.paper)
        )
        assert not filterset.is_valid()
        assert "year" in filterset.errors

    def test_category_and_unknown_category(self, hub):
        learning, language = cite(hub, category="cs.LG"), cite(hub, category="cs.CL")
        uncategorised = cite(hub, category="")
        assert kept(hub, category="cs.LG") == {learning}
        assert kept(hub, category="cs.CL") == {language}
        assert kept(hub, category=UNKNOWN) == {uncategorised}


class TestVerdict:
    def test_each_verdict_and_unverdicted(self, hub):
        unreviewed, default, accepted, rejected = cite(hub), cite(hub), cite(hub), cite(hub)
        ReviewFactory(paper=default.citing)
        ReviewFactory(paper=accepted.citing, verdict=Verdict.ACCEPT)
        ReviewFactory(paper=rejected.citing, verdict=Verdict.REJECT)
        assert kept(hub, verdict=Verdict.UNVERDICTED) == {unreviewed, default}
        assert kept(hub, verdict=Verdict.ACCEPT) == {accepted}
        assert kept(hub, verdict=Verdict.REJECT) == {rejected}
        assert kept(hub, verdict=Verdict.UNCERTAIN) == set()


class TestCombined:
    def test_filters_are_and_ed(self, hub):
        match = cite(hub, role=Role.BACKGROUND, year=2025, title="Flawed")
        cite(hub, role=Role.BACKGROUND, year=2024, title="Flawed")
        cite(hub, role=Role.BUILDS_ON, year=2025, title="Flawed")
        assert kept(hub, role=Role.BACKGROUND, year="2025", q="flawed") == {match}

    def test_only_the_hubs_citations(self, hub):
        mine = cite(hub)
        cite(HubFactory())
        assert kept(hub) == {mine}


class TestSortAndActiveFilters:
    def test_sort_defaults_and_is_validated(self, hub):
        queryset = Citation.objects.of_paper(hub.paper)
        assert CitingPaperFilter({}, queryset=queryset).sort_name == DEFAULT_SORT
        assert CitingPaperFilter({"sort": "refs"}, queryset=queryset).sort_name == "refs"
        bogus = CitingPaperFilter({"sort": "bogus"}, queryset=queryset)
        assert not bogus.is_valid()
        assert bogus.sort_name == DEFAULT_SORT

    def test_active_filters_leave_out_sort_and_blanks(self, hub):
        filterset = CitingPaperFilter(
            {"role": Role.BACKGROUND, "q": "", "sort": "oldest", "year": "2025"},
            queryset=Citation.objects.of_paper(hub.paper),
        )
        assert filterset.is_valid()
        assert sorted(filterset.active_filters) == ["role", "year"]

    def test_without_drops_one_filter_and_keeps_the_rest(self, hub):
        match = cite(hub, role=Role.BACKGROUND, year=2025)
        other_role = cite(hub, role=Role.BUILDS_ON, year=2025)
        cite(hub, role=Role.BACKGROUND, year=2024)
        filterset = CitingPaperFilter(
            {"role": Role.BACKGROUND, "year": "2025"},
            queryset=Citation.objects.of_paper(hub.paper),
        )
        assert set(filterset.qs) == {match}
        assert set(filterset.without("role").qs) == {match, other_role}


class TestFacetsCountedTogether:
    """The explorer counts all its facets in one query (count_facets_together): the numbers
    are those of each facet's own count over the filters less its own, and each facet's
    dimension keeps exactly the rows its filter keeps."""

    @pytest.fixture
    def hub(self):
        hub = hub_with_citing_papers(45)
        unknown = PaperFactory(arxiv_id=None, doi="10.1000/nothing.known", submitted=None)
        CitationFactory(citing=unknown, cited=hub.paper)  # no year, category or label
        model = PaperFactory(primary_category="cs.LG")
        CitationFactory(
            citing=model,
            cited=hub.paper,
            suggested_role=Role.BUILDS_ON,
            confidence=0.3,  # below the threshold: unclassified on public pages
        )
        return hub

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "q=paper",
            "year=2024",
            "year=unknown&role=unclassified",
            "role=background&polarity=neutral&q=Citing",
            "verdict=unverdicted&category=cs.LG&year=2023",
            "category=unknown&verdict=accept",
            "polarity=unclassified&q=nothing",
        ],
    )
    def test_the_same_numbers_as_one_query_per_facet(self, hub, query):
        from hubs.filters import count_facets_together

        filterset = CitingPaperFilter(
            QueryDict(query), queryset=Citation.objects.of_paper(hub.paper)
        )
        names = [spec.name for spec in FACETS]
        counts, matching = count_facets_together(
            filterset.without(*names).qs, filterset.chosen(names)
        )
        assert matching == filterset.qs.count()
        for spec in FACETS:
            assert counts[spec.name] == spec.count(filterset.without(spec.name).qs), spec.name

    def test_each_facet_value_is_what_its_filter_keeps(self, hub):
        citations = Citation.objects.of_paper(hub.paper)
        for spec in FACETS:
            counted = spec.count(citations)
            assert counted, spec.name
            for value, n in counted.items():
                form_value = CitingPaperFilter(
                    QueryDict(f"{spec.name}={value}"), queryset=citations
                ).form
                assert form_value.is_valid(), (spec.name, value)
                kept = spec.apply(citations, form_value.cleaned_data[spec.name])
                assert kept.count() == n, (spec.name, value)

    @pytest.mark.parametrize(
        "query", ["", "q=paper", "role=background&q=Citing", "verdict=accept"]
    )
    def test_a_limited_count_is_the_whole_count_under_its_limit(self, hub, query):
        from hubs.filters import count_facets_together

        filterset = CitingPaperFilter(
            QueryDict(query), queryset=Citation.objects.of_paper(hub.paper)
        )
        names = [spec.name for spec in FACETS]
        rows, chosen = filterset.without(*names).qs, filterset.chosen(names)
        assert count_facets_together(rows, chosen, limit=10_000) == count_facets_together(
            rows, chosen
        )
        assert count_facets_together(rows, chosen, limit=1) is None

    @pytest.mark.parametrize(
        "query",
        ["q=paper&role=background", "q=Citing&year=2024&verdict=accept", "q=paper&year=1999"],
    )
    def test_a_narrowed_search_is_counted_as_each_apart(self, hub, query):
        """facet_cells_narrowed gives what facet_cells gives for the search alone and for
        the search narrowed by its facets, at every limit: both counted, only the narrowed
        (the search past the limit), or neither (the narrowed past it too)."""
        from hubs.filters import facet_cells, facet_cells_narrowed

        filterset = CitingPaperFilter(
            QueryDict(query), queryset=Citation.objects.of_paper(hub.paper)
        )
        whole, narrowed = filterset.without(*[spec.name for spec in FACETS]).qs, filterset.qs
        sizes = {whole.count(), narrowed.count()}
        assert whole.count() > narrowed.count()  # the test tests something
        for limit in sorted({0, 1, *sizes, *(n - 1 for n in sizes if n), 10_000}):
            got = facet_cells_narrowed(whole, narrowed, limit=limit)
            expected_narrowed = facet_cells(narrowed, limit=limit)
            expected_whole = None if expected_narrowed is None else facet_cells(whole, limit=limit)
            assert (
                sorted(got[0]) if got[0] is not None else None,
                sorted(got[1]) if got[1] is not None else None,
            ) == (
                sorted(expected_whole) if expected_whole is not None else None,
                sorted(expected_narrowed) if expected_narrowed is not None else None,
            ), limit
