"""A reader's own pages: the account page (sign-in, MFA, API tokens, feed), follows."""

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views import View

from accounts.forms import ApiTokenCreateForm
from accounts.selectors import account_overview, feed_token_of, following_overview
from accounts.services import (
    api_token_create,
    api_token_revoke,
    feed_token_revoke,
    feed_token_rotate,
    follows_mark_seen,
    hub_follow,
    hub_unfollow,
)
from hubs.inputs import next_path
from hubs.models import Hub
from hubs.text import quoted_title


class AccountLoginRequiredMixin(LoginRequiredMixin):
    login_url = reverse_lazy("account_login")


def _render_profile(request, *, form=None, new_token=None, new_key=None, status=200):
    response = render(
        request,
        "account/profile.html",
        {
            **account_overview(request.user),
            "form": form or ApiTokenCreateForm(),
            "new_token": new_token,
            "new_key": new_key,
        },
        status=status,
    )
    # The page can hold a freshly made key: keep it out of every cache and the back button.
    add_never_cache_headers(response)
    return response


class ProfileView(AccountLoginRequiredMixin, View):
    def get(self, request):
        return _render_profile(request)


class ApiTokenCreateView(AccountLoginRequiredMixin, View):
    def post(self, request):
        form = ApiTokenCreateForm(request.POST)
        if not form.is_valid():
            return _render_profile(request, form=form)
        token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        # The key is shown in this response only: not stashed in the session, which would
        # store it in plain (in the session table) until the next page view.
        return _render_profile(request, new_token=token, new_key=key)


class ApiTokenRevokeView(AccountLoginRequiredMixin, View):
    def post(self, request, pk):
        # Only the user's own tokens: anyone else's is a 404, not a hint that it exists.
        token = get_object_or_404(request.user.api_tokens, pk=pk)
        api_token_revoke(token=token, by=request.user)
        messages.success(request, f"API token “{token.name}” revoked.")
        return redirect("accounts:profile")


def _back(request, fallback: str):
    """Where a POST came from (a same-site `next`), or the fallback."""
    return redirect(next_path(request, fallback))


class FollowView(AccountLoginRequiredMixin, View):
    def post(self, request, slug):
        hub = get_object_or_404(Hub.objects.published(), slug=slug)
        hub_follow(user=request.user, hub=hub)
        messages.success(request, f"You follow {quoted_title(hub.paper.title)}.")
        return _back(request, hub.get_absolute_url())


class UnfollowView(AccountLoginRequiredMixin, View):
    def post(self, request, slug):
        # A published hub, or a draft this reader followed before it was unpublished; any
        # other draft is a 404, as on its page, so its slug does not reveal its title.
        hub = get_object_or_404(
            Hub.objects.published_or_followed_by(request.user).select_related("paper"),
            slug=slug,
        )
        hub_unfollow(user=request.user, hub=hub)
        messages.success(request, f"You no longer follow {quoted_title(hub.paper.title)}.")
        return _back(request, hub.get_absolute_url())


class FollowingView(AccountLoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "account/following.html",
            {
                "followed": following_overview(request.user),
                "feed_token": feed_token_of(request.user),
            },
        )


class FollowingSeenView(AccountLoginRequiredMixin, View):
    def post(self, request):
        follows_mark_seen(user=request.user)
        return redirect("accounts:following")


class FeedTokenRotateView(AccountLoginRequiredMixin, View):
    def post(self, request):
        feed_token_rotate(user=request.user)
        messages.success(request, "Your personal feed has a new address; the old one is off.")
        return _back(request, reverse("accounts:profile"))


class FeedTokenRevokeView(AccountLoginRequiredMixin, View):
    def post(self, request):
        feed_token_revoke(user=request.user)
        messages.success(request, "Your personal feed is switched off.")
        return _back(request, reverse("accounts:profile"))


# Where the person was going when they were sent to set up two-factor authentication.
MFA_SETUP_NEXT_KEY = "mfa-setup-next"


class TotpActivateView(ActivateTOTPView):
    """allauth's TOTP set-up that returns to `next` (the curation queue, the admin) after
    the recovery codes. allauth's own posts its form to an address without `next` and
    ends on the recovery codes page, so the page remembers it here until the code is
    accepted and hands it on to the codes page (RecoveryCodesView)."""

    def get(self, request, *args, **kwargs):
        target = get_next_redirect_url(request)  # None unless it is on this site
        if target:
            request.session[MFA_SETUP_NEXT_KEY] = target
        else:
            request.session.pop(MFA_SETUP_NEXT_KEY, None)
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        url = super().get_success_url()
        target = self.request.session.pop(MFA_SETUP_NEXT_KEY, None)
        if not target:
            return url
        if self.did_generate_recovery_codes:  # they must see them once before going on
            return f"{url}?{urlencode({'next': target})}"
        return target


class RecoveryCodesView(ViewRecoveryCodesView):
    """allauth's recovery codes page, with a way on to `next` when set-up brought it."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["next_url"] = get_next_redirect_url(self.request)
        return context
