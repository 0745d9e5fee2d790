"""The hub directory, the home page and the API docs in a real browser: what a reader sees,
the directory's sorts, the way back from the docs, and accessibility (axe-core)."""

import pytest

from hubs.models import Paper
from hubs.services.rules import paper_sort_date
from tests.factories import hub_with_citing_papers

pytestmark = pytest.mark.browser

HUB_TITLE = "A Survey of Reinforcement Learning for Large Reasoning Models"


@pytest.fixture
def two_hubs(demo_site):
    """The demo hub (36 citing papers, 2025) and a small, older one whose title sorts
    first (it starts with a digit: first on any collation)."""
    small = hub_with_citing_papers(3, slug="small-hub")
    Paper.objects.filter(pk=small.paper_id).update(
        title="0-shot attention heads",
        year=2017,
        month=None,
        submitted=None,
        sort_date=paper_sort_date(submitted=None, year=2017, month=None),
    )
    return demo_site


def directory_titles(page) -> list[str]:
    return page.locator(".hub-table tbody th[scope=row]").all_inner_texts()


def test_directory_rows_show_year_counts_share_and_bars(page, two_hubs):
    page.goto(two_hubs + "/hubs/")
    row = page.locator(".hub-table tbody tr", has_text=HUB_TITLE)
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "2025"
    assert cells[2] == "36"
    assert cells[3].startswith(("0%", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
    assert "of 36" in cells[3]
    # The mini-bars are drawn: each has at least one segment with a visible width.
    widths = row.locator(".bar-track rect").evaluate_all(
        "rects => rects.map(rect => rect.getBoundingClientRect().width)"
    )
    assert widths and max(widths) > 1


def test_directory_sorts(page, two_hubs):
    page.goto(two_hubs + "/hubs/")
    assert directory_titles(page) == [HUB_TITLE, "0-shot attention heads"]  # most cited first
    page.get_by_role("navigation", name="Sort hubs").get_by_role("link", name="title").click()
    assert "sort=title" in page.url
    assert directory_titles(page) == ["0-shot attention heads", HUB_TITLE]
    page.get_by_role("navigation", name="Sort hubs").get_by_role("link", name="newest").click()
    assert directory_titles(page) == [HUB_TITLE, "0-shot attention heads"]
    current = page.locator(".sorts [aria-current=true]").inner_text()
    assert current == "newest"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["/", "/hubs/", "/hubs/?sort=classified", "/?q=reasoning"])
def test_no_serious_accessibility_violations(page, two_hubs, axe_violations, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(two_hubs + path)
    assert axe_violations(page) == []


def test_home_has_one_search_box_that_searches(page, demo_site):
    page.goto(demo_site + "/")
    assert page.locator("input[type=search]").count() == 1
    page.get_by_label("Search papers by title, author, arXiv id or DOI").fill("Flawed Thinking")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="Papers matching “Flawed Thinking”").is_visible()


def test_api_docs_lead_back_home_and_draw_no_padlock_on_public_reads(page, demo_site):
    page.goto(demo_site + "/api/docs/")
    page.locator(".opblock").first.wait_for(timeout=15000)
    reads, writes = page.locator(".opblock-get"), page.locator(".opblock-put")
    assert reads.count() > 5 and writes.count() > 0
    assert reads.locator(".authorization__btn").count() == 0
    assert writes.first.locator(".authorization__btn").count() == 1
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Home").click()
    assert page.url == demo_site + "/"
