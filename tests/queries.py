"""Counting the queries a request makes, for the tests that pin a page's query count.

Pages are measured on a small and a big hub (HOUSE-STYLE: "Query-count tests compare a
small hub with a 520-citation one"): `queries_for` returns the count, and the test
asserts the two are equal and under a ceiling. `measure` sends any request and keeps
each query's SQL, for tests that count only some queries.
"""

from dataclasses import dataclass

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Measured:
    queries: int
    response: HttpResponse
    sql: tuple[str, ...] = ()  # each query's SQL, in order


def measure(client, method: str, path: str, *, status: int | None = None, **kwargs) -> Measured:
    """Send one request (`client.<method>(path, **kwargs)`, Django's or DRF's client),
    reading a streamed body to the end (its queries run while it streams), and count the
    queries; asserts the status when given."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **kwargs)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    if status is not None:
        assert response.status_code == status, (path, response.status_code)
    return Measured(
        queries=len(queries),
        response=response,
        sql=tuple(query["sql"] for query in queries.captured_queries),
    )


def measure_get(client, path: str, params: dict | None = None, *, status: int = 200) -> Measured:
    """GET `path` with `client` and count the queries (asserting the status)."""
    return measure(client, "get", path, status=status, data=params or {})


def queries_for(client, path: str, params: dict | None = None, *, status: int = 200) -> int:
    """The number of queries a GET of `path` makes (asserting its status)."""
    return measure_get(client, path, params, status=status).queries
