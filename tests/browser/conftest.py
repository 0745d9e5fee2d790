"""Browser tests: Debian's Chromium driven by Playwright against a live test server.

Run with `make test-browser`, which installs Chromium and axe-core first. They are marked
`browser` and left out of `make test`; without Chromium they fail loudly rather than skip.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make there (loading the demo) are still synchronous, so Django's guard is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test-browser` installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, transactional_db, django_db_serialized_rollback):
    # A live server needs committed data, so these tests flush the database after each
    # one; the serialized rollback puts back what migrations made (the Curators group).
    call_command("load_demo")
    return live_server.url


@pytest.fixture
def axe_violations():
    """Run axe-core on the page; returns its serious and critical violations."""
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}; `make test-browser` installs it.")

    def run(page) -> list[dict]:
        # Evaluated through the DevTools protocol, not as a <script> tag: the site's
        # Content-Security-Policy refuses inline scripts without its nonce.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(f"() => {{ {AXE.read_text(encoding='utf-8')}\n}}")
        result = page.evaluate("async () => await axe.run(document)")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run
