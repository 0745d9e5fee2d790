"""The database itself refuses records that break the data model's rules."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from hubs.models import Citation, Paper, Review
from tests.factories import CitationFactory, HubFactory, PaperFactory

pytestmark = pytest.mark.django_db


def assert_rejected(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_duplicate_citation_is_rejected():
    citation = CitationFactory()
    assert_rejected(lambda: Citation.objects.create(citing=citation.citing, cited=citation.cited))


def test_self_citation_is_rejected():
    paper = PaperFactory()
    assert_rejected(lambda: Citation.objects.create(citing=paper, cited=paper))


def test_refs_zero_is_rejected():
    assert_rejected(lambda: CitationFactory(refs=0))


def test_unknown_role_is_rejected():
    assert_rejected(lambda: CitationFactory(role="praises"))


def test_unknown_polarity_is_rejected():
    assert_rejected(lambda: CitationFactory(polarity="background"))


def test_unknown_classification_source_is_rejected():
    assert_rejected(lambda: CitationFactory(role="background", classification_source="oracle"))


def test_confidence_above_one_is_rejected():
    assert_rejected(lambda: CitationFactory(suggested_role="background", confidence=1.5))


@pytest.mark.parametrize("source", ["model", "import"])
def test_a_suggestion_source_is_no_curator_source(source):
    # Suggestions live in their own fields: the curator's source is "curator" or nothing.
    assert_rejected(lambda: CitationFactory(role="background", classification_source=source))


def test_unknown_suggestion_source_is_rejected():
    assert_rejected(
        lambda: CitationFactory(suggested_role="background", suggestion_source="oracle")
    )


def test_novelty_above_ten_is_rejected():
    paper = PaperFactory()
    assert_rejected(lambda: Review.objects.create(paper=paper, novelty=Decimal("10.1")))


def test_negative_novelty_is_rejected():
    paper = PaperFactory()
    assert_rejected(lambda: Review.objects.create(paper=paper, novelty=Decimal("-0.1")))


def test_novelty_bounds_are_accepted():
    assert Review.objects.create(paper=PaperFactory(), novelty=Decimal("10.0")).pk
    assert Review.objects.create(paper=PaperFactory(), novelty=Decimal("0.0")).pk


def test_unknown_verdict_is_rejected():
    assert_rejected(lambda: Review.objects.create(paper=PaperFactory(), verdict="maybe"))


def test_one_review_per_paper():
    review = Review.objects.create(paper=PaperFactory())
    assert_rejected(lambda: Review.objects.create(paper=review.paper))


def test_paper_without_any_identifier_is_rejected():
    assert_rejected(lambda: Paper.objects.create(title="Anonymous"))


def test_identifiers_are_unique():
    paper = PaperFactory(doi="10.1000/xyz")
    assert_rejected(lambda: PaperFactory(arxiv_id=paper.arxiv_id))
    assert_rejected(lambda: PaperFactory(doi="10.1000/xyz"))


def test_upper_case_doi_is_rejected():
    assert_rejected(lambda: PaperFactory(doi="10.1000/ABC"))


def test_papers_without_a_doi_do_not_collide():
    PaperFactory(doi=None)
    PaperFactory(doi=None)
    assert Paper.objects.filter(doi=None).count() == 2


def test_one_hub_per_paper_and_unique_slugs():
    hub = HubFactory()
    assert_rejected(lambda: HubFactory(paper=hub.paper))
    assert_rejected(lambda: HubFactory(slug=hub.slug))


def test_date_label_falls_back_to_year_and_month():
    paper = PaperFactory.build(arxiv_id="2510.00553", submitted=None, year=2025, month=10)
    assert paper.date_label == "2025-10"
