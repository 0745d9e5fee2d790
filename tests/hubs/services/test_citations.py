"""hubs/services/citations.py: adding citations and classifying them (one, many, or a list
of items, all or nothing)."""

import pytest
from django.core.exceptions import ValidationError

from hubs import services
from hubs.models import Citation
from hubs.vocab import Polarity, Role
from tests.factories import CitationFactory, PaperFactory

pytestmark = pytest.mark.django_db


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
            citation=citation, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL, by=curator
        )
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("background", "neutral")
        assert citation.classification_source == "curator"
        assert citation.classified_by == curator
        latest = citation.history.latest()
        assert (latest.role, latest.history_user) == ("background", curator)

    def test_none_leaves_the_other_label_alone(self, curator):
        citation = CitationFactory(role=Role.USES_METHOD)
        services.citation_classify(citation=citation, polarity=Polarity.SUPPORTING, by=curator)
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("uses_method", "supporting")

    def test_clearing_both_labels_clears_the_source(self, curator):
        citation = CitationFactory(role=Role.BACKGROUND)
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
        count = services.citations_classify(citations=citations, role=Role.USES_DATA, by=curator)
        assert count == 3
        assert Citation.objects.filter(role=Role.USES_DATA, classified_by=curator).count() == 3
        assert Citation.history.filter(role=Role.USES_DATA, history_user=curator).count() == 3


class TestCuratorLabelsOverSuggestions:
    def test_setting_one_label_leaves_the_other_suggestion_a_suggestion(self, curator):
        citation = CitationFactory(
            suggested_role=Role.USES_METHOD, suggested_polarity=Polarity.CONTRASTING
        )
        services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
        citation = Citation.objects.with_public_labels().get(pk=citation.pk)
        # The model's "contrasting" must not now pass as a curator's label.
        assert (citation.role, citation.polarity, citation.classification_source) == (
            "background",
            "",
            "curator",
        )
        assert (citation.public_polarity, citation.polarity_state) == ("contrasting", "suggested")
        assert (citation.suggested_role, citation.suggested_role_source) == (
            "uses_method",
            "model",
        )

    def test_a_curator_adding_a_label_keeps_their_own_other_label(self, curator):
        citation = CitationFactory(role=Role.USES_DATA)
        services.citation_classify(citation=citation, polarity=Polarity.SUPPORTING, by=curator)
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("uses_data", "supporting")


class TestNoOpClassification:
    def test_setting_the_same_labels_again_records_nothing(self, curator):
        citation = CitationFactory()
        services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
        count = citation.history.count()
        services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
        assert citation.history.count() == count

    def test_bulk_counts_only_real_changes(self, curator):
        done, todo = CitationFactory(), CitationFactory()
        services.citation_classify(citation=done, role=Role.USES_DATA, by=curator)
        assert (
            services.citations_classify(citations=[done, todo], role=Role.USES_DATA, by=curator)
            == 1
        )


class TestCitationsClassifyItems:
    def test_sets_each_items_labels(self, curator):
        first, second = CitationFactory(), CitationFactory()
        count = services.citations_classify_items(
            items=[
                {"id": first.pk, "role": "background"},
                {"id": second.pk, "role": "uses_data", "polarity": "neutral"},
            ],
            by=curator,
        )
        assert count == 2
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.role, first.polarity, first.classified_by) == ("background", "", curator)
        assert (second.role, second.polarity) == ("uses_data", "neutral")

    def test_lists_every_bad_item_by_index_and_writes_nothing(self, curator):
        good = CitationFactory()
        with pytest.raises(services.ItemsInvalid) as raised:
            services.citations_classify_items(
                items=[
                    {"id": good.pk, "role": "background"},
                    {"id": 999_999, "role": "background"},
                    {"id": good.pk, "polarity": "praising"},
                ],
                by=curator,
            )
        assert [(item["index"], item["id"]) for item in raised.value.items] == [
            (1, 999_999),
            (2, good.pk),
        ]
        assert raised.value.items[0]["errors"] == {"id": ["No such citation."]}
        assert "polarity" in raised.value.items[1]["errors"]
        assert not Citation.objects.exclude(role="").exists()
