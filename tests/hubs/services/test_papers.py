"""hubs/services/papers.py: creating and updating a paper."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hubs import services

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
