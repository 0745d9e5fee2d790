"""The whole hub page (anonymous readers) and API hub detail (non-curators), kept whole:
no query when cached, every kind of curator change shown on the very next request, never
a signed-in reader's page or a hidden hub, and the headers a cache or browser relies on."""

import hashlib

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.services import api_token_create
from hubs import services
from hubs.models import Hub
from hubs.numbers_cache import version_key
from tests.factories import PaperFactory, hub_with_citing_papers
from tests.hubs.test_views_hub import page_text
from tests.queries import measure, measure_get

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("numbers_cache_on")]


@pytest.fixture
def hub():
    return hub_with_citing_papers(12, slug="kept")


def api_url(hub_or_slug) -> str:
    slug = getattr(hub_or_slug, "slug", hub_or_slug)
    return reverse("api:hub-detail", args=[slug])


def warm(client, hub):
    """Build and keep the page and the API detail, and check the next ones are kept."""
    client.get(hub.get_absolute_url())
    client.get(api_url(hub))
    assert measure_get(client, hub.get_absolute_url()).queries == 0
    assert measure_get(client, api_url(hub)).queries == 0


class TestQueries:
    def test_the_kept_page_costs_no_query(self, client, hub):
        first = measure_get(client, hub.get_absolute_url())
        second = measure_get(client, hub.get_absolute_url())
        assert second.queries == 0
        assert second.response.content == first.response.content

    def test_the_kept_api_detail_costs_no_query(self, client, hub):
        first = measure_get(client, api_url(hub))
        second = measure_get(client, api_url(hub))
        assert second.queries == 0
        assert second.response.json() == first.response.json()

    def test_the_same_at_any_size(self, client):
        for size in (3, 300):
            hub = hub_with_citing_papers(size, slug=f"size-{size}")
            client.get(hub.get_absolute_url())
            assert measure_get(client, hub.get_absolute_url()).queries == 0

    def test_a_new_worker_finds_the_kept_page_with_one_query(self, client, hub, monkeypatch):
        built = client.get(hub.get_absolute_url())
        monkeypatch.setattr("hubs.page_cache._papers", {})  # another process: slugs unknown
        first = measure_get(client, hub.get_absolute_url())
        assert (first.queries, first.response.content) == (1, built.content)  # the slug's hub
        assert measure_get(client, hub.get_absolute_url()).queries == 0

    def test_an_evicted_version_rebuilds_rather_than_serve_an_old_page(self, client, hub, write):
        client.get(hub.get_absolute_url())
        write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
        cache.delete(version_key(hub.paper_id))  # Redis evicted it (or was restarted)
        assert "13 papers citing it" in page_text(client.get(hub.get_absolute_url()))


