"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

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

# --- Database: primary, optional read replica, faults (issue 12; pithsite/db_routing.py,
# pithsite/faults.py). A down database answers 503 instead of hanging: libpq waits at most
# PITHSITE_DB_CONNECT_TIMEOUT seconds to connect (its floor is 2; a stopped server on this
# machine is refused at once), and each request checks a kept connection before use.
DATABASE_CONNECT_TIMEOUT = env.int("PITHSITE_DB_CONNECT_TIMEOUT", default=2)
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    # Tests use the primary's test database under this alias too (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _database in DATABASES.values():
    _database["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in _database["ENGINE"]:
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        # No JIT compilation: PostgreSQL compiles any plan it costs above jit_above_cost
        # first, and the site's reads are short (a search narrowed by a facet at a million
        # citing papers spent 100 ms of its 458 compiling; an export's first row waited
        # 1-2 s for it).
        _database["OPTIONS"].setdefault("options", "-c jit=off")
DATABASE_ROUTERS = ["pithsite.db_routing.PrimaryReplicaRouter"]
# How long after a write a browser keeps reading from the primary (read-your-writes).
PITHSITE_PRIMARY_PIN_SECONDS = env.int("PITHSITE_PRIMARY_PIN_SECONDS", default=15)
# --- end of the database block

# API throttles and allauth's sign-in rate limits count in the cache: with more than one
# process (gunicorn workers, several servers) it must be shared, e.g. redis://host:6379/0
# (install the `redis` extra). The default is per process, fine for one dev server.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# --- A Redis outage must not take pages down (issue 12, pithsite/cache.py): misses for
# page caches and throttles, 503 for sign-in rate limits (fail closed); short timeouts.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "pithsite.cache.ForgivingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    )
# --- end of the Redis block

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
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "accounts",
    "hubs",
]

MIDDLEWARE = [
    # A request id on every log line and response, and one JSON log line per request.
    "pithsite.request_log.RequestLogMiddleware",
    # /healthz and /readyz for a load balancer, answered before host checks and redirects.
    "pithsite.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (see "Headers" below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL character in a path, query or form is a 400 here, before any view or query.
    "pithsite.input_guard.RejectNulMiddleware",
    # Kept hub pages and API answers (hubs.page_cache), answered before the rest.
    "hubs.page_cache.KeptPageMiddleware",
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
# --- Faults and read replica (issue 12): a down database or rate-limit cache answers 503
# (pithsite.faults); reads go to the replica unless the request must see the primary.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "pithsite.faults.ServiceUnavailableMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "pithsite.db_routing.PrimaryReadsMiddleware",
)
# --- end of the faults block

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
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # a mail server down is a message
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

# The site's public address (https://example.org), for absolute links where no request
# names it reliably (the MCP tools' URLs); empty: the request's own host.
PITHSITE_SITE_URL = env("PITHSITE_SITE_URL", default="")

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
    # DRF's rates, counted in constant time per request (hubs.api.throttling).
    "DEFAULT_THROTTLE_CLASSES": [
        "hubs.api.throttling.AnonRateThrottle",
        "hubs.api.throttling.SignedInRateThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("PITHSITE_API_ANON_RATE", default="120/min"),
        "user": env("PITHSITE_API_USER_RATE", default="1200/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "hubs.api.schema.AutoSchema",
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
    # No badge from validator.swagger.io: the CSP allows images from this site only.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
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

# A model's or an import's suggested label counts as "classified" on public pages only at
# or above its threshold; curator labels always count (see DESIGN.md, "classification").
# PITHSITE_CLASSIFICATION_THRESHOLD is every label's default; PITHSITE_CLASSIFICATION_
# THRESHOLDS sets single labels ("supporting=0.95,contrasting=0.7", role or polarity
# values), like the seed site: agreeing with a paper is claimed only when very sure, a
# disagreement is rarer and worth showing sooner. Read through hubs.querysets.threshold_for.
# The hubs' counts table (hubs.counts) was counted under the old thresholds: after
# changing any, run `manage.py rebuild_hub_counts`.
PITHSITE_CLASSIFICATION_THRESHOLD = env.float("PITHSITE_CLASSIFICATION_THRESHOLD", default=0.8)
PITHSITE_CLASSIFICATION_THRESHOLDS = {
    label: float(value)
    for label, value in env.dict(
        "PITHSITE_CLASSIFICATION_THRESHOLDS", default={"supporting": "0.95", "contrasting": "0.7"}
    ).items()
}

# How long a hub's page-wide numbers may be served from the cache (hubs.numbers_cache);
# services invalidate them on every write, this only bounds writes made around them. The
# invalidation reaches other processes only through a shared cache, so it is on by
# default only where CACHE_URL names one (and in development: runserver is one process).
PITHSITE_HUB_NUMBERS_TTL = env.int(
    "PITHSITE_HUB_NUMBERS_TTL", default=15 * 60 if env("CACHE_URL", default="") else 0
)

# --- Headers (issue 12) -----------------------------------------------------------------
# Scripts and styles come from this site only. No inline script or style runs without the
# response's nonce ({{ request.csp_nonce }}); the only ones are the API docs' Swagger UI
# set-up (templates/drf_spectacular/swagger_ui.html). JSON-LD blocks are data, not script.
# data: images are allauth's TOTP QR code and Swagger UI's icons. Same in every
# environment, so a violation shows in development and in the browser tests first.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the site never uses are off, for it and for anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Logs (issue 12) --------------------------------------------------------------------
# One line per record on stderr: JSON in production (DJANGO_LOG_FORMAT=json, the default
# here; development says text), each with the request's id. pithsite.request_log writes
# one line per request and keeps secrets out; django.request keeps only errors (with
# their stack trace): the request line already says which requests failed with a 4xx.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pithsite.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "pithsite.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "loggers": {
        "django.request": {"level": "ERROR"},
        # The MCP SDK logs each /mcp exchange's start and end; pithsite.request logs it once.
        "mcp": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
