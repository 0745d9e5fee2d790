"""Sign-up by email link and sign-in with TOTP (the queue: test_curator_queue.py)."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core import mail

from tests.factories import PASSWORD, UserFactory, totp_now

pytestmark = pytest.mark.browser


def sign_in(page, site, email, password=PASSWORD):
    page.goto(site + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main").get_by_role("button", name="Sign In").click()


def test_sign_up_with_the_emailed_verification_link(page, demo_site):
    mail.outbox.clear()
    page.goto(demo_site + "/accounts/signup/")
    page.locator("input[name=email]").fill("newcomer@example.org")
    page.locator("input[name=password1]").fill("a long passphrase 42")
    page.locator("input[name=password2]").fill("a long passphrase 42")
    page.locator("main").get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)[0]
    page.goto(demo_site + urlsplit(link).path)
    page.locator("main").get_by_role("button", name="Confirm").click()
    page.goto(demo_site + "/account/")
    assert page.get_by_text("newcomer@example.org").first.is_visible()


def test_sign_in_with_totp(page, demo_site):
    user = UserFactory(email="careful@example.org")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    sign_in(page, demo_site, user.email)
    page.wait_for_url("**/2fa/authenticate/")
    page.locator("input[name=code]").fill(totp_now(secret))
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.goto(demo_site + "/account/")
    assert "/account/" in page.url
    assert page.get_by_role("link", name="Sign out").is_visible()
