"""A hub's page-wide numbers are cached, and every kind of write shows on the next view."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from hubs import services
from hubs.models import Citation
from hubs.selectors import hub_summary
from tests.factories import PaperFactory, hub_with_citing_papers
from tests.hubs.test_views_hub import page_text
from tests.queries import measure_get, queries_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("numbers_cache_on")]


@pytest.fixture
def hub():
    return hub_with_citing_papers(30)


def facet(client, hub, name) -> dict:
    facets = client.get(hub.get_absolute_url()).context["explorer"].facets
    return {item.value: item.count for item in next(f for f in facets if f.name == name).values}


def test_a_second_view_is_served_from_the_cache(client, hub):
    first = measure_get(client, hub.get_absolute_url())
    second = measure_get(client, hub.get_absolute_url())
    assert second.queries == 0  # the page is kept whole with its hub (hubs.page_cache)
    assert second.response.content == first.response.content
    assert first.response.context["summary"].citing_count == 30


def test_a_signed_in_reader_gets_the_page_built(client, hub, reader):
    client.force_login(reader)
    client.get(hub.get_absolute_url())
    assert client.get(hub.get_absolute_url()).context["summary"].citing_count == 30


def test_the_whole_page_and_api_detail_change_with_a_curators_write(client, hub, curator, write):
    url, api = hub.get_absolute_url(), reverse("api:hub-detail", args=[hub.slug])
    assert "30 papers citing it" in page_text(client.get(url))
    assert client.get(api).json()["status"]["citing_count"] == 30
    write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
    assert "31 papers citing it" in page_text(client.get(url))
    assert client.get(api).json()["status"]["citing_count"] == 31
    write(services.hub_update, hub=hub, by=curator, slug=hub.slug, is_published=True,
          curator_note="A note the curators wrote just now.")  # fmt: skip
    assert "A note the curators wrote just now." in page_text(client.get(url))
    assert client.get(api).json()["curator_note"] == "A note the curators wrote just now."


def test_a_filtered_views_counts_are_cached_and_its_rows_are_not(client, hub, reader):
    # A signed-in reader's page is built each time (an anonymous reader's is kept whole,
    # tests/hubs/test_page_cache.py): only its counts come from the cache.
    client.force_login(reader)
    first = queries_for(client, hub.get_absolute_url(), {"year": "2024"})
    second = queries_for(client, hub.get_absolute_url(), {"year": "2024"})
    # The facets (folded from the counts table) are read once per filter between writes;
    # the hub, its rows and its representatives on every view.
    assert second <= first
    assert second == queries_for(client, hub.get_absolute_url(), {"year": "2024"}) >= 3


def search_facet(client, hub, params, name) -> dict:
    explorer = client.get(hub.get_absolute_url(), params).context["explorer"]
    found = [f for f in explorer.facets if f.name == name]
    values = {item.value: item.count for item in found[0].values} if found else {}
    return {"matching": int(explorer.matching), **values}


def test_filtered_and_searched_counts_follow_every_write(client, hub, curator, write):
    """Facets under a filter, a search's counts and the API's groups are cached per filter
    and per search between writes: each write through the services shows on the next view."""
    api = reverse("api:hub-facets", args=[hub.slug])
    citation = hub.paper.citations.filter(
        citing__year=2024, citing__review__isnull=True, role="", polarity=""
    ).first()
    filtered = {"year": "2024", "verdict": "unverdicted"}
    before = search_facet(client, hub, filtered, "role")
    groups = client.get(api, {"group_by": "role", **filtered}).json()
    write(services.citation_classify, citation=citation, role="uses_data", by=curator)
    after = search_facet(client, hub, filtered, "role")
    assert after.get("uses_data", 0) == before.get("uses_data", 0) + 1
    again = client.get(api, {"group_by": "role", **filtered}).json()
    assert {g["value"]: g["count"] for g in again["groups"]}.get("uses_data", 0) == (
        {g["value"]: g["count"] for g in groups["groups"]}.get("uses_data", 0) + 1
    )

    searched = {"q": "Zanzibar"}
    assert search_facet(client, hub, searched, "role") == {"matching": 0}
    assert client.get(api, {"group_by": "year", **searched}).json()["matching"] == 0
    citing_papers = reverse("api:hub-citing-papers", args=[hub.slug])
    assert client.get(citing_papers, searched).json()["count"] == 0
    write(services.paper_update, paper=citation.citing, changes={"title": "Zanzibar notes"})
    assert client.get(citing_papers, searched).json()["count"] == 1
    assert search_facet(client, hub, searched, "role") == {"matching": 1, "uses_data": 1}
    assert client.get(api, {"group_by": "year", **searched}).json()["groups"] == [
        {"value": "2024", "count": 1}
    ]
    write(services.review_set, paper=citation.citing, verdict="reject", by=curator)
    assert search_facet(client, hub, {**searched, "verdict": "reject"}, "role")["matching"] == 1
    listing = client.get(
        reverse("api:hub-citing-papers", args=[hub.slug]), {**searched, "verdict": "accept"}
    ).json()
    assert listing["count"] == 0


def test_a_classification_shows_at_once(client, hub, curator, write):
    before = hub_summary(hub).classified_count
    citation = hub.paper.citations.filter(role="", polarity="").first()
    write(
        services.citation_classify,
        citation=citation,
        role="uses_data",
        polarity="neutral",
        by=curator,
    )
    assert hub_summary(hub).classified_count == before + 1
    assert facet(client, hub, "role")["uses_data"] >= 1


def test_the_cube_follows_classifications(hub, curator, write):
    from hubs.selectors import hub_cube

    before = sum(cell["count"] for cell in hub_cube(hub))
    citation = hub.paper.citations.filter(role="", polarity="").first()
    write(
        services.citation_classify,
        citation=citation,
        role="uses_data",
        polarity="neutral",
        by=curator,
    )
    assert sum(cell["count"] for cell in hub_cube(hub)) == before + 1


def test_a_bulk_classification_shows_at_once(hub, curator, write):
    citations = list(hub.paper.citations.filter(role="", polarity="")[:3])
    before = hub_summary(hub).classified_count
    write(services.citations_classify, citations=citations, role="background", by=curator)
    assert hub_summary(hub).classified_count == before + 3


def test_a_verdict_shows_at_once(client, hub, curator, write):
    before = facet(client, hub, "verdict").get("reject", 0)
    paper = hub.paper.citations.filter(citing__review__isnull=True).first().citing
    write(services.review_set, paper=paper, verdict="reject", by=curator)
    assert facet(client, hub, "verdict")["reject"] == before + 1


def test_a_new_citing_paper_shows_at_once(hub, write):
    assert hub_summary(hub).citing_count == 30  # now cached
    write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
    assert hub_summary(hub).citing_count == 31


def test_a_paper_moved_to_another_year_shows_at_once(client, hub, write):
    paper = hub.paper.citations.filter(citing__year=2024).first().citing
    before = facet(client, hub, "year")
    write(
        services.paper_update,
        paper=paper,
        changes={"submitted": paper.submitted.replace(year=2021)},
    )
    after = facet(client, hub, "year")
    assert (after["2024"], after["2021"]) == (before["2024"] - 1, 1)


def test_an_import_shows_at_once(hub, write):
    citing = PaperFactory()
    record = services.CitationRecord(
        citing={"arxiv_id": citing.arxiv_id}, cited={"arxiv_id": hub.paper.arxiv_id}
    )
    assert hub_summary(hub).citing_count == 30  # now cached
    write(services.citations_add_bulk, records=[record])
    assert hub_summary(hub).citing_count == 31


def test_numbers_do_not_leak_between_hubs(client, write):
    one, two = hub_with_citing_papers(3, slug="one"), hub_with_citing_papers(5, slug="two")
    assert (hub_summary(one).citing_count, hub_summary(two).citing_count) == (3, 5)
    write(services.citation_add, citing=PaperFactory(), cited=one.paper)
    assert (hub_summary(one).citing_count, hub_summary(two).citing_count) == (4, 5)


def test_without_a_ttl_nothing_is_cached(settings, hub):
    settings.PITHSITE_HUB_NUMBERS_TTL = 0
    hub_summary(hub)
    Citation.objects.create(citing=PaperFactory(), cited=hub.paper)  # around the services
    call_command("rebuild_hub_counts", "--hub", hub.slug)  # what the counts table needs then
    assert hub_summary(hub).citing_count == 31
