"""The account page: sign-in links and the user's API tokens (create, show once, revoke)."""

import re
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from tests.factories import UserFactory
from tests.queries import queries_for

pytestmark = pytest.mark.django_db

KEY = re.compile(r"pith_[A-Za-z0-9_-]{40,}")


def main_text(response) -> str:
    """What a reader sees in <main>: no tags, whitespace collapsed."""
    main = re.search(r"<main\b.*?</main>", response.content.decode(), flags=re.S)[0]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def create_token(client, name="laptop script"):
    return client.post(reverse("accounts:api-token-create"), {"name": name})


class TestSignedOut:
    @pytest.mark.parametrize(
        ("method", "url_name", "args"),
        [
            ("get", "accounts:profile", []),
            ("post", "accounts:api-token-create", []),
            ("post", "accounts:api-token-revoke", [1]),
        ],
    )
    def test_every_page_sends_to_sign_in(self, client, method, url_name, args):
        url = reverse(url_name, args=args)
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
        assert not ApiToken.objects.exists()


class TestProfile:
    def test_shows_email_and_links_to_email_and_password_pages(self, reader_client, reader):
        response = reader_client.get(reverse("accounts:profile"))
        assert response.status_code == 200
        assert reader.email in main_text(response)
        content = response.content.decode()
        assert f'href="{reverse("account_email")}"' in content
        assert f'href="{reverse("account_change_password")}"' in content
        assert "You have no API tokens yet." in main_text(response)

    def test_lists_own_tokens_only_with_revoke_for_active_ones(self, reader_client, reader):
        active, _ = api_token_create(user=reader, name="Nightly sync")
        revoked, _ = api_token_create(user=reader, name="Old laptop")
        api_token_revoke(token=revoked, by=reader)
        api_token_create(user=UserFactory(), name="Someone else's")

        response = reader_client.get(reverse("accounts:profile"))
        text = main_text(response)
        assert "Nightly sync" in text
        assert f"{active.prefix}…" in text
        assert "Old laptop" in text
        assert "Revoked" in text
        assert "Someone else's" not in text
        content = response.content.decode()
        assert reverse("accounts:api-token-revoke", args=[active.pk]) in content
        assert reverse("accounts:api-token-revoke", args=[revoked.pk]) not in content

    def test_the_create_form_has_a_labelled_name_field(self, reader_client):
        content = reader_client.get(reverse("accounts:profile")).content.decode()
        assert '<label for="id_name">Token name</label>' in content
        assert 'id="id_name"' in content

    def test_is_never_cached(self, reader_client):
        response = reader_client.get(reverse("accounts:profile"))
        assert "no-store" in response["Cache-Control"]

    def test_query_count_does_not_grow_with_tokens_or_follows(self, reader_client, reader):
        from accounts.services import hub_follow
        from tests.factories import HubFactory

        for n in range(20):
            token, _ = api_token_create(user=reader, name=f"token {n}")
            if n % 3 == 0:
                api_token_revoke(token=token, by=reader)
            hub_follow(user=reader, hub=HubFactory())
        # session, user, tokens, follows, feed token
        assert queries_for(reader_client, reverse("accounts:profile")) <= 5


class TestCreate:
    def test_shows_the_key_once_then_never_again(self, reader_client, reader):
        response = create_token(reader_client, "laptop script")
        assert response.status_code == 200
        token = ApiToken.objects.get()
        assert token.user == reader
        assert token.name == "laptop script"
        keys = KEY.findall(response.content.decode())
        assert len(keys) == 1
        assert keys[0].startswith(token.prefix)
        assert "it will not be shown again" in main_text(response)
        assert "no-store" in response["Cache-Control"]

        again = reader_client.get(reverse("accounts:profile"))
        assert keys[0] not in again.content.decode()
        assert not KEY.search(again.content.decode())
        assert "laptop script" in main_text(again)

    def test_the_key_is_not_kept_in_plain_in_the_token_or_the_session(self, reader_client):
        response = create_token(reader_client)
        key = KEY.search(response.content.decode())[0]
        reader_client.get(reverse("accounts:profile"))

        token = ApiToken.objects.values().get()
        assert key not in {str(value) for value in token.values()}
        for session in Session.objects.all():
            assert key not in session.session_data
            assert key not in str(session.get_decoded())

    def test_the_shown_key_signs_in_to_the_api(self, reader_client, reader):
        from rest_framework.test import APIRequestFactory

        from accounts.authentication import ApiTokenAuthentication

        key = KEY.search(create_token(reader_client).content.decode())[0]
        request = APIRequestFactory().get("/api/", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert ApiTokenAuthentication().authenticate(request)[0] == reader

    @pytest.mark.parametrize("name", ["", "   "])
    def test_a_name_is_required(self, reader_client, name):
        response = create_token(reader_client, name)
        assert response.status_code == 200
        assert response.context["form"].errors == {"name": ["This field is required."]}
        assert "This field is required." in main_text(response)
        assert 'aria-invalid="true"' in response.content.decode()
        assert not ApiToken.objects.exists()
        assert not KEY.search(response.content.decode())

    def test_a_too_long_name_is_an_error(self, reader_client):
        response = create_token(reader_client, "x" * 101)
        assert "name" in response.context["form"].errors
        assert not ApiToken.objects.exists()

    def test_any_signed_in_user_may_create_one(self, client, curator):
        client.force_login(curator)
        assert create_token(client).status_code == 200
        assert ApiToken.objects.get().user == curator

    def test_needs_the_csrf_token(self, reader):
        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        assert create_token(client).status_code == 403
        assert not ApiToken.objects.exists()

    def test_get_is_not_allowed(self, reader_client):
        assert reader_client.get(reverse("accounts:api-token-create")).status_code == 405


class TestRevoke:
    def test_revokes_own_token_and_says_so(self, reader_client, reader):
        token, _ = api_token_create(user=reader, name="Nightly sync")
        response = reader_client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:profile")
        token.refresh_from_db()
        assert token.revoked_at is not None

        page = reader_client.get(reverse("accounts:profile"))
        assert "API token “Nightly sync” revoked." in main_text(page)
        assert reverse("accounts:api-token-revoke", args=[token.pk]) not in page.content.decode()

    def test_cannot_revoke_another_users_token(self, reader_client):
        token, _ = api_token_create(user=UserFactory(), name="not yours")
        response = reader_client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
        assert response.status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_a_superuser_cannot_revoke_others_from_their_account_page(self, client, superuser):
        # Superusers revoke other people's tokens in the admin, not here.
        token, _ = api_token_create(user=UserFactory(), name="not yours")
        client.force_login(superuser)
        response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
        assert response.status_code == 404

    def test_needs_the_csrf_token(self, reader):
        token, _ = api_token_create(user=reader, name="Nightly sync")
        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
        assert response.status_code == 403
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_get_is_not_allowed(self, reader_client, reader):
        token, _ = api_token_create(user=reader, name="Nightly sync")
        url = reverse("accounts:api-token-revoke", args=[token.pk])
        assert reader_client.get(url).status_code == 405
        token.refresh_from_db()
        assert token.revoked_at is None
