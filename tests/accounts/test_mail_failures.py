"""With the mail server down, sign-up, password reset and adding an email address answer
with a clear message, not a 500, and say nothing about mail being sent."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NOT_SENT = "We could not send the email"


class RefusingBackend(BaseEmailBackend):
    """What Django's SMTP backend does when nothing listens on the mail port."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(autouse=True)
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"


def test_sign_up_says_the_mail_could_not_be_sent(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_SENT in page
    assert "new@example.org" in page
    assert "Confirmation email sent" not in page
    # The account exists; signing in later sends the verification link again.
    assert User.objects.filter(email="new@example.org").exists()


def test_password_reset_says_the_mail_could_not_be_sent(client, reader):
    response = client.post(reverse("account_reset_password"), {"email": reader.email}, follow=True)
    assert response.status_code == 200
    assert NOT_SENT in response.content.decode()


def test_adding_an_email_address_says_the_mail_could_not_be_sent(client, reader):
    client.post(reverse("account_login"), {"login": reader.email, "password": PASSWORD})
    response = client.post(
        reverse("account_email"),
        {"action_add": "", "email": "second@example.org"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_SENT in page
    assert "Confirmation email sent" not in page


def test_the_failure_is_logged_without_the_mail_or_its_link(client, reader, caplog):
    client.post(reverse("account_reset_password"), {"email": reader.email})
    failures = [r for r in caplog.records if r.name == "accounts.adapter"]
    assert failures and "Connection refused" in failures[0].getMessage()
    assert "/reset/key/" not in caplog.text
    assert reader.email not in caplog.text
