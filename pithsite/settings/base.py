"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each transaction takes SQLite's write lock when it begins, so concurrent writers
    # queue (up to the timeout) instead of one failing midway with "database is locked":
    # two saves of one review then meet the version check, and the later is a 409.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# API throttles and allauth's sign-in rate limits count in the cache: with more than one
# process (gunicorn workers, several servers) it must be shared, e.g. redis://host:6379/0
# (install the `redis` extra). The default is per process, fine for one dev server.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

INSTALLED_APPS = [
    "pithsite.apps.PithAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "accounts",
    "hubs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL character in a path, query or form is a 400 here, before any view or query.
    "pithsite.input_guard.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every full response, and 304 to a matching If-None-Match/If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records request.user as the author of every historical record made in a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "pithsite.urls"
WSGI_APPLICATION = "pithsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# allauth, in one block. People sign in with their email address (there is no username),
# must verify it before they can sign in (and so before they can curate), and staff set
# up TOTP before the admin opens (pithsite.admin).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[pithsite] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",  # five wrong passwords lock an account for 5 min
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# How many proxies (load balancers) in front of the site append the client's address to
# X-Forwarded-For. Every client address comes from this one number: the API throttles
# (DRF's NUM_PROXIES) and allauth's sign-in rate limits (ALLAUTH_TRUSTED_PROXY_COUNT).
# 0, the default, ignores the header (anyone can write it) and counts REMOTE_ADDR.
NUM_PROXIES = env.int("PITHSITE_NUM_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "pithsite"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns "not signed in" into a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hubs.api.permissions.CuratorWritesOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSON parser with a depth limit: a deeply nested body is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": ["hubs.api.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("PITHSITE_API_ANON_RATE", default="120/min"),
        "user": env("PITHSITE_API_USER_RATE", default="1200/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hubs.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "pithsite API",
    "DESCRIPTION": (
        "Citation hubs for programs: hubs, their citing papers (the same filters and sorts "
        "as the hub page's explorer), facets, papers, citations and their history. Reads "
        "are public; writes need a curator (session with CSRF, or an API token sent as "
        "`Authorization: Bearer <token>`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from this site, no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="pithsite <noreply@localhost>")

# A model or import label counts as "classified" on public pages only at or above this
# confidence; curator labels always count (see DESIGN.md, "classification").
PITHSITE_CLASSIFICATION_THRESHOLD = env.float("PITHSITE_CLASSIFICATION_THRESHOLD", default=0.8)

# How long a hub's page-wide numbers may be served from the cache (hubs.numbers_cache);
# services invalidate them on every write, this only bounds writes made around them. The
# invalidation reaches other processes only through a shared cache, so it is on by
# default only where CACHE_URL names one (and in development: runserver is one process).
PITHSITE_HUB_NUMBERS_TTL = env.int(
    "PITHSITE_HUB_NUMBERS_TTL", default=15 * 60 if env("CACHE_URL", default="") else 0
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