class TestEveryChangeShowsOnTheNextRequest:
    def test_a_new_citing_paper(self, client, hub, write):
        warm(client, hub)
        write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
        assert "13 papers citing it" in page_text(client.get(hub.get_absolute_url()))
        assert client.get(api_url(hub)).json()["status"]["citing_count"] == 13

    def test_an_import(self, client, hub, write):
        warm(client, hub)
        citing = PaperFactory()
        record = services.CitationRecord(
            citing={"arxiv_id": citing.arxiv_id}, cited={"arxiv_id": hub.paper.arxiv_id}
        )
        write(services.citations_add_bulk, records=[record])
        assert "13 papers citing it" in page_text(client.get(hub.get_absolute_url()))
        assert client.get(api_url(hub)).json()["status"]["citing_count"] == 13

    def test_a_classification(self, client, hub, curator, write):
        warm(client, hub)
        before = client.get(api_url(hub)).json()["status"]["classified_count"]
        citation = hub.paper.citations.filter(role="", polarity="").first()
        write(
            services.citation_classify,
            citation=citation,
            role="uses_data",
            polarity="neutral",
            by=curator,
        )
        assert client.get(api_url(hub)).json()["status"]["classified_count"] == before + 1
        page = page_text(client.get(hub.get_absolute_url()))
        assert f"{before + 1} of 12 classified" in page

    def test_a_review(self, client, hub, curator, write):
        citing = hub.paper.citations.first().citing
        services.hub_set_representatives(hub=hub, papers=[citing], by=curator)
        warm(client, hub)
        write(
            services.review_set,
            paper=citing,
            verdict="reject",
            summary="Fails to replicate on the held-out split.",
            by=curator,
        )
        assert "Fails to replicate on the held-out split." in page_text(
            client.get(hub.get_absolute_url())
        )
        representative = client.get(api_url(hub)).json()["representatives"][0]
        assert representative["verdict"] == "reject"

    def test_the_hub_papers_own_metadata(self, client, hub, write):
        warm(client, hub)
        write(services.paper_update, paper=hub.paper, changes={"title": "A Retitled Survey"})
        assert "A Retitled Survey" in page_text(client.get(hub.get_absolute_url()))
        assert client.get(api_url(hub)).json()["paper"]["title"] == "A Retitled Survey"

    def test_a_curators_note(self, client, hub, curator, write):
        warm(client, hub)
        write(services.hub_update, hub=hub, by=curator, slug=hub.slug, is_published=True,
              curator_note="Read the 2024 erratum first.")  # fmt: skip
        assert "Read the 2024 erratum first." in page_text(client.get(hub.get_absolute_url()))
        assert client.get(api_url(hub)).json()["curator_note"] == "Read the 2024 erratum first."

    def test_representatives(self, client, hub, curator, write):
        warm(client, hub)
        chosen = hub.paper.citations.order_by("pk").last().citing
        write(services.hub_set_representatives, hub=hub, papers=[chosen], by=curator)
        representatives = client.get(api_url(hub)).json()["representatives"]
        assert [row["paper"]["title"] for row in representatives] == [chosen.title]
        assert chosen.title in page_text(client.get(hub.get_absolute_url()))

    def test_withdrawn_is_gone_at_once(self, client, hub, curator, write):
        warm(client, hub)
        write(services.hub_publish, hub=hub, published=False, by=curator)
        assert client.get(hub.get_absolute_url()).status_code == 404
        assert client.get(api_url(hub)).status_code == 404

    def test_renamed_the_old_address_is_gone_at_once(self, client, hub, curator, write):
        warm(client, hub)
        old = hub.get_absolute_url()
        write(services.hub_update, hub=hub, by=curator, slug="renamed", is_published=True,
              curator_note="")  # fmt: skip
        assert client.get(old).status_code == 404
        assert client.get(api_url("kept")).status_code == 404
        assert client.get(reverse("hubs:hub-detail", args=["renamed"])).status_code == 200

    def test_a_slug_given_to_another_hub_shows_that_hub(self, client, hub, curator, write):
        warm(client, hub)
        old_title = hub.paper.title
        write(services.hub_update, hub=hub, by=curator, slug="renamed", is_published=True,
              curator_note="")  # fmt: skip
        other = hub_with_citing_papers(3, slug="other")
        write(services.hub_update, hub=other, by=curator, slug="kept", is_published=True,
              curator_note="")  # fmt: skip
        page = page_text(client.get(reverse("hubs:hub-detail", args=["kept"])))
        assert "3 papers citing it" in page and old_title not in page
        assert client.get(api_url("kept")).json()["paper"]["title"] == other.paper.title

    def test_deleted_in_the_admin_is_gone_at_once(
        self, client, hub, superuser, django_capture_on_commit_callbacks
    ):
        warm(client, hub)
        admin = client.__class__()
        admin.force_login(superuser)
        delete = reverse("admin:hubs_hub_delete", args=[hub.pk])
        with django_capture_on_commit_callbacks(execute=True):
            assert admin.post(delete, {"post": "yes"}).status_code == 302
        assert not Hub.objects.filter(pk=hub.pk).exists()
        assert client.get(hub.get_absolute_url()).status_code == 404
        assert client.get(api_url(hub)).status_code == 404


