"""What the hostile-input suite shares: the values it throws, and the checks every answer
must pass (a 4xx with a clear message or a correctly escaped page, never a 500, and
nothing written by a request that was refused)."""

import json

import pytest
from django.apps import apps
from django.db.models import Model

# Markup that must never come back unescaped from a page that echoes input.
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']

# Text parameters, form fields and JSON strings get every one of these.
HOSTILE_TEXT = [
    "",
    " ",
    "x" * 10_000,  # overlong
    "a%" * 30_000,  # 60 KB, and a LIKE pattern SQLite calls too complex
    "\x00",
    "a\x00b",  # NUL: PostgreSQL refuses it in text
    "²⁰²⁵",
    "²",
    "٢٠٢٥",
    # Digits of other scripts (fullwidth, mathematical): isdigit() is true, int() may fail.
    "\uff11\uff12",
    "\U0001d7da\U0001d7d8\U0001d7da\U0001d7dd",
    "\u202e\u0301\ufeff",  # bidi override, a lone combining mark, a BOM
    "😀" * 50,
    *MARKUP,
    "' OR 1=1 --",
    "1; DROP TABLE hubs_paper; --",
    "%' AND '%'='",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "2025-13-45",
    "0000-00-00",
    "not-a-known-value",
    "../../etc/passwd",
    "cD0yMDI1LTAxLTAx",  # a forged DRF cursor ("p=2025-01-01")
    "W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tb",  # a cursor of nested brackets
    "eyJhIjoxfQ",  # base64 JSON of the wrong shape
    "!!!",
]

# One of each kind, for the pages that cost most to render (the hub page): every kind
# still reaches every parameter, and the cheaper pages and the API get the whole list.
HOSTILE_SAMPLE = [
    "x" * 10_000,
    "a%" * 30_000,
    "a\x00b",
    "²⁰²⁵",
    "٢٠٢٥",
    "\u202e\u0301\ufeff",
    *MARKUP,
    "' OR 1=1 --",
    "-1",
    "99999999999999999999999",
    "NaN",
    "2025-13-45",
    "not-a-known-value",
    "cD0yMDI1LTAxLTAx",
]

# The fewest that still cover each way a value breaks a query: for the admin's lists.
HOSTILE_FEW = [
    "a%" * 30_000,
    "a\x00b",
    "²⁰²⁵",
    MARKUP[1],
    "' OR 1=1 --",
    "-1",
    "99999999999999999999999",
    "not-a-known-value",
]

# Raw query strings the test client would not build itself (invalid UTF-8, bare %).
RAW_QUERY_VALUES = ["%FF", "%ED%A0%80", "%C0%AF", "%", "%%", "%0", "%E2%82"]

# JSON values of every type, for each field of each body.
HOSTILE_JSON = [
    *HOSTILE_TEXT,
    None,
    True,
    -1,
    0,
    10**30,
    -(10**30),
    1e308,
    -0.0,
    0.05,
    [],
    {},
    ["background"],
    {"$gt": ""},
    [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],
]

# Raw bodies that are not JSON, or not the JSON anyone should send.
RAW_BODIES = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"string"',
    b"NaN",
    b'{"verdict": NaN}',
    b"\xff\xfe\x00",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    b'{"summary": "' + b"x" * 3_000_000 + b'"}',  # past DATA_UPLOAD_MAX_MEMORY_SIZE
]


def row_counts() -> dict[str, int]:
    """Rows of every table the site writes (history too), by model."""
    models: list[type[Model]] = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"hubs", "accounts"} and model._meta.managed
    ]
    return {model._meta.label: model._base_manager.count() for model in models}


def problems_with(response, *, what: str) -> list[str]:
    """What is wrong with an answer to hostile input (an empty list when all is well)."""
    status = response.status_code
    if status >= 500:
        return [f"{what}: {status}"]
    problems = []
    content_type = response.get("Content-Type", "")
    body = b"" if response.streaming else response.content
    path = response.wsgi_request.path if hasattr(response, "wsgi_request") else ""
    if (
        path.startswith("/api/")
        and status >= 400
        and not content_type.startswith("application/json")
    ):
        problems.append(f"{what}: {status} under /api/ is not in the API's error shape")
    if 400 <= status < 500 and status != 404:
        if content_type.startswith("application/json"):
            error = json.loads(body).get("error", {})
            if not (error.get("code") and error.get("message")):
                problems.append(f"{what}: {status} without the API's error shape")
        elif not body.strip():
            problems.append(f"{what}: {status} with no message")
    text = body.decode("utf-8", "replace")
    if "ErrorDetail(" in text or "Traceback" in text:
        problems.append(f"{what}: Python internals in the answer")
    if content_type.startswith("text/html"):
        problems += [f"{what}: unescaped {m!r}" for m in MARKUP if m in text]
    return problems


@pytest.fixture(autouse=True)
def no_throttles(monkeypatch, settings):
    # The suite sends thousands of requests: limits would answer most of them with 429
    # and hide what the views do. Throttles and rate limits are tested on their own.
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    settings.ACCOUNT_RATE_LIMITS = False
