"""Writes on citations: add one, and set its role and polarity (singly or in bulk)."""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from hubs.counts import counts_kept
from hubs.history import rows_delete
from hubs.models import (
    Citation,
    CitationContext,
    Paper,
    Polarity,
    Role,
)
from hubs.numbers_cache import numbers_changed
from hubs.services.rules import (
    CLASSIFICATION_FIELDS,
    ItemsInvalid,
    classification_apply,
    classification_changes,
    classification_check,
    label_check,
)
from hubs.services.suggestions import suggestion_feedback_record


@transaction.atomic
def citation_add(
    *,
    citing: Paper,
    cited: Paper,
    refs: int = 1,
    contexts: Sequence[tuple[str, str]] = (),
) -> tuple[Citation, bool]:
    """Record that `citing` cites `cited`; (citation, created). Contexts are (text, section).

    Adding an existing pair again updates its refs and, when contexts are given, replaces
    its contexts; it never touches the classification.
    """
    if citing.pk == cited.pk:
        raise ValidationError("A paper cannot cite itself.")
    if refs < 1:
        raise ValidationError("refs must be at least 1.")
    with counts_kept(Q(citing=citing, cited=cited)):
        citation, created = Citation.objects.get_or_create(
            citing=citing, cited=cited, defaults={"refs": refs}
        )
    if not created and citation.refs != refs:
        citation.refs = refs
        citation.save(update_fields=["refs"])
    numbers_changed(paper_ids=[cited.pk])
    wanted = [(text, section) for text, section in contexts if text.strip()]
    if wanted and wanted != list(citation.contexts.values_list("text", "section")):
        citation.contexts.all().delete()
        CitationContext.objects.bulk_create(
            CitationContext(citation=citation, text=text, section=section, position=position)
            for position, (text, section) in enumerate(wanted)
        )
    return citation, created


@transaction.atomic
def citations_delete(*, citations: Iterable[Citation]) -> int:
    """Delete citations (a superuser's act in the admin), each delete recorded in its
    history, in as many queries for thirty as for three (hubs.history.rows_delete); the
    hubs' counts follow in this transaction and their pages go stale at once. The number
    deleted."""
    ids = [citation.pk for citation in citations]
    selected = Citation.objects.filter(pk__in=ids)
    cited = set(selected.values_list("cited_id", flat=True))
    with counts_kept(Q(pk__in=ids)):
        deleted = rows_delete(selected)
    numbers_changed(paper_ids=cited)
    return deleted


@transaction.atomic
def citation_classify(
    *,
    citation: Citation,
    role: str | None = None,
    polarity: str | None = None,
    by: User | None,
) -> Citation:
    """Set a citation's curator role and/or polarity (None leaves one as it is), recorded in
    history. Where a suggestion stood for a label, the answer is counted (confirmed or
    overridden: hubs.services.suggestions). `by` None is a curator-grade data load.

    Setting what is already there writes nothing, so the history holds only real changes.
    """
    classification_check(role=role, polarity=polarity)
    if not classification_changes(citation, role=role, polarity=polarity, by=by):
        return citation
    before = {"role": citation.role, "polarity": citation.polarity}
    now = timezone.now()
    classification_apply(citation, role=role, polarity=polarity, by=by, now=now)
    citation._history_user = by
    with counts_kept(Q(pk=citation.pk)):
        citation.save()
    suggestion_feedback_record(citations=[(citation, before)], by=by, now=now)
    numbers_changed(paper_ids=[citation.cited_id])
    return citation


@transaction.atomic
def citations_classify(
    *,
    citations: Iterable[Citation],
    role: str | None = None,
    polarity: str | None = None,
    by: User | None,
) -> int:
    """Classify many citations at once (curator labels), all or none; one history record
    for each one that changes. Returns how many changed."""
    classification_check(role=role, polarity=polarity)
    now = timezone.now()
    batch = [
        citation
        for citation in citations
        if classification_changes(citation, role=role, polarity=polarity, by=by)
    ]
    changed = []
    for citation in batch:
        changed.append((citation, {"role": citation.role, "polarity": citation.polarity}))
        classification_apply(citation, role=role, polarity=polarity, by=by, now=now)
    with counts_kept(Q(pk__in=[citation.pk for citation in batch])):
        bulk_update_with_history(batch, Citation, CLASSIFICATION_FIELDS, default_user=by)
    suggestion_feedback_record(citations=changed, by=by, now=now)
    numbers_changed(paper_ids={citation.cited_id for citation in batch})
    return len(batch)


@transaction.atomic
def citations_accept_suggestions(*, citations: Iterable[Citation], by: User | None) -> int:
    """A curator accepts the suggestions of these citations: each label a person has not
    set yet takes its suggested value (whatever its confidence: the curator saw it), as a
    curator label with history. Returns how many citations changed."""
    now = timezone.now()
    changed = []
    for citation in citations:
        labels = {
            field: getattr(citation, f"suggested_{field}")
            for field in ("role", "polarity")
            if not getattr(citation, field) and getattr(citation, f"suggested_{field}")
        }
        if not labels or not classification_changes(citation, **_given(labels), by=by):
            continue
        changed.append((citation, {"role": citation.role, "polarity": citation.polarity}))
        classification_apply(citation, **_given(labels), by=by, now=now)
    batch = [citation for citation, _ in changed]
    with counts_kept(Q(pk__in=[citation.pk for citation in batch])):
        bulk_update_with_history(batch, Citation, CLASSIFICATION_FIELDS, default_user=by)
    suggestion_feedback_record(citations=changed, by=by, now=now)
    numbers_changed(paper_ids={citation.cited_id for citation in batch})
    return len(batch)


def _given(labels: dict) -> dict:
    return {"role": labels.get("role"), "polarity": labels.get("polarity")}


def _item_errors(item: Mapping, found: dict[int, Citation]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if item.get("id") not in found:
        errors["id"] = ["No such citation."]
    if item.get("role") is None and item.get("polarity") is None:
        errors["non_field_errors"] = ["Give a role, a polarity or both."]
    for field, choices in (("role", Role), ("polarity", Polarity)):
        if item.get(field) is not None:
            try:
                label_check(item[field], choices, field)
            except ValidationError as exc:
                errors[field] = exc.messages
    return errors


@transaction.atomic
def citations_classify_items(*, items: Sequence[Mapping], by: User | None) -> int:
    """Give each citation its own labels: items are {"id", "role"?, "polarity"?} (None or
    absent leaves a label as it is). All or nothing: any bad item raises ItemsInvalid
    listing every bad one by index, and nothing is written. Returns how many items."""
    found = Citation.objects.in_bulk([item.get("id") for item in items])
    bad = [
        {"index": index, "id": item.get("id"), "errors": errors}
        for index, item in enumerate(items)
        if (errors := _item_errors(item, found))
    ]
    if bad:
        raise ItemsInvalid(bad, what="classified")
    for item in items:
        citation_classify(
            citation=found[item["id"]],
            role=item.get("role"),
            polarity=item.get("polarity"),
            by=by,
        )
    return len(items)
