"""The MCP server at /mcp, through the SDK's own client over real HTTP (a live server),
held to the API's numbers for the same questions; and each tool's query count, measured
in-process through the same view, flat in hub size."""

import asyncio
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from mcp import Client
from rest_framework.test import APIClient

from hubs.filters import FACETS, FILTERS
from hubs.models import Citation, CitationContext, Hub
from hubs.paging import SORTS
from tests.factories import hub_with_citing_papers
from tests.queries import measure

TOOLS = {
    "search_papers",
    "get_paper",
    "get_hub",
    "list_citing_papers",
    "get_citation_contexts",
    "hub_facets",
}


@pytest.fixture
def site(live_server, transactional_db, django_db_serialized_rollback):
    # A live server needs committed rows, so these tests flush the database after each
    # one; the serialized rollback puts back what migrations made (the Curators group).
    call_command("load_demo", stdout=io.StringIO())
    return live_server.url, Hub.objects.select_related("paper").get()


def run(url: str, calls):
    """Connect the SDK's client to `url`/mcp and return what `calls(client)` returns."""

    async def main():
        async with Client(url + "/mcp") as client:
            return await calls(client)

    return asyncio.run(main())


def result_data(result) -> dict:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


def api_get(path, params=None):
    response = APIClient().get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_tools_are_listed_with_typed_schemas(site):
    url, _ = site

    async def calls(client):
        return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in run(url, calls)}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description) > 80, tool.name  # written for a model to read
        assert tool.annotations.read_only_hint is True
    citing = tools["list_citing_papers"].input_schema
    assert citing["required"] == ["hub"]
    assert set(citing["properties"]) >= {
        "role", "polarity", "year", "verdict", "query", "sort", "cursor"
    }  # fmt: skip
    facets = tools["hub_facets"].input_schema["properties"]["group_by"]
    assert set(facets["enum"]) == {spec.name for spec in FACETS}


def test_the_filter_arguments_are_the_filter_registrys():
    """A filter added to hubs.filters.FILTERS must reach the tools too (as on the API)."""
    from hubs.mcp_server.tools import server

    async def tools():
        return {tool.name: tool for tool in await server.list_tools()}

    listed = asyncio.run(tools())
    names = {spec.name for spec in FILTERS} - {"q"} | {"query"}
    citing = set(listed["list_citing_papers"].input_schema["properties"])
    assert citing == names | {"hub", "sort", "cursor", "limit"}
    assert set(listed["hub_facets"].input_schema["properties"]) == names | {"hub", "group_by"}
    sorts = listed["list_citing_papers"].input_schema["properties"]["sort"]
    assert set(sorts["anyOf"][0]["enum"]) == set(SORTS)


