"""/mcp: the SDK's Streamable HTTP transport answered by a Django view.

Each POST is one JSON-RPC exchange answered with one JSON body (the transport's
stateless, JSON-response mode: no session to keep, no event stream), so the ordinary
WSGI servers serve it (runserver under `make run`, gunicorn under `make serve-prod`) and
the request passes through the site's middleware (allowed hosts, request logs, headers)
like any page. The view hands the request to a fresh SDK session manager as an ASGI
call, in `async_to_sync`; the tools' ORM calls come back to this thread
(hubs.mcp_server.tools). GET (a server-to-client event stream) and DELETE (ending a
session) answer 405, as the transport allows for a server that offers neither.

Requests count against the API's throttles (the same classes, rates and cache): an
agent gets as many requests as an anonymous API client.
"""

from asgiref.sync import async_to_sync
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from rest_framework.settings import api_settings

from hubs.mcp_server.tools import current_request, server

# Django has checked the Host header against ALLOWED_HOSTS before the view runs.
_SECURITY = TransportSecuritySettings(enable_dns_rebinding_protection=False)


def _scope(request) -> dict:
    host, _, port = request.get_host().partition(":")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": request.scheme,
        "path": request.path,
        "raw_path": request.path.encode(),
        "root_path": "",
        "query_string": request.META.get("QUERY_STRING", "").encode("latin-1"),
        "headers": [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in request.headers.items()
        ],
        "server": (host, int(port) if port.isdigit() else (443 if request.is_secure() else 80)),
        "client": (request.META.get("REMOTE_ADDR", ""), 0),
    }


async def _answer(scope: dict, body: bytes) -> tuple[int, list, bytes]:
    """Run one exchange through the SDK's transport; returns status, headers and body."""
    manager = StreamableHTTPSessionManager(
        app=server._lowlevel_server,  # the MCPServer's protocol server, as its own apps use
        json_response=True,
        stateless=True,
        security_settings=_SECURITY,
    )
    sent = {"status": 500, "headers": [], "body": []}
    delivered = False

    async def receive():
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"], sent["headers"] = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            sent["body"].append(message.get("body", b""))

    async with manager.run():
        await manager.handle_request(scope, receive, send)
    return sent["status"], sent["headers"], b"".join(sent["body"])


def _throttled(request) -> HttpResponse | None:
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            response = JsonResponse(
                {
                    "jsonrpc": "2.0",
                    "id": None,
                    "error": {
                        "code": -32000,
                        "message": f"Too many requests; try again in {int(wait or 1)} seconds.",
                    },
                },
                status=429,
            )
            if wait is not None:
                response["Retry-After"] = str(int(wait) + 1)
            return response
    return None


@csrf_exempt
def mcp_endpoint(request):
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    refused = _throttled(request)
    if refused is not None:
        return refused
    token = current_request.set(request)
    try:
        status, headers, body = async_to_sync(_answer)(_scope(request), request.body)
    finally:
        current_request.reset(token)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        name = name.decode("latin-1")
        if name.lower() not in {"content-length", "connection", "transfer-encoding"}:
            response[name] = value.decode("latin-1")
    return response
