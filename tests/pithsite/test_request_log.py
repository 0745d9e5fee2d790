"""One JSON log line per request with a request id (also sent back as X-Request-ID),
errors as JSON with their stack trace, and no token, password, session id or secret URL
in any log line."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import api_token_create, feed_token_rotate
from pithsite.request_log import JsonFormatter, RequestIdFilter
from tests.factories import PASSWORD


@pytest.fixture
def log_lines(caplog):
    """Every record logged during the test, as the JSON lines production writes."""
    caplog.set_level("INFO")
    caplog.handler.addFilter(RequestIdFilter())
    formatter = JsonFormatter()
    return lambda: [formatter.format(record) for record in caplog.records]


def request_lines(lines: list[str]) -> list[dict]:
    return [line for line in map(json.loads, lines) if line["logger"] == "pithsite.request"]


@pytest.mark.django_db
def test_one_json_line_per_request_with_its_id(client, hub, log_lines):
    response = client.get(f"/hubs/{hub.slug}/?year=2025")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = request_lines(log_lines())
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == f"/hubs/{hub.slug}/?year=2025"
    assert line["status"] == 200
    assert line["user"] == "anonymous"
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_a_proxy_request_id_is_kept_when_sane(client, log_lines):
    response = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    assert response.headers["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert request_lines(log_lines())[0]["request_id"] == "lb-7f3a9c2e-0001"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["x", "a b c d e f g h", "<script>x</script>", "a" * 300])
def test_an_odd_request_id_is_replaced(client, header):
    response = client.get("/", HTTP_X_REQUEST_ID=header)
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


@pytest.mark.django_db
def test_the_line_names_the_signed_in_user(client, reader, log_lines):
    client.force_login(reader)
    client.get("/")
    assert request_lines(log_lines())[0]["user"] == reader.pk


@pytest.mark.django_db
def test_no_token_reaches_the_logs(reader, log_lines):
    _, key = api_token_create(user=reader, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/v1/hubs/")
    client.get(f"/api/v1/hubs/?token={key}&api_key={key}")
    client.get("/api/v1/no-such-thing/", HTTP_AUTHORIZATION=f"Bearer {key}")
    lines = log_lines()
    assert len(request_lines(lines)) == 3
    assert request_lines(lines)[0]["user"] == reader.pk
    assert key not in "\n".join(lines)


@pytest.mark.django_db
def test_a_sign_in_leaves_no_password_or_session_id_in_the_logs(client, reader, log_lines):
    response = client.post(reverse("account_login"), {"login": reader.email, "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("account_login"), {"login": reader.email, "password": "wrong horse"})
    session_id = client.cookies["sessionid"].value
    csrf = client.cookies.get("csrftoken")
    text = "\n".join(log_lines())
    assert request_lines(log_lines())
    assert PASSWORD not in text
    assert "wrong horse" not in text
    assert session_id not in text
    assert csrf is None or csrf.value not in text


@pytest.mark.django_db
def test_secret_url_segments_are_redacted(client, reader, log_lines):
    feed = feed_token_rotate(user=reader)
    client.get(f"/account/feed/{feed.key}.atom")
    client.get("/accounts/confirm-email/MTIz:1tXyZa:s3cr3t-confirmation-key/")
    client.get("/accounts/password/reset/key/1f-s3cr3t-reset-key/")
    text = "\n".join(log_lines())
    assert feed.key not in text
    assert "s3cr3t" not in text
    paths = [line["path"] for line in request_lines(log_lines())]
    assert "/account/feed/[redacted].atom" in paths


@pytest.mark.django_db
def test_probes_are_not_logged(client, log_lines):
    client.get("/healthz")
    client.get("/readyz")
    assert request_lines(log_lines()) == []


@pytest.mark.django_db
@pytest.mark.urls("tests.pithsite.urls_failing")
def test_an_error_is_one_json_line_with_its_stack_trace(log_lines):
    client = Client(raise_request_exception=False)
    response = client.get("/fails/?password=hunter2", HTTP_AUTHORIZATION="Bearer abcdef123456")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    lines = [json.loads(line) for line in log_lines()]
    [error] = [line for line in lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == request_id
    assert "Traceback" in error["exception"]
    assert "the view failed on purpose" in error["exception"]
    [request] = request_lines(log_lines())
    assert request["status"] == 500
    assert request["level"] == "ERROR"
    assert "hunter2" not in "\n".join(log_lines())
    assert "abcdef123456" not in "\n".join(log_lines())


def test_the_formatter_scrubs_credentials_from_messages():
    from pithsite.request_log import scrub

    assert "hunter2" not in scrub('login failed: password="hunter2"')
    assert "abc.def" not in scrub("header Authorization: Bearer abc.def")
    assert "k3y" not in scrub("{'api_key': 'k3y'}")
    assert "s3" not in scrub("password1=s3&csrfmiddlewaretoken=s3")
    assert scrub("GET /hubs/?author=Ada&q=keyword 200") == "GET /hubs/?author=Ada&q=keyword 200"


@pytest.mark.django_db
def test_a_user_that_cannot_be_looked_up_does_not_break_the_response(
    client, monkeypatch, log_lines
):
    # The database went away after the view answered: the log line must not turn a good
    # (or a 503) response into a 500 by looking the user up.
    from django.contrib import auth
    from django.db.utils import OperationalError

    def database_gone(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(auth, "get_user", database_gone)
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert request_lines(log_lines())[0]["user"] == "unknown"
