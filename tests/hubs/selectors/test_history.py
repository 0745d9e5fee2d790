"""hubs/selectors/history.py: a citation's public correction trail."""

import pytest

from hubs import services
from hubs.selectors import citation_classification_history
from hubs.vocab import ClassificationSource, Polarity, Role
from tests.factories import CitationFactory

pytestmark = pytest.mark.django_db


def test_each_label_change_newest_first_with_who_from_and_to(curator):
    curator.name = "Grace"
    curator.save()
    citation = CitationFactory(suggested_role=Role.USES_METHOD)  # not in the trail
    services.citation_classify(citation=citation, role=Role.USES_METHOD, by=None)
    services.citation_classify(
        citation=citation, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL, by=curator
    )
    newest, oldest = citation_classification_history(citation)
    assert (newest.who, newest.source) == ("Grace", ClassificationSource.CURATOR)
    assert (newest.role_from, newest.role_to) == (Role.USES_METHOD, Role.BACKGROUND)
    assert (newest.polarity_from, newest.polarity_to) == ("", Polarity.NEUTRAL)
    assert newest.role_changed and newest.polarity_changed
    assert newest.labels == {
        "role_from": "uses method",
        "role_to": "background",
        "polarity_from": "none",
        "polarity_to": "neutral",
    }
    assert oldest.who == "a data load"
    assert (oldest.role_from, oldest.role_to) == ("", Role.USES_METHOD)
    assert not oldest.polarity_changed


def test_a_curator_without_a_name_is_a_curator(curator):
    curator.name = ""
    curator.save()
    citation = CitationFactory()
    services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
    (change,) = citation_classification_history(citation)
    assert change.who == "a curator"


def test_changes_to_other_fields_are_not_in_the_trail(curator):
    citation = CitationFactory()
    services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
    citation.refs = 3
    citation.save()
    assert len(citation_classification_history(citation)) == 1


def test_an_unlabelled_citation_has_no_trail():
    assert citation_classification_history(CitationFactory()) == []
