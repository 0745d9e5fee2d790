"""The bulk write services the importers use: the rules of paper_upsert and citation_add,
kept in bulk."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hubs import services
from hubs.models import Citation, CitationContext, Paper, Review
from hubs.services import CitationRecord, PaperRecord, ReviewRecord
from hubs.services.bulk.records import normalised_ids, reason
from hubs.services.left_alone import LABEL
from hubs.vocab import ClassificationSource, Role, Verdict
from tests.factories import CitationFactory, PaperFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def statuses(result):
    return [outcome.status for outcome in result.outcomes]


class TestPapersUpsertBulk:
    def test_matches_by_arxiv_id_then_doi_and_adds_missing_ids(self):
        paper = PaperFactory(arxiv_id="2509.08827", doi=None)
        result = services.papers_upsert_bulk(
            records=[PaperRecord(arxiv_id="arXiv:2509.08827v2", doi="10.1000/ABC", title="T")]
        )
        assert statuses(result) == ["updated"]
        paper.refresh_from_db()
        assert (paper.doi, paper.arxiv_version, paper.title) == ("10.1000/abc", 2, "T")

    def test_an_existing_id_is_never_replaced(self):
        paper = PaperFactory(arxiv_id="2509.08827", doi="10.1000/journal")
        services.papers_upsert_bulk(
            records=[PaperRecord(arxiv_id="2509.08827", doi="10.1000/other", title="T")]
        )
        paper.refresh_from_db()
        assert paper.doi == "10.1000/journal"

    def test_ids_naming_two_papers_are_refused(self):
        PaperFactory(arxiv_id="2509.08827", doi=None)
        PaperFactory(arxiv_id=None, doi="10.1000/abc")
        result = services.papers_upsert_bulk(
            records=[PaperRecord(arxiv_id="2509.08827", doi="10.1000/abc", title="T")]
        )
        assert result.outcomes[0].status == "invalid"
        assert "two different papers" in result.outcomes[0].reason

    def test_the_same_paper_twice_in_a_batch_is_one_row(self):
        result = services.papers_upsert_bulk(
            records=[
                PaperRecord(doi="10.1000/abc", title="First"),
                PaperRecord(doi="10.1000/ABC", arxiv_id="2509.08827", title="Second"),
            ]
        )
        assert statuses(result) == ["created", "updated"]
        paper = Paper.objects.get()
        assert (paper.title, paper.arxiv_id) == ("Second", "2509.08827")

    def test_what_a_record_does_not_say_is_kept(self):
        paper = PaperFactory(doi="10.1000/abc", abstract="Kept.", authors=["A. Author"])
        result = services.papers_upsert_bulk(records=[PaperRecord(doi="10.1000/abc")])
        assert statuses(result) == ["unchanged"]
        paper.refresh_from_db()
        assert (paper.abstract, paper.authors) == ("Kept.", ["A. Author"])

    def test_dates_from_submission_then_arxiv_id_then_year(self):
        services.papers_upsert_bulk(
            records=[
                PaperRecord(doi="10.1000/a", title="A", submitted=datetime.date(2020, 5, 6)),
                PaperRecord(arxiv_id="2509.08827", title="B", year=2001),
                PaperRecord(acl_id="P02-1040", title="C", year=2002),
            ]
        )
        dates = {
            paper.title: (paper.year, paper.month, paper.sort_date)
            for paper in Paper.objects.all()
        }
        assert dates == {
            "A": (2020, 5, datetime.date(2020, 5, 6)),
            "B": (2025, 9, datetime.date(2025, 9, 1)),
            "C": (2002, None, datetime.date(2002, 1, 1)),
        }

    def test_bad_records_do_not_sink_the_batch(self):
        result = services.papers_upsert_bulk(
            records=[
                PaperRecord(title="No ids"),
                PaperRecord(doi="10.1000/a"),
                PaperRecord(arxiv_id="2513.00001", title="Month 13"),
                PaperRecord(doi="10.1000/b", title="Fine"),
            ]
        )
        assert statuses(result) == ["invalid", "invalid", "invalid", "created"]

    def test_a_partial_record_never_creates(self):
        result = services.papers_upsert_bulk(
            records=[PaperRecord(s2_corpus_id=1, abstract="A.", create=False)]
        )
        assert statuses(result) == ["skipped"]
        assert not Paper.objects.exists()


class TestCitationsAddBulk:
    @pytest.fixture
    def cited(self):
        return PaperFactory(arxiv_id="2509.08827")

    @pytest.fixture
    def citing(self):
        return PaperFactory(arxiv_id="2510.00001")

    def record(self, **fields):
        return CitationRecord(
            citing={"arxiv_id": "2510.00001"}, cited={"arxiv_id": "2509.08827"}, **fields
        )

    def test_creates_with_contexts_refs_and_a_suggested_label(self, cited, citing):
        result = services.citations_add_bulk(
            records=[
                self.record(
                    refs=2,
                    contexts=[("First.", "1 Intro"), ("Second.", ""), ("First.", "1 Intro")],
                    role=Role.BACKGROUND,
                    confidence=0.9,
                )
            ]
        )
        assert statuses(result) == ["created"]
        citation = Citation.objects.get()
        assert (citation.refs, citation.role, citation.classification_source) == (2, "", "")
        assert (
            citation.suggested_role,
            citation.suggested_role_confidence,
            citation.suggested_role_source,
        ) == ("background", 0.9, "import")
        assert list(citation.contexts.values_list("text", "section", "position")) == [
            ("First.", "1 Intro", 0),
            ("Second.", "", 1),
        ]

    def test_a_curator_grade_label_starts_its_history_a_suggestion_does_not(self, cited, citing):
        other = PaperFactory(arxiv_id="2510.00002")
        services.citations_add_bulk(
            records=[
                self.record(role=Role.BACKGROUND, source=ClassificationSource.CURATOR),
                CitationRecord(
                    citing={"arxiv_id": other.arxiv_id},
                    cited={"arxiv_id": cited.arxiv_id},
                    role=Role.BACKGROUND,
                    confidence=0.9,
                ),
            ]
        )
        labelled = Citation.objects.get(citing=citing)
        assert [record.role for record in labelled.history.all()] == ["background"]
        assert Citation.objects.get(citing=other).suggested_role == "background"
        assert not Citation.objects.get(citing=other).history.exists()

    def test_an_import_replaces_a_model_suggestion_without_history(self, cited, citing):
        citation = CitationFactory(
            citing=citing, cited=cited, suggested_role=Role.BACKGROUND, confidence=0.5
        )
        records_before = citation.history.count()
        result = services.citations_add_bulk(
            records=[self.record(role=Role.USES_METHOD, confidence=0.9)]
        )
        assert result.labels == {"updated": 1}
        citation.refresh_from_db()
        assert (citation.suggested_role, citation.suggested_role_source) == (
            "uses_method",
            "import",
        )
        assert (citation.role, citation.classification_source) == ("", "")
        assert citation.history.count() == records_before

    def test_a_model_record_never_replaces_an_import_suggestion(self, cited, citing):
        citation = CitationFactory(
            citing=citing, cited=cited, suggested_role=Role.BACKGROUND,
            suggestion_source=ClassificationSource.IMPORT,
        )  # fmt: skip
        result = services.citations_add_bulk(
            records=[
                self.record(
                    role=Role.USES_METHOD, source=ClassificationSource.MODEL, confidence=0.99
                )
            ]
        )
        assert result.labels == {"skipped": 1}
        citation.refresh_from_db()
        assert (citation.suggested_role, citation.suggested_role_source) == (
            "background",
            "import",
        )

    def test_a_curator_label_is_never_touched(self, cited, citing, curator):
        citation = Citation.objects.create(citing=citing, cited=cited)
        services.citation_classify(citation=citation, role=Role.BUILDS_ON, by=curator)
        for source in (ClassificationSource.IMPORT, ClassificationSource.CURATOR):
            result = services.citations_add_bulk(
                records=[self.record(role=Role.BACKGROUND, source=source, confidence=0.9)]
            )
            assert result.labels == {"skipped": 1}
            assert result.left_alone == {LABEL: 1}
        citation = Citation.objects.with_public_labels().get(pk=citation.pk)
        assert (citation.role, citation.classified_by) == ("builds_on", curator)
        assert (citation.suggested_role, citation.public_role) == ("", "builds_on")

    def test_given_contexts_replace_the_old_ones(self, cited, citing):
        services.citations_add_bulk(records=[self.record(contexts=[("Old.", "")])])
        services.citations_add_bulk(records=[self.record(contexts=[("New.", "2")])])
        assert list(CitationContext.objects.values_list("text", flat=True)) == ["New."]

    def test_ends_not_in_the_site_and_self_citations(self, cited):
        result = services.citations_add_bulk(
            records=[
                self.record(),
                CitationRecord(
                    citing={"arxiv_id": "2509.08827"}, cited={"arxiv_id": "2509.08827"}
                ),
                self.record(role="no-such-role"),
            ]
        )
        assert [tuple(outcome) for outcome in result.outcomes] == [
            ("skipped", "citing paper not in the site"),
            ("invalid", "a paper cannot cite itself"),
            (
                "invalid",
                "Unknown role 'no-such-role'; expected one of background, builds_on, "
                "uses_method, uses_data, compares_with or empty.",
            ),
        ]


class TestReviewsAddBulk:
    def test_adds_reviews_and_leaves_a_curators_alone(self):
        reviewed = ReviewFactory(verdict=Verdict.REJECT, summary="A curator's.").paper
        fresh = PaperFactory()
        result = services.reviews_add_bulk(
            records=[
                ReviewRecord(paper={"arxiv_id": reviewed.arxiv_id}, verdict=Verdict.ACCEPT),
                ReviewRecord(
                    paper={"arxiv_id": fresh.arxiv_id}, verdict=Verdict.ACCEPT, novelty="7.5"
                ),
            ],
            by=None,
        )
        assert statuses(result) == ["unchanged", "created"]
        assert Review.objects.get(paper=reviewed).verdict == "reject"
        assert Review.objects.get(paper=fresh).novelty == Decimal("7.5")
        assert Review.history.filter(paper_id=fresh.pk).count() == 1


def test_an_overlong_id_is_refused_before_it_reaches_the_database():
    doi = "10.1000/" + "x" * 300
    result = services.papers_upsert_bulk(
        records=[PaperRecord(doi=doi, title="Too long"), PaperRecord(doi="10.1000/ok", title="T")]
    )
    assert statuses(result) == ["invalid", "created"]
    assert "longer than 255 characters" in result.outcomes[0].reason


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_take_turns():
    """Two importers at once would each read what is there, then both insert the same new
    rows: the merge skips the other's and a batch fails half-written (seen with two
    generate_corpus runs). A bulk write waits until the one under way has committed."""
    import threading
    import time

    from django.db import connection

    from hubs.services.bulk.rows import BULK_WRITES_LOCK

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time already")
    record = PaperRecord(doi="10.1000/turns", title="Waited its turn")

    def write():
        try:
            services.papers_upsert_bulk(records=[record])
        finally:
            connection.close()  # this thread's own connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [BULK_WRITES_LOCK])  # a write under way
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        waiting = writer.is_alive() and not Paper.objects.filter(doi="10.1000/turns").exists()
        cursor.execute("SELECT pg_advisory_unlock(%s)", [BULK_WRITES_LOCK])
    writer.join(timeout=30)
    assert waiting
    assert Paper.objects.get(doi="10.1000/turns").title == "Waited its turn"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"doi": "10.5555/pith-synthetic.1.123"}, {"doi": "10.5555/pith-synthetic.1.123"}),
        ({"doi": "10.5555/Pith-Synthetic.1.123"}, {"doi": "10.5555/pith-synthetic.1.123"}),
        ({"doi": " doi:10.1000/ABC "}, {"doi": "10.1000/abc"}),
        ({"doi": "https://doi.org/10.1000/x"}, {"doi": "10.1000/x"}),
        ({"doi": "10.48550/arXiv.2509.08827"}, {"arxiv_id": "2509.08827"}),
        ({"doi": "10.48550/arxiv.2509.08827v3"}, {"arxiv_id": "2509.08827"}),
        ({"doi": "10.48550/arXiv.not-an-id"}, {"doi": "10.48550/arxiv.not-an-id"}),
        (
            {"doi": "10.48550/arXiv.2509.08827", "arxiv_id": "2401.00001"},
            {"arxiv_id": "2401.00001", "doi": "10.48550/arxiv.2509.08827"},
        ),
        ({"arxiv_id": "arXiv:2509.08827v11"}, {"arxiv_id": "2509.08827"}),
        ({"arxiv_id": "https://arxiv.org/abs/hep-th/9901001v1"}, {"arxiv_id": "hep-th/9901001"}),
        (
            {"acl_id": " p02-1040 ", "openalex_id": "https://openalex.org/w12"},
            {"acl_id": "P02-1040", "openalex_id": "W12"},
        ),
        ({"acl_id": "2020.ACL-main.1"}, {"acl_id": "2020.acl-main.1"}),
        ({"s2_corpus_id": "12"}, {"s2_corpus_id": 12}),
        (
            {"arxiv_id": "2509.08827", "doi": "10.1000/x", "s2_corpus_id": 5, "openalex_id": "W1"},
            {"arxiv_id": "2509.08827", "doi": "10.1000/x", "s2_corpus_id": 5, "openalex_id": "W1"},
        ),
        ({"doi": "nonsense"}, "'nonsense' is not a DOI"),
        ({"doi": "   "}, "A paper needs at least one identifier"),
        ({"title": "no ids"}, "A paper needs at least one identifier"),
        ({"doi": "10.1000/" + "x" * 300}, "doi is longer than 255 characters"),
        ({"arxiv_id": "2509.08827v2", "doi": "nonsense"}, "'nonsense' is not a DOI"),
        ({"arxiv_id": "2513.00001"}, "is not an arXiv identifier (month 13)"),
        ({"s2_corpus_id": 0}, "0 is not a Semantic Scholar corpus id"),
        ({"openalex_id": "P02-1040"}, "'P02-1040' is not an OpenAlex work id"),
    ],
)
def test_normalised_ids_in_every_form_and_every_refusal(given, expected):
    """What the bulk services match records by: the same answer for ids already stored as
    the site stores them (most of a big import) as for any other form."""
    if isinstance(expected, dict):
        normalised = normalised_ids(given)
        assert list(normalised.items()) == list(expected.items())
    else:
        with pytest.raises((ValueError, ValidationError)) as refused:
            normalised_ids(given)
        assert expected in reason(refused.value)
