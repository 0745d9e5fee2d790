"""The database itself refuses records that break the data model's rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from hubs.identifiers import ID_FIELDS
from hubs.models import Citation, CitationContext, HubCount, Paper, Review
from tests.factories import CitationFactory, HubFactory, PaperFactory, ReviewFactory

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


@pytest.mark.parametrize("field", ID_FIELDS)
def test_each_identifier_names_one_paper(field):
    """Every kind of id, text or number, is unique over the papers that have it."""
    value = 123456 if field == "s2_corpus_id" else PaperFactory.build().arxiv_id
    PaperFactory(**{"arxiv_id": None, "doi": "10.1000/first", field: value})
    assert_rejected(lambda: PaperFactory(**{"arxiv_id": None, "doi": None, field: value}))


def test_a_duplicate_identifier_is_a_form_error_on_its_field():
    """As `unique=True` said it: the admin form shows the error beside the id."""
    PaperFactory(doi="10.1000/taken")
    paper = PaperFactory.build(doi="10.1000/taken")
    with pytest.raises(ValidationError) as raised:
        paper.full_clean()
    assert raised.value.message_dict["doi"] == ["Another paper already has this id."]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index kinds of PostgreSQL")
def test_no_index_is_kept_that_equality_look_ups_never_read():
    """Django's `unique=True` and `db_index=True` on a text column add a second,
    pattern-matching index on PostgreSQL: every row written pays for it and no query of
    the site reads it (ids are looked up by equality, the text search by trigrams). The
    tables that grow with a hub's citing papers have none."""
    growing = [Paper, Citation, CitationContext, Review, Citation.history.model, HubCount]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexdef LIKE '%%pattern_ops%%'",
            [[model._meta.db_table for model in growing]],
        )
        assert cursor.fetchall() == []


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
    paper = PaperFactory.build(arxiv_id="2510.00553", submitted=None)
    assert paper.date_label == "2025-10"


def stale_sort_keys() -> list:
    """Citations whose copied sort keys (hubs.paging) disagree with their citing paper's
    date and its review's novelty, worked out afresh."""
    from hubs.paging import MISSING_DATE, MISSING_NOVELTY

    stale = []
    for citation in Citation.objects.select_related("citing__review"):
        review = Review.objects.filter(paper=citation.citing).first()
        date = citation.citing.sort_date or MISSING_DATE
        novelty = MISSING_NOVELTY if review is None or review.novelty is None else review.novelty
        if (citation.citing_date_key, citation.citing_novelty_key) != (date, novelty):
            stale.append((citation.pk, citation.citing_date_key, citation.citing_novelty_key))
    return stale


def test_copied_sort_keys_follow_every_kind_of_write():

    from hubs import services

    citing = PaperFactory(submitted=datetime.date(2024, 5, 6))
    ReviewFactory(paper=citing, novelty=Decimal("4.5"))
    citation = CitationFactory(citing=citing)  # a new citation of a reviewed paper
    loaded = Citation.objects.get(pk=citation.pk)  # a copy held while others write
    assert stale_sort_keys() == []
    services.review_set(paper=citing, verdict="accept", novelty="8.0", by=None)
    assert stale_sort_keys() == []
    services.paper_update(paper=citing, changes={"submitted": datetime.date(2020, 1, 2)})
    assert stale_sort_keys() == []
    loaded.refs = 3
    loaded.save()  # a full save of a citation loaded before both changes
    assert stale_sort_keys() == []
    # A bulk write, no service (the year goes with the date: paper_sort_date_in_year).
    Paper.objects.filter(pk=citing.pk).update(sort_date=None, year=None, month=None)
    Review.objects.filter(paper=citing).update(novelty=None)
    assert stale_sort_keys() == []
    Review.objects.filter(paper=citing).update(novelty=Decimal("2.0"))
    assert stale_sort_keys() == []
    Review.objects.filter(paper=citing).delete()
    assert stale_sort_keys() == []
    others = Paper.objects.bulk_create(
        [
            Paper(
                doi=f"10.1000/bulk.{n}",
                title="t",
                year=2022,
                sort_date=datetime.date(2022, 1, n + 1),
            )
            for n in range(3)
        ]
    )
    Review.objects.bulk_create(
        [Review(paper=paper, novelty=Decimal(n)) for n, paper in enumerate(others)]
    )
    Citation.objects.bulk_create(
        [Citation(citing=paper, cited=citation.cited) for paper in others]
    )
    assert stale_sort_keys() == []
    Citation.objects.filter(cited=citation.cited).update(citing_date_key=datetime.date(1999, 9, 9))
    assert stale_sort_keys() == []  # nobody can set the copies by hand either


@pytest.mark.parametrize(
    "dates",
    [
        {"year": 2024, "sort_date": None},
        {"year": None, "sort_date": datetime.date(2024, 1, 1)},
        {"year": 2024, "sort_date": datetime.date(2023, 12, 31)},
    ],
)
def test_a_sort_date_outside_its_year_is_refused(dates):
    """A hub's year filter reads the citation's copy of the sort date (hubs.filters): a
    paper whose date and year disagree would be filtered into the wrong year."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(doi="10.1000/dates", title="t", **dates)


def test_the_factories_and_services_date_papers_by_the_one_rule():
    from hubs.services.rules import paper_dates, paper_sort_date

    assert paper_sort_date(submitted=None, year=2024, month=None) == datetime.date(2024, 1, 1)
    assert paper_sort_date(submitted=None, year=2024, month=6) == datetime.date(2024, 6, 1)
    assert paper_dates(submitted=None, arxiv_id=None, year=1999)["sort_date"] == (
        datetime.date(1999, 1, 1)
    )
    paper = PaperFactory(year=2021)
    assert paper.sort_date == datetime.date(2021, 1, 1)
