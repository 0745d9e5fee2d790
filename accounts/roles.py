"""Who may curate: the one place that answers it, for the admin, the API and pages.

A request asks the database once (`request_is_curator`, `request_has_mfa` share one
cached `CuratorStatus`), however many places in it ask: the admin alone asks four times
per page. `is_curator(user)` asks afresh, for commands and code with no request.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

CURATORS_GROUP = "Curators"


@dataclass(frozen=True)
class CuratorStatus:
    role: bool  # a superuser, or a Curators member with a verified email address
    mfa: bool  # two-factor authentication set up
    verified: bool  # a verified email address

    def may_curate(self, *, require_mfa: bool = True) -> bool:
        return self.role and (self.mfa or not require_mfa)

    def steps_missing(self) -> list[str]:
        """What a member of the Curators group still has to do before curating, in words."""
        steps = [] if self.verified else ["verify their email address"]
        return steps + ([] if self.mfa else ["set up two-factor authentication"])


NOBODY = CuratorStatus(role=False, mfa=False, verified=False)


def curator_status(user) -> CuratorStatus:
    """The user's role and two-factor set-up, in one query (none for anonymous users)."""
    if not (user and user.is_authenticated and user.is_active):
        return NOBODY
    User = get_user_model()
    # An unverified address could belong to anyone: curating waits for verification.
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            member=Exists(
                User.groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name=CURATORS_GROUP
                )
            ),
            verified=Exists(EmailAddress.objects.filter(user_id=OuterRef("pk"), verified=True)),
            mfa=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))),
        )
        .values_list("member", "verified", "mfa")
        .first()
    )
    if row is None:
        return NOBODY
    member, verified, mfa = row
    return CuratorStatus(
        role=bool(user.is_superuser or (member and verified)),
        mfa=bool(mfa),
        verified=bool(verified),
    )


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk).exists()


def is_curator(user, *, require_mfa: bool = True) -> bool:
    """May this user change the record? A superuser, or an active member of the Curators
    group with a verified email address; either way with two-factor authentication set up
    (`require_mfa=False` asks only about the role, to send a curator to set it up)."""
    return curator_status(user).may_curate(require_mfa=require_mfa)


def request_curator_status(request) -> CuratorStatus:
    """curator_status(request.user), asked once per request and kept on it."""
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    user = request.user
    cached = getattr(request, "_curator_status", None)
    if cached is None or cached[0] != user.pk:  # signing in mid-request changes the user
        cached = (user.pk, curator_status(user))
        request._curator_status = cached
    return cached[1]


def request_is_curator(request, *, require_mfa: bool = True) -> bool:
    """is_curator(request.user), asked once per request."""
    return request_curator_status(request).may_curate(require_mfa=require_mfa)


def request_has_mfa(request) -> bool:
    """Whether the signed-in user has two-factor authentication set up (once per request)."""
    return request_curator_status(request).mfa
