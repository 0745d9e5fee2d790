"""/healthz says the process is up without touching the database; /readyz says whether
this server can serve (database, migrations, cache) and names what failed, with a 503."""

import json

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import OperationalError


def test_healthz_answers_without_the_database(client):
    # No django_db mark: pytest-django fails any database access in this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_migrations_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }


@pytest.mark.django_db
def test_probes_answer_any_host_name_a_load_balancer_uses(client):
    # Load balancers probe by the server's address, which is not in ALLOWED_HOSTS.
    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").status_code == 200


@pytest.mark.django_db
def test_readyz_names_a_missing_migration(client):
    MigrationRecorder.Migration.objects.filter(app="hubs").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"].startswith("unapplied: hubs.")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_names_an_unreachable_cache(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:s3cret@127.0.0.1:9/0",  # the discard port: refused
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("unreachable")
    assert "s3cret" not in response.content.decode()


def test_readyz_names_an_unreachable_database(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server failed: password "hunter2" rejected')

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["checks"]["database"] == "unreachable (OperationalError)"
    assert body["checks"]["migrations"] == "not checked"
    assert "hunter2" not in response.content.decode()
