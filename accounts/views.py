"""The account page: sign-in details and the user's API tokens."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views import View

from accounts.forms import ApiTokenCreateForm
from accounts.services import api_token_create, api_token_revoke


class AccountLoginRequiredMixin(LoginRequiredMixin):
    login_url = reverse_lazy("account_login")


def _render_profile(request, *, form=None, new_token=None, new_key=None, status=200):
    response = render(
        request,
        "account/profile.html",
        {
            "tokens": request.user.api_tokens.all(),
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
