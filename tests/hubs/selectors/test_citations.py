"""The read layer's citation detail and feed items: one selector each, for every door."""

import pytest
from django.http import Http404

from hubs import services
from hubs.selectors import citation_detail, hub_feed_citations
from tests.factories import CitationContextFactory, CitationFactory, CuratorFactory, HubFactory

pytestmark = pytest.mark.django_db


def test_citation_detail_loads_what_page_and_api_show(django_assert_num_queries):
    hub = HubFactory()
    citation = CitationFactory(cited=hub.paper)
    CitationContextFactory(citation=citation, text="We build on it.")
    services.citation_classify(citation=citation, role="builds_on", by=CuratorFactory(name="Ada"))
    with django_assert_num_queries(2):  # the citation with its papers and people; contexts
        loaded = citation_detail(citation.pk)
        shown = (
            loaded.citing.title,
            loaded.cited.hub.slug,
            loaded.citing_verdict,
            loaded.is_classified,
            loaded.classified_by.name,
            [context.text for context in loaded.contexts.all()],
        )
    assert shown[2:] == ("unverdicted", True, "Ada", ["We build on it."])


def test_citation_detail_of_an_unknown_id_is_404():
    with pytest.raises(Http404):
        citation_detail(999_999)


def test_page_and_api_show_the_same_citation(client):
    citation = CitationFactory(cited=HubFactory().paper)
    page = client.get(citation.get_absolute_url())
    api = client.get(f"/api/v1/citations/{citation.pk}/")
    assert page.context["citation"].pk == api.json()["id"] == citation.pk


def test_feed_items_are_the_newest_citations_first():
    hub = HubFactory()
    citations = [CitationFactory(cited=hub.paper) for _ in range(3)]
    CitationFactory()  # of another paper
    assert list(hub_feed_citations(hub, limit=2)) == citations[::-1][:2]
