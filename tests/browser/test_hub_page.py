"""The hub page in a real browser: sections, facets, paging, downloads, accessibility."""

import csv

import pytest

pytestmark = pytest.mark.browser

HUB = "/hubs/rl-for-large-reasoning-models/"


def test_hub_page_renders_every_section(page, demo_site):
    page.goto(demo_site + HUB)
    headings = page.locator("main h2, main h3").all_text_contents()
    for heading in [
        "Abstract",
        "Hub tools",
        "Citation-role summary",
        "Citation-polarity summary",
        "Citing papers per month",
        "Years",
        "Roles",
        "Polarities",
        "Representative citing papers",
        "Citing papers explorer",
    ]:
        assert heading in headings
    assert page.get_by_text("36 papers citing it").is_visible()
    assert page.locator(".showing").inner_text() == "Showing 1–25 of 36 citing papers."


def test_a_facet_click_filters_the_explorer(page, demo_site):
    page.goto(demo_site + HUB)
    page.locator(".facets section", has_text="Years").get_by_role("link", name="2025").click()
    assert "year=2025" in page.url
    assert (
        page.locator(".showing").inner_text() == "Showing 1–24 of 24 matching (36 citing in all)."
    )
    assert page.locator(".facets a.active").first.inner_text().startswith("2025")


def test_summary_count_link_filters_the_explorer(page, demo_site):
    page.goto(demo_site + HUB)
    link = page.locator("#summaries a[href='?role=unclassified#explorer']")
    count = int(link.inner_text())
    link.click()
    assert "role=unclassified" in page.url
    assert (
        page.locator(".showing").inner_text().endswith(f"of {count} matching (36 citing in all).")
    )


def test_filter_form_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + HUB)
    page.get_by_label("Category").select_option("cs.CV")
    page.get_by_label("Sort").select_option("oldest")
    page.get_by_role("button", name="Apply").click()
    assert page.locator(".showing").inner_text() == "Showing 1–8 of 8 matching (36 citing in all)."
    assert "sort=oldest" in page.url
    context.close()


def test_the_filter_form_leaves_empty_fields_out_of_the_url(page, demo_site):
    page.goto(demo_site + HUB)
    page.get_by_label("Category").select_option("cs.CV")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**category=cs.CV**")
    assert page.url.split("?", 1)[1].split("#")[0] == "category=cs.CV&sort=newest"
    assert page.locator(".showing").inner_text() == "Showing 1–8 of 8 matching (36 citing in all)."


def test_paging_forward_and_back(page, demo_site):
    page.goto(demo_site + HUB)
    first = page.locator(".results .papers h3").all_inner_texts()
    page.get_by_role("link", name="Next →").click()
    assert "cursor=" in page.url
    second = page.locator(".results .papers h3").all_inner_texts()
    assert len(first) == 25 and len(second) == 11
    assert not set(first) & set(second)
    page.get_by_role("link", name="← Previous").click()
    assert page.locator(".results .papers h3").all_inner_texts() == first


@pytest.mark.parametrize(("label", "rows"), [("CSV", 37)])
def test_a_download_arrives(page, demo_site, tmp_path, label, rows):
    page.goto(demo_site + HUB + "?year=2026")
    with page.expect_download() as download_info:
        page.locator(".tools").get_by_role("link", name=label, exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "rl-for-large-reasoning-models-citing.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with open(target, encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 12  # the year filter is honoured


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=entropy",
        "/hubs/",
        HUB,
        HUB + "?year=2025&sort=novelty",
        "/papers/2510.00938/",
        "/citations/1/",
        "/classifier/",
    ],
)
def test_no_serious_accessibility_violations(page, demo_site, axe_violations, path):
    page.goto(demo_site + path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", HUB, "/papers/2510.00938/"])
def test_fits_a_360_pixel_screen(browser, demo_site, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(demo_site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_keyboard_reaches_the_explorer_filters(page, demo_site):
    page.goto(demo_site + HUB)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_label("Title or author").focus()
    page.keyboard.type("entropy")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=entropy**")
    assert page.locator(".showing").inner_text() == "Showing 1–3 of 3 matching (36 citing in all)."
