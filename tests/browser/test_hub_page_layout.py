"""The hub page's layout in a real browser (issue 13): the evidence within reach on a phone,
the citing sentence in each row, the charts with their tables, no serious accessibility
violation at desktop and phone widths."""

import pytest

pytestmark = pytest.mark.browser

HUB = "/hubs/rl-for-large-reasoning-models/"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def top_of(page, selector: str) -> float:
    return page.locator(selector).evaluate("e => e.getBoundingClientRect().top + window.scrollY")


def test_the_explorer_starts_within_two_phone_screens(phone, demo_site):
    phone.goto(demo_site + HUB)
    assert top_of(phone, "#explorer") < 2 * PHONE["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_after_a_facet_click_on_a_phone_the_results_are_on_the_first_screen(phone, demo_site):
    phone.goto(demo_site + HUB)
    # The filters are folded under the results: open them, then pick a year.
    phone.locator(".refine > summary").click()
    phone.locator(".facets section", has_text="Years").get_by_role("link", name="2025").click()
    assert "year=2025" in phone.url
    first_row = phone.locator(".results .papers > li").first
    box = first_row.locator("h3").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert not phone.locator(".filters").is_visible()  # folded again after the click
    assert phone.locator(".in-use").inner_text().startswith("Filtered by")


def test_on_a_wide_screen_the_filters_are_open_beside_the_results(page, demo_site):
    page.goto(demo_site + HUB)
    assert page.get_by_label("Year", exact=True).is_visible()
    assert not page.locator(".refine > summary").is_visible()
    filters, results = (
        page.locator(".refine").bounding_box(),
        page.locator(".results").bounding_box(),
    )
    assert filters["x"] + filters["width"] <= results["x"]
    assert top_of(page, "#explorer") < 2 * DESKTOP["height"]


def test_a_row_shows_its_citing_sentence_with_the_mention_highlighted(page, demo_site):
    page.goto(demo_site + HUB + "?year=2025#explorer")
    sentence = page.locator(".results .context").first
    assert sentence.is_visible()
    mark = sentence.locator("mark").first
    assert mark.is_visible()
    assert mark.inner_text().startswith("Zhang et al.")
    # The highlight is drawn: a background colour other than the page's.
    background = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")


def test_the_charts_and_their_tables(page, demo_site):
    page.goto(demo_site + HUB)
    chart = page.locator("svg.column-chart")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert "Citing papers per month" in chart.locator("title").text_content()
    assert page.locator("#summaries .bar-track rect.part-neutral").first.is_visible()
    tables = page.locator("#summaries details.chart-table")
    assert tables.count() == 3
    for index in range(3):
        table = tables.nth(index)
        assert not table.locator("table").is_visible()
        table.locator("summary").click()
        assert table.locator("table").is_visible()
    role_table = tables.first.locator("table")
    assert role_table.locator("thead th").all_inner_texts()[:4] == [
        "Role",
        "Supporting",
        "Neutral",
        "Contrasting",
    ]


def test_the_section_links_work_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(demo_site + HUB)
    page.locator(".page-nav").get_by_role("link", name="Abstract").click()
    assert page.url.endswith("#abstract")
    # Followed, the folded abstract unfolds: its whole text is on the screen.
    abstract = page.locator(".abstract")
    height = abstract.evaluate("e => e.scrollHeight")
    assert abstract.evaluate("e => e.clientHeight") >= height
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("query", ["", "?year=2025&role=unclassified#explorer"])
def test_no_serious_accessibility_violations(browser, demo_site, axe_violations, viewport, query):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(demo_site + HUB + query)
    assert axe_violations(page) == []
    context.close()
