"""Sign-up, email verification, sign-in with TOTP, rate limits, and the admin's door."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, CuratorFactory, StaffWithMfaFactory, UserFactory, totp_now

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


class TestSignUp:
    def test_sign_up_sends_a_verification_link_that_signs_in(self, client):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        assert len(mail.outbox) == 1
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)[0]
        path = link.split("testserver", 1)[1]
        client.post(path)
        assert client.get(reverse("accounts:profile")).status_code == 200

    def test_unverified_email_cannot_sign_in(self, client):
        UserFactory(email="pending@example.org", verified=False)
        response = sign_in(client, "pending@example.org")
        assert response["Location"] == reverse("account_email_verification_sent")
        assert client.get(reverse("accounts:profile")).status_code == 302

    def test_email_is_the_login(self, client, reader):
        response = sign_in(client, reader.email.upper())
        assert response.status_code == 302
        assert client.get(reverse("accounts:profile")).status_code == 200


class TestTwoFactor:
    def test_sign_in_with_totp(self, client):
        user = UserFactory(email="careful@example.org")
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        response = sign_in(client, user.email)
        assert response["Location"] == reverse("mfa_authenticate")
        assert client.get(reverse("accounts:profile")).status_code == 302  # not yet
        response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
        assert response.status_code == 302
        assert client.get(reverse("accounts:profile")).status_code == 200

    def test_wrong_totp_code_is_refused(self, client):
        user = UserFactory()
        TOTP.activate(user, generate_totp_secret())
        sign_in(client, user.email)
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
        assert client.get(reverse("accounts:profile")).status_code == 302

    def test_staff_without_mfa_is_sent_to_set_it_up(self, client):
        curator = CuratorFactory(mfa=False)
        client.force_login(curator)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
        assert "next=/admin/" in response["Location"]

    def test_staff_with_mfa_opens_the_admin(self, client, curator):
        client.force_login(curator)
        assert client.get(reverse("admin:index")).status_code == 200


class TestAdminDoor:
    def test_admin_login_is_allauths(self, client):
        response = client.get(reverse("admin:login"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_unverified_curator_cannot_open_the_admin(self, client):
        user = StaffWithMfaFactory(verified=False)
        from accounts.services import curator_grant

        curator_grant(user=user)
        client.force_login(user)
        response = client.get(reverse("admin:index"), follow=True)
        assert response.status_code == 403


class TestRateLimits:
    def test_failed_sign_ins_lock_the_account_for_a_while(self, client, reader):
        for _ in range(5):
            assert sign_in(client, reader.email, "wrong password").status_code == 200
        response = sign_in(client, reader.email, PASSWORD)
        assert response.status_code in (200, 429)
        assert "Too many failed login attempts" in response.content.decode()
        assert client.get(reverse("accounts:profile")).status_code == 302

    def test_sign_up_is_rate_limited(self, client):
        statuses = [
            client.post(reverse("account_signup"), {"email": f"bot{n}@example.org"}).status_code
            for n in range(21)
        ]
        assert statuses[:20] == [200] * 20
        assert statuses[20] == 429

    def test_password_reset_is_rate_limited(self, client, reader):
        statuses = [
            client.post(reverse("account_reset_password"), {"email": reader.email}).status_code
            for _ in range(6)
        ]
        assert statuses[-1] == 429
        assert User.objects.count() == 1

    def test_a_different_x_forwarded_for_per_request_does_not_lift_a_limit(self, client):
        statuses = [
            client.post(
                reverse("account_signup"),
                {"email": f"bot{n}@example.org"},
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            ).status_code
            for n in range(21)
        ]
        assert statuses[20] == 429
