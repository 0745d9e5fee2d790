"""The curator's day in a browser: the queue classifies a citation's role and polarity in
one submission and moves focus to the next item without reloading the page; two-factor
set-up returns to where it began; the pages touched have no serious accessibility fault.
(The form post without JavaScript is pinned in tests/hubs/curation/test_queue.py.)"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from hubs.models import Citation
from tests.browser.test_accounts_and_curation import sign_in
from tests.factories import PASSWORD, CuratorFactory, totp_now

pytestmark = pytest.mark.browser


def curator_signed_in(page, site):
    """A curator with TOTP set up, signed in with password and code."""
    curator = CuratorFactory(mfa=False)
    secret = generate_totp_secret()
    TOTP.activate(curator, secret)
    sign_in(page, site, curator.email)
    page.locator("input[name=code]").fill(totp_now(secret))
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url(site + "/")
    return curator


def item_ids(page) -> list[int]:
    return [
        int(value.removeprefix("citation-"))
        for value in page.locator("ol.queue > li.queue-item").evaluate_all(
            "items => items.map(item => item.id)"
        )
    ]


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def remaining(page) -> int:
    return int(page.locator("[data-remaining]").get_attribute("data-remaining"))


def test_keys_classify_role_and_polarity_in_one_submission_and_focus_moves_on(
    page, demo_site, axe_violations
):
    curator = curator_signed_in(page, demo_site)
    page.goto(demo_site + "/curate/")
    assert axe_violations(page) == []
    # A mark left on the window disappears if the page reloads.
    page.evaluate("() => { window.notReloaded = true; }")
    start, ids = remaining(page), item_ids(page)
    page.keyboard.press("j")  # focus the first citation
    assert focused_id(page) == f"citation-{ids[0]}"
    for index in range(3):
        page.keyboard.press("b")  # role: background
        page.keyboard.press("n")  # polarity: neutral, and the citation is saved
        page.locator(f"#citation-{ids[index]}").wait_for(state="detached")
        assert focused_id(page) == f"citation-{ids[index + 1]}"
        assert remaining(page) == start - index - 1
    assert page.evaluate("() => window.notReloaded") is True
    assert "background, neutral" in page.locator("#queue-message").inner_text()
    for pk in ids[:3]:
        citation = Citation.objects.get(pk=pk)
        assert (citation.role, citation.polarity) == ("background", "neutral")
        assert citation.classified_by == curator
    # One submission per citation: one history record each.
    assert Citation.history.filter(history_user=curator).count() == 3
    assert axe_violations(page) == []


def test_the_mouse_saves_both_labels_with_one_button(page, demo_site):
    curator = curator_signed_in(page, demo_site)
    page.goto(demo_site + "/curate/")
    first, second = item_ids(page)[:2]
    item = page.locator(f"#citation-{first}")
    item.get_by_label("uses method").check()
    item.get_by_label("contrasting").check()
    item.get_by_role("button", name="Save role and polarity").click()
    item.wait_for(state="detached")
    assert focused_id(page) == f"citation-{second}"
    citation = Citation.objects.get(pk=first)
    assert (citation.role, citation.polarity) == ("uses_method", "contrasting")
    assert Citation.history.filter(history_user=curator).count() == 1


def test_changes_page_has_no_serious_accessibility_fault(page, demo_site, axe_violations):
    curator_signed_in(page, demo_site)
    page.goto(demo_site + "/curate/")
    page.keyboard.press("j")
    page.keyboard.press("d")
    page.keyboard.press("s")
    page.locator("#queue-message").get_by_text("uses data, supporting").wait_for()
    page.goto(demo_site + "/curate/changes/")
    # The demo's citations were loaded without history: this is the first record of it.
    assert "set: role uses data, polarity supporting" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_totp_set_up_returns_to_the_queue(page, demo_site, axe_violations):
    curator = CuratorFactory(mfa=False)
    sign_in(page, demo_site, curator.email)
    page.wait_for_url(demo_site + "/")
    page.goto(demo_site + "/curate/")
    # allauth asks for the password again before a security change.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert axe_violations(page) == []
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_now(secret))
    page.locator("main").get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/?next=*")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Saved them? Continue where you were going").click()
    page.wait_for_url(demo_site + "/curate/")
    assert page.get_by_role("heading", name="Curation queue").is_visible()


def test_without_javascript_the_form_posts_and_the_next_item_has_the_focus(browser, demo_site):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        curator = curator_signed_in(page, demo_site)
        page.goto(demo_site + "/curate/")
        first, second = item_ids(page)[:2]
        item = page.locator(f"#citation-{first}")
        item.get_by_label("builds on").check()
        item.get_by_label("supporting").check()
        item.get_by_role("button", name="Save role and polarity").click()
        page.wait_for_url(f"**/curate/#citation-{second}")
        assert page.locator(f"#citation-{first}").count() == 0
        assert focused_id(page) == f"citation-{second}"  # autofocus, no script
        assert Citation.history.filter(history_user=curator).count() == 1
    finally:
        context.close()
