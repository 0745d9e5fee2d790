"""The router: one database unless a replica is configured; then which reads go where.

The real thing (a streaming replica that lags) is in test_servers.py.
"""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from hubs.models import Paper, Review
from hubs.numbers_cache import cached_numbers
from pithsite import db_routing
from pithsite.db_routing import PIN_COOKIE, PrimaryReadsMiddleware, PrimaryReplicaRouter

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    # Only the router's question: a real "replica" alias would need a server behind it.
    monkeypatch.setattr(db_routing, "replica_configured", lambda: True)


def in_request(request, view):
    """Run `view(request)` inside the middleware; returns (what it returned, response)."""
    seen = {}

    def get_response(request):
        seen["value"] = view(request)
        return HttpResponse()

    response = PrimaryReadsMiddleware(get_response)(request)
    return seen["value"], response


def test_without_a_replica_the_router_changes_nothing():
    assert router.db_for_read(Paper) is None
    assert router.db_for_write(Paper) is None
    assert router.allow_migrate("default", "hubs")


def test_reads_go_to_the_replica_and_writes_to_the_primary(with_replica):
    read, response = in_request(RequestFactory().get("/"), lambda r: router.db_for_read(Paper))
    assert read == "replica"
    assert PIN_COOKIE not in response.cookies
    assert not router.allow_migrate("replica", "hubs")


def test_after_a_write_the_rest_of_the_request_reads_the_primary_and_so_does_the_next(
    with_replica,
):
    def view(request):
        return router.db_for_write(Review), router.db_for_read(Paper)

    (write, read), response = in_request(RequestFactory().get("/"), view)

    assert (write, read) == ("default", "default")
    assert response.cookies[PIN_COOKIE]["max-age"] == 15
    next_request = RequestFactory().get("/", HTTP_COOKIE=f"{PIN_COOKIE}=1")
    assert in_request(next_request, lambda r: router.db_for_read(Paper))[0] == "default"


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/api/v1/citations/classify/"),
        RequestFactory().get("/api/v1/hubs/", HTTP_AUTHORIZATION="Bearer pith_x"),
    ],
    ids=["unsafe method", "API token"],
)
def test_writes_and_token_clients_read_the_primary(with_replica, request_):
    assert in_request(request_, lambda r: router.db_for_read(Paper))[0] == "default"


def test_accounts_are_always_read_from_the_primary(with_replica):
    assert in_request(RequestFactory().get("/"), lambda r: router.db_for_read(User))[0] == (
        "default"
    )


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_read_the_primary(with_replica):
    def view(request):
        with transaction.atomic():
            return router.db_for_read(Paper)

    assert in_request(RequestFactory().get("/"), view)[0] == "default"


@pytest.mark.django_db
def test_a_signed_in_curator_reads_the_primary_and_a_reader_the_replica(
    with_replica, curator, reader, settings, monkeypatch
):
    # The curator check itself runs in the test's transaction: outside it, as in a
    # request, it reads the accounts tables, which are on the primary anyway.
    monkeypatch.setattr(db_routing.connections["default"], "in_atomic_block", False)

    def read_as(user):
        request = RequestFactory().get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x")
        request.user = user
        return in_request(request, lambda r: router.db_for_read(Paper))[0]

    assert read_as(curator) == "default"
    assert read_as(reader) == "replica"


def test_numbers_cached_for_everyone_are_counted_on_the_primary(with_replica, settings):
    """A lagging replica's counts, cached under the version a write just bumped, would
    show the old numbers until the cache expired."""
    settings.PITHSITE_HUB_NUMBERS_TTL = 60

    def view(request):
        return cached_numbers(1, "where", lambda: router.db_for_read(Paper))

    assert in_request(RequestFactory().get("/"), view)[0] == "default"
