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
        Citation.objects.filter(pk=citation.pk).update(
            suggested_role="background",
            suggested_role_confidence=confidence,
            suggested_role_source=source,
            suggested_polarity="neutral",
            suggested_polarity_confidence=confidence,
            suggested_polarity_source=source,
            suggestion_version="v7" if source == "model" else "",
        )

    return classify


# How each source is named: (who, the words before it on the pages).
SOURCES = {
    "data load": (_data_load, "a data load", "set by"),
    "named curator": (_curator("Grace Hopper"), "Grace Hopper", "set by"),
    "unnamed curator": (_curator(""), "a curator", "set by"),
    "import": (_suggestion("import", 0.97), "an import (confidence 0.97)", "suggested by"),
    "model": (
        _suggestion("model", 0.91),
        "a model (version v7, confidence 0.91)",
        "suggested by",
    ),
}


@pytest.fixture(params=SOURCES)
def labelled(request, settings):
    settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {}
    classify, words, verb = SOURCES[request.param]
    hub = HubFactory()
    citation, _ = services.citation_add(citing=PaperFactory(), cited=hub.paper)
    classify(citation)
    return Citation.objects.with_citing().get(pk=citation.pk), words, verb


def test_label_source_names_the_real_source(labelled):
    citation, words, verb = labelled
    assert label_source(citation) == (words if verb == "set by" else f"{verb} {words}")


def test_citation_page_says_who_set_the_labels(client, labelled):
    citation, words, verb = labelled
    text = page_text(client.get(citation.get_absolute_url()))
    assert f"{verb} {words}" in text
    if words == "a data load":
        assert "Set by curator" not in text


def test_paper_page_says_who_set_the_labels(client, labelled):
    citation, words, verb = labelled
    text = page_text(client.get(citation.citing.get_absolute_url()))
    assert f"{verb} {words}" in text


def test_hub_explorer_rows_say_who_set_the_labels(client, labelled):
    citation, words, verb = labelled
    text = page_text(client.get(citation.cited.hub.get_absolute_url()))
    assert f"{verb} {words}" in text


def test_a_suggested_mark_links_to_the_classifier_page(client, labelled):
    citation, _, verb = labelled
    html = client.get(citation.cited.hub.get_absolute_url()).content.decode()
    marks = html.count('class="suggested-mark" href="/classifier/"')
    assert marks == (2 if verb == "suggested by" else 0)


def test_curation_queue_says_who_set_the_labels(client, labelled):
    citation, words, verb = labelled
    Citation.objects.filter(pk=citation.pk).update(polarity="")  # still to classify
    client.force_login(CuratorFactory())
    text = page_text(client.get(reverse("curation:queue")))
    assert f"{verb} {words}".lower() in text.lower()


def test_api_says_who_set_the_labels(client, labelled):
    citation, words, verb = labelled
    detail = client.get(reverse("api:citation-detail", args=[citation.pk])).json()
    rows = client.get(reverse("api:hub-citing-papers", args=[citation.cited.hub.slug])).json()
    page = client.get(reverse("api:paper-detail", args=[citation.citing.identifier])).json()
    expected = words if verb == "set by" else f"{verb} {words}"
    assert detail["set_by"] == expected
    assert rows["results"][0]["set_by"] == expected
    assert page["cites_hubs"][0]["set_by"] == expected
