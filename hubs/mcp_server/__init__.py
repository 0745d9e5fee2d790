"""The site's Model Context Protocol server at /mcp: the read layer's questions as tools
for AI agents (tools), spoken over the SDK's Streamable HTTP transport inside a Django
view (transport), so runserver and gunicorn serve it with the rest of the site."""

from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def mcp_endpoint(request):
    """/mcp (transport.mcp_endpoint), importing the SDK at the first request: it takes a
    second or two to import, which every manage.py command (migrate, load_demo, each
    runserver start) would otherwise pay in its URL checks."""
    from hubs.mcp_server.transport import mcp_endpoint as endpoint

    return endpoint(request)
