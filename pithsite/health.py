"""Probes for a load balancer, answered before anything else in the middleware stack.

/healthz: the process is up and answering (no database, no cache): restart it if not.
/readyz: this server can serve traffic: the database answers, every migration on disk is
applied, the cache answers. 503 with a JSON body naming what failed: take it out of the
pool until it passes. Both answer whatever Host the probe sends and over plain HTTP (a
load balancer probes a server by its address), and the request log leaves them out.
"""

from functools import cache as memoize

from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse

PROBE_PATHS = ("/healthz", "/readyz")


@memoize
def migrations_on_disk() -> frozenset[tuple[str, str]]:
    """Every migration this code ships; read from disk once per process."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def unreachable(error: Exception) -> str:
    # The class only: messages can carry host names, user names or passwords.
    return f"unreachable ({type(error).__name__})"


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok" or what is wrong."""
    checks = {}
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = unreachable(error)
    if checks["database"] == "ok":
        try:
            applied = set(MigrationRecorder(connection).applied_migrations())
            missing = sorted(migrations_on_disk() - applied)
            checks["migrations"] = (
                "unapplied: " + ", ".join(f"{app}.{name}" for app, name in missing)
                if missing
                else "ok"
            )
        except Exception as error:
            checks["migrations"] = unreachable(error)
    else:
        checks["migrations"] = "not checked"
    try:
        cache.set("pithsite:readyz", "ok", timeout=10)
        checks["cache"] = "ok" if cache.get("pithsite:readyz") == "ok" else "not storing"
    except Exception as error:
        checks["cache"] = unreachable(error)
    return checks


class HealthCheckMiddleware:
    """First in MIDDLEWARE: no host check, no HTTPS redirect, no session for a probe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            checks = readiness()
            ready = all(outcome == "ok" for outcome in checks.values())
            return JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
        return self.get_response(request)
