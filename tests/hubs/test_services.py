import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hubs import services
from hubs.models import Citation, Review
from tests.factories import CitationFactory, HubFactory, PaperFactory

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


class TestCitationAdd:
    def test_adds_contexts_once(self):
        citing, cited = PaperFactory(), PaperFactory()
        contexts = [("As shown by Zhang et al. (2025).", "1 Introduction")]
        citation, created = services.citation_add(citing=citing, cited=cited, contexts=contexts)
        again, created_again = services.citation_add(citing=citing, cited=cited, contexts=contexts)
        assert created and not created_again
        assert again.pk == citation.pk
        assert list(citation.contexts.values_list("text", "section")) == contexts

    def test_refuses_self_citation(self):
        paper = PaperFactory()
        with pytest.raises(ValidationError, match="cannot cite itself"):
            services.citation_add(citing=paper, cited=paper)

    def test_refuses_zero_refs(self):
        with pytest.raises(ValidationError, match="at least 1"):
            services.citation_add(citing=PaperFactory(), cited=PaperFactory(), refs=0)


class TestCitationClassify:
    def test_records_curator_and_history(self, curator):
        citation = CitationFactory()
        services.citation_classify(
            citation=citation, role="background", polarity="neutral", by=curator
        )
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("background", "neutral")
        assert citation.classification_source == "curator"
        assert citation.classified_by == curator
        latest = citation.history.latest()
        assert (latest.role, latest.history_user) == ("background", curator)

    def test_none_leaves_the_other_label_alone(self, curator):
        citation = CitationFactory(role="uses_method", classification_source="curator")
        services.citation_classify(citation=citation, polarity="supporting", by=curator)
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("uses_method", "supporting")

    def test_clearing_both_labels_clears_the_source(self, curator):
        citation = CitationFactory(role="background", classification_source="curator")
        services.citation_classify(citation=citation, role="", polarity="", by=curator)
        citation.refresh_from_db()
        assert citation.classification_source == ""
        assert citation.classified_by is None

    def test_unknown_role_is_a_validation_error(self, curator):
        with pytest.raises(ValidationError, match="Unknown role 'praises'"):
            services.citation_classify(citation=CitationFactory(), role="praises", by=curator)

    def test_bulk_is_all_or_nothing(self, curator):
        citations = [CitationFactory() for _ in range(3)]
        with pytest.raises(ValidationError):
            services.citations_classify(citations=citations, polarity="angry", by=curator)
        assert not Citation.objects.exclude(polarity="").exists()

    def test_bulk_classifies_each_with_history(self, curator):
        citations = [CitationFactory() for _ in range(3)]
        count = services.citations_classify(citations=citations, role="uses_data", by=curator)
        assert count == 3
        assert Citation.objects.filter(role="uses_data", classified_by=curator).count() == 3
        assert Citation.history.filter(role="uses_data", history_user=curator).count() == 3


class TestClassifiedCount:
    def test_model_labels_count_only_above_the_threshold(self, settings):
        settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
        sure = CitationFactory(role="background", classification_source="model", confidence=0.9)
        CitationFactory(role="background", classification_source="model", confidence=0.5)
        curated = CitationFactory(role="builds_on", classification_source="curator")
        CitationFactory()
        assert set(Citation.objects.classified()) == {sure, curated}


class TestReviewSet:
    def test_creates_then_updates_with_history(self, curator):
        paper = PaperFactory()
        services.review_set(
            paper=paper, verdict="accept", novelty="6.5", summary="Good.", by=curator
        )
        review = services.review_set(paper=paper, verdict="reject", novelty=3, by=curator)
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


class TestHubRepresentatives:
    def test_sets_order_and_snapshots_it_in_history(self, curator, make_citing_papers):
        hub = HubFactory()
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        services.hub_set_representatives(hub=hub, papers=[second, first], by=curator)
        assert [link.paper for link in hub.representative_links.all()] == [second, first]
        snapshot = hub.history.latest().representatives.order_by("position")
        assert [row.paper_id for row in snapshot] == [second.pk, first.pk]

    def test_refuses_a_paper_that_does_not_cite_the_hub(self, curator):
        hub = HubFactory()
        with pytest.raises(ValidationError, match="must cite the hub's paper"):
            services.hub_set_representatives(hub=hub, papers=[PaperFactory()], by=curator)

    def test_revert_restores_fields_and_representatives(
        self, curator, superuser, make_citing_papers
    ):
        hub = HubFactory(curator_note="first note")
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        services.hub_set_representatives(hub=hub, papers=[first, second], by=curator)
        version = hub.history.latest().history_id
        services.hub_update(
            hub=hub, slug=hub.slug, is_published=False, curator_note="changed", by=curator
        )
        services.hub_set_representatives(hub=hub, papers=[second], by=curator)

        services.hub_revert(hub=hub, history_id=version, by=superuser)

        hub.refresh_from_db()
        assert (hub.curator_note, hub.is_published) == ("first note", True)
        assert [link.paper for link in hub.representative_links.all()] == [first, second]
        assert hub.history.latest().history_user == superuser


class TestCuratorLabelsOverSuggestions:
    def test_setting_one_label_drops_the_models_other_label(self, curator):
        citation = CitationFactory(
            role="uses_method",
            polarity="contrasting",
            classification_source="model",
            confidence=0.3,
        )
        services.citation_classify(citation=citation, role="background", by=curator)
        citation.refresh_from_db()
        # The model's "contrasting" must not now pass as a curator's label.
        assert (citation.role, citation.polarity) == ("background", "")
        assert (citation.classification_source, citation.confidence) == ("curator", None)

    def test_a_curator_adding_a_label_keeps_their_own_other_label(self, curator):
        citation = CitationFactory(role="uses_data", classification_source="curator")
        services.citation_classify(citation=citation, polarity="supporting", by=curator)
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("uses_data", "supporting")


class TestNoOpClassification:
    def test_setting_the_same_labels_again_records_nothing(self, curator):
        citation = CitationFactory()
        services.citation_classify(citation=citation, role="background", by=curator)
        count = citation.history.count()
        services.citation_classify(citation=citation, role="background", by=curator)
        assert citation.history.count() == count

    def test_bulk_counts_only_real_changes(self, curator):
        done, todo = CitationFactory(), CitationFactory()
        services.citation_classify(citation=done, role="uses_data", by=curator)
        assert (
            services.citations_classify(citations=[done, todo], role="uses_data", by=curator) == 1
        )
