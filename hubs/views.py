from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import request_is_curator
from accounts.selectors import is_following
from accounts.services import follows_mark_seen
from hubs import exports, jsonld
from hubs.filters import InvalidSort, sort_named
from hubs.inputs import SEARCH_MAX_LENGTH, SEARCH_TOO_LONG
from hubs.models import Hub, Paper, Polarity, Role
from hubs.page_cache import (
    NotKept,
    cached_hub_body,
    cached_response,
    kept_body,
    page_is_kept,
    page_variant,
)
from hubs.paging import SORTS, InvalidCursor
from hubs.selectors import (
    DEFAULT_HUB_DIRECTORY_SORT,
    HUB_DIRECTORY_SORTS,
    citation_classification_history,
    citation_detail,
    hub_citations,
    hub_citations_in_order,
    hub_directory,
    hub_directory_entry,
    hub_explorer,
    hub_representatives,
    hub_summary,
    hub_timeline,
    hub_visible,
    latest_reviewed_papers,
    paper_by_identifier,
    paper_citing_page,
    paper_hub_references,
    published_hub_of,
)
from hubs.selectors.classifier import classifier_about

SEARCH_RESULTS_SHOWN = 25


def _visible_hub(request, slug: str) -> Hub:
    return hub_visible(slug, include_drafts=request_is_curator(request))


