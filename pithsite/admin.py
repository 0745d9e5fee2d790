"""The admin site: curators and admins only, signed in through allauth, with MFA."""

from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin.views.main import ERROR_FLAG, SEARCH_VAR
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.roles import request_has_mfa, request_is_curator
from hubs.inputs import SEARCH_MAX_LENGTH, SEARCH_TOO_LONG


class PithAdminSite(admin.AdminSite):
    site_header = "pithsite curation"
    site_title = "pithsite curation"
    index_title = "Curation"
    # The lists are wide (labels, filters, editable columns); the app sidebar squeezes them.
    enable_nav_sidebar = False

    def has_permission(self, request):
        # The role only: admin_view() below sends a curator without MFA to set it up.
        user = request.user
        return user.is_active and user.is_staff and request_is_curator(request, require_mfa=False)

    def login(self, request, extra_context=None):
        # Sign-in goes through allauth, so the admin has the site's rate limits, MFA and
        # lock-out rules rather than a second, weaker door.
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("account_login"))
        if self.has_permission(request):
            return redirect(next_url)
        raise PermissionDenied(
            "This account may not use the curation admin (curators need a verified email)."
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if self.has_permission(request) and not request_has_mfa(request):
                messages.info(request, "Set up two-factor authentication to use the admin.")
                return redirect_to_login(
                    request.get_full_path(), login_url=reverse("mfa_activate_totp")
                )
            if any(
                name != SEARCH_VAR and value.isascii() and value.isdigit() and len(value) > 18
                for name, value in request.GET.items()
            ):
                # A filter's number past any 64-bit id (?hub=99999999999999999999): the
                # database would refuse to compare it. Django's "invalid filter" notice.
                return redirect(f"{request.path}?{ERROR_FLAG}=1")
            if len(request.GET.get(SEARCH_VAR, "")) > SEARCH_MAX_LENGTH:
                # Every list's search, once: the words would reach the database as LIKE
                # patterns (SQLite refuses long ones). Back to the list, with the reason.
                messages.error(request, SEARCH_TOO_LONG)
                params = request.GET.copy()
                params.pop(SEARCH_VAR)
                return redirect(f"{request.path}?{params.urlencode()}")
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)
