"""Every API endpoint x {anonymous, reader, curator, admin}: the exact status.

The table is checked against the URL conf, so an endpoint added without a row here fails
the suite.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import CitationFactory, HubFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "curator", "admin")

# (url name, method): statuses for anonymous, reader, curator, admin.
EXPECTED = {
    ("root", "GET"): (200, 200, 200, 200),
    ("not-found", "GET"): (404, 404, 404, 404),
    ("not-found", "POST"): (401, 403, 404, 404),
    ("not-found", "PUT"): (401, 403, 404, 404),
    ("not-found", "PATCH"): (401, 403, 404, 404),
    ("not-found", "DELETE"): (401, 403, 404, 404),
    ("hub-list", "GET"): (200, 200, 200, 200),
    ("hub-detail", "GET"): (200, 200, 200, 200),
    ("hub-citing-papers", "GET"): (200, 200, 200, 200),
    ("hub-export", "GET"): (200, 200, 200, 200),
    ("hub-facets", "GET"): (200, 200, 200, 200),
    ("hub-representatives", "PUT"): (401, 403, 200, 200),
    ("paper-list", "GET"): (200, 200, 200, 200),
    ("paper-detail", "GET"): (200, 200, 200, 200),
    ("paper-citations", "GET"): (200, 200, 200, 200),
    ("paper-review", "PUT"): (401, 403, 200, 200),
    ("citation-detail", "GET"): (200, 200, 200, 200),
    ("citation-classification", "PATCH"): (401, 403, 200, 200),
    ("citation-bulk-classify", "POST"): (401, 403, 200, 200),
}


def _api_patterns(patterns=None, prefix=""):
    resolver = get_resolver()
    for pattern in patterns if patterns is not None else resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api" or prefix:
                yield from _api_patterns(pattern.url_patterns, prefix or "api")
            else:
                yield from _api_patterns(pattern.url_patterns, "")
        elif isinstance(pattern, URLPattern) and prefix:
            yield pattern


def _endpoints():
    found = set()
    for pattern in _api_patterns():
        view = pattern.callback.view_class
        for method in ("GET", "PUT", "PATCH", "POST", "DELETE"):
            if hasattr(view, method.lower()):
                found.add((pattern.name, method))
    return found


def test_every_endpoint_has_a_row():
    assert _endpoints() == set(EXPECTED)


@pytest.fixture
def world(db):
    hub = HubFactory(slug="hub")
    citation = CitationFactory(cited=hub.paper, citing__arxiv_id="2510.00001")
    return {"hub": hub, "citation": citation}


def _request(api, name, method, world):
    hub, citation = world["hub"], world["citation"]
    args = {
        "root": [],
        "not-found": ["no/such/thing"],
        "hub-list": [],
        "hub-detail": [hub.slug],
        "hub-citing-papers": [hub.slug],
        "hub-export": [hub.slug, "csv"],
        "hub-facets": [hub.slug],
        "hub-representatives": [hub.slug],
        "paper-list": [],
        "paper-detail": ["2510.00001"],
        "paper-citations": [hub.paper.arxiv_id],
        "paper-review": ["2510.00001"],
        "citation-detail": [citation.pk],
        "citation-classification": [citation.pk],
        "citation-bulk-classify": [],
    }[name]
    body = {
        "hub-representatives": {"papers": ["2510.00001"]},
        "paper-review": {"verdict": "accept", "novelty": 5},
        "citation-classification": {"role": "background"},
        "citation-bulk-classify": {"items": [{"id": citation.pk, "polarity": "neutral"}]},
    }.get(name)
    params = {"group_by": "year"} if name == "hub-facets" else None
    url = reverse(f"api:{name}", args=args)
    return getattr(api, method.lower())(
        url, body if body is not None else params, format="json" if body else None
    )


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_status(api, world, reader, curator, superuser, name, method, role):
    user = {"anonymous": None, "reader": reader, "curator": curator, "admin": superuser}[role]
    if user:
        api.force_authenticate(user)
    response = _request(api, name, method, world)
    assert response.status_code == EXPECTED[(name, method)][ROLES.index(role)]
    if response.status_code >= 400:
        assert set(response.json()["error"]) >= {"code", "message"}
