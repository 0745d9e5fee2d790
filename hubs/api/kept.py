"""API answers kept whole for every reader who is not a curator (hubs.page_cache): a hub's
detail, the first page of its citing papers and its facets, per query. They are the same
for all such readers until a write bumps the hub's version.

A client with no credentials that asks for plain JSON gets the kept answer before the
session, authentication and DRF's stack (hubs.page_cache.KeptPageMiddleware), counted by
the API's throttles all the same; everyone else goes through DRF, which reads the same
entries (a token reader's, say) or builds the answer (a curator's: drafts)."""

import json

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.roles import request_is_curator
from hubs.api.throttling import CountedAhead
from hubs.page_cache import cached_hub_body, cached_response, kept_body, page_variant

# What an Accept header may say for DRF to answer with the JSON as kept.
PLAIN_JSON = frozenset({"", "*/*", JSONRenderer.media_type})


class KeptForReaders:
    """For an APIView whose GET of a hub (`slug`) answers every non-curator alike."""

    kept_as: str  # the kind of answer, part of its cache key

    @classmethod
    def kept_answer(cls, request: HttpRequest, slug: str) -> HttpResponse | None:
        """The kept answer for a request with no credentials asking for plain JSON, sent
        by KeptPageMiddleware (which checked there is no session cookie and no cursor);
        None leaves it to DRF: a miss, credentials, another rendering, or a request the
        throttles refuse. The throttles count the request in the round trip that reads the
        answer; a request left to DRF is taken back (DRF counts it). The headers DRF adds
        (Allow) are the view's own."""
        if not _asks_plain_json(request):
            return None
        view = cls()
        view.setup(request, slug=slug)
        counted = CountedAhead(view, request)
        if counted.throttles is None:
            return None
        variant = page_variant(request)
        entry, counts = kept_body(
            kind=cls.kept_as, slug=slug, variant=variant, counting=counted.windows
        )
        if counts is None:  # nothing read, nothing counted
            return None
        if entry is None:
            counted.take_back()
            return None
        if not counted.allowed(counts):
            return None
        response = cached_response(entry, JSONRenderer.media_type)
        headers = dict(view.default_response_headers)
        if vary := headers.pop("Vary", None):
            patch_vary_headers(response, [vary])
        for name, value in headers.items():
            response[name] = value
        return response

    def kept(self, slug: str, build) -> HttpResponse | Response | None:
        """The answer `build(hub)` makes, kept as JSON bytes per host and query; None for a
        curator or a later page (a cursor: endless, and it already seeks), whose answer is
        built each time. Bad input raises from `build` (a 400) and is never kept."""
        request = self.request
        if request_is_curator(request) or "cursor" in request.query_params:
            return None
        entry = cached_hub_body(
            kind=self.kept_as,
            slug=slug,
            variant=page_variant(request),
            build=lambda hub: JSONRenderer().render(build(hub)),
        )
        if request.accepted_media_type == JSONRenderer.media_type:
            return cached_response(entry, JSONRenderer.media_type)
        return Response(json.loads(entry.body))  # e.g. "; indent=2": rendered as asked


def _asks_plain_json(request: HttpRequest) -> bool:
    """No credentials DRF would read (a token; KeptPageMiddleware ruled out a session) and
    nothing but the JSON as kept asked for, in Accept or in the query (?format)."""
    meta = request.META
    return (
        "HTTP_AUTHORIZATION" not in meta
        and meta.get("HTTP_ACCEPT", "").strip() in PLAIN_JSON
        and api_settings.URL_FORMAT_OVERRIDE not in request.GET
    )
