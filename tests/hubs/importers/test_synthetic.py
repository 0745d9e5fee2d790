"""The synthetic corpus's records: the same for a seed, and spread as its tables say."""

import datetime
import math
from collections import Counter
from itertools import islice

import pytest

from hubs.importers import synthetic
from hubs.importers.synthetic import (
    CATEGORIES,
    POLARITIES,
    REVIEWED_SHARE,
    ROLES,
    VERDICTS,
    YEARS,
    CorpusPlan,
)

PLAN = CorpusPlan(papers=20_004, hub_citations=20_000, seed=5)


def expected(weights: dict) -> dict:
    total = sum(weights.values())
    return {key: weight / total for key, weight in weights.items()}


def assert_spread(seen: Counter, wanted: dict):
    """Each value's share of `seen` within 4.5 standard deviations of its share in `wanted`:
    a test that fails by chance once in some hundred thousand runs."""
    total = sum(seen.values())
    assert set(seen) == set(wanted)
    for key, share in wanted.items():
        tolerance = 4.5 * math.sqrt(share * (1 - share) / total)
        assert seen[key] / total == pytest.approx(share, abs=tolerance), key


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    for generate in (synthetic.papers, synthetic.reviews, synthetic.citations):
        first = list(islice(generate(PLAN), 3000))
        assert list(islice(generate(PLAN), 3000)) == first
        other = CorpusPlan(papers=PLAN.papers, hub_citations=PLAN.hub_citations, seed=6)
        assert list(islice(generate(other), 3000)) != first


def test_papers_keep_their_dois_years_categories_titles_and_authors():
    papers = list(synthetic.papers(PLAN))
    assert [paper.doi for paper in papers] == [PLAN.doi(n) for n in range(PLAN.papers)]
    hubs, citing = papers[: PLAN.hub_count], papers[PLAN.hub_count :]
    assert all(2012 <= paper.submitted.year <= 2018 for paper in hubs)
    assert_spread(Counter(paper.submitted.year for paper in citing), expected(YEARS))
    assert_spread(Counter(paper.primary_category for paper in papers), expected(CATEGORIES))
    assert {paper.submitted.day for paper in papers} == set(range(1, 29))
    assert {paper.submitted.month for paper in papers} == set(range(1, 13))
    # Cross-lists: none, one or two other codes (a third each), never the primary twice.
    for paper in papers:
        assert paper.categories[0] == paper.primary_category
        assert len(set(paper.categories)) == len(paper.categories) <= 3
    crossed = Counter(len(set(paper.categories) - {paper.primary_category}) for paper in papers)
    assert crossed[0] / len(papers) == pytest.approx(1 / 3 + 1 / 3 * 1 / 6, abs=0.02)
    assert_spread(
        Counter(len(paper.authors) for paper in papers), dict.fromkeys(range(1, 9), 1 / 8)
    )
    # The bench's searches match a steady share: a method in the title, a full name.
    titles = [paper.title for paper in papers]
    assert sum("Distillation" in title for title in titles) / len(titles) == pytest.approx(
        1 / 7, abs=0.01
    )
    assert all(title.endswith(f"({n})") for n, title in enumerate(titles))
    with_author = sum("Barbara Lamport" in paper.authors for paper in papers) / len(papers)
    assert with_author == pytest.approx(1 - (1 - 1 / 132) ** 4.5, abs=0.006)
    assert all(isinstance(paper.submitted, datetime.date) for paper in papers)


def test_citations_spread_labels_and_contexts_over_the_hubs():
    citations = list(synthetic.citations(PLAN))
    by_hub = Counter(citation.cited["doi"] for citation in citations)
    assert [by_hub[PLAN.doi(hub)] for hub in range(PLAN.hub_count)] == [20_000, 5000, 1000, 200]
    sources = Counter(citation.source if citation.role else "" for citation in citations)
    assert_spread(sources, {"": 0.2, "curator": 0.25, "import": 0.25, "model": 0.3})
    labelled = [citation for citation in citations if citation.role]
    assert_spread(Counter(citation.role for citation in labelled), expected(ROLES))
    polar = [citation for citation in citations if citation.polarity]
    assert_spread(Counter(citation.polarity for citation in polar), expected(POLARITIES))
    assert {c.confidence for c in citations if c.role and c.source == "import"} == {0.9}
    assert all(
        0.5 <= citation.confidence <= 0.99 for citation in citations if citation.source == "model"
    )
    assert_spread(
        Counter(len(citation.contexts) for citation in citations),
        dict.fromkeys((1, 2, 3), 1 / 3),
    )
    assert all(citation.refs >= len(citation.contexts) for citation in citations)
    hub_two = next(c for c in citations if c.cited["doi"] == PLAN.doi(1))
    assert all("Hub 2 et al." in text for text, _ in hub_two.contexts)


def test_reviews_cover_a_share_of_the_citing_papers_with_spread_verdicts():
    reviews = list(synthetic.reviews(PLAN))
    assert len(reviews) / (PLAN.papers - PLAN.hub_count) == pytest.approx(REVIEWED_SHARE, abs=0.01)
    assert_spread(Counter(review.verdict for review in reviews), expected(VERDICTS))
    novelties = [review.novelty for review in reviews if review.verdict != "unverdicted"]
    assert all(0 <= novelty <= 10 and novelty == round(novelty, 1) for novelty in novelties)
    assert "5.5" in {str(novelty) for novelty in novelties}
    assert all(review.novelty is None for review in reviews if review.verdict == "unverdicted")
