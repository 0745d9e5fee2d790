"""hubs/services/suggestions.py: the classifier's suggestions stored in bulk, never over a
person's label or an import's suggestion; classify_citations, import_papers --classify and
load_demo call it."""

import io

import pytest
from django.core.management import CommandError, call_command

from hubs import services
from hubs.models import Citation, Hub
from hubs.services.suggestions import SuggestReport
from hubs.vocab import ClassificationSource, Polarity, Role
from tests.factories import CitationContextFactory, CitationFactory, HubFactory, PaperFactory

pytestmark = pytest.mark.django_db


def cite(hub, *texts, **fields) -> Citation:
    citation = CitationFactory(cited=hub.paper, **fields)
    for position, text in enumerate(texts):
        CitationContextFactory(citation=citation, text=text, position=position)
    return citation


def fields(citation: Citation) -> tuple:
    citation.refresh_from_db()
    return (
        citation.suggested_role,
        citation.suggested_role_confidence,
        citation.suggested_role_source,
        citation.suggested_polarity,
        citation.suggested_polarity_confidence,
        citation.suggested_polarity_source,
        citation.suggestion_version,
    )


class TestCitationsSuggest:
    def test_stores_both_labels_with_confidence_source_and_version(self, fake_classifier, hub):
        citation = cite(hub, "We use their tokenizer.")
        report = services.citations_suggest(hub=hub)
        assert fields(citation) == (
            "uses_method", 0.9, "model", "neutral", 0.82, "model", "fake-1",
        )  # fmt: skip
        assert report.labels["role"]["created"] == 1
        assert report.citations == 1

    def test_a_citation_without_context_gets_no_suggestion(self, fake_classifier, hub):
        bare = cite(hub)
        services.citations_suggest(hub=hub)
        assert fields(bare) == ("", None, "", "", None, "", "")

    def test_of_several_contexts_the_most_confident_one_speaks(self, fake_classifier, hub):
        citation = cite(hub, "As shown before [3].", "We extend their model.")
        services.citations_suggest(hub=hub)
        # background 0.6 vs builds on 0.7; neutral 0.82 vs supporting 0.97
        assert fields(citation)[:5] == ("builds_on", 0.7, "model", "supporting", 0.97)

    def test_never_overwrites_a_curators_label_nor_suggests_over_it(
        self, fake_classifier, hub, curator
    ):
        citation = cite(hub, "We use their tokenizer.")
        services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
        records = citation.history.count()
        report = services.citations_suggest(hub=hub)
        citation.refresh_from_db()
        assert (citation.role, citation.classified_by, citation.classification_source) == (
            "background",
            curator,
            "curator",
        )
        # The open label (polarity) is suggested; the curator's role gets no suggestion.
        assert fields(citation)[0] == ""
        assert fields(citation)[3:6] == ("neutral", 0.82, "model")
        assert report.labels["role"]["curated"] == 1
        assert citation.history.count() == records  # a model run writes no history

    def test_never_replaces_an_import_suggestion(self, fake_classifier, hub):
        citation = cite(
            hub, "We use their tokenizer.", suggested_role=Role.BACKGROUND,
            suggestion_source=ClassificationSource.IMPORT, confidence=0.9,
        )  # fmt: skip
        report = services.citations_suggest(hub=hub)
        suggested = fields(citation)
        assert suggested[:3] == ("background", 0.9, "import")
        assert suggested[3:6] == ("neutral", 0.82, "model")  # the import said no polarity
        assert report.labels["role"]["skipped"] == 1

    def test_a_new_model_replaces_stale_model_suggestions(self, fake_classifier, hub):
        citation = cite(hub, "We use their tokenizer.")
        services.citations_suggest(hub=hub)
        assert services.citations_suggest(hub=hub).labels["role"] == {"unchanged": 1}
        fake_classifier.version = "fake-2"
        report = services.citations_suggest(hub=hub)
        assert fields(citation)[-1] == "fake-2"
        assert report.labels["role"] == {"updated": 1}

    def test_only_missing_skips_citations_with_a_current_suggestion(self, fake_classifier, hub):
        done = cite(hub, "We use their tokenizer.")
        services.citations_suggest(hub=hub)
        fresh = cite(hub, "We extend their model.")
        fake_classifier.calls = 0
        report = services.citations_suggest(hub=hub, only_missing=True)
        assert report.citations == 1
        assert fields(fresh)[0] == "builds_on"
        assert fields(done)[-1] == "fake-1"
        fake_classifier.version = "fake-2"  # now every model suggestion is stale
        assert services.citations_suggest(hub=hub, only_missing=True).citations == 2

    def test_batches_are_set_based(self, fake_classifier, hub, django_assert_max_num_queries):
        for n in range(30):
            cite(hub, f"We use tool {n}.")
        # One model call per batch, and a few queries per batch whatever its size (four of
        # them keep the hub's counts: hubs.counts).
        with django_assert_max_num_queries(3 + 3 * 11):
            report = services.citations_suggest(hub=hub, batch=10)
        assert report.citations == 30
        assert fake_classifier.calls == 3

    def test_only_the_hub_given(self, fake_classifier, hub):
        other = cite(HubFactory(), "We use their tokenizer.")
        services.citations_suggest(hub=hub)
        assert fields(other)[0] == ""

    def test_counts_what_the_thresholds_make_public(self, fake_classifier, hub, settings):
        settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
        settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {}
        cite(hub, "We use their tokenizer.")  # 0.9 and 0.82: both count
        cite(hub, "As shown before.")  # 0.6 (not) and 0.82
        report = services.citations_suggest(hub=hub)
        assert report.public == {"role": 1, "polarity": 2}


