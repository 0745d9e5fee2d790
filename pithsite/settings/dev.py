"""Development: runs with no configuration at all (embedded SQLite under var/)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-used-in-production-0123456789"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
PITHSITE_HUB_NUMBERS_TTL = env.int("PITHSITE_HUB_NUMBERS_TTL", default=15 * 60)

# Logs as readable text; DJANGO_LOG_FORMAT=json shows what production writes.
LOGGING["handlers"]["console"]["formatter"] = env("DJANGO_LOG_FORMAT", default="text")  # noqa: F405
