"""tests/factories.py: the factories make only states the services make, so a test built on
them cannot pass on a row the site would never hold."""

import pytest

from hubs import services
from hubs.models import Citation
from hubs.vocab import ClassificationSource, Polarity, Role, Verdict
from tests.factories import (
    CitationFactory,
    CuratorFactory,
    PaperFactory,
    ReviewFactory,
    hub_with_citing_papers,
)

pytestmark = pytest.mark.django_db

LABEL_STATE = ("role", "polarity", "classification_source", "confidence")


def state(citation: Citation) -> dict:
    citation.refresh_from_db()
    return {
        **{field: getattr(citation, field) for field in LABEL_STATE},
        "has_curator": citation.classified_by_id is not None,
        "has_time": citation.classified_at is not None,
    }


def classified_by_the_service(**labels) -> Citation:
    citation = CitationFactory()
    source = labels.pop("classification_source", ClassificationSource.CURATOR)
    curator = None
    if source == ClassificationSource.CURATOR:
        curator = CuratorFactory(mfa=False)
    services.citation_classify(citation=citation, **labels, source=source, by=curator)
    return citation


@pytest.mark.parametrize(
    "labels",
    [
        {"role": Role.BACKGROUND},
        {"polarity": Polarity.CONTRASTING},
        {"role": Role.USES_DATA, "polarity": Polarity.SUPPORTING},
        {"role": Role.BUILDS_ON, "classification_source": ClassificationSource.MODEL},
        {"polarity": Polarity.NEUTRAL, "classification_source": ClassificationSource.IMPORT},
    ],
)
def test_a_labelled_citation_is_what_the_service_leaves(labels):
    made = CitationFactory(**labels)
    service_labels = dict(labels)
    if service_labels.get("classification_source") in (
        ClassificationSource.MODEL,
        ClassificationSource.IMPORT,
    ):
        service_labels["confidence"] = made.confidence
    assert state(made) == state(classified_by_the_service(**service_labels))


def test_a_suggestion_has_a_confidence_above_the_threshold(settings):
    citation = CitationFactory(suggested=True)
    assert citation.confidence >= settings.PITHSITE_CLASSIFICATION_THRESHOLD
    assert Citation.objects.classified().get() == citation


def test_an_unlabelled_citation_has_no_source():
    assert state(CitationFactory()) == {
        "role": "",
        "polarity": "",
        "classification_source": "",
        "confidence": None,
        "has_curator": False,
        "has_time": False,
    }


def test_reviews_use_the_verdict_vocabulary():
    assert ReviewFactory().verdict == Verdict.UNVERDICTED
    assert ReviewFactory(paper=PaperFactory()).verdict in Verdict.values


def test_the_big_hubs_curator_labels_carry_their_curator_and_time():
    hub = hub_with_citing_papers(9)
    labelled = Citation.objects.of_paper(hub.paper).exclude(role="", polarity="")
    assert labelled.count() == 3
    assert not labelled.filter(classified_by=None).exists()
    assert not labelled.filter(classified_at=None).exists()
    assert set(labelled.values_list("classification_source", flat=True)) == {"curator"}
