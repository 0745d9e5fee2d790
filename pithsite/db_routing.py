"""Reads from a replica, writes (and the reads that must see them) on the primary.

With `DATABASE_REPLICA_URL` set, settings add a "replica" database and this router sends
reads there; without it the router answers None everywhere and there is one database.

A replica lags the primary by a moment, so some reads must stay on the primary
(read-your-writes). A request reads from the primary, never from the replica, when:

- it is not a safe method (POST, PUT, PATCH, DELETE): a write and what it reads to decide;
- it carries an `Authorization` header (an API token: the curators' tools);
- it comes from a signed-in curator (session): curators read what they just changed;
- it carries the `pith_primary` cookie, set for `PITHSITE_PRIMARY_PIN_SECONDS` after any
  request that wrote to the record (a reader who just followed a hub sees it followed);
- it has already written anything, or the read runs inside a transaction on the primary
  (a service's reads are part of its transaction; `select_for_update` needs the primary).

Accounts, sessions and allauth's tables are always read from the primary: a sign-in, a
new token or a verified address must work on the very next request. Migrations run on
the primary only; the replica gets them by replication.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "pith_primary"

# Apps whose rows decide who the user is: read where they were just written.
PRIMARY_ONLY_APPS = frozenset(
    {"accounts", "auth", "sessions", "contenttypes", "admin", "account", "mfa", "usersessions"}
)

# Per request (and per thread outside requests): pinned to the primary, and wrote a record.
_pinned: ContextVar[bool] = ContextVar("pithsite_db_pinned", default=False)
_wrote: ContextVar[bool] = ContextVar("pithsite_db_wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_to_primary() -> None:
    """Send every further read of this request (or thread) to the primary."""
    _pinned.set(True)


@contextmanager
def primary_reads():
    """Reads in this block go to the primary: for values cached for everyone (a replica's
    lagging answer would be kept long after it caught up)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        if (
            _pinned.get()
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _wrote.set(True)
        return PRIMARY if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both databases hold the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class PrimaryReadsMiddleware:
    """Decides, once per request, whether its reads may go to the replica (see above).

    Sits after AuthenticationMiddleware: a session's curator check reads the accounts
    tables, which are on the primary anyway.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        pinned_token = _pinned.set(self.reads_from_primary(request))
        wrote_token = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.PITHSITE_PRIMARY_PIN_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            return response
        finally:
            _pinned.reset(pinned_token)
            _wrote.reset(wrote_token)

    def reads_from_primary(self, request) -> bool:
        if request.method not in self.SAFE_METHODS:
            return True
        if "HTTP_AUTHORIZATION" in request.META or PIN_COOKIE in request.COOKIES:
            return True
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Imported here: it imports models, and the router loads this module early.
            from accounts.roles import request_is_curator

            return request_is_curator(request, require_mfa=False)
        return False
