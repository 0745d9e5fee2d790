import pytest
from django.core.management import CommandError, call_command

from accounts.roles import is_curator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_grant_curator_makes_a_staff_curator(capsys):
    user = UserFactory(email="ada@example.org")
    call_command("grant_curator", "ADA@example.org")
    user.refresh_from_db()
    assert is_curator(user)
    assert user.is_staff
    assert "now a curator" in capsys.readouterr().out


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
