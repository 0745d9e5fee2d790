"""Production settings refuse to start without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(DJANGO_SETTINGS_MODULE=module, **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_development_needs_no_configuration():
    assert load_settings("pithsite.settings.dev").returncode == 0


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings("pithsite.settings.prod", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "key", ["short", "dev-only-insecure-key-never-used-in-production-0123456789"]
)
def test_production_refuses_a_weak_secret_key(key):
    result = load_settings(
        "pithsite.settings.prod", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="example.org"
    )
    assert result.returncode != 0
    assert "real secret" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = load_settings(
        "pithsite.settings.prod",
        DJANGO_SECRET_KEY="x7" * 25,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr


def test_the_cache_is_configured_from_the_environment():
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL"))
    }
    environment.update(
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
