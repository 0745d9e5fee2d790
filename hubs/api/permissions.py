from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import request_is_curator


class CuratorWritesOnly(BasePermission):
    """Anyone may read; only curators may write (the one curator check: accounts.roles)."""

    message = (
        "Only curators may change the record (with a verified email address and "
        "two-factor authentication set up)."
    )

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request_is_curator(request)
