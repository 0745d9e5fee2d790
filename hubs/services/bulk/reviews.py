"""Many reviews at once: only for papers nobody has reviewed."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from hubs.counts import counts_kept
from hubs.models import Review, Verdict
from hubs.numbers_cache import numbers_changed, papers_cited_by
from hubs.services.bulk.records import (
    BulkResult,
    Outcome,
    ReviewRecord,
    normalised_ids,
    reason,
)
from hubs.services.bulk.rows import (
    history_many,
    insert_returning,
    one_bulk_write_at_a_time,
    paper_pks,
    resolve,
)
from hubs.services.left_alone import REVIEW
from hubs.services.rules import novelty_clean, review_summary_clean


def _values(record: ReviewRecord) -> tuple:
    return record.verdict, novelty_clean(record.novelty), review_summary_clean(record.summary)


@one_bulk_write_at_a_time
def reviews_add_bulk(*, records: Sequence[ReviewRecord], by: User | None) -> BulkResult:
    """Add reviews to papers that have none; an existing review is never changed (the
    result's left_alone counts those that differ from the record)."""
    identities = []
    for record in records:
        try:
            novelty_clean(record.novelty)
            review_summary_clean(record.summary)
            if record.verdict not in Verdict.values:
                raise ValidationError(f"Unknown verdict {record.verdict!r}.")
            identities.append(normalised_ids(record.paper))
        except (ValueError, ValidationError) as exc:
            identities.append(reason(exc))
    pks = paper_pks(ids for ids in identities if isinstance(ids, dict))
    reviewed = {
        paper_id: (verdict, novelty, summary)
        for paper_id, verdict, novelty, summary in Review.objects.filter(
            paper_id__any_of=set(pks.values())
        ).values_list("paper_id", "verdict", "novelty", "summary")
    }
    result, fresh = BulkResult(outcomes=[]), []
    for record, ids in zip(records, identities, strict=True):
        if isinstance(ids, str):
            result.outcomes.append(Outcome("invalid", ids))
        elif (pk := resolve(ids, pks)) is None:
            result.outcomes.append(Outcome("skipped", "paper not in the site"))
        elif pk in reviewed:
            # Written by nobody but the source, or by a curator since: either way it stays.
            result.outcomes.append(Outcome("unchanged"))
            if reviewed[pk] != _values(record):
                result.left_alone[REVIEW] += 1
        else:
            reviewed[pk] = _values(record)
            verdict, novelty, summary = reviewed[pk]
            review = Review(
                paper_id=pk, verdict=verdict, novelty=novelty, summary=summary, curator=by
            )
            fresh.append(review)
            result.outcomes.append(Outcome("created"))
    if fresh:
        by_paper = {review.paper_id: review for review in fresh}
        with counts_kept(Q(citing_id__any_of=list(by_paper))):  # verdicts
            for (paper_id,), pk in insert_returning(fresh, unique=["paper"]).items():
                by_paper[paper_id].pk = pk
        history_many(fresh, update=False, by=by, now=timezone.now())
        numbers_changed(paper_ids=papers_cited_by(review.paper_id for review in fresh))
    return result
