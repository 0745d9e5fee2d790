"""hubs/services/papers.py: creating and updating a paper."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hubs import services
from hubs.counts import hub_counts_recount, hub_counts_stored
from hubs.models import Hub, Paper
from hubs.selectors import hub_summary
from tests.factories import hub_with_citing_papers
from tests.hubs.test_paper_edits import _change_form

pytestmark = pytest.mark.django_db


class TestPaperUpsert:
    def test_creates_with_year_and_month_from_the_arxiv_id(self):
        paper, created = services.paper_upsert(arxiv_id="2510.22543v2", title="FAPO")
        assert created
        assert (paper.arxiv_id, paper.arxiv_version) == ("2510.22543", 2)
        assert (paper.year, paper.month, paper.submitted) == (2025, 10, None)

    def test_submission_date_wins_over_the_arxiv_id(self):
        paper, _ = services.paper_upsert(
            arxiv_id="2506.04207", title="ReVisual-R1", submitted=datetime.date(2025, 6, 4)
        )
        assert (paper.year, paper.month) == (2025, 6)

    def test_matches_an_existing_paper_by_doi_and_updates_it(self):
        paper, _ = services.paper_upsert(doi="10.1000/ABC", title="Old title")
        again, created = services.paper_upsert(doi="https://doi.org/10.1000/abc", title="New")
        assert not created
        assert again.pk == paper.pk
        assert again.title == "New"
        assert again.doi == "10.1000/abc"

    def test_unchanged_metadata_writes_nothing(self):
        paper, _ = services.paper_upsert(arxiv_id="2510.22543", title="FAPO")
        again, created = services.paper_upsert(arxiv_id="2510.22543", title="FAPO")
        assert not created
        assert again.updated_at == paper.updated_at

    def test_needs_an_identifier(self):
        with pytest.raises(ValidationError, match="at least one identifier"):
            services.paper_upsert(title="Nameless")

    def test_rejects_a_malformed_arxiv_id(self):
        with pytest.raises(ValidationError, match="not an arXiv identifier"):
            services.paper_upsert(arxiv_id="25.1", title="Bad id")


@pytest.fixture
def source_year_paper():
    """A paper whose only date is the year its source gave (an ACL Anthology record: no
    submission date, no arXiv id), citing a hub."""
    hub = hub_with_citing_papers(3)
    services.papers_upsert_bulk(
        records=[services.PaperRecord(acl_id="P02-1040", title="BLEU", year=2002)]
    )
    paper = Paper.objects.get(acl_id="P02-1040")
    services.citation_add(citing=paper, cited=hub.paper)
    assert (paper.year, paper.month, paper.sort_date) == (2002, None, datetime.date(2002, 1, 1))
    return paper


def dates(paper: Paper) -> tuple:
    paper.refresh_from_db()
    return paper.year, paper.month, paper.sort_date


def year_counts(paper: Paper) -> dict:
    """The year counts of the hub the paper cites, as its page shows them."""
    summary = hub_summary(Hub.objects.get(paper__citations__citing=paper))
    return {year.value: year.count for year in summary.years}


class TestTheYearFollowsOnlyItsSource:
    """A paper's year and sort date change only when their source does: its submission
    date, its arXiv id, or a year a source gives. Editing anything else keeps them, even a
    year no date or arXiv id backs (one from a source that knows only the year)."""

    @pytest.mark.parametrize(
        "changes",
        [
            {"title": "BLEU, as the curators spell it"},
            {"code_url": "https://github.com/example/bleu"},
            {"doi": "10.3115/1073083.1073135"},
            {"submitted": None},
        ],
    )
    def test_an_edit_of_another_field_keeps_a_year_only_a_source_gave(
        self, source_year_paper, changes
    ):
        before = year_counts(source_year_paper)
        services.paper_update(paper=source_year_paper, changes=changes)
        assert dates(source_year_paper) == (2002, None, datetime.date(2002, 1, 1))
        assert year_counts(source_year_paper) == before
        assert hub_counts_stored() == hub_counts_recount()

    def test_a_loader_update_keeps_a_year_only_a_source_gave(self, source_year_paper):
        services.paper_upsert(acl_id="P02-1040", title="BLEU", abstract="A method.")
        assert dates(source_year_paper) == (2002, None, datetime.date(2002, 1, 1))
        services.papers_upsert_bulk(
            records=[services.PaperRecord(acl_id="P02-1040", abstract="Another.")]
        )
        assert dates(source_year_paper) == (2002, None, datetime.date(2002, 1, 1))
        assert hub_counts_stored() == hub_counts_recount()

    def test_the_year_changes_with_its_source(self, source_year_paper):
        paper = source_year_paper
        services.papers_upsert_bulk(
            records=[services.PaperRecord(acl_id="P02-1040", title="BLEU", year=2001)]
        )
        assert dates(paper) == (2001, None, datetime.date(2001, 1, 1))
        services.paper_update(paper=paper, changes={"submitted": datetime.date(2002, 7, 6)})
        assert dates(paper) == (2002, 7, datetime.date(2002, 7, 6))
        # A date known to the day stays the paper's most precise one: its year and month
        # stay when the day is taken away, with nothing else to go by.
        services.paper_update(paper=paper, changes={"submitted": None})
        assert dates(paper) == (2002, 7, datetime.date(2002, 7, 1))
        services.paper_update(paper=paper, changes={"arxiv_id": "2401.00001"})
        assert dates(paper) == (2024, 1, datetime.date(2024, 1, 1))
        assert hub_counts_stored() == hub_counts_recount()

    def test_an_admin_edit_keeps_a_year_only_a_source_gave(
        self, client, superuser, source_year_paper
    ):
        paper, before = source_year_paper, year_counts(source_year_paper)
        client.force_login(superuser)
        response = client.post(
            reverse("admin:hubs_paper_change", args=[paper.pk]),
            _change_form(paper, code_url="https://github.com/example/bleu"),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        assert dates(paper) == (2002, None, datetime.date(2002, 1, 1))
        assert paper.code_url == "https://github.com/example/bleu"
        assert year_counts(paper) == before
        assert hub_counts_stored() == hub_counts_recount()