class HomeView(TemplateView):
    template_name = "hubs/home.html"

    def get(self, request, *args, **kwargs):
        # An exact identifier (any pasted form) goes straight to its paper; words search.
        if paper := paper_by_identifier(request.GET.get("q", "")):
            return redirect(paper)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        results, search_error = None, None
        if len(query) > SEARCH_MAX_LENGTH:
            query, search_error = query[:SEARCH_MAX_LENGTH], SEARCH_TOO_LONG
        elif query:
            results = list(Paper.objects.search(query).with_review()[: SEARCH_RESULTS_SHOWN + 1])
        return super().get_context_data(
            query=query,
            search_error=search_error,
            search_max_length=SEARCH_MAX_LENGTH,
            results=results[:SEARCH_RESULTS_SHOWN] if results is not None else None,
            more_results=results is not None and len(results) > SEARCH_RESULTS_SHOWN,
            hubs=hub_directory(),
            reviewed=latest_reviewed_papers(),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        status = 400 if context["search_error"] else 200
        return super().render_to_response(context, status=status, **kwargs)


class HubListView(TemplateView):
    template_name = "hubs/hub_list.html"

    def get_context_data(self, **kwargs):
        sort_error = None
        try:
            sort = sort_named(
                self.request.GET.get("sort"),
                HUB_DIRECTORY_SORTS,
                default=DEFAULT_HUB_DIRECTORY_SORT,
            )
        except InvalidSort as exc:
            sort, sort_error = DEFAULT_HUB_DIRECTORY_SORT, str(exc)
        return super().get_context_data(
            rows=[hub_directory_entry(hub) for hub in hub_directory(sort=sort)],
            sort=sort,
            sort_error=sort_error,
            sorts=[(name, label) for name, (label, _) in HUB_DIRECTORY_SORTS.items()],
            sort_label=HUB_DIRECTORY_SORTS[sort][0],
            role_choices=Role.choices,
            polarity_choices=Polarity.choices,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        status = 400 if context["sort_error"] else 200
        return super().render_to_response(context, status=status, **kwargs)


class HubDetailView(View):
    kept_as = "page"

    @classmethod
    def kept_answer(cls, request, slug) -> HttpResponse | None:
        """The kept page, for hubs.page_cache.KeptPageMiddleware (which asked page_is_kept)."""
        entry, _ = kept_body(kind=cls.kept_as, slug=slug, variant=page_variant(request))
        return None if entry is None else cached_response(entry)

    def get(self, request, slug):
        if page_is_kept(request):
            # A first page is the same for every anonymous reader: kept whole
            # (hubs.page_cache) per host, day and query (page_variant).
            try:
                entry = cached_hub_body(
                    kind=self.kept_as,
                    slug=slug,
                    variant=page_variant(request),
                    build=lambda hub: self.kept_page(request, hub),
                )
            except NotKept as built:
                return built.response
            return cached_response(entry)
        return self.page(request, _visible_hub(request, slug))

    def kept_page(self, request, hub: Hub) -> bytes:
        response = self.page(request, hub)
        if response.status_code != 200:  # bad input: answered, never kept
            raise NotKept(response)
        return response.content

    def page(self, request, hub: Hub) -> HttpResponse:
        status, cursor_error = 200, None
        try:
            explorer = hub_explorer(hub, request.GET)
        except InvalidCursor as exc:
            params = request.GET.copy()
            params.pop("cursor")
            explorer, cursor_error, status = hub_explorer(hub, params), str(exc), 400
        if explorer.filterset.errors:
            status = 400
        summary = hub_summary(hub)
        following = is_following(request.user, hub)
        if following and request.method == "GET":  # not HEAD: only a real visit counts
            # Opening the hub page is catching up with it (see accounts:following).
            follows_mark_seen(user=request.user, hub=hub)
        context = {
            "following": following,
            "hub": hub,
            "paper": hub.paper,
            "summary": summary,
            "timeline": hub_timeline(hub, summary),
            "representatives": hub_representatives(hub),
            "explorer": explorer,
            "sorts": SORTS,
            "cursor_error": cursor_error,
            "export_formats": exports.EXPORTS,
            "paper_bibtex": exports.bibtex_entry(hub.paper),
            "hub_bibtex": exports.hub_bibtex_entry(
                hub,
                url=request.build_absolute_uri(hub.get_absolute_url()),
                accessed=timezone.localdate().isoformat(),
            ),
            "jsonld": jsonld.hub(hub, summary, request),
        }
        return render(request, "hubs/hub_detail.html", context, status=status)


class HubExportView(View):
    """The hub's citing papers (whole list, current filters and sort) as a download."""

    def get(self, request, slug, fmt):
        if fmt not in exports.EXPORTS:
            raise Http404("Unknown export format.")
        hub = _visible_hub(request, slug)
        filterset = hub_citations(hub, request.GET)
        if filterset.errors:
            return HttpResponse(
                "Invalid filter: "
                + "; ".join(
                    f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
                ),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return exports.export_response(
            hub_slug=hub.slug, citations=hub_citations_in_order(filterset), fmt=fmt
        )


class PaperDetailView(View):
    def get(self, request, identifier):
        paper = paper_by_identifier(identifier)
        if paper is None:
            raise Http404("No paper has this identifier.")
        if identifier != paper.identifier:
            # Versioned arXiv ids, upper-case DOIs and resolver prefixes land on one URL.
            return redirect(paper, permanent=True)
        status, cursor_error = 200, None
        try:
            citing = paper_citing_page(paper, request.GET)
        except (InvalidCursor, InvalidSort) as exc:
            params = request.GET.copy()
            params.pop("cursor", None)
            if isinstance(exc, InvalidSort):
                params.pop("sort")
            citing, cursor_error, status = paper_citing_page(paper, params), str(exc), 400
        hub = published_hub_of(paper)
        references = paper_hub_references(paper)
        citing_count = citing.matching
        context = {
            "paper": paper,
            "review": getattr(paper, "review", None),
            "hub": hub,
            "hub_references": references,
            "citing": citing.page,
            "citing_count": citing_count,
            "cursor_error": cursor_error,
            "jsonld": jsonld.paper(
                paper,
                request,
                cited=[citation.cited for citation in references],
                citing_count=citing_count,
            ),
        }
        return render(request, "hubs/paper_detail.html", context, status=status)


class CitationDetailView(View):
    def get(self, request, pk):
        citation = citation_detail(pk)
        context = {
            "citation": citation,
            "contexts": list(citation.contexts.all()),
            "changes": citation_classification_history(citation),
            "hub": getattr(citation.cited, "hub", None),
        }
        return render(request, "hubs/citation_detail.html", context)


class ClassifierView(View):
    """The public page about the classifier behind every "suggested" label."""

    def get(self, request):
        context = {
            "about": classifier_about(),
            "roles": Role.choices,
            "polarities": Polarity.choices,
        }
        return render(request, "hubs/classifier.html", context)


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        # Exports are whole lists; crawlers get the same data from the pages.
        "Disallow: /hubs/*/citing.",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
