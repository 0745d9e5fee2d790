from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import request_is_curator


class CuratorWritesOnly(BasePermission):
    """Anyone may read; only curators may write (the one curator check: accounts.roles)."""

    message = (
        "Only curators may change the record (with a verified email address and "
        "two-factor authentication set up)."
    )

    @staticmethod
    def open_to_anyone(method: str) -> bool:
        """Whether anyone, signed in or not, may send this method (the schema says so:
        hubs.api.schema.AutoSchema)."""
        return method in SAFE_METHODS

    def has_permission(self, request, view):
        return self.open_to_anyone(request.method) or request_is_curator(request)
