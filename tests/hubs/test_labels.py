"""Who set a citation's labels, in the same words everywhere: citation page, paper page,
hub explorer rows, curation queue and API (hubs.labels.label_source)."""

import pytest
from django.urls import reverse

from hubs import services
from hubs.labels import label_source
from hubs.models import Citation
from tests.factories import CuratorFactory, HubFactory, PaperFactory, counts_follow
from tests.hubs.test_views_hub import page_text

pytestmark = pytest.mark.django_db


def _data_load(citation):
    # What the demo and ACL loaders do: curator-grade labels with no person behind them.
    Citation.objects.filter(pk=citation.pk).update(
        role="background", polarity="neutral", classification_source="curator"
    )
    counts_follow(cited_ids=[citation.cited_id])


def _curator(name):
    def classify(citation):
        services.citation_classify(
            citation=citation, role="background", polarity="neutral",
            by=CuratorFactory(name=name),
        )  # fmt: skip

    return classify


def _suggestion(source, confidence):
    def classify(citation):
        services.citation_classify(
            citation=citation, role="background", polarity="neutral", by=None,
            source=source, confidence=confidence,
        )  # fmt: skip

    return classify


SOURCES = {
    "data load": (_data_load, "a data load"),
    "named curator": (_curator("Grace Hopper"), "Grace Hopper"),
    "unnamed curator": (_curator(""), "a curator"),
    "import": (_suggestion("import", 0.97), "an import (confidence 0.97)"),
    "model": (_suggestion("model", 0.64), "a model (confidence 0.64)"),
}


@pytest.fixture(params=SOURCES)
def labelled(request):
    classify, words = SOURCES[request.param]
    hub = HubFactory()
    citation, _ = services.citation_add(citing=PaperFactory(), cited=hub.paper)
    classify(citation)
    return Citation.objects.with_papers().get(pk=citation.pk), words


def test_label_source_names_the_real_source(labelled):
    citation, words = labelled
    assert label_source(citation) == words


def test_citation_page_says_who_set_the_labels(client, labelled):
    citation, words = labelled
    text = page_text(client.get(citation.get_absolute_url()))
    assert f"Set by {words} " in text
    if words == "a data load":
        assert "Set by curator" not in text


def test_paper_page_says_who_set_the_labels(client, labelled):
    citation, words = labelled
    text = page_text(client.get(citation.citing.get_absolute_url()))
    assert f"by {words}" in text


def test_hub_explorer_rows_say_who_set_the_labels(client, labelled):
    citation, words = labelled
    text = page_text(client.get(citation.cited.hub.get_absolute_url()))
    assert f"by {words}" in text


def test_curation_queue_says_who_set_the_labels(client, labelled):
    citation, words = labelled
    Citation.objects.filter(pk=citation.pk).update(polarity="")  # still to classify
    client.force_login(CuratorFactory())
    text = page_text(client.get(reverse("curation:queue")))
    assert f"by {words}" in text


def test_api_says_who_set_the_labels(client, labelled):
    citation, words = labelled
    detail = client.get(reverse("api:citation-detail", args=[citation.pk])).json()
    rows = client.get(reverse("api:hub-citing-papers", args=[citation.cited.hub.slug])).json()
    page = client.get(reverse("api:paper-detail", args=[citation.citing.identifier])).json()
    assert detail["set_by"] == words
    assert rows["results"][0]["set_by"] == words
    assert page["cites_hubs"][0]["set_by"] == words
