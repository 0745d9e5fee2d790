"""Writes on reviews, with optimistic concurrency (Review.version)."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from hubs.counts import counts_kept
from hubs.history import rows_delete
from hubs.models import (
    Paper,
    Review,
    Verdict,
)
from hubs.numbers_cache import numbers_changed, papers_cited_by
from hubs.services.rules import novelty_clean, review_summary_clean


class ReviewConflict(Exception):
    """Someone saved the review after the form being submitted was built."""

    def __init__(self, *, current: Review):
        self.current = current
        if current.pk is None:
            super().__init__(
                "This paper has no review yet (version 0), so there is no later version to "
                "save over. Your change was not saved; send version 0 to write the first one."
            )
            return
        # By the name they chose, never their email address: the message reaches the API.
        who = (current.curator and current.curator.name) or "Another curator"
        novelty = "none" if current.novelty is None else current.novelty
        super().__init__(
            f"{who} changed this review at {current.updated_at:%Y-%m-%d %H:%M} UTC, after you "
            f"opened it: verdict {current.verdict}, novelty {novelty}, summary "
            f"“{current.summary[:200]}”. Your change was not saved: start again from their values."
        )


@transaction.atomic
def reviews_delete(*, reviews: Iterable[Review]) -> int:
    """Delete reviews (a superuser's act in the admin), each delete recorded in its
    history, in as many queries for thirty as for three (hubs.history.rows_delete): their
    papers are unreviewed again, in the hubs' verdict counts too, and those hubs' pages go
    stale at once. The number deleted."""
    ids, paper_ids = set(), set()
    for review in reviews:
        ids.add(review.pk)
        paper_ids.add(review.paper_id)
    with counts_kept(Q(citing_id__in=paper_ids)):  # verdict and novelty
        deleted = rows_delete(Review.objects.filter(pk__in=ids))
    numbers_changed(paper_ids=papers_cited_by(paper_ids))
    return deleted


@transaction.atomic
def review_set(
    *,
    paper: Paper,
    verdict: str = Verdict.UNVERDICTED,
    novelty: Decimal | float | str | None = None,
    summary: str = "",
    by: User | None,
    expected_version: int | None = None,
) -> Review:
    """Set a paper's review (creating it on first use), recorded in history with `by`.

    With `expected_version` (the version the curator's form was built from), a review
    someone else saved in the meantime is not overwritten: ReviewConflict carries theirs.
    """
    if verdict not in Verdict.values:
        raise ValidationError(
            f"Unknown verdict {verdict!r}; expected one of {', '.join(Verdict.values)}."
        )
    novelty, summary = novelty_clean(novelty), review_summary_clean(summary)
    # The row lock makes check-then-write safe against a concurrent save.
    review = Review.objects.select_for_update().filter(paper=paper).first() or Review(paper=paper)
    if expected_version is not None and review.version != expected_version:
        raise ReviewConflict(current=review)
    review.verdict = verdict
    review.novelty = novelty
    review.summary = summary
    review.curator = by
    review.version += 1
    review._history_user = by
    with counts_kept(Q(citing=paper)):  # the verdict
        review.save()
    numbers_changed(paper_ids=papers_cited_by([paper.pk]))  # the verdict facet
    return review
