"""A down database or cache answers 503 (or nothing at all changes), never a 500.

The real outage (a PostgreSQL server stopped and started under a running site) is in
test_servers.py; here the failure is injected, so these run on SQLite too.
"""

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

import hubs.api.views
import hubs.views
from tests.factories import UserFactory

# Nothing listens here: every Redis call is refused at once, as when Redis is down.
DOWN_REDIS = {
    "default": {
        "BACKEND": "pithsite.cache.ForgivingRedisCache",
        "LOCATION": "unix:///nonexistent/pithsite-redis.sock",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def database_down(*args, **kwargs):
    raise OperationalError(
        "connection failed: No such file or directory\n\tIs the server running?"
    )


@pytest.mark.django_db
def test_a_page_answers_503_with_the_friendly_page_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(hubs.views.HubListView, "get_context_data", database_down)

    response = client.get(reverse("hubs:hub-list"))

    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "Back in a moment" in body
    assert "OperationalError" not in body and "Traceback" not in body


@pytest.mark.django_db
def test_the_api_answers_503_in_its_error_shape_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(hubs.api.views.HubListView, "get", database_down)

    response = client.get("/api/v1/hubs/")

    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "The database is not answering right now.",
        }
    }


@pytest.mark.django_db
def test_other_errors_are_still_500s(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(hubs.api.views.HubListView, "get", broken)
    client.raise_request_exception = False

    assert client.get("/api/v1/hubs/").status_code == 500


@pytest.mark.django_db
@override_settings(CACHES=DOWN_REDIS)
def test_pages_and_the_api_still_answer_with_redis_down(client, hub):
    assert client.get(reverse("hubs:hub-detail", args=[hub.slug])).status_code == 200
    assert client.get("/api/v1/hubs/").status_code == 200
    assert client.get(f"/api/v1/hubs/{hub.slug}/citing-papers/").status_code == 200


@pytest.mark.django_db
@override_settings(CACHES=DOWN_REDIS)
def test_sign_in_fails_closed_with_redis_down(client):
    """Its rate limit cannot count wrong passwords without the cache: it refuses, saying why."""
    user = UserFactory(password="right-password-123")

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "right-password-123"}
    )

    assert response.status_code == 503
    assert "paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
