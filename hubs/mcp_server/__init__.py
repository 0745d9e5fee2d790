"""The site's Model Context Protocol server at /mcp: the read layer's questions as tools
for AI agents (tools), spoken over the SDK's Streamable HTTP transport inside a Django
view (transport), so runserver and gunicorn serve it with the rest of the site."""
