"""Hostile input at every API parameter and JSON body: a 4xx in the API's error shape
(or a correct answer), never a 500, and nothing written by a refused request."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubs.filters import FILTERS
from hubs.models import Citation
from tests.factories import CuratorFactory
from tests.hostile.conftest import (
    HOSTILE_JSON,
    HOSTILE_TEXT,
    RAW_BODIES,
    RAW_QUERY_VALUES,
    problems_with,
    row_counts,
)

pytestmark = pytest.mark.django_db

FILTER_PARAMS = [spec.name for spec in FILTERS]
LIST_PARAMS = ["cursor", "page_size", "sort"]

# Each API read and the parameters it reads.
READS = {
    "/api/v1/": ["q"],
    "/api/v1/hubs/": LIST_PARAMS,
    "/api/v1/hubs/{hub}/": ["q"],
    "/api/v1/hubs/{hub}/citing-papers/": [*FILTER_PARAMS, *LIST_PARAMS],
    "/api/v1/hubs/{hub}/citing-papers/export.csv": [*FILTER_PARAMS, "sort"],
    "/api/v1/hubs/{hub}/facets/": ["group_by", *FILTER_PARAMS],
    "/api/v1/papers/": ["q", *LIST_PARAMS],
    "/api/v1/papers/{paper}/": ["q"],
    "/api/v1/papers/{paper}/citations/": LIST_PARAMS,
    "/api/v1/citations/{citation}/": ["q"],
}


def client() -> Client:
    return Client(raise_request_exception=False)


def _path(template: str, demo) -> str:
    citation = Citation.objects.filter(cited=demo.paper).first()
    return template.format(hub=demo.slug, paper=demo.paper.identifier, citation=citation.pk)


@pytest.mark.parametrize("read", list(READS))
def test_every_api_parameter_answers_hostile_input_in_the_error_shape(demo, read):
    path = _path(read, demo)
    c = client()
    before = row_counts()
    problems = []
    for name in READS[read]:
        base = {"group_by": "role"} if read.endswith("facets/") and name != "group_by" else {}
        for value in HOSTILE_TEXT:
            response = c.get(path, {**base, name: value})
            problems += problems_with(response, what=f"{read}?{name}={value[:20]!r}")
        for raw in RAW_QUERY_VALUES:
            query = "&".join([*(f"{k}={v}" for k, v in base.items()), f"{name}={raw}"])
            problems += problems_with(c.get(f"{path}?{query}"), what=f"{read}?{name}={raw}")
    assert problems == []
    assert row_counts() == before


def test_the_probe_s_unicode_digits_are_400s_with_a_clear_message(demo):
    c = client()
    hub = f"/api/v1/hubs/{demo.slug}"
    for path, params in [
        (f"{hub}/citing-papers/", {"year": "²⁰²⁵"}),
        (f"{hub}/citing-papers/", {"page_size": "²"}),
        ("/api/v1/hubs/", {"page_size": "²"}),
        ("/api/v1/papers/", {"page_size": "²"}),
        (f"/api/v1/papers/{demo.paper.identifier}/citations/", {"page_size": "²"}),
        (f"{hub}/citing-papers/export.csv", {"year": "²⁰²⁵"}),
        (f"{hub}/facets/", {"group_by": "year", "year": "²⁰²⁵"}),
    ]:
        response = c.get(path, params)
        assert response.status_code == 400, (path, params)
        [field] = response.json()["error"]["fields"]
        assert field in params
    for path in (f"/hubs/{demo.slug}/", f"/hubs/{demo.slug}/citing.csv"):
        assert c.get(path, {"year": "²⁰²⁵"}).status_code == 400


# Each API write, its method and a valid body to spoil one field at a time.
def writes(demo) -> list[tuple[str, str, dict]]:
    citation = Citation.objects.filter(cited=demo.paper).first()
    paper = citation.citing.identifier
    return [
        ("put", f"/api/v1/papers/{paper}/review/", {"verdict": "accept", "novelty": 5.5,
                                                      "summary": "Fine.", "version": 0}),
        ("patch", f"/api/v1/citations/{citation.pk}/classification/", {"role": "background",
                                                                          "polarity": "neutral"}),
        ("post", "/api/v1/citations/classify/", {"items": [{"id": citation.pk,
                                                              "role": "background"}]}),
        ("put", f"/api/v1/hubs/{demo.slug}/representatives/", {"papers": [paper]}),
    ]  # fmt: skip


def _send(c: Client, method: str, path: str, body: bytes):
    return getattr(c, method)(path, body, content_type="application/json")


def _spoiled(body: dict):
    """The body with each field, and each field of a nested item, replaced by each value."""
    for field in body:
        for value in HOSTILE_JSON:
            yield field, {**body, field: value}
    if "items" in body:
        for field in body["items"][0]:
            for value in HOSTILE_JSON:
                yield f"items.0.{field}", {"items": [{**body["items"][0], field: value}]}
    if "papers" in body:
        for value in HOSTILE_JSON:
            yield "papers.0", {"papers": [value]}


def test_every_json_body_field_answers_hostile_values_without_a_500(demo):
    c = client()
    c.force_login(CuratorFactory())
    problems = []
    for method, path, body in writes(demo):
        for field, spoiled in _spoiled(body):
            before = row_counts()
            response = _send(c, method, path, json.dumps(spoiled).encode())
            what = f"{method.upper()} {path} {field}={str(spoiled.get(field))[:20]!r}"
            problems += problems_with(response, what=what)
            if response.status_code >= 400 and row_counts() != before:
                problems.append(f"{what}: refused, yet rows changed")
    assert problems == []


def test_raw_bodies_are_400s_and_write_nothing(demo):
    c = client()
    c.force_login(CuratorFactory())
    before = row_counts()
    problems = []
    for method, path, _ in writes(demo):
        for body in RAW_BODIES:
            response = _send(c, method, path, body)
            what = f"{method.upper()} {path} {body[:20]!r}"
            problems += problems_with(response, what=what)
            if response.status_code < 400:
                problems.append(f"{what}: accepted with {response.status_code}")
    assert problems == []
    assert row_counts() == before


def test_a_body_that_is_not_json_is_a_415_in_the_error_shape(demo):
    c = client()
    c.force_login(CuratorFactory())
    method, path, _ = writes(demo)[0]
    response = getattr(c, method)(path, "verdict=accept", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from([*FILTER_PARAMS, *LIST_PARAMS]),
        st.text(st.characters(codec="utf-8"), max_size=40),
        max_size=3,
    )
)
def test_citing_papers_list_takes_any_combination_of_parameters(demo, params):
    response = client().get(f"/api/v1/hubs/{demo.slug}/citing-papers/", params)
    assert problems_with(response, what=repr(params)) == []


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["verdict", "novelty", "summary", "version", "x"]), children
            )
        ),
        max_leaves=8,
    )
)
def test_review_takes_any_json_without_a_500(demo, body):
    c = client()
    c.force_login(CuratorFactory())
    citing = Citation.objects.filter(cited=demo.paper).first().citing
    response = c.put(
        f"/api/v1/papers/{citing.identifier}/review/",
        json.dumps(body),
        content_type="application/json",
    )
    assert problems_with(response, what=repr(body)[:80]) == []
