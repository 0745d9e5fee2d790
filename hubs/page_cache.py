"""Whole hub pages and API answers for readers who see only published hubs, each
answered from the cache in one round trip and no database query.

A hub page (unfiltered, or the first page of a filter, sort or search) is the same for
every anonymous reader, and the API hub detail, citing-papers first page and facets
(hubs.api.kept) the same for every reader who is not a curator, until a write changes
what they show; every service that writes such a thing bumps the hub's version
(hubs.numbers_cache). So each is kept whole, as the bytes sent, with the version it was
built at and its ETag, under a key made of the slug in the URL (plus the host, for
absolute links, and what else the caller names, such as the day). A request reads that
entry and the hub's current version in one `get_many`; it is served when the versions
agree.

The version's key names the hub's paper, not its slug, so a request must know the paper
before it asks: each process remembers, for the slugs it served, which paper the entry
should belong to (`_papers`). That is only a hint, checked on every request against the
paper the entry was built for; a slug that moved to another hub, or one this process has
not seen, goes to the database once. A hub renamed, withdrawn or deleted bumps its
version (the services do), so its old entry stops matching at once.

Writes that bypass the services are caught by the expiry, PITHSITE_HUB_NUMBERS_TTL (0
turns this cache off too).
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag

from hubs.models import Hub
from hubs.numbers_cache import hub_version, version_key
from hubs.selectors import hub_visible
from pithsite.cache import Window, get_many_counting
from pithsite.db_routing import primary_reads

# The slugs this process served, and the paper each one's hub belonged to then.
_papers: dict[str, int] = {}
PAPERS_REMEMBERED = 10_000


@dataclass(frozen=True)
class CachedBody:
    """A response body as it was built, and what it was built from."""

    paper_id: int
    version: int
    body: bytes
    etag: str  # the one django.middleware.http.ConditionalGetMiddleware would compute


def etag_of(body: bytes) -> str:
    """The strong ETag of a body, as ConditionalGetMiddleware makes it (so that a cached
    answer and a built one carry the same, and it is hashed once, when built)."""
    return quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())


def anonymous_reader(request: HttpRequest) -> bool:
    """A request whose page is the one every anonymous reader gets: no session cookie
    (without one nobody is signed in: the sign-in backends keep the user in the session;
    with one the reader may be signed in, or anonymous with a half-finished sign-in) and
    no messages cookie (a message is for that reader alone). Read from the cookies only,
    so that it can be asked before the session and authentication middleware run."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _key(kind: str, slug: str, variant: str) -> str:
    return f"hub-page:{kind}:{slug}:{variant}"


def cached_hub_body(
    *,
    kind: str,
    slug: str,
    variant: str,
    build: Callable[[Hub], bytes],
) -> CachedBody:
    """The body `build(hub)` makes for the published hub at `slug`, from the cache when
    it was built at the hub's current version; Http404 when no published hub has the slug
    (drafts are never kept here: their readers are curators, who get theirs built)."""
    ttl = settings.PITHSITE_HUB_NUMBERS_TTL
    if not ttl:
        hub = _published(slug)
        body = build(hub)
        return CachedBody(hub.paper_id, 0, body, etag_of(body))
    key = _key(kind, slug, variant)
    paper_id = _papers.get(slug)
    if paper_id is None:  # a slug this process has not served: which hub is it?
        paper_id = _remember(slug, _published(slug))
    entry, version, _ = _kept(key, paper_id)
    if entry is not None:
        return entry
    # From the primary, and the version read before the hub: what is built is then at
    # least as new as the version it is kept under (a write committing meanwhile bumps it).
    with primary_reads():
        try:
            if version is None:
                version = hub_version(paper_id)
            hub = _published(slug)
            if hub.paper_id != paper_id:  # the slug names another hub now: read again
                paper_id = _remember(slug, hub)
                version = hub_version(paper_id)
                hub = _published(slug)
        except Http404:
            _papers.pop(slug, None)
            raise
        body = build(hub)
    entry = CachedBody(hub.paper_id, version or 0, body, etag_of(body))
    if version is not None and hub.paper_id == paper_id:
        cache.set(key, entry, ttl)
    return entry


