"""When a service the site depends on is down: a 503 in a second, never a 500 or a hang.

The database down (connection refused or lost, `connect_timeout` in settings bounds the
wait) answers every page with templates/503.html and every API call with the API's error
shape, `{"error": {"code": "service_unavailable", "message": ...}}`, plus `Retry-After`.
Nothing is cached or kept: Django opens a fresh connection on the next request, so the
site recovers by itself when the database is back. A write that failed this way was
rolled back whole (services are atomic), so the client may simply retry it.

The shared cache down is mostly harmless (pithsite.cache serves pages without it); only
sign-in, sign-up and password reset refuse, because their rate limits cannot be counted
(`CacheUnavailable`, fail closed).

The 503 page is a plain template rendered without the request: base.html would ask the
database who is signed in.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

from pithsite.cache import CacheUnavailable

logger = logging.getLogger("pithsite.faults")

RETRY_AFTER_SECONDS = 5
DATABASE_DOWN = "The database is not answering right now."
CACHE_DOWN = (
    "Signing in, signing up and password resets are paused for a moment: their rate "
    "limits cannot be counted."
)


def service_unavailable(request, message: str) -> HttpResponse:
    """The 503 answer: the API's JSON error shape under /api/, else the friendly page."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "service_unavailable", "message": message}}, status=503
        )
    else:
        response = HttpResponse(
            loader.get_template("503.html").render({"message": message}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """Turns "the database (or the cache a rate limit needs) is down" into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            # One line, no stack trace: a down database is an outage, not a bug.
            logger.warning(
                "database unavailable: %s %s: %s",
                request.method,
                request.path,
                str(exception).splitlines()[0] if str(exception) else type(exception).__name__,
            )
            return service_unavailable(request, DATABASE_DOWN)
        if isinstance(exception, CacheUnavailable):
            logger.warning("cache unavailable: %s %s", request.method, request.path)
            return service_unavailable(request, CACHE_DOWN)
        return None
