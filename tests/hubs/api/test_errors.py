"""hubs/api/errors.py: every error the API gives has one JSON shape, even a 500, and its
messages are words, never Python's reprs."""

import pytest
from django.test import Client
from django.urls import reverse

from hubs.api import views
from tests.factories import CitationFactory, CuratorFactory, HubFactory

pytestmark = pytest.mark.django_db


def test_a_server_error_under_the_api_is_json_in_the_error_shape(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "hub_directory", broken)
    response = Client(raise_request_exception=False).get(reverse("api:hub-list"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "server_error"
    assert "secret internals" not in error["message"]


def test_a_server_error_on_a_page_is_still_the_error_page(monkeypatch):
    from hubs import views as page_views

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(page_views, "hub_directory", broken)
    response = Client(raise_request_exception=False).get(reverse("hubs:hub-list"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"secret internals" not in response.content


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"papers": [{"nested": "object"}]}, "papers.0"),
        ({"papers": "not a list"}, "papers"),
    ],
)
def test_nested_errors_are_messages_with_paths_not_reprs(curator_api, body, field):
    hub = HubFactory()
    response = curator_api.put(
        reverse("api:hub-representatives", args=[hub.slug]), body, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert "ErrorDetail" not in response.content.decode()
    assert all(isinstance(message, str) for message in error["fields"][field])


def test_bulk_item_errors_nested_in_items_are_words(curator_api):
    citation = CitationFactory()
    response = curator_api.post(
        reverse("api:citation-bulk-classify"),
        {"items": [{"id": citation.pk, "role": ["list"]}, "not an object"]},
        format="json",
    )
    assert response.status_code == 400
    assert "ErrorDetail" not in response.content.decode()


def test_a_forged_cursor_on_the_paper_list_is_a_400(api):
    # base64 of "p=2025-01-01": a position that is not a paper id.
    response = api.get(reverse("api:paper-list"), {"cursor": "cD0yMDI1LTAxLTAx"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["cursor"] == [
        "This page link is malformed or out of date."
    ]


def test_a_json_body_nested_100000_deep_is_a_400(curator_api):
    from tests.factories import PaperFactory

    paper = PaperFactory()
    body = "[" * 100_000 + "]" * 100_000
    response = curator_api.generic(
        "PUT",
        reverse("api:paper-review", args=[paper.arxiv_id]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "JSON body nests more than 32 levels deep."


def test_a_body_nested_past_the_limit_but_within_python_s_is_a_400_too(curator_api):
    from tests.factories import PaperFactory

    paper = PaperFactory()
    body = '{"verdict": ' + "[" * 200 + "]" * 200 + "}"
    response = curator_api.generic(
        "PUT",
        reverse("api:paper-review", args=[paper.arxiv_id]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "nests more than" in response.json()["error"]["message"]


def test_a_body_past_the_upload_limit_is_a_400_in_the_error_shape(curator_api, settings):
    from tests.factories import PaperFactory

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    paper = PaperFactory()
    response = Client(raise_request_exception=False)
    response.force_login(CuratorFactory())
    answer = response.put(
        reverse("api:paper-review", args=[paper.arxiv_id]),
        '{"summary": "' + "x" * 20_000 + '"}',
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": "bad_request",
        "message": "The request body is larger than the site accepts.",
    }


def test_a_form_past_the_upload_limit_is_a_page_that_says_so(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", {"login": "x" * 20_000, "password": "y"}
    )
    assert response.status_code == 400
    assert "more data than the site accepts" in response.content.decode()
