import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import CommandError, call_command

from accounts.roles import is_curator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_grant_curator_makes_a_staff_curator(capsys):
    user = UserFactory(email="ada@example.org")
    call_command("grant_curator", "ADA@example.org")
    user.refresh_from_db()
    assert is_curator(user, require_mfa=False)
    assert user.is_staff
    out = capsys.readouterr().out
    assert "now a curator" in out
    assert "set up two-factor authentication" in out
    # Writes wait for two-factor authentication.
    assert not is_curator(user)
    TOTP.activate(user, generate_totp_secret())
    assert is_curator(user)


def test_unverified_email_cannot_curate():
    user = UserFactory(verified=False)
    TOTP.activate(user, generate_totp_secret())
    call_command("grant_curator", user.email)
    assert not is_curator(user, require_mfa=False)
    assert not is_curator(user)


def test_revoke_curator_takes_it_back():
    user = UserFactory(email="ada@example.org")
    call_command("grant_curator", "ada@example.org")
    call_command("revoke_curator", "ada@example.org")
    user.refresh_from_db()
    assert not is_curator(user)
    assert not user.is_staff


def test_unknown_email_is_a_clear_error():
    with pytest.raises(CommandError, match="No user has the email address"):
        call_command("grant_curator", "nobody@example.org")


def test_readers_and_anonymous_are_not_curators(reader, superuser):
    from django.contrib.auth.models import AnonymousUser

    assert not is_curator(reader)
    assert not is_curator(AnonymousUser())
    assert is_curator(superuser)


def test_emails_are_unique_whatever_their_case():
    from django.db import IntegrityError

    UserFactory(email="ada@example.org")
    with pytest.raises(IntegrityError):
        UserFactory(email="Ada@Example.org")


def test_grant_curator_asks_only_for_what_is_missing(capsys):
    verified = UserFactory(email="ada@example.org")
    call_command("grant_curator", verified.email)
    out = capsys.readouterr().out
    assert "verify" not in out  # the address is verified already
    assert "set up two-factor authentication" in out

    unverified = UserFactory(email="bob@example.org", verified=False)
    TOTP.activate(unverified, generate_totp_secret())
    call_command("grant_curator", unverified.email)
    out = capsys.readouterr().out
    assert "verify their email address" in out
    assert "two-factor" not in out

    ready = UserFactory(email="cy@example.org")
    TOTP.activate(ready, generate_totp_secret())
    call_command("grant_curator", ready.email)
    assert capsys.readouterr().out == "cy@example.org is now a curator.\n"
