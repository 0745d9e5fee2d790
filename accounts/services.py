"""Writes on accounts."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import CURATORS_GROUP


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
