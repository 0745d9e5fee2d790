"""The OpenAPI schema validates and documents everything; throttles; query counts."""

import re

import pytest
import yaml
from django.urls import resolve, reverse
from openapi_spec_validator import validate

from tests.factories import hub_with_citing_papers
from tests.hubs.api.test_permissions import EXPECTED
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get(reverse("api-schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_documents_every_endpoint_and_its_errors(schema):
    documented = {
        (path, method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
    }
    # Every route but the catch-all 404, which is the error shape itself.
    assert len(documented) == len([key for key in EXPECTED if key[0] != "not-found"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, (path, method)
            if path != "/api/v1/":  # the root takes no input and names no object
                assert "400" in responses or "404" in responses, (path, method)
            if method != "get":
                assert {"401", "403"} <= set(responses), (path, method)
            for status, response in responses.items():
                if status.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/Error"), (path, method, status)


def test_schema_documents_the_explorer_parameters(schema):
    operation = schema["paths"]["/api/v1/hubs/{slug}/citing-papers/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {
        "q",
        "role",
        "polarity",
        "year",
        "category",
        "verdict",
        "sort",
        "cursor",
        "page_size",
    } <= names


def _url_name(path: str) -> str:
    """The API route a schema path is, e.g. "/api/v1/hubs/{slug}/" -> "hub-detail"."""
    example = {"{slug}": "hub", "{identifier}": "2510.00001", "{pk}": "1", "{fmt}": "csv"}
    for placeholder, value in example.items():
        path = path.replace(placeholder, value)
    return resolve(path).url_name


def test_the_operations_anyone_may_call_are_marked_open(schema):
    """Swagger UI drew a padlock on every operation, public reads too: an operation anyone
    may call has the empty security requirement alone ([{}]: no credentials needed), so it
    shows none; the others name the token and the session. The permissions table
    (test_permissions.EXPECTED) says who may call what."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            anonymous_status = EXPECTED[(_url_name(path), method.upper())][0]
            if anonymous_status in (401, 403):
                assert operation["security"] == [{"apiToken": []}, {"cookieAuth": []}]
            else:
                assert operation["security"] == [{}], (path, method)


def test_docs_page_links_back_to_the_site(client):
    content = client.get(reverse("api-docs")).content.decode()
    header = re.search(r"<header\b.*?</header>", content, re.S)[0]
    assert 'href="/"' in header and "pithsite" in header


def test_docs_page_serves_its_assets_locally(client):
    content = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in content
    assert "cdn." not in content and "unpkg" not in content


def test_anonymous_throttle_answers_429_with_retry_after(api, settings, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    AnonRateThrottle.THROTTLE_RATES = rates
    try:
        statuses = [api.get(reverse("api:hub-list")).status_code for _ in range(4)]
        response = api.get(reverse("api:hub-list"))
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert statuses == [200, 200, 200, 429]
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"


def test_signed_in_users_have_their_own_bucket(api, reader):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    AnonRateThrottle.THROTTLE_RATES = UserRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "anon": "1/min",
        "user": "5/min",
    }
    try:
        api.force_authenticate(reader)
        statuses = [api.get(reverse("api:hub-list")).status_code for _ in range(6)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        UserRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert statuses == [200] * 5 + [429]


LIST_ENDPOINTS = [
    ("api:hub-citing-papers", lambda hub: [hub.slug], {}),
    ("api:hub-citing-papers", lambda hub: [hub.slug], {"year": "2024", "sort": "novelty"}),
    ("api:hub-facets", lambda hub: [hub.slug], {"group_by": "category"}),
    ("api:hub-detail", lambda hub: [hub.slug], {}),
    ("api:hub-list", lambda hub: [], {}),
    ("api:paper-list", lambda hub: [], {"q": "paper"}),
    ("api:paper-citations", lambda hub: [hub.paper.arxiv_id], {}),
    ("api:paper-detail", lambda hub: [hub.paper.arxiv_id], {}),
]


@pytest.mark.parametrize(("name", "args", "params"), LIST_ENDPOINTS)
def test_query_counts_do_not_grow_with_the_hub(api, name, args, params):
    counts = []
    for size in (20, 520):
        hub = hub_with_citing_papers(size, slug=f"hub-{size}")
        counts.append(queries_for(api, reverse(name, args=args(hub)), params))
    assert counts[0] == counts[1] <= 12, counts


def _parameter_names(schema, path) -> set[str]:
    return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}


def test_filter_parameters_come_from_the_filter_registry(schema):
    """Adding a filter to hubs.filters.FILTERS is the one edit that documents it everywhere."""
    from hubs.filters import FACETS, FILTERS

    names = {spec.name for spec in FILTERS}
    hub = "/api/v1/hubs/{slug}/"
    citing = _parameter_names(schema, hub + "citing-papers/")
    assert citing == names | {"sort", "cursor", "page_size", "slug"}
    assert _parameter_names(schema, hub + "facets/") == names | {"group_by", "slug"}
    assert _parameter_names(schema, hub + "citing-papers/export.{fmt}") == names | {
        "sort",
        "slug",
        "fmt",
    }
    group_by = next(
        p for p in schema["paths"][hub + "facets/"]["get"]["parameters"] if p["name"] == "group_by"
    )
    assert sorted(group_by["schema"]["enum"]) == sorted(spec.name for spec in FACETS)


def test_the_search_count_limit_is_documented_as_it_is(schema):
    """The schema names the limit a text search is counted to from the one constant, so
    changing it cannot leave the documentation saying another number."""
    from hubs.selectors.explorer import SEARCH_COUNT_LIMIT

    limit = f"{SEARCH_COUNT_LIMIT:,}"
    components = schema["components"]["schemas"]
    facets = components["Facets"]["properties"]["matching_exact"]["description"]
    assert f"({limit})" in facets
    page = schema["paths"]["/api/v1/hubs/{slug}/citing-papers/"]["get"]["responses"]["200"]
    text = yaml.safe_dump(page) + yaml.safe_dump(components)
    assert f"more than {limit} rows" in text


def _anon_limited_to(rate: str):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": rate}


def test_a_different_x_forwarded_for_per_request_does_not_lift_the_limit(api, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    _anon_limited_to("3/min")
    try:
        statuses = [
            api.get(reverse("api:hub-list"), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
            for n in range(5)
        ]
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_one_proxy_the_client_is_the_address_the_proxy_added(api, settings, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    _anon_limited_to("2/min")
    try:
        # The client writes what it likes on the left; the proxy appends what it saw.
        forged = [
            api.get(
                reverse("api:hub-list"), HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7"
            ).status_code
            for n in range(3)
        ]
        other_client = api.get(reverse("api:hub-list"), HTTP_X_FORWARDED_FOR="198.51.100.8")
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert forged == [200, 200, 429]
    assert other_client.status_code == 200
