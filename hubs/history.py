"""Deleting many rows with their history, in a number of queries that does not grow with
how many.

simple_history records a delete from each row's post_delete signal: one INSERT per row,
on top of Django's own deletes of each row (its contexts, its suggestion feedback), so the
admin's "delete selected" of N citations made about 4N queries. rows_delete writes the same
records (every tracked field, when, who, history type "-") for all the rows of a model in
one bulk insert, and marks the rows so that their own post_delete writes none again
(HistoricalRecords below, which hubs.models uses for every model it keeps in history).
"""

from django.db.models import QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history import models as simple_history
from simple_history.utils import get_change_reason_from_object

# Set on a row whose delete rows_delete has recorded already.
_RECORDED = "_history_delete_recorded"


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple_history's records, except that a delete rows_delete already recorded (with
    many others, in one insert) is not recorded again, one row at a time."""

    models: set = set()  # the models kept in history this way

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        HistoricalRecords.models.add(cls)

    def post_delete(self, instance, using=None, **kwargs):
        if getattr(instance, _RECORDED, False):
            return
        super().post_delete(instance, using=using, **kwargs)


def _deletes_recorded(model, instances, now) -> None:
    """One bulk insert of the delete records of these rows (a history that snapshots
    many-to-many fields, the hub's representatives, is left to its per-row records)."""
    if model not in HistoricalRecords.models:
        return
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    if history._history_m2m_fields:
        return
    history.objects.bulk_create(
        history(
            history_date=getattr(instance, "_history_date", now),
            history_type="-",
            history_user=history.get_default_history_user(instance),
            history_change_reason=get_change_reason_from_object(instance),
            **{
                field.attname: getattr(instance, field.attname) for field in history.tracked_fields
            },
        )
        for instance in instances
    )
    for instance in instances:
        setattr(instance, _RECORDED, True)


def rows_delete(rows: QuerySet) -> int:
    """Delete these rows and all that cascades from them, as QuerySet.delete does, each
    delete of a row kept in history (hubs.models) recorded: one query per model and
    batch, not per row. How many of these rows (not of their cascades) were deleted."""
    collector = Collector(using=rows.db, origin=rows)
    collector.collect(rows)
    now = timezone.now()
    for model, instances in collector.data.items():
        _deletes_recorded(model, list(instances), now)
    _, deleted = collector.delete()
    return deleted.get(rows.model._meta.label, 0)