def test_each_tool_answers_as_the_api_does_on_the_demo_hub(site):
    url, hub = site
    slug, arxiv = hub.slug, hub.paper.arxiv_id
    quoted = (
        CitationContext.objects.filter(citation__cited=hub.paper)
        .select_related("citation__citing")
        .first()
        .citation
    )

    async def calls(client):
        got = {}
        got["hub"] = await client.call_tool("get_hub", {"identifier_or_slug": arxiv})
        got["hub_by_slug"] = await client.call_tool("get_hub", {"identifier_or_slug": slug})
        got["page"] = await client.call_tool("list_citing_papers", {"hub": slug, "limit": 50})
        got["page1"] = await client.call_tool("list_citing_papers", {"hub": slug, "limit": 20})
        got["y2025"] = await client.call_tool("list_citing_papers", {"hub": slug, "year": 2025})
        got["years"] = await client.call_tool("hub_facets", {"hub": slug, "group_by": "year"})
        got["roles"] = await client.call_tool(
            "hub_facets", {"hub": slug, "group_by": "role", "year": 2025}
        )
        got["paper"] = await client.call_tool("get_paper", {"identifier": f"arXiv:{arxiv}"})
        got["search"] = await client.call_tool(
            "search_papers", {"query": f"https://arxiv.org/abs/{arxiv}v1", "limit": 5}
        )
        got["contexts"] = await client.call_tool(
            "get_citation_contexts", {"citing": quoted.citing.identifier, "cited": arxiv}
        )
        cursor = result_data(got["page1"])["next_cursor"]
        got["page2"] = await client.call_tool(
            "list_citing_papers", {"hub": slug, "limit": 20, "cursor": cursor}
        )
        return {name: result_data(result) for name, result in got.items()}

    got = run(url, calls)
    api = api_get(reverse("api:hub-detail", args=[slug]))

    # get_hub: the API's figures, by the paper's id or the slug.
    assert got["hub"] == got["hub_by_slug"]
    assert got["hub"]["status"] == api["status"]
    assert got["hub"]["status"]["citing_count"] == 36
    assert got["hub"]["roles"] == api["roles"] and got["hub"]["years"] == api["years"]
    reps = [row["paper"]["identifier"] for row in got["hub"]["representatives"]]
    assert reps == [row["paper"]["identifier"] for row in api["representatives"]]
    assert len(reps) == 7
    assert got["hub"]["url"] == f"{url}/hubs/{slug}/"

    # list_citing_papers: all 36, 6 labels set by curators, the API's rows and order.
    rows = got["page"]["rows"]
    assert got["page"]["matching"] == len(rows) == 36
    assert sum(row["labels"]["role"]["status"] == "curated" for row in rows) == 6
    api_rows = api_get(reverse("api:hub-citing-papers", args=[slug]), {"page_size": 50})["results"]
    assert [row["citation_id"] for row in rows] == [row["citation_id"] for row in api_rows]
    assert rows[0]["url"] == f"{url}/citations/{rows[0]['citation_id']}/"
    assert rows[0]["paper"]["html_url"].startswith(url + "/papers/")
    paged = got["page1"]["rows"] + got["page2"]["rows"]
    assert [row["citation_id"] for row in paged] == [row["citation_id"] for row in rows]
    assert got["page2"]["next_cursor"] is None

    # 24 from 2025, by the list's filter and by the year facet, as the API counts them.
    assert got["y2025"]["matching"] == 24
    years = {group["value"]: group["count"] for group in got["years"]["groups"]}
    assert years["2025"] == 24
    api_years = api_get(reverse("api:hub-facets", args=[slug]), {"group_by": "year"})
    assert got["years"]["groups"] == api_years["groups"]
    api_roles = api_get(
        reverse("api:hub-facets", args=[slug]), {"group_by": "role", "year": "2025"}
    )
    assert got["roles"]["groups"] == api_roles["groups"]
    assert got["roles"]["matching"] == 24

    # get_paper and search_papers: the hub's paper by any form of its id.
    assert got["paper"]["identifier"] == arxiv
    assert got["paper"]["citing_count"] == 36
    assert got["paper"]["hub"] == {"slug": slug, "url": f"{url}/hubs/{slug}/"}
    assert got["search"]["papers"][0]["identifier"] == arxiv

    # get_citation_contexts: the API's citation detail, with the page's URL.
    contexts = got["contexts"]
    api_citation = api_get(reverse("api:citation-detail", args=[contexts["id"]]))
    same_host = json.loads(json.dumps(contexts).replace(url, "http://testserver"))
    assert {key: same_host[key] for key in api_citation} == api_citation
    assert contexts["id"] == quoted.pk and contexts["contexts"]
    assert contexts["url"] == f"{url}/citations/{contexts['id']}/"


