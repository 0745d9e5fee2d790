"""accounts.roles: who may curate is asked of the database once per request, however many
places (admin, API permission, views, curation pages) ask it."""

import pytest
from django.urls import reverse

from accounts.roles import curator_status
from tests.factories import CuratorFactory, HubFactory
from tests.queries import measure

pytestmark = pytest.mark.django_db


def role_queries(client, method: str, url: str, **kwargs) -> int:
    """Queries asking about the user's role or two-factor set-up during one request."""
    return sum(
        "mfa_authenticator" in sql or "account_emailaddress" in sql
        for sql in measure(client, method, url, **kwargs).sql
    )


@pytest.fixture
def curator_client(client):
    client.force_login(CuratorFactory())
    return client


def test_curator_status_is_one_query(django_assert_num_queries):
    curator = CuratorFactory()
    with django_assert_num_queries(1):
        status = curator_status(curator)
    assert (status.role, status.mfa) == (True, True)


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("admin:index"),
        lambda: reverse("admin:hubs_citation_changelist"),
        lambda: reverse("curation:queue"),
        lambda: HubFactory(is_published=False).get_absolute_url(),
        lambda: reverse("api:hub-detail", args=[HubFactory(is_published=False).slug]),
    ],
    ids=["admin index", "admin list", "curation queue", "draft hub page", "draft hub API"],
)
def test_a_page_asks_the_role_once(curator_client, url):
    url = url()
    assert role_queries(curator_client, "get", url) == 1


def test_an_api_write_asks_the_role_once(curator_client):
    # The write permission and the draft-hub lookup both ask.
    hub = HubFactory(is_published=False)
    url = reverse("api:hub-representatives", args=[hub.slug])
    queries = role_queries(
        curator_client, "put", url, data={"papers": []}, content_type="application/json"
    )
    assert queries == 1
