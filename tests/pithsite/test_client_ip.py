"""One number says how many proxies' X-Forwarded-For entries to trust: the API throttles
and allauth's rate limits read the same one (PITHSITE_NUM_PROXIES, default none)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_by_default_no_proxy_is_trusted():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0


def test_the_api_and_allauth_read_one_setting():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REST_FRAMEWORK['NUM_PROXIES'], s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pithsite.settings.test",
            "PITHSITE_NUM_PROXIES": "2",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["2", "2"]
