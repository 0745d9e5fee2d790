"""`generate_corpus`: a synthetic corpus shaped like real hubs, the same for the same seed."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from hubs.models import Citation, Hub, Paper, Review
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_corpus", stdout=out, **options)
    return out.getvalue()


def test_builds_published_hubs_with_the_asked_number_of_citing_papers():
    output = generate(papers=400, hub_citations=300, seed=7)
    assert Paper.objects.count() == 400
    hubs = Hub.objects.published().annotate(citing=Count("paper__citations")).order_by("slug")
    assert [(hub.slug, hub.citing) for hub in hubs] == [
        ("synthetic-7-hub-1", 300),
        ("synthetic-7-hub-2", 75),
        ("synthetic-7-hub-3", 15),
        ("synthetic-7-hub-4", 3),
    ]
    assert "Corpus (seed 7) ready in" in output


def test_spreads_years_categories_labels_and_verdicts():
    generate(papers=1000, hub_citations=900, seed=1)
    citations = Citation.objects.all()
    assert len(set(citations.values_list("citing__year", flat=True))) >= 6
    assert len(set(citations.values_list("citing__primary_category", flat=True))) >= 5
    assert set(citations.values_list("classification_source", flat=True)) == {"", "curator"}
    assert set(citations.values_list("suggested_role_source", flat=True)) == {
        "",
        "import",
        "model",
    }
    public = citations.with_public_labels()
    assert len(set(public.values_list("public_role", flat=True))) == 6  # five roles and none
    assert len(set(public.values_list("public_polarity", flat=True))) == 4
    assert len(set(Review.objects.values_list("verdict", flat=True))) == 5
    contexts = citations.annotate(n=Count("contexts")).values_list("n", flat=True)
    assert set(contexts) == {1, 2, 3}


def test_the_same_seed_gives_the_same_corpus_and_changes_nothing_again():
    generate(papers=200, hub_citations=150, seed=3)
    first = snapshot()
    output = generate(papers=200, hub_citations=150, seed=3)
    assert snapshot() == first
    assert "papers: 200 unchanged" in output


def test_papers_must_cover_the_hubs_and_their_citing_papers():
    with pytest.raises(CommandError, match="at least --hub-citations"):
        generate(papers=100, hub_citations=100)
