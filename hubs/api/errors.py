"""One error shape for every 4xx the API returns:

{"error": {"code": "validation_error", "message": "...", "fields": {"novelty": ["..."]}}}
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from hubs.api.serializers import ReviewSerializer
from hubs.filters import InvalidSort
from hubs.paging import InvalidCursor
from hubs.services import ReviewConflict


def error_response(
    *, code: str, message: str, status_code: int, fields: dict | None = None, **extra
) -> Response:
    body = {"code": code, "message": message, **extra}
    if fields:
        body["fields"] = fields
    return Response({"error": body}, status=status_code)


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, InvalidCursor):
        return exceptions.ValidationError({"cursor": [str(exc)]})
    if isinstance(exc, InvalidSort):
        return exceptions.ValidationError({"sort": [str(exc)]})
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def flatten_errors(detail) -> dict:
    """DRF's error detail as {field: [messages]}: nested errors get dotted paths
    ("papers.0", "items.2.role"), so no message is ever a repr of DRF's classes."""
    fields: dict[str, list[str]] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                if isinstance(inner, dict | list | tuple):
                    walk(inner, f"{path}.{index}" if path else str(index))
                else:
                    fields.setdefault(path or "non_field_errors", []).append(str(inner))
        else:
            fields.setdefault(path or "non_field_errors", []).append(str(value))

    walk(detail, "")
    return fields


SERVER_ERROR = "Something went wrong on our side; it has been logged. Please try again later."


def bad_request(request, exception, *args, **kwargs):
    """The site's 400 handler (pithsite.urls.handler400), for what Django refuses before a
    view runs (a body past DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host):
    the API's error shape under /api/, a page saying what happened elsewhere."""
    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    message = (
        "The request body is larger than the site accepts."
        if too_big
        else "The request was malformed."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "bad_request", "message": message}}, status=400)
    try:
        return render(request, "400.html", {"too_big": too_big}, status=400)
    except Exception:  # the page itself needs a sound request; fall back to Django's
        return defaults.bad_request(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    """The site's 500 handler (pithsite.urls.handler500): the API's error shape under
    /api/, the site's error page elsewhere. Django has logged the stack trace already."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "server_error", "message": SERVER_ERROR}}, status=500
        )
    return defaults.server_error(request, *args, **kwargs)


def api_exception_handler(exc, context):
    if isinstance(exc, ReviewConflict):
        return error_response(
            code="conflict",
            message=str(exc),
            status_code=status.HTTP_409_CONFLICT,
            current=ReviewSerializer(exc.current).data,
        )
    exc = _as_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 handling and logging take over
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        message = "; ".join(
            messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
            for field, messages in fields.items()
        )
        error = error_response(
            code="validation_error",
            message=message,
            status_code=status.HTTP_400_BAD_REQUEST,
            fields=fields,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        error = error_response(code=code, message=str(detail), status_code=response.status_code)
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if header in response:
            error[header] = response[header]
    return error
