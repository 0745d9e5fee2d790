"""`load_demo`: the seed hub with its real citing papers, loaded once however often it runs."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count

from hubs.models import Citation, Hub, Paper, Review
from hubs.selectors import hub_summary
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_hub(demo):
    # The session's demo (tests/conftest.py): what a first `load_demo` leaves.
    return demo


def test_first_load_creates_the_hub_and_says_so(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert out.startswith(
        "Demo hub loaded: 37 papers created and 0 updated, 36 citations created and 0 updated"
    )
    assert Hub.objects.get().paper.arxiv_id == "2509.08827"


def test_twice_gives_the_same_rows(demo_hub, capsys):
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert "nothing changed" in capsys.readouterr().out


def test_demo_hub_numbers(demo_hub):
    summary = hub_summary(demo_hub)
    assert summary.citing_count == 36
    assert {year.value: year.count for year in summary.years} == {"2026": 12, "2025": 24}
    assert summary.classified_count == 6
    assert summary.dominant_role.value == "background"
    assert summary.dominant_role.count == 6
    assert {p.value: p.count for p in summary.polarities} == {
        "supporting": 0,
        "neutral": 6,
        "contrasting": 0,
    }


def test_demo_hub_is_the_published_survey(demo_hub):
    assert demo_hub.is_published
    assert demo_hub.paper.arxiv_id == "2509.08827"
    assert demo_hub.paper.title == "A Survey of Reinforcement Learning for Large Reasoning Models"
    assert demo_hub.paper.abstract.startswith("In this paper, we survey recent advances")
    assert demo_hub.paper.authors[0] == "Kaiyan Zhang"


def test_nineteen_citations_carry_their_real_sentence(demo_hub):
    with_context = Citation.objects.annotate(n=Count("contexts")).filter(n__gt=0)
    assert with_context.count() == 19
    flawed = Citation.objects.get(citing__arxiv_id="2510.00938")
    assert flawed.contexts.get().section == "1 Introduction"


def test_missing_dates_come_from_the_arxiv_id(demo_hub):
    fapo = Paper.objects.get(arxiv_id="2510.22543")
    assert (fapo.submitted, fapo.year, fapo.month) == (None, 2025, 10)


def test_representatives_in_seed_order_with_novelty(demo_hub):
    links = demo_hub.representative_links.select_related("paper__review")
    assert [link.paper.arxiv_id for link in links] == [
        "2605.19461",
        "2605.11775",
        "2509.25758",
        "2604.08905",
        "2510.17881",
        "2510.10150",
        "2601.12538",
    ]
    assert [link.paper.review.novelty for link in links] == [
        Decimal(n) for n in ["6.0", "6.0", "6.0", "5.0", "5.0", "5.0", "4.0"]
    ]
    assert all(link.paper.review.summary for link in links)


def test_verdicts(demo_hub):
    conditional = Review.objects.filter(verdict="conditional").values_list(
        "paper__arxiv_id", flat=True
    )
    assert sorted(conditional) == ["2603.12554", "2605.09640", "2605.19282"]
    assert not Review.objects.exclude(verdict__in=["conditional", "unverdicted"]).exists()


def test_refs_from_the_seed_page(demo_hub):
    assert Citation.objects.get(citing__arxiv_id="2605.11775").refs == 2
