"""Many reviews at once: only for papers nobody has reviewed."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from hubs.models import Review, Verdict
from hubs.numbers_cache import numbers_changed, papers_cited_by
from hubs.services.bulk.records import (
    BulkResult,
    Outcome,
    ReviewRecord,
    normalised_ids,
    reason,
)
from hubs.services.bulk.rows import paper_pks, resolve
from hubs.services.rules import novelty_clean


@transaction.atomic
def reviews_add_bulk(*, records: Sequence[ReviewRecord], by: User | None) -> BulkResult:
    """Add reviews to papers that have none; an existing review (a curator's) is left alone."""
    identities = []
    for record in records:
        try:
            novelty_clean(record.novelty)
            if record.verdict not in Verdict.values:
                raise ValidationError(f"Unknown verdict {record.verdict!r}.")
            identities.append(normalised_ids(record.paper))
        except (ValueError, ValidationError) as exc:
            identities.append(reason(exc))
    pks = paper_pks(ids for ids in identities if isinstance(ids, dict))
    reviewed = set(
        Review.objects.filter(paper_id__in=set(pks.values())).values_list("paper_id", flat=True)
    )
    result, fresh = BulkResult(outcomes=[]), []
    for record, ids in zip(records, identities, strict=True):
        if isinstance(ids, str):
            result.outcomes.append(Outcome("invalid", ids))
        elif (pk := resolve(ids, pks)) is None:
            result.outcomes.append(Outcome("skipped", "paper not in the site"))
        elif pk in reviewed:
            result.outcomes.append(Outcome("unchanged"))
        else:
            reviewed.add(pk)
            fresh.append(
                Review(
                    paper_id=pk,
                    verdict=record.verdict,
                    novelty=novelty_clean(record.novelty),
                    summary=record.summary.strip(),
                    curator=by,
                )
            )
            result.outcomes.append(Outcome("created"))
    if fresh:
        bulk_create_with_history(fresh, Review, default_user=by)
        numbers_changed(paper_ids=papers_cited_by(review.paper_id for review in fresh))
    return result
