"""hubs.services.citations: classifying a list of items, all or nothing."""

import pytest

from hubs import services
from hubs.models import Citation
from tests.factories import CitationFactory, CuratorFactory

pytestmark = pytest.mark.django_db


def test_classify_items_sets_each_items_labels():
    curator = CuratorFactory()
    first, second = CitationFactory(), CitationFactory()
    count = services.citations_classify_items(
        items=[
            {"id": first.pk, "role": "background"},
            {"id": second.pk, "role": "uses_data", "polarity": "neutral"},
        ],
        by=curator,
    )
    assert count == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.role, first.polarity, first.classified_by) == ("background", "", curator)
    assert (second.role, second.polarity) == ("uses_data", "neutral")


def test_classify_items_lists_every_bad_item_by_index_and_writes_nothing():
    good = CitationFactory()
    with pytest.raises(services.ItemsInvalid) as raised:
        services.citations_classify_items(
            items=[
                {"id": good.pk, "role": "background"},
                {"id": 999_999, "role": "background"},
                {"id": good.pk, "polarity": "praising"},
            ],
            by=CuratorFactory(),
        )
    assert [(item["index"], item["id"]) for item in raised.value.items] == [
        (1, 999_999),
        (2, good.pk),
    ]
    assert raised.value.items[0]["errors"] == {"id": ["No such citation."]}
    assert "polarity" in raised.value.items[1]["errors"]
    assert not Citation.objects.exclude(role="").exists()