def test_bad_arguments_are_tool_errors_with_a_clear_message(site):
    url, hub = site

    async def calls(client):
        return [
            await client.call_tool("get_paper", {"identifier": "not-an-id"}),
            await client.call_tool("get_hub", {"identifier_or_slug": "no-such-hub"}),
            await client.call_tool("list_citing_papers", {"hub": hub.slug, "role": "nonsense"}),
            await client.call_tool("list_citing_papers", {"hub": hub.slug, "cursor": "garbage"}),
            await client.call_tool("hub_facets", {"hub": hub.slug, "group_by": "title"}),
            await client.call_tool(
                "get_citation_contexts", {"citing": hub.paper.arxiv_id, "cited": "2101.00001"}
            ),
            await client.call_tool("search_papers", {"query": "x", "limit": 1000}),
        ]

    results = run(url, calls)
    messages = []
    for result in results:
        assert result.is_error, result.content
        messages.append(result.content[0].text)
    assert "not-an-id" in messages[0] and "identifier" in messages[0]
    assert "no-such-hub" in messages[1]
    assert "role" in messages[2]
    assert "cursor" in messages[3]
    assert "group_by" in messages[4]
    assert "2101.00001" in messages[5]
    assert "limit" in messages[6]


def test_drafts_are_not_shown(site):
    url, hub = site
    hub.is_published = False
    hub.save(update_fields=["is_published"])

    async def calls(client):
        return await client.call_tool("get_hub", {"identifier_or_slug": hub.slug})

    assert run(url, calls).is_error


# Query counts: one tools/call through the view, in-process, on a small and a big hub.


def call_tool(client, name: str, arguments: dict):
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments},
    }
    measured = measure(
        client,
        "post",
        "/mcp",
        data=json.dumps(body),
        content_type="application/json",
        headers={"accept": "application/json, text/event-stream"},
        status=200,
    )
    answer = json.loads(measured.response.content)
    assert "result" in answer and not answer["result"].get("isError"), answer
    return measured.queries


TOOL_CALLS = [
    ("get_hub", lambda hub: {"identifier_or_slug": hub.slug}, 6),
    ("get_hub", lambda hub: {"identifier_or_slug": hub.paper.arxiv_id}, 9),
    ("list_citing_papers", lambda hub: {"hub": hub.slug}, 3),
    ("list_citing_papers", lambda hub: {"hub": hub.slug, "year": 2024, "sort": "novelty"}, 3),
    ("hub_facets", lambda hub: {"hub": hub.slug, "group_by": "category"}, 2),
    ("get_paper", lambda hub: {"identifier": hub.paper.arxiv_id}, 5),
    ("search_papers", lambda hub: {"query": "citing paper"}, 1),
    (
        "get_citation_contexts",
        lambda hub: {
            "citing": Citation.objects.filter(cited=hub.paper).first().citing.identifier,
            "cited": hub.paper.arxiv_id,
        },
        5,
    ),
]


@pytest.mark.parametrize(("name", "arguments", "pinned"), TOOL_CALLS)
def test_query_counts_are_pinned_and_flat_in_hub_size(client, db, name, arguments, pinned):
    counts = []
    for size in (20, 520):
        hub = hub_with_citing_papers(size, slug=f"hub-{size}")
        counts.append(call_tool(client, name, arguments(hub)))
    assert counts == [pinned, pinned]


# The transport's edges, in-process.


def test_requests_share_the_anonymous_apis_throttle(client, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    try:
        api = [client.get(reverse("api:hub-list")).status_code for _ in range(2)]
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
        mcp = [
            client.post(
                "/mcp",
                json.dumps(body),
                content_type="application/json",
                headers={"accept": "application/json, text/event-stream"},
            )
            for _ in range(2)
        ]
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert api == [200, 200]
    assert [response.status_code for response in mcp] == [200, 429]
    assert int(mcp[1]["Retry-After"]) > 0
    assert "Too many requests" in mcp[1].json()["error"]["message"]


def test_no_event_stream_or_session_to_end(client, db):
    for method in ("get", "delete"):
        response = getattr(client, method)("/mcp")
        assert response.status_code == 405 and response["Allow"] == "POST"


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"jsonrpc": "2.0", "id": 1, "method": "no/such"}']
)
def test_malformed_messages_are_protocol_errors_not_server_errors(client, db, body):
    response = client.post(
        "/mcp",
        body,
        content_type="application/json",
        headers={"accept": "application/json, text/event-stream"},
    )
    assert response.status_code < 500
    assert "error" in response.json()
