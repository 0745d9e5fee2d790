"""tests/factories.py: the factories make only states the services make, so a test built on
them cannot pass on a row the site would never hold."""

import datetime

import pytest
from django.utils import timezone

from hubs import services
from hubs.models import SUGGESTION_FIELDS, Citation, Paper
from hubs.querysets import threshold_for
from hubs.services.rules import suggestion_apply
from hubs.vocab import ClassificationSource, Polarity, Role, Verdict
from tests.factories import (
    FAKE_MODEL_VERSION,
    CitationFactory,
    CuratorFactory,
    PaperFactory,
    ReviewFactory,
    hub_with_citing_papers,
)

pytestmark = pytest.mark.django_db

LABEL_STATE = ("role", "polarity", "classification_source", *SUGGESTION_FIELDS[:-1])


def state(citation: Citation) -> dict:
    citation.refresh_from_db()
    return {
        **{field: getattr(citation, field) for field in LABEL_STATE},
        "has_curator": citation.classified_by_id is not None,
        "has_time": citation.classified_at is not None,
        "has_suggestion_time": citation.suggested_at is not None,
    }


def classified_by_the_service(**labels) -> Citation:
    citation = CitationFactory()
    services.citation_classify(citation=citation, **labels, by=CuratorFactory(mfa=False))
    return citation


@pytest.mark.parametrize(
    "labels",
    [
        {"role": Role.BACKGROUND},
        {"polarity": Polarity.CONTRASTING},
        {"role": Role.USES_DATA, "polarity": Polarity.SUPPORTING},
    ],
)
def test_a_labelled_citation_is_what_the_service_leaves(labels):
    assert state(CitationFactory(**labels)) == state(classified_by_the_service(**labels))


@pytest.mark.parametrize(
    ("labels", "source"),
    [
        ({"suggested_role": Role.BUILDS_ON}, ClassificationSource.MODEL),
        ({"suggested_polarity": Polarity.NEUTRAL}, ClassificationSource.IMPORT),
        (
            {"suggested_role": Role.USES_DATA, "suggested_polarity": Polarity.SUPPORTING},
            ClassificationSource.MODEL,
        ),
    ],
)
def test_a_suggested_citation_is_what_suggestion_apply_leaves(labels, source):
    made = CitationFactory(**labels, suggestion_source=source, confidence=0.91)
    citation = CitationFactory()
    for key, value in labels.items():
        suggestion_apply(
            citation,
            field=key.removeprefix("suggested_"),
            value=value,
            confidence=0.91,
            source=source,
            version=FAKE_MODEL_VERSION,
            now=timezone.now(),
        )
    citation.save()
    assert state(made) == state(citation)


def test_a_suggestion_has_a_confidence_above_every_threshold():
    citation = CitationFactory(suggested_role=Role.BACKGROUND, suggested_polarity="supporting")
    assert citation.suggested_role_confidence >= max(
        threshold_for(value) for value in (*Role.values, *Polarity.values)
    )
    assert Citation.objects.classified().get() == citation


def test_an_unlabelled_citation_has_no_source():
    made = state(CitationFactory())
    assert made["classification_source"] == made["suggested_role_source"] == ""
    assert (made["role"], made["suggested_role"], made["suggested_role_confidence"]) == (
        "",
        "",
        None,
    )
    assert not (made["has_curator"] or made["has_time"] or made["has_suggestion_time"])


def test_reviews_use_the_verdict_vocabulary():
    assert ReviewFactory().verdict == Verdict.UNVERDICTED
    assert ReviewFactory(paper=PaperFactory()).verdict in Verdict.values


def test_the_big_hubs_curator_labels_carry_their_curator_and_time():
    hub = hub_with_citing_papers(9)
    labelled = Citation.objects.of_paper(hub.paper).exclude(role="", polarity="")
    assert labelled.count() == 3
    assert not labelled.filter(classified_by=None).exists()
    assert not labelled.filter(classified_at=None).exists()
    assert set(labelled.values_list("classification_source", flat=True)) == {"curator"}


def dates_of(paper: Paper) -> tuple:
    return paper.year, paper.month, paper.sort_date


def dated_by_the_services(**given) -> tuple:
    """What papers_upsert_bulk stores for a source's record giving these dates."""
    ids = (
        {"arxiv_id": given.get("arxiv_id")}
        if given.get("arxiv_id")
        else {"doi": "10.1000/services"}
    )
    services.papers_upsert_bulk(
        records=[
            services.PaperRecord(
                **ids, title="t", submitted=given.get("submitted"), year=given.get("year")
            )
        ]
    )
    return dates_of(Paper.objects.get(title="t"))


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"year": 2021},
        {"year": 1999},
        {"submitted": datetime.date(2019, 4, 5)},
        {"submitted": datetime.date(2019, 4, 5), "year": 2019},
        {"arxiv_id": "2403.00001", "submitted": None},
        {"arxiv_id": "2403.00001", "submitted": None, "year": 2024},
    ],
)
def test_a_paper_is_dated_from_what_the_caller_gives_as_the_services_date_it(given):
    """Year, month and sort date follow hubs.services.rules from whichever of year,
    submission date and arXiv id a test gives, the others filled to agree."""
    paper = PaperFactory(**given)
    paper.refresh_from_db()
    source = {"arxiv_id": paper.arxiv_id, "submitted": paper.submitted, **given}
    assert dates_of(paper) == dated_by_the_services(**source)


def test_a_year_and_month_alone_date_a_paper_to_the_first_of_that_month():
    paper = PaperFactory(year=2021, month=6)
    assert (paper.arxiv_id, paper.submitted) == (None, None)
    assert dates_of(paper) == (2021, 6, datetime.date(2021, 6, 1))


def test_a_year_of_none_is_an_undated_paper():
    assert dates_of(PaperFactory(year=None)) == (None, None, None)


@pytest.mark.parametrize(
    "given",
    [
        {"year": 2021, "submitted": datetime.date(2024, 5, 6)},
        {"year": 2021, "arxiv_id": "2403.00001", "submitted": None},
        {"sort_date": datetime.date(2020, 1, 1)},
    ],
)
def test_dates_that_disagree_are_refused_not_stored(given):
    with pytest.raises(ValueError, match="PaperFactory"):
        PaperFactory(**given)
