"""Who may curate: the one place that answers it, for the admin, the API and pages."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

CURATORS_GROUP = "Curators"


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk).exists()


def is_curator(user, *, require_mfa: bool = True) -> bool:
    """May this user change the record? A superuser, or an active member of the Curators
    group with a verified email address; either way with two-factor authentication set up
    (`require_mfa=False` asks only about the role, to send a curator to set it up)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return not require_mfa or has_mfa(user)
    # An unverified address could belong to anyone: curating waits for verification.
    curators = get_user_model().objects.filter(
        pk=user.pk, groups__name=CURATORS_GROUP, emailaddress__verified=True
    )
    if require_mfa:
        curators = curators.filter(Exists(Authenticator.objects.filter(user=OuterRef("pk"))))
    return curators.exists()
