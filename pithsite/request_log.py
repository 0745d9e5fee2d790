"""Structured logs: one JSON line per request, a request id on every line, no secrets.

RequestLogMiddleware (outermost) takes the id from X-Request-ID when it looks like an id
(a load balancer's or proxy's), otherwise makes one, returns it as X-Request-ID, and after
the response logs method, path, status, duration, user and id to `pithsite.request`.
RequestIdFilter stamps the id on every other record logged during the request (Django's
error records with their stack trace included), and JsonFormatter writes each record as
one JSON line, scrubbing anything that looks like a credential.

What never reaches a log: query strings' secret parameters, URL segments that are keys
(email confirmation, password reset, personal feed), Authorization headers, cookies (so
session ids and CSRF tokens), request bodies (so passwords). Health probes are left out.
"""

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

from pithsite.health import PROBE_PATHS

logger = logging.getLogger("pithsite.request")

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it is short and plain: it is echoed into logs and headers.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
# URL keyword arguments that are secrets: allauth's confirmation and reset keys, the
# personal feed key.
SECRET_URL_KWARGS = frozenset({"key", "uidb36", "token"})
# A name is secret when it ends in one of these words ("password1", "api_key",
# "access_token", "sessionid"), not when it merely contains one ("author", "keyword").
SECRET_WORDS = (
    r"(?:password|passwd|secret|token|key|sessionid|session|csrftoken|csrfmiddlewaretoken"
    r"|authorization|auth|code|signature)"
)
SECRET_NAME = rf"(?:\w*[_-])?{SECRET_WORDS}\d*"
SECRET_PARAMETER = re.compile(rf"(?i)^{SECRET_NAME}$")
# "Bearer abc…", "password=abc", "sessionid: abc", '"token": "abc"' in any message.
SECRET_IN_TEXT = re.compile(
    rf"(?i)(\b(?:bearer|basic)\s+"
    rf"|\b{SECRET_NAME}[\"']?\s*[:=]\s*[\"']?(?:(?:bearer|basic)\s+)?)"
    rf"([^\s\"'&,;)]+)"
)
REDACTED = "[redacted]"

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


def request_id_for(header: str | None) -> str:
    """The client's or proxy's id when it looks like one, else a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def scrub(text: str) -> str:
    """Text with anything that looks like a credential replaced by [redacted]."""
    return SECRET_IN_TEXT.sub(lambda match: match[1] + REDACTED, text)


def loggable_path(request) -> str:
    """The path with secret URL segments and secret query values redacted."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_URL_KWARGS and value:
                path = path.replace(str(value), REDACTED)
    query = request.META.get("QUERY_STRING", "")
    if query:
        pairs = [
            (name, REDACTED if SECRET_PARAMETER.match(name) else value)
            for name, value in parse_qsl(query, keep_blank_values=True)
        ]
        path += "?" + urlencode(pairs, safe="[]")
    return path


def user_for_log(request) -> int | str:
    """The signed-in user's id, "anonymous", or "unknown" when it cannot be told."""
    user = getattr(request, "user", None)  # absent when a middleware answered first
    try:
        # May load the session and the user now, if the view never looked: a log line
        # must not turn a response into a 500 when the database has gone away.
        return user.pk if user is not None and user.is_authenticated else "anonymous"
    except Exception:
        return "unknown"


class RequestLogMiddleware:
    """First in MIDDLEWARE, so it times and ids everything, errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        token = _request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.id
            if request.path not in PROBE_PATHS:
                self.log(request, response.status_code, started)
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def log(request, status: int, started: float) -> None:
        level = logging.ERROR if status >= 500 else logging.INFO
        path = loggable_path(request)
        logger.log(
            level,
            "%s %s %s",
            request.method,
            path,
            status,
            extra={
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": user_for_log(request),
            },
        )


class RequestIdFilter(logging.Filter):
    """Stamps the current request's id on every record (None outside a request), and
    redacts the path in Django's own records ("Internal Server Error: /path")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            record.args = tuple(
                loggable_path(request) if arg == getattr(request, "path", None) else arg
                for arg in record.args
            )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request fields, stack."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exception"] = scrub("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(line, ensure_ascii=False, default=str)
