"""hubs/selectors/papers.py: a paper's page and the papers citing it."""

import datetime
from decimal import Decimal

import pytest

from hubs.filters import InvalidSort
from hubs.paging import InvalidCursor
from hubs.selectors import (
    latest_reviewed_papers,
    paper_citing_count,
    paper_citing_page,
    paper_hub_references,
    published_hub_of,
)
from hubs.vocab import Role, Verdict
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


class TestPaperCitingPage:
    def test_newest_first_in_pages(self):
        cited = PaperFactory()
        for day in range(1, 6):
            date = datetime.date(2025, 3, day)
            CitationFactory(cited=cited, citing=PaperFactory(submitted=date))
        first = paper_citing_page(cited, {}, page_size=3)
        assert first.sort == "newest"
        dates = [row.citing.sort_date.day for row in first.page.rows]
        assert dates == [5, 4, 3]
        second = paper_citing_page(cited, {"cursor": first.page.next_cursor}, page_size=3)
        assert [row.citing.sort_date.day for row in second.page.rows] == [2, 1]
        assert second.page.next_cursor is None
        assert paper_citing_count(cited) == second.matching == 5

    def test_rows_carry_the_review_and_whether_labels_count(self):
        cited = PaperFactory()
        citation = CitationFactory(cited=cited, role=Role.BACKGROUND)
        ReviewFactory(paper=citation.citing, verdict=Verdict.ACCEPT)
        (row,) = paper_citing_page(cited, {}).page.rows
        assert row.is_classified
        assert row.citing.review.verdict == Verdict.ACCEPT

    def test_a_malformed_cursor_is_refused(self):
        with pytest.raises(InvalidCursor):
            paper_citing_page(PaperFactory(), {"cursor": "not-a-cursor"}, page_size=3)

    def test_an_unknown_sort_is_refused(self):
        with pytest.raises(InvalidSort, match="Unknown sort “bogus”"):
            paper_citing_page(PaperFactory(), {"sort": "bogus"})


class TestPaperHubReferences:
    def test_only_published_hubs_with_their_contexts(self):
        citing = PaperFactory()
        public, draft = HubFactory(), HubFactory(is_published=False)
        shown = CitationFactory(citing=citing, cited=public.paper)
        CitationFactory(citing=citing, cited=draft.paper)
        CitationContextFactory(citation=shown, text="We follow the survey.")
        (row,) = paper_hub_references(citing)
        assert row == shown
        assert [context.text for context in row.contexts.all()] == ["We follow the survey."]

    def test_published_hub_of(self):
        public, draft = HubFactory(), HubFactory(is_published=False)
        assert published_hub_of(public.paper) == public
        assert published_hub_of(draft.paper) is None
        assert published_hub_of(PaperFactory()) is None


def test_latest_reviewed_papers_skip_empty_reviews():
    ReviewFactory()  # unverdicted, no novelty, no summary: nothing written yet
    written = ReviewFactory(verdict=Verdict.REJECT, summary="Flawed.")
    assert latest_reviewed_papers() == [written.paper]


def test_latest_reviewed_papers_are_the_verdicted_ones_newest_first():
    """ "Reviewed" is the read layer's rule (hubs.querysets.unverdicted_q) turned round: a
    paper a curator has given a verdict. A summary or a novelty at the default verdict is
    work in progress, and the home page listed it under "Latest reviewed papers"."""
    PaperFactory()  # never reviewed
    ReviewFactory(novelty=Decimal("6.0"), summary="Promising.")  # still unverdicted
    accepted = ReviewFactory(verdict=Verdict.ACCEPT)  # a verdict alone is a review
    uncertain = ReviewFactory(verdict=Verdict.UNCERTAIN, summary="Hard to tell.")
    assert latest_reviewed_papers() == [uncertain.paper, accepted.paper]
    assert all(paper.verdict != Verdict.UNVERDICTED for paper in latest_reviewed_papers())
