"""`load_demo` run again (as `make run` does) keeps everything a person changed since,
and says what it left alone."""

import io

import pytest
from django.core.management import call_command

from hubs import services
from hubs.models import Citation, Hub, Paper, Review
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_hub(demo):
    # The session's demo (tests/conftest.py): what a first `load_demo` leaves.
    return demo


def test_a_curators_review_survives_a_second_load(demo_hub, curator):
    paper = Paper.objects.get(arxiv_id="2605.19461")
    review = Review.objects.get(paper=paper)
    services.review_set(
        paper=paper,
        verdict="accept",
        novelty="7.5",
        summary="Read it twice.",
        by=curator,
        expected_version=review.version,
    )
    output = load_demo()
    review = Review.objects.get(paper=paper)
    assert (review.verdict, str(review.novelty), review.summary, review.curator) == (
        "accept",
        "7.5",
        "Read it twice.",
        curator,
    )
    assert "left alone: 1 review" in output


def test_a_curators_label_survives_a_second_load(demo_hub, curator):
    citation = Citation.objects.get(citing__arxiv_id="2510.00938")
    services.citation_classify(
        citation=citation, role="builds_on", polarity="supporting", by=curator
    )
    output = load_demo()
    citation.refresh_from_db()
    assert (citation.role, citation.polarity, citation.classified_by) == (
        "builds_on",
        "supporting",
        curator,
    )
    assert "1 label set by a curator" in output


def test_a_paper_edited_in_the_admin_keeps_its_fields(demo_hub):
    paper = Paper.objects.get(arxiv_id="2510.00938")
    services.paper_update(
        paper=paper, changes={"title": "Corrected title", "authors": ["A. Person"]}
    )
    output = load_demo()
    paper.refresh_from_db()
    assert (paper.title, paper.authors) == ("Corrected title", ["A. Person"])
    assert "2 paper fields edited in the admin" in output


def test_the_hubs_representatives_note_and_flag_survive(demo_hub, curator):
    papers = [link.paper for link in demo_hub.representative_links.all()]
    services.hub_set_representatives(hub=demo_hub, papers=papers[::-1][:3], by=curator)
    services.hub_update(
        hub=demo_hub,
        slug=demo_hub.slug,
        is_published=False,
        curator_note="Our own words.",
        by=curator,
    )
    output = load_demo()
    hub = Hub.objects.get()
    assert [link.paper for link in hub.representative_links.all()] == papers[::-1][:3]
    assert (hub.is_published, hub.curator_note) == (False, "Our own words.")
    for what in ("representatives", "note", "published flag"):
        assert what in output.split("left alone:")[1]


def test_a_rerun_after_edits_writes_nothing(demo_hub, curator):
    paper = Paper.objects.get(arxiv_id="2605.19461")
    services.review_set(paper=paper, verdict="reject", novelty=None, summary="", by=curator)
    services.paper_update(paper=paper, changes={"title": "Mine"})
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first


def test_an_untouched_demo_says_nothing_changed_and_leaves_nothing(demo_hub):
    output = load_demo()
    assert "nothing changed" in output
    assert "left alone" not in output
