"""Pages work under the Content-Security-Policy: no violation is reported, the hub page's
bars are drawn and the API docs (Swagger UI) load the schema and list its operations."""

import pytest

pytestmark = pytest.mark.browser


def watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_hub_page_breaks_no_rule_and_draws_its_bars(page, demo_site):
    violations = watch_violations(page)
    page.goto(demo_site + "/hubs/rl-for-large-reasoning-models/")
    page.wait_for_load_state("networkidle")
    widths = page.locator(".bars rect.bar").evaluate_all(
        "bars => bars.map(bar => bar.getBoundingClientRect().width)"
    )
    assert widths and max(widths) > 10
    assert violations == []


def test_api_docs_work_under_the_policy(page, demo_site):
    violations = watch_violations(page)
    page.goto(demo_site + "/api/docs/")
    page.locator(".opblock").first.wait_for(timeout=15000)
    assert page.locator(".opblock").count() > 10
    assert violations == []


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_pages_break_no_rule(page, demo_site, path):
    violations = watch_violations(page)
    page.goto(demo_site + path)
    page.wait_for_load_state("networkidle")
    assert violations == []
