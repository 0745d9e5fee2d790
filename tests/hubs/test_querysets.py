"""hubs/querysets.py: the read layer's rules, each in one place."""

import pytest

from hubs.models import Citation
from hubs.vocab import ClassificationSource, Role
from tests.factories import CitationFactory

pytestmark = pytest.mark.django_db


class TestClassifiedCount:
    def test_model_labels_count_only_above_the_threshold(self, settings):
        settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
        sure = CitationFactory(
            role=Role.BACKGROUND, classification_source=ClassificationSource.MODEL, confidence=0.9
        )
        CitationFactory(
            role=Role.BACKGROUND, classification_source=ClassificationSource.MODEL, confidence=0.5
        )
        curated = CitationFactory(role=Role.BUILDS_ON)
        CitationFactory()
        assert set(Citation.objects.classified()) == {sure, curated}
