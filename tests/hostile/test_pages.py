"""Hostile input at every page's parameters: never a 500, never unescaped markup."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubs.filters import FILTERS
from hubs.models import Citation
from tests.factories import CuratorFactory
from tests.hostile.conftest import (
    HOSTILE_FEW,
    HOSTILE_SAMPLE,
    HOSTILE_TEXT,
    RAW_QUERY_VALUES,
    problems_with,
    row_counts,
)

pytestmark = pytest.mark.django_db

EXPLORER_PARAMS = [*(spec.name for spec in FILTERS), "sort", "cursor", "page_size"]


def client() -> Client:
    return Client(raise_request_exception=False)


def throw(
    c: Client, path: str, params: list[str], values=HOSTILE_TEXT, raws=RAW_QUERY_VALUES
) -> list[str]:
    """Every hostile value in each parameter of `path`, alone; the problems found."""
    problems = []
    for name in params:
        for value in values:
            response = c.get(path, {name: value})
            problems += problems_with(response, what=f"{path}?{name}={value[:20]!r}")
        for raw in raws:
            response = c.get(f"{path}?{name}={raw}")
            problems += problems_with(response, what=f"{path}?{name}={raw}")
    return problems


# Each page and the parameters it reads. The four exports share one filter path, so
# CSV gets every parameter and the other formats those that change what they write.
PAGES = {
    "/": ["q"],
    "/hubs/": ["sort"],
    "/hubs/{hub}/": EXPLORER_PARAMS,
    "/hubs/{hub}/feed.atom": ["q"],
    "/hubs/{hub}/citing.csv": EXPLORER_PARAMS,
    **{f"/hubs/{{hub}}/citing.{fmt}": ["year", "sort"] for fmt in ("json", "bibtex", "ris")},
    "/papers/{paper}/": ["sort", "cursor"],
    "/citations/{citation}/": ["q"],
    "/sitemap.xml": ["p"],
    "/robots.txt": ["q"],
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_parameter_answers_hostile_input_without_a_500(demo, page):
    citation = Citation.objects.filter(cited=demo.paper).first()
    path = page.format(hub=demo.slug, paper=demo.paper.identifier, citation=citation.pk)
    before = row_counts()
    if page == "/hubs/{hub}/":
        # The page costs most to render, and its filters are the API list's and the CSV's
        # (one filter set, thrown the whole list there): here, what the page echoes back.
        problems = throw(client(), path, PAGES[page], HOSTILE_FEW, RAW_QUERY_VALUES[:2])
    else:
        problems = throw(client(), path, PAGES[page])
    assert problems == []
    assert row_counts() == before


def test_hostile_text_in_the_path_is_a_404_or_an_escaped_page(demo):
    c = client()
    problems = []
    for value in HOSTILE_TEXT:
        if not value:
            continue
        quoted = quote(value[:2000], safe="")
        for path in (
            f"/papers/{quoted}/",
            f"/hubs/{quoted}/",
            f"/hubs/{demo.slug}/citing.{quoted}",
            f"/account/feed/{quoted}.atom",
            f"/api/v1/papers/{quoted}/",
        ):
            problems += problems_with(c.get(path), what=path[:60])
    for path in ("/citations/99999999999999999999999/", "/citations/0/", "/papers/%FF/"):
        problems += problems_with(c.get(path), what=path)
    assert problems == []


def test_curator_pages_answer_hostile_parameters_without_a_500(demo):
    c = client()
    c.force_login(CuratorFactory())
    problems = throw(c, "/curate/", ["hub", "show"], HOSTILE_SAMPLE)
    problems += throw(c, "/curate/changes/", ["who"], HOSTILE_SAMPLE)
    assert problems == []


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(EXPLORER_PARAMS),
    value=st.text(st.characters(codec="utf-8"), max_size=60),
)
def test_hub_page_takes_any_text_in_any_parameter(demo, name, value):
    response = client().get(f"/hubs/{demo.slug}/", {name: value})
    assert problems_with(response, what=f"{name}={value!r}") == []