def _kept(
    key: str, paper_id: int | None, counting: Sequence[Window] = ()
) -> tuple[CachedBody | None, int | None, list[tuple[int, int]] | None]:
    """The entry at `key` if it was built for `paper_id` at its current version, that
    version (None if missing) and the counts of the throttle windows `counting`, counted
    in the same round trip; (None, None, None) without a paper: nothing read or counted."""
    if paper_id is None:
        return None, None, None
    found, counts = get_many_counting(cache, [key, version_key(paper_id)], counting)
    entry, version = found.get(key), found.get(version_key(paper_id))
    if entry is None or version is None or (entry.paper_id, entry.version) != (paper_id, version):
        return None, version, counts
    return entry, version, counts


def kept_body(
    *, kind: str, slug: str, variant: str, counting: Sequence[Window] = ()
) -> tuple[CachedBody | None, list[tuple[int, int]] | None]:
    """The body kept for `slug` if it is current (None otherwise: nothing is built), and
    the counts of the throttle windows `counting` (hubs.api.kept), counted in the same
    round trip (None if nothing was read or counted)."""
    if not settings.PITHSITE_HUB_NUMBERS_TTL:
        return None, None
    entry, _, counts = _kept(_key(kind, slug, variant), _papers.get(slug), counting)
    return entry, counts


class NotKept(Exception):
    """Raised by a `build` whose answer must not be kept (an error page): send it as is."""

    def __init__(self, response: HttpResponse):
        super().__init__(response.status_code)
        self.response = response


def page_is_kept(request: HttpRequest) -> bool:
    """Whether this request may be answered from (and build into) the kept pages and
    answers: an anonymous reader's GET or HEAD of a first page. Later pages (a cursor)
    are built each time: a crawler would walk them all into the cache, and they already
    seek (hubs.paging), so they cost what a first page costs."""
    return (
        request.method in ("GET", "HEAD")
        and "cursor" not in request.GET
        and anonymous_reader(request)
    )


def page_variant(request: HttpRequest) -> str:
    """What a hub page depends on besides the hub: the host (absolute links), the day (the
    "accessed" date of its citation snippet) and the query, its parameters in one order
    (`?a=1&b=2` and `?b=2&a=1` are one page), hashed to keep the key short."""
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    digest = hashlib.md5(repr(query).encode(), usedforsecurity=False).hexdigest()
    return f"{request.build_absolute_uri('/')}:{timezone.localdate().isoformat()}:{digest}"


def cached_response(entry: CachedBody, content_type: str | None = None) -> HttpResponse:
    """The answer for a cached body: its ETag (so If-None-Match gets a 304 from
    ConditionalGetMiddleware, with nothing hashed), and Vary: Cookie, since a signed-in
    reader gets another page."""
    response = HttpResponse(entry.body, content_type=content_type)
    response["ETag"] = entry.etag
    patch_vary_headers(response, ["Cookie"])
    return response


def _published(slug: str) -> Hub:
    return hub_visible(slug, include_drafts=False)


def _remember(slug: str, hub: Hub) -> int:
    if len(_papers) >= PAPERS_REMEMBERED:
        _papers.clear()  # a crawler walking every slug: start again rather than grow
    _papers[slug] = hub.paper_id
    return hub.paper_id


class KeptPageMiddleware:
    """Answers a kept hub page or API answer from the cache, before the middleware that
    only a signed-in reader or a built answer needs (sessions, CSRF, authentication,
    messages, the database's routing, DRF's stack): a kept answer costs what a static file
    costs plus a cache round trip or two. Which answers are kept, and for whom, each view
    says in its `kept_answer(request, **kwargs)` (None: not kept, or not here yet);
    anything else, a miss included, goes on to the view, which builds and keeps it.

    The inner middleware's work on such an answer is done here by the same classes: the
    X-Frame-Options header, the ETag's 304, Content-Length; Vary: Cookie as the session
    middleware would add it (cached_response)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.finish = [
            XFrameOptionsMiddleware(get_response).process_response,
            ConditionalGetMiddleware(get_response).process_response,
            CommonMiddleware(get_response).process_response,
        ]

    def __call__(self, request):
        if page_is_kept(request) and (response := self.kept_answer(request)) is not None:
            for finish in self.finish:
                response = finish(request, response)
            return response
        return self.get_response(request)

    @staticmethod
    def kept_answer(request) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        view = getattr(match.func, "view_class", None)
        answer = getattr(view, "kept_answer", None)
        return None if answer is None else answer(request, *match.args, **match.kwargs)