class TestClassifyCitationsCommand:
    def run(self, *args) -> str:
        out = io.StringIO()
        call_command("classify_citations", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_suggests_and_says_what_it_did(self, fake_classifier, hub):
        cite(hub, "We use their tokenizer.")
        output = self.run("--hub", hub.slug, "--batch", "5")
        assert "classifier fake-1: 1 citation(s) with citing sentences to classify" in output
        assert "role: 1 suggested (1 new, 0 replaced)" in output

    def test_unknown_hub_and_missing_model_are_errors(self, no_classifier, hub):
        with pytest.raises(CommandError, match="No hub"):
            self.run("--hub", "nope")
        with pytest.raises(CommandError, match="not installed"):
            self.run()


class TestImportPapersClassify:
    def test_classifies_what_was_imported(self, fake_classifier, tmp_path):
        from tests.hubs.importers.test_s2 import GRAPH

        attention = PaperFactory(arxiv_id="1706.03762")
        out = io.StringIO()
        call_command(
            "import_papers", str(GRAPH), "--format", "s2", "--cited", "1706.03762",
            "--classify", stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
        assert "classifier fake-1" in out.getvalue()
        citations = attention.citations.exclude(contexts=None)
        assert citations.exists()
        for citation in citations:
            # S2 gave a role (an import suggestion) or none; the polarity is the model's.
            assert citation.suggested_polarity_source == "model"
            assert citation.suggested_role_source in ("import", "model")
        assert attention.citations.filter(suggested_role_source="import").exists()


class TestLoadDemo:
    def test_load_demo_suggests_labels_and_keeps_the_curators(self, fake_classifier):
        out = io.StringIO()
        call_command("load_demo", stdout=out, stderr=io.StringIO())
        hub = Hub.objects.get()
        citations = Citation.objects.of_paper(hub.paper_id)
        curated = citations.filter(classification_source="curator")
        assert curated.count() == 6
        # Every citing sentence got a suggestion, except the labels curators set.
        assert not curated.exclude(suggested_role="").exists()
        assert citations.exclude(role="").filter(suggested_role="").count() == 6
        with_context = citations.exclude(contexts=None)
        assert with_context.filter(role="", suggested_role="").count() == 0
        assert "Suggested labels" in out.getvalue()
        again = io.StringIO()
        call_command("load_demo", stdout=again, stderr=io.StringIO())
        assert "classifier fake-1: 0 citation(s)" in again.getvalue()

    def test_load_demo_without_a_model_says_so(self, no_classifier):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert "No suggestions: The classifier (hubs.classification) is not installed." in (
            out.getvalue()
        )


def test_report_lines_name_every_outcome():
    report = SuggestReport(version="v1", citations=2)
    report.labels["polarity"]["skipped"] = 1
    assert report.lines()[2].startswith(
        "polarity: 0 suggested (0 new, 0 replaced), 0 unchanged, 1"
    )


def test_feedback_records_the_answer_to_a_suggestion(curator):
    citation = CitationFactory(suggested_role=Role.USES_DATA, suggested_polarity=Polarity.NEUTRAL)
    services.citation_classify(
        citation=citation, role=Role.USES_DATA, polarity=Polarity.SUPPORTING, by=curator
    )
    from hubs.selectors.classifier import suggestion_feedback

    answers = {(f.label, f.source): (f.confirmed, f.overridden) for f in suggestion_feedback()}
    assert answers[("role", "model")] == (1, 0)
    assert answers[("polarity", "model")] == (0, 1)
    assert answers[("role", "import")] == (0, 0)


@pytest.mark.shipped_classifier
def test_the_shipped_model_suggests_for_the_demo_end_to_end(settings):
    """load_demo with the model shipped in the repository, through the adapter: every
    citing sentence gets a role and a polarity, curators' labels stay, the hub page counts
    the confident ones as suggested."""
    from hubs.services import suggestions

    try:
        version = suggestions.classifier_version()
    except suggestions.ClassifierMissing:
        pytest.skip("no trained classifier shipped in this checkout")
    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())
    hub = Hub.objects.get()
    citations = Citation.objects.of_paper(hub.paper_id)
    open_with_context = citations.exclude(contexts=None).filter(classification_source="")
    assert open_with_context.exists()
    assert not open_with_context.exclude(suggestion_version=version).exists()
    assert citations.filter(classification_source="curator").count() == 6
    assert not citations.filter(classification_source="curator").exclude(suggested_role="")
    from hubs.selectors import hub_summary

    summary = hub_summary(hub)
    assert summary.curated_count == 6
    assert summary.classified_count == 6 + summary.suggested_count
    assert f"classifier {version}: " in out.getvalue()
