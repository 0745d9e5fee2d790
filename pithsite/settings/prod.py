"""Production: every secret comes from the environment, and a missing one stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: ImproperlyConfigured when unset
# Django's own bar (check --deploy, security.W009): 50 characters, 5 different ones.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith(("dev-", "django-insecure"))
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a real secret of at least 50 characters in production, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# Keep each worker's database connection between requests: otherwise every request costs
# PostgreSQL a new backend process and a cold catalog cache (the warm hub page went from 84
# to 387 req/s under wrk, demo hub, 2 workers). A kept connection is checked before each
# request (CONN_HEALTH_CHECKS, base.py), so a restarted server means a reconnect, not a
# failed request.
for _database in DATABASES.values():  # noqa: F405
    _database["CONN_MAX_AGE"] = env.int("PITHSITE_DB_CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year of HTTPS-only, subdomains included: what browsers' preload lists ask for. Preload
# itself is a promise that is hard to take back (hstspreload.org), so it is opt-in; while
# it is off, check --deploy's reminder about it (W021) is silenced, on purpose.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=True)

# --- Shared cache (issue 12) ------------------------------------------------------------
# Sign-in lockouts, allauth's rate limits and the API throttles count in the cache. In a
# per-process cache each gunicorn worker counts on its own (two workers let the right
# password in after twelve wrong ones), so production refuses to start without a shared one.
_CACHE_URL = env("CACHE_URL", default="")
if not _CACHE_URL:
    raise ImproperlyConfigured(
        "CACHE_URL must name a shared cache in production, e.g. redis://localhost:6379/0: "
        "sign-in lockouts and API limits are counted there."
    )
CACHES = {"default": env.cache_url("CACHE_URL")}
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    raise ImproperlyConfigured(
        f"CACHE_URL must name a shared cache (redis:// or rediss://), not "
        f"{CACHES['default']['BACKEND']}: a per-process cache counts limits per worker."
    )
# A Redis that stops answering is a cache miss for pages and throttles and a 503 for
# sign-in limits (pithsite.cache), within a second rather than a hang.
CACHES["default"]["BACKEND"] = "pithsite.cache.ForgivingRedisCache"
CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)
