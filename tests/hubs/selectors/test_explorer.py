"""hubs/selectors/explorer.py: one page of a hub's citing papers, its counts and facets."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from hubs.models import Paper
from hubs.selectors import hub_citing_page, hub_explorer, hub_facet, hub_grouped
from hubs.vocab import UNCLASSIFIED, UNKNOWN, Role, Verdict
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    ReviewFactory,
    hub_with_citing_papers,
)
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


def params(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(values)
    return query


@pytest.fixture
def hub():
    """Six citing papers: two background (2024, 2025), one builds on (2025), three
    unlabelled (2025, 2025, undated); one accepted."""
    hub = HubFactory()
    rows = [(2024, Role.BACKGROUND), (2025, Role.BACKGROUND), (2025, Role.BUILDS_ON)]
    rows += [(2025, ""), (2025, ""), (None, "")]
    for day, (year, role) in enumerate(rows):
        date = datetime.date(year, 1, day + 1) if year else None
        paper = PaperFactory(year=year, submitted=date)
        CitationFactory(cited=hub.paper, citing=paper, role=role)
    ReviewFactory(paper=hub.paper.citations.first().citing, verdict=Verdict.ACCEPT)
    return hub


def facet(explorer, name) -> dict:
    return {v.value: v.count for v in next(f for f in explorer.facets if f.name == name).values}


def test_one_page_and_the_matching_count(hub):
    explorer = hub_explorer(hub, params(), page_size=4)
    assert explorer.matching == 6
    assert len(explorer.page.rows) == 4
    assert explorer.page.next_cursor
    rest = hub_explorer(hub, params(cursor=explorer.page.next_cursor), page_size=4)
    assert len(rest.page.rows) == 2
    assert {c.pk for c in explorer.page.rows}.isdisjoint({c.pk for c in rest.page.rows})


def test_newest_first_undated_last(hub):
    rows = hub_explorer(hub, params()).page.rows
    dates = [row.citing.sort_date for row in rows]
    assert dates[:-1] == sorted(dates[:-1], reverse=True)
    assert dates[-1] is None


def test_filters_narrow_the_rows_and_the_count(hub):
    explorer = hub_explorer(hub, params(role=Role.BACKGROUND))
    assert explorer.matching == len(explorer.page.rows) == 2
    assert all(row.role == Role.BACKGROUND for row in explorer.page.rows)


def test_a_facet_ignores_its_own_filter_but_not_the_others(hub):
    explorer = hub_explorer(hub, params(role=Role.BACKGROUND, year="2025"))
    assert explorer.matching == 1
    # Roles under year=2025 only; years under role=background only.
    assert facet(explorer, "role") == {Role.BACKGROUND: 1, Role.BUILDS_ON: 1, UNCLASSIFIED: 2}
    assert facet(explorer, "year") == {"2025": 1, "2024": 1}


def test_unfiltered_facets_account_for_every_citing_paper(hub):
    explorer = hub_explorer(hub, params())
    for name in ("role", "polarity", "year", "category", "verdict"):
        assert sum(facet(explorer, name).values()) == 6, name
    assert facet(explorer, "year")[UNKNOWN] == 1
    assert facet(explorer, "verdict") == {Verdict.ACCEPT: 1, Verdict.UNVERDICTED: 5}


def test_invalid_filters_are_reported_not_applied(hub):
    explorer = hub_explorer(hub, params(year="20x5"))
    assert "year" in explorer.filterset.errors
    assert explorer.matching == 6


def test_hub_facet_applies_every_filter_including_its_own(hub):
    _, counts = hub_facet(hub, params(role=Role.BACKGROUND), group_by="role")
    assert counts == {Role.BACKGROUND: 2}
    _, years = hub_facet(hub, params(role=Role.BACKGROUND), group_by="year")
    assert years == {"2024": 1, "2025": 1}


@pytest.mark.parametrize("group_by", ["role", "polarity", "year", "category", "verdict"])
@pytest.mark.parametrize("filters", [{}, {"role": Role.BACKGROUND}, {"year": UNKNOWN}])
def test_grouped_matching_is_the_number_of_filtered_rows(hub, group_by, filters):
    # `matching` is the groups' sum: right only while every row falls in exactly one group.
    filterset, data = hub_grouped(hub, params(**filters), group_by=group_by)
    assert data["matching"] == filterset.qs.count()
    counts = [group["count"] for group in data["groups"]]
    assert counts == sorted(counts, reverse=True)


def test_each_row_carries_its_first_citing_sentence_and_how_many_it_has(hub):
    rows = {row.citing.year: row for row in hub_explorer(hub, params(year="2024")).page.rows}
    citation = rows[2024]
    CitationContextFactory(citation=citation, text="Second, later.", position=2)
    CitationContextFactory(citation=citation, text="First.", position=1)
    explorer = hub_explorer(hub, params(sort="oldest"))
    first = next(row for row in explorer.page.rows if row.pk == citation.pk)
    assert (first.first_context_text, first.context_count) == ("First.", 2)
    others = [row for row in explorer.page.rows if row.pk != citation.pk]
    assert all(row.first_context_text is None and not row.context_count for row in others)


def test_the_sentences_come_in_the_rows_own_query(hub):
    for row in hub_explorer(hub, params()).page.rows:
        CitationContextFactory(citation=row)
        CitationContextFactory(citation=row)
    with CaptureQueriesContext(connection) as queries:
        hub_explorer(hub, params(q="study"))  # a search: the counts are over the rows
    contexts = [q["sql"] for q in queries.captured_queries if "citationcontext" in q["sql"]]
    assert len(contexts) == 1
    assert "first_context_text" in contexts[0]  # the rows' query, not one of its own


def test_the_form_offers_the_hubs_own_values_with_their_counts(hub):
    form = hub_explorer(hub, params(role=Role.BACKGROUND)).form
    assert list(form.fields["year"].widget.choices) == [
        ("", "any year"),
        ("2025", "2025 (1)"),  # counted under the other filters, as the facets are
        ("2024", "2024 (1)"),
    ]
    assert ("cs.LG", "cs.LG (2)") in form.fields["category"].widget.choices
    # A closed set lists every value, with its count or 0.
    roles = dict(form.fields["role"].widget.choices)
    assert roles[Role.BACKGROUND] == "background (2)"
    assert roles[Role.USES_DATA] == "uses data (0)"


def test_a_value_asked_for_stays_an_option_and_a_bad_one_an_error(hub):
    explorer = hub_explorer(hub, params(year="1999"))
    assert ("1999", "1999") in explorer.form.fields["year"].widget.choices
    assert not explorer.filterset.errors
    explorer = hub_explorer(hub, params(year="20x5"))
    assert explorer.filterset.errors["year"]
    assert ("20x5", "20x5") in explorer.form.fields["year"].widget.choices
    assert 'value="20x5" selected' in str(explorer.form["year"])


def test_the_filters_in_use_in_words(hub):
    explorer = hub_explorer(hub, params(role="builds_on", year="unknown", q="study"))
    assert [(f.label, f.value) for f in explorer.in_use] == [
        ("Title or author", "study"),
        ("Role", "builds on"),
        ("Year", "unknown"),
    ]


class TestSearchCountLimit:
    """A text search counts its matches up to SEARCH_COUNT_LIMIT (here 3): past it, pages
    say "more than 3" and show no facet counts, the API says count_exact false."""

    @pytest.fixture(autouse=True)
    def limit(self, monkeypatch):
        monkeypatch.setattr("hubs.selectors.explorer.SEARCH_COUNT_LIMIT", 3)

    @pytest.fixture
    def searched(self, hub):
        # The five dated citing papers (2024 and four of 2025).
        for paper in Paper.objects.filter(citations__isnull=True, year__isnull=False):
            paper.title = f"Common word {paper.pk}"
            paper.save()
        return hub

    def test_a_search_over_the_limit_says_more_than_and_counts_no_facets(self, searched):
        explorer = hub_explorer(searched, params(q="common"), page_size=2)
        assert str(explorer.matching) == "more than 3"
        assert (int(explorer.matching), explorer.matching.exact) == (3, False)
        assert explorer.facets == []
        assert len(explorer.page.rows) == 2 and explorer.page.next_cursor
        listing = hub_citing_page(searched, params(q="common"), page_size=2)
        assert (int(listing.matching), listing.matching.exact) == (3, False)

    def test_a_search_at_the_limit_is_counted_exactly_with_its_facets(self, searched):
        Paper.objects.filter(title__startswith="Common word").exclude(
            pk__in=Paper.objects.filter(title__startswith="Common word").values("pk")[:3]
        ).update(title="Rare")
        explorer = hub_explorer(searched, params(q="common"))
        assert (str(explorer.matching), explorer.matching.exact) == ("3", True)
        assert sum(facet(explorer, "role").values()) == 3

    def test_a_filter_that_narrows_a_common_search_under_the_limit_is_counted(self, searched):
        explorer = hub_explorer(searched, params(q="common", year="2024"))
        assert (str(explorer.matching), explorer.matching.exact) == ("1", True)
        assert explorer.facets == []  # the search itself is still too common to facet

    def test_a_filter_that_leaves_a_common_search_past_the_limit_says_more_than(self, searched):
        explorer = hub_explorer(searched, params(q="common", year="2025"))  # four of them
        assert (str(explorer.matching), explorer.matching.exact) == ("more than 3", False)
        assert explorer.facets == []
        _, counts = hub_facet(searched, params(q="common", year="2025"), group_by="role")
        assert counts is None

    def test_a_filter_under_the_limit_of_a_search_under_it_counts_its_facets(self, searched):
        Paper.objects.filter(title__startswith="Common word", year=2025).exclude(
            pk__in=Paper.objects.filter(title__startswith="Common word", year=2025).values("pk")[
                :2
            ]
        ).update(title="Rare")
        explorer = hub_explorer(searched, params(q="common", year="2025"))  # 3 common, 2 in 2025
        assert (str(explorer.matching), explorer.matching.exact) == ("2", True)
        assert sum(facet(explorer, "year").values()) == 3  # the year facet leaves out its filter
        _, counts = hub_facet(searched, params(q="common", year="2025"), group_by="year")
        assert counts == {"2025": 2}

    def test_page_and_api_say_so(self, client, searched):
        page = client.get(searched.get_absolute_url(), {"q": "common"})
        text = " ".join(page.content.decode().split())
        assert "Showing 1–5 of more than 3 matching (6 citing in all)." in text
        data = client.get(f"/api/v1/hubs/{searched.slug}/citing-papers/", {"q": "common"}).json()
        assert (data["count"], data["count_exact"]) == (3, False)
        data = client.get(f"/api/v1/hubs/{searched.slug}/citing-papers/").json()
        assert (data["count"], data["count_exact"]) == (6, True)

    def test_api_groups_of_a_search_past_the_limit_are_not_counted(self, client, searched):
        """Grouping a common word's matches would count every one of them (1.2 s for
        q=for at a million citing papers): like the page, the API says "more than"."""
        url = f"/api/v1/hubs/{searched.slug}/facets/"
        data = client.get(url, {"q": "common", "group_by": "year"}).json()
        assert data == {"group_by": "year", "matching": 3, "matching_exact": False, "groups": []}
        narrowed = client.get(url, {"q": "common", "group_by": "year", "year": "2024"}).json()
        assert narrowed["matching_exact"] is True
        assert narrowed["groups"] == [{"value": "2024", "count": 1}]
        whole = client.get(url, {"group_by": "year"}).json()
        assert (whole["matching"], whole["matching_exact"]) == (6, True)

    def test_query_counts_do_not_grow_with_the_hub_past_the_limit(self, client):
        small = hub_with_citing_papers(30, slug="small")  # both past the limit (3)
        big = hub_with_citing_papers(520, slug="big")
        for params_ in ({"q": "paper"}, {"q": "paper", "year": "2024"}):
            counts = [queries_for(client, hub.get_absolute_url(), params_) for hub in (small, big)]
            api = [
                queries_for(client, f"/api/v1/hubs/{hub.slug}/citing-papers/", params_)
                for hub in (small, big)
            ]
            facets = [
                queries_for(
                    client, f"/api/v1/hubs/{hub.slug}/facets/", {**params_, "group_by": "year"}
                )
                for hub in (small, big)
            ]
            assert facets[0] == facets[1] <= 8
            assert counts[0] == counts[1] <= 8
            assert api[0] == api[1] <= 8