class TestWhoGetsTheKeptPage:
    def test_a_signed_in_reader_gets_their_own_page(self, client, hub, reader):
        warm(client, hub)
        client.force_login(reader)
        page = page_text(client.get(hub.get_absolute_url()))
        assert "Follow this hub" in page and "Sign in to follow" not in page

    def test_a_signed_in_readers_page_is_never_kept_for_others(self, client, hub, reader):
        signed_in = client.__class__()
        signed_in.force_login(reader)
        signed_in.get(hub.get_absolute_url())
        page = page_text(client.get(hub.get_absolute_url()))
        assert "Sign in to follow this hub" in page and "Follow this hub" not in page

    def test_a_message_for_one_reader_is_never_kept_for_others(self, client, hub, reader):
        """Signing out on the hub page leaves a message for that reader, who is anonymous
        by then: it must not become part of everyone's page."""
        signed_in = client.__class__()
        signed_in.force_login(reader)
        signed_in.post(reverse("account_logout"), {"next": hub.get_absolute_url()})
        assert CookieStorage.cookie_name in signed_in.cookies
        assert "You have signed out." in page_text(signed_in.get(hub.get_absolute_url()))
        assert "You have signed out." not in page_text(client.get(hub.get_absolute_url()))

    def test_a_draft_is_never_kept(self, client, curator):
        draft = hub_with_citing_papers(3, slug="draft", published=False)
        curators = client.__class__()
        curators.force_login(curator)
        assert curators.get(draft.get_absolute_url()).status_code == 200
        api = APIClient()
        api.force_authenticate(curator)
        assert api.get(api_url(draft)).status_code == 200
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(api_url(draft)).status_code == 404

    def test_curators_get_drafts_built_from_the_api(self, hub, curator, write):
        api = APIClient()
        api.force_authenticate(curator)
        write(services.hub_publish, hub=hub, published=False, by=curator)
        assert api.get(api_url(hub)).json()["is_published"] is False

    def test_an_api_token_reader_gets_the_kept_detail(self, client, hub, reader):
        warm(client, hub)
        _, key = api_token_create(user=reader, name="script")
        reading = measure_get(APIClient(HTTP_AUTHORIZATION=f"Bearer {key}"), api_url(hub))
        assert reading.response.json() == client.get(api_url(hub)).json()
        # The token's user and its "last used" mark; the detail itself is kept.
        assert reading.queries <= 3


HEADERS = [
    "Allow",
    "Content-Type",
    "Content-Length",
    "Vary",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]


class TestHeaders:
    def test_the_etag_is_the_bodys_and_a_match_is_a_304_without_a_query(self, client, hub):
        for url in (hub.get_absolute_url(), api_url(hub)):
            first = client.get(url)
            kept = client.get(url)
            etag = f'"{hashlib.md5(kept.content).hexdigest()}"'
            assert first["ETag"] == kept["ETag"] == etag
            again = measure(client, "get", url, status=304, HTTP_IF_NONE_MATCH=etag)
            assert again.queries == 0 and again.response.content == b""

    def test_a_change_changes_the_etag(self, client, hub, write):
        before = client.get(hub.get_absolute_url())["ETag"]
        write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
        response = client.get(hub.get_absolute_url(), HTTP_IF_NONE_MATCH=before)
        assert response.status_code == 200 and response["ETag"] != before

    def test_kept_answers_carry_the_same_headers_as_built_ones(self, client, hub):
        api = [reverse(name, args=[hub.slug]) + query for name, query in API_URLS]
        for url in (hub.get_absolute_url(), api_url(hub), *api):
            built, kept = client.get(url), client.get(url)
            names = HEADERS
            assert {name: built.get(name) for name in names} == {
                name: kept.get(name) for name in names
            }
            assert "Cookie" in kept["Vary"]
            assert kept["X-Frame-Options"] == "DENY"
            assert "Set-Cookie" not in kept

    def test_the_api_still_answers_an_indent_asked_for(self, hub):
        api = APIClient()
        api.get(api_url(hub))
        response = api.get(api_url(hub), HTTP_ACCEPT="application/json; indent=2")
        assert response.content.startswith(b'{\n  "slug"')


