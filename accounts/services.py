"""Writes on accounts."""

import datetime
import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, FeedToken, HubFollow, User, api_key_hash
from accounts.roles import CURATORS_GROUP

# Every key starts with this, so a leaked one is easy to recognise (and to scan for).
API_KEY_PREFIX = "pith_"
# last_used_at is kept to this resolution: a busy client must not cost a write per request.
API_TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def curator_grant(*, user: User) -> User:
    """Make a user a curator: Curators group member with access to the admin site."""
    user.groups.add(Group.objects.get(name=CURATORS_GROUP))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def curator_revoke(*, user: User) -> User:
    """Take curator rights away; a superuser keeps the admin, anyone else loses it."""
    user.groups.remove(Group.objects.get(name=CURATORS_GROUP))
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make an API token; returns it with its plain key, which is stored only as a hash."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=api_key_hash(key)
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token: its owner or a superuser may; revoking twice keeps the first time."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied("You may revoke only your own API tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_mark_used(*, token: ApiToken, now: datetime.datetime | None = None) -> ApiToken:
    """Record that a token signed a request in, at most once per API_TOKEN_USE_RESOLUTION."""
    # A single UPDATE is atomic by itself, and most requests return before writing anything.
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < API_TOKEN_USE_RESOLUTION:
        return token
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


@transaction.atomic
def hub_follow(*, user: User, hub) -> HubFollow:
    """Follow a hub (again: no-op); what it has now counts as seen."""
    follow, _ = HubFollow.objects.get_or_create(
        user=user, hub=hub, defaults={"seen_at": timezone.now()}
    )
    return follow


@transaction.atomic
def hub_unfollow(*, user: User, hub) -> None:
    """Stop following a hub."""
    HubFollow.objects.filter(user=user, hub=hub).delete()


@transaction.atomic
def follows_mark_seen(*, user: User, hub=None) -> int:
    """Mark one followed hub (or all) as caught up with; returns how many."""
    follows = HubFollow.objects.filter(user=user)
    if hub is not None:
        follows = follows.filter(hub=hub)
    return follows.update(seen_at=timezone.now())


@transaction.atomic
def feed_token_rotate(*, user: User) -> FeedToken:
    """Give the user a new personal feed URL; the old one stops working."""
    token, _ = FeedToken.objects.update_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def feed_token_revoke(*, user: User) -> None:
    """Switch the user's personal feed off."""
    FeedToken.objects.filter(user=user).delete()
