"""Every answer carries a Content-Security-Policy without unsafe-inline scripts or styles
and a Permissions-Policy; the one inline script and style (the API docs' Swagger UI set-up)
carry the response's nonce, and no template has another or a style attribute.

JSON data blocks (`<script type="application/ld+json">`) are data a browser never runs,
and CSP does not apply to them; they carry no nonce, so the hub and paper pages stay the
same bytes from one request to the next (ETag, 304)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def inline_blocks(html: str, tag: str) -> list[str]:
    """The opening tags of inline <script>/<style> blocks a browser would run or apply
    (not <script src=…>, not JSON data blocks)."""
    return [
        opening
        for opening in re.findall(rf"<{tag}\b[^>]*>", html)
        if tag == "style" or not re.search(r"\ssrc=|type=\"application/(ld\+)?json\"", opening)
    ]


def test_pages_send_a_strict_content_security_policy(client, demo):
    response = client.get(f"/hubs/{demo.slug}/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_hub_page_runs_nothing_inline(client, demo):
    html = client.get(f"/hubs/{demo.slug}/").content.decode()
    assert 'type="application/ld+json"' in html
    assert inline_blocks(html, "script") == []
    assert inline_blocks(html, "style") == []
    assert " style=" not in html


def test_the_hub_page_is_the_same_bytes_twice(client, demo):
    first = client.get(f"/hubs/{demo.slug}/")
    second = client.get(f"/hubs/{demo.slug}/", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert second.status_code == 304


def test_each_response_has_its_own_nonce(client, db):
    first = client.get("/api/docs/").headers["Content-Security-Policy"]
    second = client.get("/api/docs/").headers["Content-Security-Policy"]
    assert re.search(r"'nonce-[^']+'", first)
    assert first != second


def test_api_docs_run_under_the_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    blocks = inline_blocks(html, "script") + inline_blocks(html, "style")
    assert blocks, "the docs page sets Swagger UI up inline"
    assert all(f'nonce="{nonce}"' in opening for opening in blocks)
    # Swagger UI's own scripts and styles are served from this site (the sidecar).
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


@pytest.mark.parametrize("path", ["/", "/api/v1/hubs/", "/accounts/login/"])
def test_every_answer_has_a_permissions_policy(client, db, path):
    policy = client.get(path).headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_templates_have_no_inline_script_without_a_nonce_and_no_style_attribute():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for opening in inline_blocks(text, "script") + inline_blocks(text, "style"):
            if "nonce=" not in opening:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {opening}")
        if re.search(r"\sstyle=|\son[a-z]+=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: style= or on…= attribute")
    assert offenders == []


def test_the_email_page_has_no_style_attribute(client, reader):
    # allauth's own template hides a form with style="display: none".
    client.force_login(reader)
    client.post("/accounts/email/", {"action_add": "", "email": "second@example.org"})
    html = client.get("/accounts/email/").content.decode()
    assert "second@example.org" in html
    assert " style=" not in html