class TestFilteredPages:
    """A first page of a filter, sort or search is the same for every anonymous reader
    too: kept under the hub's version like the unfiltered one, one entry per query."""

    QUERIES = ("?role=background", "?sort=novelty", "?q=paper&year=2024", "?polarity=neutral")

    @pytest.mark.parametrize("query", QUERIES)
    def test_a_kept_filtered_page_costs_no_query(self, client, hub, query):
        url = hub.get_absolute_url() + query
        first = measure_get(client, url)
        second = measure_get(client, url)
        assert first.response.status_code == 200
        assert second.queries == 0
        assert second.response.content == first.response.content

    def test_each_query_keeps_its_own_page(self, client, hub):
        url = hub.get_absolute_url()
        background, novelty = (
            client.get(url + "?role=background"),
            client.get(url + "?sort=novelty"),
        )
        assert client.get(url + "?role=background").content == background.content
        assert client.get(url + "?sort=novelty").content == novelty.content
        assert background.content != novelty.content

    def test_the_order_of_the_parameters_does_not_matter(self, client, hub):
        url = hub.get_absolute_url()
        first = client.get(url + "?role=background&sort=novelty")
        second = measure_get(client, url + "?sort=novelty&role=background")
        assert second.queries == 0
        assert second.response.content == first.content

    def test_a_change_shows_on_the_next_filtered_request(self, client, hub, write):
        url = hub.get_absolute_url() + "?sort=novelty"
        client.get(url)
        write(services.paper_update, paper=hub.paper, changes={"title": "Changed just now"})
        assert "Changed just now" in page_text(client.get(url))

    @pytest.mark.parametrize("query", ["?sort=nonsense", "?cursor=not-a-cursor", "?year=abc"])
    def test_an_error_page_is_never_kept(self, client, hub, query):
        url = hub.get_absolute_url() + query
        assert client.get(url).status_code == 400
        assert measure_get(client, url, status=400).queries > 0

    def test_a_later_page_is_built_not_kept(self, client):
        """Cursors are endless (a crawler walks them all) and already seek: not kept."""
        hub = hub_with_citing_papers(30, slug="long")
        cursor = client.get(hub.get_absolute_url()).context["explorer"].page.next_cursor
        url = hub.get_absolute_url() + f"?cursor={cursor}"
        client.get(url)
        assert measure_get(client, url).queries > 0

    def test_a_signed_in_readers_filtered_page_is_never_kept_for_others(self, client, hub, reader):
        url = hub.get_absolute_url() + "?sort=novelty"
        client.force_login(reader)
        client.get(url)
        client.logout()
        client.cookies.clear()
        assert measure_get(client, url).queries > 0


API_URLS = (
    ("api:hub-citing-papers", "?sort=novelty"),
    ("api:hub-citing-papers", "?role=background&q=paper"),
    ("api:hub-facets", "?group_by=category"),
    ("api:hub-facets", "?group_by=year&role=background"),
)


class TestApiListsAndFacets:
    """A hub's citing-papers list (first page) and facets are the same for every reader
    who is not a curator: kept per query like the hub page."""

    URLS = API_URLS

    @pytest.mark.parametrize(("name", "query"), URLS)
    def test_kept_answers_cost_no_query(self, client, hub, name, query):
        url = reverse(name, args=[hub.slug]) + query
        first = measure_get(client, url)
        second = measure_get(client, url)
        assert second.queries == 0
        assert second.response.json() == first.response.json()

    @pytest.mark.parametrize(("name", "query"), URLS)
    def test_a_change_shows_on_the_next_request(self, client, hub, write, name, query):
        url = reverse(name, args=[hub.slug]) + query
        client.get(url)
        write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
        assert measure_get(client, url).queries > 0

    def test_the_citing_list_counts_the_new_paper(self, client, hub, write):
        url = reverse("api:hub-citing-papers", args=[hub.slug])
        assert client.get(url).json()["count"] == 12
        write(services.citation_add, citing=PaperFactory(), cited=hub.paper)
        assert client.get(url).json()["count"] == 13

    def test_a_later_page_and_bad_input_are_built(self, client):
        hub = hub_with_citing_papers(30, slug="long")
        url = reverse("api:hub-citing-papers", args=[hub.slug])
        later = client.get(url).json()["next"]
        client.get(later)
        assert measure_get(client, later).queries > 0
        for bad in ("?year=abc", "?sort=nonsense"):
            client.get(url + bad)
            assert measure_get(client, url + bad, status=400).queries > 0
        facets = reverse("api:hub-facets", args=[hub.slug])
        client.get(facets + "?group_by=nonsense")
        assert measure_get(client, facets + "?group_by=nonsense", status=400).queries > 0

    def test_curators_get_theirs_built(self, hub, curator):
        api = APIClient()
        api.force_authenticate(curator)
        url = reverse("api:hub-citing-papers", args=[hub.slug])
        api.get(url)
        assert measure_get(api, url).queries > 0


