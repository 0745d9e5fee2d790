"""hubs/history.py: many rows deleted at once, each delete in its history as a delete of
that one row would have recorded it."""

import pytest
from django.test import RequestFactory
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hubs.history import rows_delete
from hubs.models import Citation, Hub, Paper, Review
from hubs.services import hub_set_representatives
from hubs.vocab import Role
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    CuratorFactory,
    HubFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

# What differs between the records of two rows the factories made apart, deleted apart.
APART = {"history_id", "history_date", "id", "citing_id", "cited_id", "paper_id"}
APART |= {"classified_by_id", "classified_at", "curator_id", "updated_at"}


def record(model, pk) -> dict:
    (row,) = model.history.filter(id=pk, history_type="-").values()
    return {name: value for name, value in row.items() if name not in APART}


@pytest.mark.parametrize("model", [Citation, Review])
def test_a_bulk_delete_records_what_a_delete_of_each_would(model):
    curator = CuratorFactory(mfa=False)
    if model is Citation:
        one, many = (CitationFactory(role=Role.USES_DATA, refs=3) for _ in range(2))
        CitationContextFactory(citation=many)
    else:
        one, many = (ReviewFactory(verdict="accept", novelty=7) for _ in range(2))
    # Who deletes: the request's user, as simple_history's HistoryRequestMiddleware gives.
    request = RequestFactory().post("/admin/")
    request.user = curator
    HistoricalRecords.context.request = request
    one_pk, before = one.pk, timezone.now()  # Model.delete clears the pk
    try:
        one.delete()
        assert rows_delete(model.objects.filter(pk__in=[many.pk])) == 1
    finally:
        del HistoricalRecords.context.request
    assert record(model, many.pk) == record(model, one_pk)  # every other field, and type
    assert model.history.get(id=many.pk, history_type="-").history_date >= before
    assert record(model, many.pk)["history_user_id"] == curator.pk


def test_each_row_is_recorded_once_a_hub_too():
    hub = HubFactory()
    citations = [CitationFactory(cited=hub.paper) for _ in range(3)]
    hub_set_representatives(hub=hub, papers=[citations[0].citing], by=None)
    rows_delete(Paper.objects.filter(pk=hub.paper_id))
    assert Citation.objects.count() == 0
    for citation in citations:
        assert Citation.history.filter(id=citation.pk, history_type="-").count() == 1
    # A hub's history also snapshots its representatives: its records stay simple_history's
    # own, one per hub (the representatives' rows are gone by then, as with Model.delete).
    assert Hub.history.filter(id=hub.pk, history_type="-").count() == 1
