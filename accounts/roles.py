"""Who may curate: the one place that answers it, for the admin, the API and pages."""

from django.contrib.auth import get_user_model

CURATORS_GROUP = "Curators"


def is_curator(user) -> bool:
    """A superuser, or an active member of the Curators group with a verified email."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # An unverified address could belong to anyone: curating waits for verification.
    return (
        get_user_model()
        .objects.filter(pk=user.pk, groups__name=CURATORS_GROUP, emailaddress__verified=True)
        .exists()
    )
