"""The hubs' counts table (hubs.counts) holds what a recount of the rows gives, after every
kind of write, and the pages' numbers read from it are the rows' numbers."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from hubs import services
from hubs.counts import hub_counts_recount, hub_counts_stored
from hubs.filters import FACETS, count_facets_together
from hubs.models import Citation, CitationContext, ClassificationSource, Paper
from hubs.selectors import hub_summary
from hubs.selectors.explorer import hub_citations, hub_citing_page, hub_explorer, hub_facet
from hubs.services.bulk import (
    CitationRecord,
    PaperRecord,
    ReviewRecord,
    citations_add_bulk,
    papers_upsert_bulk,
    reviews_add_bulk,
)
from tests.factories import PaperFactory, hub_with_citing_papers
from tests.hubs.test_paper_edits import _change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return hub_with_citing_papers(24)


def assert_counts_true():
    stored = {cell: n for cell, n in hub_counts_stored().items() if n}
    assert stored == dict(hub_counts_recount())


def a_citation(hub, **labels) -> Citation:
    return Citation.objects.of_paper(hub.paper_id).filter(**labels).order_by("pk").first()


def test_a_review_set_and_changed(hub, curator):
    paper = a_citation(hub).citing
    services.review_set(paper=paper, verdict="accept", by=curator)
    assert_counts_true()
    services.review_set(paper=paper, verdict="reject", novelty=4, by=curator)
    assert_counts_true()
    fresh = a_citation(hub, citing__review__isnull=True).citing
    services.review_set(paper=fresh, verdict="uncertain", by=curator)
    assert_counts_true()


def test_a_label_set_changed_and_cleared(hub, curator):
    citation = a_citation(hub, role="")
    services.citation_classify(citation=citation, role="uses_data", by=curator)
    assert_counts_true()
    services.citation_classify(citation=citation, polarity="contrasting", by=curator)
    assert_counts_true()
    services.citation_classify(citation=citation, role="", polarity="", by=curator)
    assert_counts_true()


def test_labels_set_in_bulk_and_by_items(hub, curator):
    citations = list(Citation.objects.of_paper(hub.paper_id).order_by("pk")[:6])
    services.citations_classify(citations=citations, role="builds_on", by=curator)
    assert_counts_true()
    items = [{"id": c.pk, "polarity": "neutral"} for c in citations[:3]]
    services.citations_classify_items(items=items, by=curator)
    assert_counts_true()


def test_suggestions_stored_and_accepted(hub, curator, fake_classifier):
    """The classifier's suggestions (confident or not) for citations with sentences, then a
    curator accepting them."""
    texts = ["We use their tokenizer.", "We extend their method.", "Some background."]
    for citation, text in zip(
        Citation.objects.of_paper(hub.paper_id).filter(role="").order_by("pk"), texts, strict=False
    ):
        CitationContext.objects.create(citation=citation, text=text)
    services.citations_suggest(hub=hub)
    assert_counts_true()
    services.citations_accept_suggestions(
        citations=Citation.objects.of_paper(hub.paper_id).exclude(suggested_role=""), by=curator
    )
    assert_counts_true()


def test_an_undo(hub, curator):
    citation = a_citation(hub, role="")
    services.citation_classify(citation=citation, role="uses_data", by=curator)
    record = citation.history.latest("history_id")
    services.change_revert(kind="citation", history_id=record.history_id, by=curator)
    assert_counts_true()


def test_a_citation_added_by_the_service(hub):
    services.citation_add(citing=PaperFactory(), cited=hub.paper)
    assert_counts_true()
    citation = a_citation(hub)
    services.citation_add(citing=citation.citing, cited=hub.paper, refs=3)  # again: no change
    assert_counts_true()


def test_citations_papers_and_reviews_imported_in_bulk(hub, curator):
    papers = [
        PaperRecord(arxiv_id=f"2601.{n:05d}", title=f"Imported {n}", primary_category="cs.CV")
        for n in range(5)
    ]
    papers_upsert_bulk(records=papers)
    hub_id = {"arxiv_id": hub.paper.arxiv_id}
    citations_add_bulk(
        records=[
            CitationRecord(
                citing={"arxiv_id": f"2601.{n:05d}"},
                cited=hub_id,
                role="background" if n % 2 else None,
                confidence=0.9 if n % 2 else None,
            )
            for n in range(5)
        ]
    )
    assert_counts_true()
    existing = a_citation(hub, role="").citing
    citations_add_bulk(
        records=[
            CitationRecord(
                citing={"arxiv_id": existing.arxiv_id}, cited=hub_id, role="uses_method",
                polarity="neutral", confidence=0.99,
            )
        ]
    )  # fmt: skip
    assert_counts_true()
    reviews_add_bulk(
        records=[ReviewRecord(paper={"arxiv_id": "2601.00001"}, verdict="accept")], by=None
    )
    assert_counts_true()
    # A new year and category for papers the hub's citations come from.
    papers_upsert_bulk(
        records=[
            PaperRecord(arxiv_id="2601.00002", title="Imported 2", primary_category="math.CO"),
            PaperRecord(arxiv_id="2601.00003", title="Imported 3", year=2019),
        ]
    )
    assert_counts_true()


def test_a_paper_date_and_category_changed_in_the_admin(client, superuser, hub):
    paper = a_citation(hub, citing__review__isnull=True).citing  # the form adds one
    client.force_login(superuser)
    response = client.post(
        reverse("admin:hubs_paper_change", args=[paper.pk]),
        _change_form(paper, submitted="2011-05-04", primary_category="q-bio.NC"),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    paper.refresh_from_db()
    assert (paper.year, paper.primary_category) == (2011, "q-bio.NC")
    assert_counts_true()


def test_a_paper_changed_by_a_loader(hub):
    paper = a_citation(hub).citing
    services.paper_upsert(
        arxiv_id=paper.arxiv_id, title=paper.title, primary_category="hep-th",
        submitted=datetime.date(2014, 2, 2),
    )  # fmt: skip
    assert_counts_true()


def test_a_hub_created_over_citations_already_there(hub):
    paper = PaperFactory()
    for citing in Paper.objects.filter(references__cited=hub.paper)[:4]:
        services.citation_add(citing=citing, cited=paper)
    services.hub_create(paper=paper, slug="late-hub", by=None)
    assert_counts_true()
    assert hub_summary(paper.hub).citing_count == 4


def test_the_command_rebuilds_what_was_changed_around_the_services(hub):
    Citation.objects.of_paper(hub.paper_id).filter(role="").update(
        role="compares_with", classification_source=ClassificationSource.CURATOR
    )
    with pytest.raises(AssertionError):
        assert_counts_true()
    out = io.StringIO()
    call_command("rebuild_hub_counts", "--hub", hub.slug, stdout=out)
    assert "Recounted 1 hub(s)" in out.getvalue()
    assert_counts_true()


def test_a_threshold_change_is_followed_by_the_rebuild(hub, settings):
    citation = a_citation(hub, role="", polarity="")
    citations_add_bulk(
        records=[
            CitationRecord(
                citing={"arxiv_id": citation.citing.arxiv_id},
                cited={"arxiv_id": hub.paper.arxiv_id},
                role="background",
                confidence=0.6,
            )
        ]
    )  # an import's suggestion
    assert_counts_true()
    assert settings.PITHSITE_CLASSIFICATION_THRESHOLD > 0.6  # the suggestion does not count
    before = hub_summary(hub).classified_count
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.5  # now it does
    call_command("rebuild_hub_counts", stdout=io.StringIO())
    assert_counts_true()
    assert hub_summary(hub).classified_count > before  # ours and any suggestion at 0.5-0.8


FILTERINGS = [
    {},
    {"role": "background"},
    {"role": "unclassified", "year": "2024"},
    {"polarity": "neutral", "verdict": "unverdicted"},
    {"category": "unknown", "verdict": "accept"},
    {"year": "unknown"},
    {"year": "2023", "category": "cs.CL", "role": "uses_data", "polarity": "supporting"},
]


@pytest.mark.parametrize("params", FILTERINGS)
def test_facets_from_the_table_are_the_rows_counted(hub, params):
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = hub_citations(hub, query)
    names = [spec.name for spec in FACETS]
    counts, matching = count_facets_together(filterset.without(*names).qs, filterset.chosen(names))
    explorer = hub_explorer(hub, query)
    assert {f.name: {v.value: v.count for v in f.values} for f in explorer.facets} == counts
    assert explorer.matching == matching == filterset.qs.count()
    assert hub_citing_page(hub, query).matching == matching
    for spec in FACETS:
        assert hub_facet(hub, query, group_by=spec.name)[1] == spec.count(filterset.qs)


def test_a_text_search_counts_the_rows(hub):
    query = QueryDict("q=Citing paper 1&role=background")
    explorer = hub_explorer(hub, query)
    assert explorer.matching == hub_citations(hub, query).qs.count() > 0
