"""API tokens are made and revoked through accounts.services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import ApiToken, api_key_hash
from accounts.services import api_token_create, api_token_mark_used, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_returns_a_key_that_is_stored_only_as_a_hash(reader):
    token, key = api_token_create(user=reader, name="laptop script")

    assert key.startswith("pith_")
    assert len(key) > 40
    token.refresh_from_db()
    assert token.key_hash == api_key_hash(key)
    assert token.key_hash != key
    assert token.prefix == key[:8]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert ApiToken.objects.active().get() == token


def test_each_token_gets_its_own_key(reader):
    _, first = api_token_create(user=reader, name="one")
    _, second = api_token_create(user=reader, name="two")
    assert first != second


def test_owner_revokes_and_revoking_again_keeps_the_first_time(reader):
    token, _ = api_token_create(user=reader, name="old")
    api_token_revoke(token=token, by=reader)
    revoked_at = ApiToken.objects.get().revoked_at
    assert revoked_at is not None
    assert not ApiToken.objects.active().exists()

    api_token_revoke(token=token, by=reader)
    assert ApiToken.objects.get().revoked_at == revoked_at


def test_another_user_cannot_revoke_a_token(reader, curator):
    token, _ = api_token_create(user=reader, name="mine")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=curator)
    assert ApiToken.objects.get().revoked_at is None


def test_a_superuser_can_revoke_anyones_token(reader, superuser):
    token, _ = api_token_create(user=reader, name="leaked")
    api_token_revoke(token=token, by=superuser)
    assert ApiToken.objects.get().revoked_at is not None


def test_mark_used_writes_at_most_once_a_minute(reader, django_assert_num_queries):
    token, _ = api_token_create(user=reader, name="busy")
    now = timezone.now()
    with django_assert_num_queries(1):
        api_token_mark_used(token=token, now=now)
    with django_assert_num_queries(0):
        api_token_mark_used(token=token, now=now + datetime.timedelta(seconds=59))
    assert ApiToken.objects.get().last_used_at == now

    later = now + datetime.timedelta(minutes=1)
    api_token_mark_used(token=token, now=later)
    assert ApiToken.objects.get().last_used_at == later


def test_deleting_a_user_deletes_their_tokens():
    user = UserFactory()
    api_token_create(user=user, name="gone")
    user.delete()
    assert not ApiToken.objects.exists()
