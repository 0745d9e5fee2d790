"""Who may curate: the one place that answers it, for the admin, the API and pages."""

CURATORS_GROUP = "Curators"


def is_curator(user) -> bool:
    """A signed-in, active member of the Curators group, or a superuser."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=CURATORS_GROUP).exists()