@pytest.fixture
def drf_answers(monkeypatch):
    """The requests DRF's stack answered (the rest were answered before it)."""
    answered = []
    dispatch = APIView.dispatch

    def counted(view, request, *args, **kwargs):
        answered.append(request.get_full_path())
        return dispatch(view, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", counted)
    return answered


class TestApiAnswersBeforeDrf:
    """A kept API answer for a client with no credentials (no session cookie, no
    Authorization header) that asks for plain JSON is sent like a kept page, before the
    session, authentication and DRF's whole stack; still counted by the anonymous rate."""

    @pytest.fixture
    def urls(self, hub):
        return [api_url(hub)] + [
            reverse(name, args=[hub.slug]) + query for name, query in API_URLS
        ]

    @pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
    def test_a_kept_answer_never_reaches_drf(self, client, urls, drf_answers, accept):
        headers = {"HTTP_ACCEPT": accept} if accept else {}
        built = [client.get(url, **headers) for url in urls]
        kept = [measure(client, "get", url, status=200, **headers) for url in urls]
        assert drf_answers == urls  # only the first of each
        assert [answer.queries for answer in kept] == [0] * len(urls)
        assert [answer.response.content for answer in kept] == [answer.content for answer in built]

    def test_a_head_is_answered_before_drf_too(self, client, urls, drf_answers):
        client.get(urls[0])
        assert client.head(urls[0]).status_code == 200
        assert drf_answers == urls[:1]

    def test_the_anonymous_rate_still_counts_every_request(self, client, hub, anonymous_rate):
        anonymous_rate("3/min")
        statuses = [client.get(api_url(hub)).status_code for _ in range(4)]
        refused = client.get(api_url(hub))
        assert statuses == [200, 200, 200, 429]
        assert int(refused["Retry-After"]) > 0
        assert refused.json()["error"]["code"] == "throttled"

    def test_a_rebuilt_answer_is_counted_once(self, client, hub, write, anonymous_rate):
        anonymous_rate("3/min")
        statuses = [client.get(api_url(hub)).status_code]  # built and kept
        write(services.citation_add, citing=PaperFactory(), cited=hub.paper)  # the entry is old
        statuses += [
            client.get(api_url(hub)).status_code for _ in range(3)
        ]  # built, kept, refused
        assert statuses == [200, 200, 200, 429]

    def test_each_client_address_has_its_own_count(self, client, hub, anonymous_rate):
        anonymous_rate("2/min")
        first = [
            client.get(api_url(hub), REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)
        ]
        other = client.get(api_url(hub), REMOTE_ADDR="198.51.100.8").status_code
        assert (first, other) == ([200, 200, 429], 200)

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ACCEPT": "application/json; indent=2"},
            {"HTTP_ACCEPT": "text/html"},
            {"HTTP_AUTHORIZATION": "Bearer not-a-token"},
            {"HTTP_COOKIE": "sessionid=anything"},
        ],
        ids=["indent", "html", "token", "session"],
    )
    def test_credentials_or_another_rendering_go_to_drf(self, client, urls, drf_answers, headers):
        client.get(urls[0])
        response = client.get(urls[0], **headers)
        assert drf_answers == urls[:1] * 2, response.status_code

    def test_a_format_asked_in_the_query_goes_to_drf(self, client, hub, drf_answers):
        url = api_url(hub) + "?format=json"
        client.get(url)
        client.get(url)
        assert drf_answers == [url, url]
