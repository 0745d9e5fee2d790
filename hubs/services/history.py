"""Undoing a recorded change: the curator's "undo" on /curate/changes/."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from hubs.models import (
    Citation,
    Hub,
    Review,
    Verdict,
)
from hubs.services.citations import citation_classify
from hubs.services.hubs import hub_revert
from hubs.services.reviews import review_set

# What an undo restores, per kind of change.
REVERTIBLE = {
    "citation": (Citation, ["role", "polarity"]),
    "review": (Review, ["verdict", "novelty", "summary"]),
    "hub": (Hub, ["slug", "is_published", "curator_note"]),
}


def _check_still_current(model, fields, record, instance) -> None:
    """Refuse to undo a change that others (or later edits) have built on: undoing it
    would silently throw their values away."""
    changed = [f for f in fields if getattr(instance, f) != getattr(record, f)]
    if model is Hub:
        now = list(instance.representative_links.values_list("paper_id", flat=True))
        then = record.representatives.order_by("position").values_list("paper_id", flat=True)
        if now != list(then):
            changed.append("representatives")
    if changed:
        latest = model.history.filter(id=record.id).select_related("history_user").first()
        who = latest.history_user or "the site"
        raise ValidationError(
            f"This {model._meta.verbose_name} has changed since ({', '.join(changed)}; "
            f"last by {who} at {latest.history_date:%Y-%m-%d %H:%M} UTC). Undoing this "
            "change would lose that: undo the newer change first, or edit it directly."
        )


@transaction.atomic
def change_revert(*, kind: str, history_id: int, by: User) -> object:
    """Undo one recorded change (of a citation's labels, a review or a hub) by restoring
    the values it replaced; the undo is itself a change, recorded as made by `by`.

    Curators may undo their own changes; superusers anyone's. A change that has been
    changed again since is not undone (ValidationError), so nothing newer is lost.
    """
    if kind not in REVERTIBLE:
        raise ValidationError(f"Unknown kind of change {kind!r}.")
    model, fields = REVERTIBLE[kind]
    record = model.history.filter(history_id=history_id).select_related("history_user").first()
    if record is None:
        raise ValidationError(f"No {kind} change #{history_id}.")
    if not (by.is_superuser or record.history_user_id == by.pk):
        raise PermissionDenied("Curators may undo their own changes only.")
    instance = model.objects.select_for_update().filter(pk=record.id).first()
    if instance is None:
        raise ValidationError(f"The {kind} of change #{history_id} no longer exists.")
    _check_still_current(model, fields, record, instance)
    before = record.prev_record
    instance._change_reason = f"Undo of change #{history_id}"
    if kind == "citation":
        # Only a curator's labels are restored: a record from before suggestions moved to
        # their own fields may hold an import's or a model's label, which is a suggestion
        # now (and still stands in the suggestion fields), not a label to vouch for.
        curated = before is not None and before.classification_source == "curator"
        return citation_classify(
            citation=instance,
            role=before.role if curated else "",
            polarity=before.polarity if curated else "",
            by=by,
        )
    if kind == "review":
        return review_set(
            paper=instance.paper,
            verdict=before.verdict if before else Verdict.UNVERDICTED,
            novelty=before.novelty if before else None,
            summary=before.summary if before else "",
            by=by,
        )
    if before is None:
        raise ValidationError("This change created the hub; unpublish it instead.")
    return hub_revert(hub=instance, history_id=before.history_id, by=by)
