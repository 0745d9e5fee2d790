"""hubs/services/reviews.py: a curator's review of a paper."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hubs import services
from hubs.models import Review
from hubs.vocab import Verdict
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


class TestReviewSet:
    def test_creates_then_updates_with_history(self, curator):
        paper = PaperFactory()
        services.review_set(
            paper=paper, verdict=Verdict.ACCEPT, novelty="6.5", summary="Good.", by=curator
        )
        review = services.review_set(paper=paper, verdict=Verdict.REJECT, novelty=3, by=curator)
        assert Review.objects.get(paper=paper) == review
        assert (review.verdict, review.novelty) == ("reject", Decimal("3.0"))
        assert [record.verdict for record in review.history.order_by("history_date")] == [
            "accept",
            "reject",
        ]
        assert review.history.latest().history_user == curator

    @pytest.mark.parametrize(
        ("novelty", "message"),
        [
            ("11", "between 0.0 and 10.0"),
            ("10.1", "between 0.0 and 10.0"),
            ("5.55", "one decimal"),
            ("x", "not a number"),
        ],
    )
    def test_rejects_bad_novelty(self, curator, novelty, message):
        with pytest.raises(ValidationError, match=message):
            services.review_set(paper=PaperFactory(), novelty=novelty, by=curator)

    def test_rejects_unknown_verdict(self, curator):
        with pytest.raises(ValidationError, match="Unknown verdict"):
            services.review_set(paper=PaperFactory(), verdict="maybe", by=curator)
