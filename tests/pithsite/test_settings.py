"""Production settings refuse to start without a real secret key or a shared cache, and
`check --deploy` has nothing to say about them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What a production server is given: a real secret, its host name and a shared cache.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k3J9-vQz!7pLx2@Wn8#rT5yB&d1Hf6$uM0cZs4^eGa+oNq=Yi_w8",
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "CACHE_URL": "redis://cache.internal:6379/0",
}


def clean_environment(**env: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    environment.update(env)
    return environment


def load_settings(module: str, *, code: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=clean_environment(DJANGO_SETTINGS_MODULE=module, **env),
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_needs_no_configuration():
    assert load_settings("pithsite.settings.dev").returncode == 0


def test_production_refuses_to_start_without_a_secret_key():
    environment = {**PRODUCTION}
    del environment["DJANGO_SECRET_KEY"]
    result = load_settings("pithsite.settings.prod", **environment)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "key", ["short", "x7" * 25, "dev-only-insecure-key-never-used-in-production-0123456789"]
)
def test_production_refuses_a_weak_secret_key(key):
    result = load_settings("pithsite.settings.prod", **{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "real secret" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = load_settings("pithsite.settings.prod", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    environment = {**PRODUCTION}
    del environment["CACHE_URL"]
    result = load_settings("pithsite.settings.prod", **environment)
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


@pytest.mark.parametrize("url", ["locmemcache://", "dummycache://", "filecache:///tmp/c"])
def test_production_refuses_a_per_process_cache(url):
    # Sign-in lockouts and API limits count in the cache: per process, two gunicorn
    # workers let twice the limit through.
    result = load_settings("pithsite.settings.prod", **{**PRODUCTION, "CACHE_URL": url})
    assert result.returncode != 0
    assert "shared" in result.stderr


def test_production_takes_the_mail_backend_from_the_environment():
    result = load_settings(
        "pithsite.settings.prod",
        code="from django.conf import settings; print(settings.EMAIL_BACKEND)",
        **PRODUCTION,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_production_sends_mail_over_smtp_by_default():
    result = load_settings(
        "pithsite.settings.prod",
        code="from django.conf import settings; print(settings.EMAIL_BACKEND)",
        **PRODUCTION,
    )
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_production_asks_browsers_for_a_year_of_https_on_every_subdomain():
    result = load_settings(
        "pithsite.settings.prod",
        code="from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SECURE_HSTS_PRELOAD)",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["31536000", "True", "False"]
    preload = load_settings(
        "pithsite.settings.prod",
        code="from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)",
        **PRODUCTION,
        DJANGO_SECURE_HSTS_PRELOAD="on",
    )
    assert preload.stdout.strip() == "True"


@pytest.mark.parametrize("preload", ["off", "on"])
def test_check_deploy_reports_nothing_on_production_settings(preload):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="pithsite.settings.prod",
            DJANGO_SECURE_HSTS_PRELOAD=preload,
            **PRODUCTION,
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_cache_is_configured_from_the_environment():
    environment = clean_environment(
        DJANGO_SETTINGS_MODULE="pithsite.settings.dev", CACHE_URL="redis://cache.internal:6379/1"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "redis" in result.stdout.lower()
    assert "cache.internal:6379/1" in result.stdout


@pytest.mark.parametrize(("env", "kept"), [({}, "60"), ({"PITHSITE_DB_CONN_MAX_AGE": "0"}, "0")])
def test_production_keeps_database_connections_between_requests(env, kept):
    """A new PostgreSQL connection per request cost the warm hub page most of its speed."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    result = load_settings(
        "pithsite.settings.prod",
        code=code,
        **PRODUCTION,
        DATABASE_URL="postgres://u@db.internal/pithsite",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == kept


@pytest.mark.django_db
def test_postgresql_connections_compile_no_plan():
    """JIT compiling cost a search narrowed by a facet 100 of its 458 ms at a million
    citing papers: the site's reads are too short to earn it back."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
