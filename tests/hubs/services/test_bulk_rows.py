"""The bulk services' writes are set-based: a batch costs the same statements whatever its
size, on PostgreSQL and SQLite, and leaves the same rows (history included) as before."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hubs import services
from hubs.models import Citation, Paper
from hubs.services import CitationRecord, PaperRecord, ReviewRecord
from hubs.services.bulk.rows import Blank, insert_many
from hubs.vocab import ClassificationSource, Polarity, Role
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


def _queries(write) -> int:
    with CaptureQueriesContext(connection) as captured:
        write()
    return len(captured)


def _citations(cited, first: int, count: int, **label) -> list[CitationRecord]:
    return [
        CitationRecord(
            citing={"doi": f"10.5555/rows.{number}"},
            cited={"doi": cited.doi},
            refs=2,
            contexts=[(f"Sentence {number}.", "Intro"), (f"Another {number}.", "")],
            **label,
        )
        for number in range(first, first + count)
    ]


def _papers(first: int, count: int) -> list[PaperRecord]:
    return [
        PaperRecord(doi=f"10.5555/rows.{number}", title=f"Paper {number}", authors=["A B"])
        for number in range(first, first + count)
    ]


def test_a_batch_costs_the_same_queries_at_5_and_at_600_records():
    cited = PaperFactory(doi="10.5555/rows.hub")
    label = {"role": Role.BACKGROUND, "source": ClassificationSource.IMPORT, "confidence": 0.9}
    counts = []
    for first, count in ((0, 5), (1000, 600)):
        counts.append(
            (
                _queries(
                    lambda f=first, c=count: services.papers_upsert_bulk(records=_papers(f, c))
                ),
                _queries(
                    lambda f=first, c=count: services.citations_add_bulk(
                        records=_citations(cited, f, c, **label)
                    )
                ),
            )
        )
    assert counts[0] == counts[1]
    assert Citation.objects.filter(cited=cited).count() == 605


def test_changed_rows_and_their_history_at_5_and_at_600_records():
    # Suggestions are stored without history; a curator-grade label from a data load (the
    # Athar corpus's polarity) is a change of what the citation says, recorded in history.
    cited = PaperFactory(doi="10.5555/rows.hub")
    services.papers_upsert_bulk(records=_papers(0, 5) + _papers(1000, 600))
    model = {"role": Role.USES_METHOD, "source": ClassificationSource.MODEL, "confidence": 0.95}
    services.citations_add_bulk(records=_citations(cited, 0, 5, **model))
    services.citations_add_bulk(records=_citations(cited, 1000, 600, **model))
    curated = {"polarity": Polarity.NEUTRAL, "source": ClassificationSource.CURATOR}
    small = _queries(
        lambda: services.citations_add_bulk(records=_citations(cited, 0, 5, **curated))
    )
    big = _queries(
        lambda: services.citations_add_bulk(records=_citations(cited, 1000, 600, **curated))
    )
    assert small == big
    citation = Citation.objects.get(citing__doi="10.5555/rows.1000")
    assert (citation.polarity, citation.classification_source) == (Polarity.NEUTRAL, "curator")
    assert (citation.suggested_role, citation.suggested_role_source) == (Role.USES_METHOD, "model")
    trail = list(citation.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.role, h.polarity, h.classification_source) for h in trail] == [
        ("~", "", Polarity.NEUTRAL, "curator"),
    ]
    assert trail[-1].refs == 2 and trail[-1].citing_id == citation.citing_id


def test_new_reviews_get_their_creation_record():
    paper = PaperFactory(doi="10.5555/rows.reviewed")
    result = services.reviews_add_bulk(
        records=[ReviewRecord(paper={"doi": paper.doi}, verdict="accept", novelty="7.5")],
        by=None,
    )
    assert [outcome.status for outcome in result.outcomes] == ["created"]
    review = paper.review
    assert [(h.history_type, h.verdict, str(h.novelty)) for h in review.history.all()] == [
        ("+", "accept", "7.5")
    ]


def test_blank_instances_do_not_share_mutable_defaults():
    blank = Blank(Paper)
    first, second = blank(title="One"), blank(title="Two")
    first.authors.append("Ada Lovelace")
    assert second.authors == [] and blank().categories == []
    assert first._state.adding and first.pk is None


def _stored(paper_ids, *columns) -> list[tuple]:
    """The columns as the database holds them, as text (jsonb's text on PostgreSQL)."""
    quote = connection.ops.quote_name
    text = "::text" if connection.vendor == "postgresql" else ""
    selected = ", ".join(f"{quote(column)}{text}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {quote(Paper._meta.db_table)} WHERE id IN "
            f"({', '.join(['%s'] * len(paper_ids))}) ORDER BY doi",
            list(paper_ids),
        )
        return cursor.fetchall()


def test_bulk_rows_store_each_value_as_the_orm_does():
    """JSON (non-ASCII names, empty lists), dates and NULLs: a paper written by insert_many
    holds the very same column values as one saved by the ORM."""
    values = {
        "title": "Same bytes",
        "authors": ["Aurélie Névéol", 'Ada "Q" Lovelace', "李 明"],
        "categories": ["cs.CL", "cs.LG"],
        "edited_fields": [],
        "submitted": datetime.date(2024, 2, 29),
        "year": 2024,
        "month": 2,
        "sort_date": datetime.date(2024, 2, 29),
    }
    saved = Paper.objects.create(doi="10.5555/same.orm", **values)
    bare = Paper.objects.create(doi="10.5555/same.orm-bare", title="No dates")
    insert_many(
        [
            Blank(Paper)(doi="10.5555/same.rows", **values),
            Blank(Paper)(doi="10.5555/same.rows-bare", title="No dates"),
        ]
    )
    written = Paper.objects.filter(doi__startswith="10.5555/same.rows").order_by("doi")
    columns = ["title", "authors", "categories", "edited_fields", "submitted", "sort_date"]
    assert _stored([p.pk for p in written], *columns) == _stored([saved.pk, bare.pk], *columns)
    assert written[0].authors == values["authors"]


def test_any_of_finds_what_in_finds_with_one_parameter_on_postgresql():
    papers = PaperFactory.create_batch(4, year=2020)  # known by DOIs
    citing = PaperFactory()
    for paper in papers[:3]:
        Citation.objects.create(citing=citing, cited=paper)
    asked = [papers[0].doi, papers[2].doi, "10.5555/not.here", None]
    for field, values in [("doi", asked), ("pk", [papers[1].pk, 0]), ("doi", [])]:
        found = Paper.objects.filter(**{f"{field}__any_of": values}).order_by("pk")
        assert list(found) == list(Paper.objects.filter(**{f"{field}__in": values}).order_by("pk"))
    cited = Citation.objects.filter(cited_id__any_of={papers[0].pk, papers[1].pk})
    assert sorted(cited.values_list("cited_id", flat=True)) == [papers[0].pk, papers[1].pk]
    many = [f"10.5555/many.{number}" for number in range(3000)] + [papers[3].doi]
    with CaptureQueriesContext(connection) as captured:
        assert list(Paper.objects.filter(doi__any_of=many)) == [papers[3]]
    if connection.vendor == "postgresql":
        assert "= ANY(" in captured[0]["sql"] and captured[0]["sql"].count("%s") <= 1


def test_any_of_takes_values_not_a_query():
    with pytest.raises(TypeError, match="any_of takes values"):
        list(Paper.objects.filter(pk__any_of=Paper.objects.values("pk")))
