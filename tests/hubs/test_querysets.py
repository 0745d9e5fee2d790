"""The read layer's rules, tested directly: each is one queryset method or annotation."""

import pytest

from hubs.models import Citation, Paper
from tests.factories import CitationFactory, PaperFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_papers():
    """A paper nobody reviewed, one reviewed at the default verdict, one accepted."""
    return {
        "none": PaperFactory(),
        "default": ReviewFactory(verdict="unverdicted", summary="Read it.").paper,
        "accept": ReviewFactory(verdict="accept").paper,
    }


def test_with_review_annotates_unverdicted_where_no_review(three_papers):
    verdicts = {paper.pk: paper.verdict for paper in Paper.objects.with_review()}
    assert verdicts == {
        three_papers["none"].pk: "unverdicted",
        three_papers["default"].pk: "unverdicted",
        three_papers["accept"].pk: "accept",
    }


def test_of_verdict_unverdicted_includes_papers_never_reviewed(three_papers):
    assert set(Paper.objects.of_verdict("unverdicted")) == {
        three_papers["none"],
        three_papers["default"],
    }
    assert list(Paper.objects.of_verdict("accept")) == [three_papers["accept"]]


def test_with_citing_annotates_the_citing_papers_verdict(three_papers):
    for paper in three_papers.values():
        CitationFactory(citing=paper)
    verdicts = {c.citing_id: c.citing_verdict for c in Citation.objects.with_citing()}
    assert verdicts == {
        paper.pk: paper_verdict
        for paper, paper_verdict in [
            (three_papers["none"], "unverdicted"),
            (three_papers["default"], "unverdicted"),
            (three_papers["accept"], "accept"),
        ]
    }
    assert {c.citing for c in Citation.objects.citing_of_verdict("unverdicted")} == {
        three_papers["none"],
        three_papers["default"],
    }
