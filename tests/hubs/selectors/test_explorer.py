"""hubs/selectors/explorer.py: one page of a hub's citing papers, its counts and facets."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from hubs.selectors import hub_explorer, hub_facet, hub_grouped
from hubs.vocab import UNCLASSIFIED, UNKNOWN, Role, Verdict
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    ReviewFactory,
)

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
        paper = PaperFactory(year=year, month=1 if year else None, submitted=date, sort_date=date)
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
    assert [(c.text, c.of) for c in first.first_context] == [("First.", 2)]
    assert all(row.first_context == [] for row in explorer.page.rows if row.pk != citation.pk)


def test_the_sentences_cost_one_query_for_the_whole_page(hub):
    for row in hub_explorer(hub, params()).page.rows:
        CitationContextFactory(citation=row)
        CitationContextFactory(citation=row)
    with CaptureQueriesContext(connection) as queries:
        hub_explorer(hub, params(q="study"))  # a search: the counts are over the rows
    contexts = [q["sql"] for q in queries.captured_queries if "citationcontext" in q["sql"]]
    assert len(contexts) == 1


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
