"""API tokens in the admin: read-only, for superusers, who may revoke a leaked one."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_superuser_lists_tokens_but_cannot_add_change_or_delete(client, superuser, reader):
    token, key = api_token_create(user=reader, name="Nightly sync")
    client.force_login(superuser)

    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Nightly sync" in content
    assert reader.email in content
    assert key not in content
    assert token.key_hash not in content

    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert detail.status_code == 200
    assert token.key_hash not in detail.content.decode()
    client.post(reverse("admin:accounts_apitoken_change", args=[token.pk]), {"name": "Renamed"})
    assert ApiToken.objects.get().name == "Nightly sync"
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.exists()


def test_superuser_revokes_selected_tokens(client, superuser, reader):
    token, _ = api_token_create(user=reader, name="Leaked")
    client.force_login(superuser)
    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_curators_do_not_see_tokens(client, curator, reader):
    token, _ = api_token_create(user=reader, name="Nightly sync")
    client.force_login(curator)
    index = client.get(reverse("admin:index"))
    models = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert "ApiToken" not in models
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 403
    detail = reverse("admin:accounts_apitoken_change", args=[token.pk])
    assert client.get(detail).status_code == 403
