"""Two-factor set-up returns to where the person was going (`next`), after showing the
recovery codes: allauth's own flow ended on the codes page and forgot it."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, CuratorFactory, UserFactory, totp_now

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def activate_totp(client, next_url: str | None):
    """Open the set-up page (with `next`, as the curation queue sends people there), then
    post the code as its form does: to the page's address without the query string."""
    url = reverse("mfa_activate_totp")
    asked = url + (f"?next={quote(next_url, safe='')}" if next_url else "")
    # allauth asks for the password again first, and comes back with `next` intact.
    reauthenticate = client.get(asked)
    assert reauthenticate["Location"].startswith(reverse("account_reauthenticate"))
    back = client.post(reauthenticate["Location"], {"password": PASSWORD})
    assert back["Location"] == asked
    page = client.get(asked)
    assert page.status_code == 200
    secret = page.context["form"].secret
    return client.post(url, {"code": totp_now(secret)})


def test_totp_set_up_shows_the_recovery_codes_then_returns_to_next(client):
    curator = CuratorFactory(mfa=False)
    sign_in(client, curator)
    # The queue sends a curator without two-factor authentication to set it up.
    sent = client.get(reverse("curation:queue"))
    assert sent["Location"] == reverse("mfa_activate_totp") + "?next=/curate/"
    response = activate_totp(client, "/curate/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes") + "?next=%2Fcurate%2F"
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert 'href="/curate/"' in codes.content.decode()
    assert "Continue" in codes.content.decode()
    assert client.get(reverse("curation:queue")).status_code == 200  # set up: curating


def test_without_next_the_set_up_ends_on_the_recovery_codes_as_before(client):
    user = UserFactory()
    sign_in(client, user)
    response = activate_totp(client, None)
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert "Continue" not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x"])
def test_a_next_on_another_site_is_ignored(client, elsewhere):
    user = UserFactory()
    sign_in(client, user)
    response = activate_totp(client, elsewhere)
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes") + f"?next={quote(elsewhere)}")
    assert "evil.example" not in codes.content.decode()
