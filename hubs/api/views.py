"""REST API v1. Views parse and check input, call selectors and services, and serialize."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import request_is_curator
from hubs import exports, services
from hubs.api import serializers as s
from hubs.api.errors import error_response, flatten_errors
from hubs.api.kept import KeptForReaders
from hubs.api.pagination import HubPagination, KeysetCursorPagination, PaperPagination
from hubs.api.schema import CITING_SORT, filter_parameters, group_by_parameter
from hubs.filters import FACETS
from hubs.inputs import SEARCH_MAX_LENGTH, SEARCH_TOO_LONG
from hubs.models import Citation, Hub, Paper
from hubs.selectors import (
    citation_detail,
    hub_citations,
    hub_citations_in_order,
    hub_citing_page,
    hub_detail,
    hub_directory,
    hub_grouped,
    hub_representatives,
    hub_visible,
    paper_by_identifier,
    paper_citing_count,
    paper_citing_page,
    paper_hub_references,
    papers_by_identifiers,
)

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Invalid input; see `error.fields`."),
    404: OpenApiResponse(s.ErrorSerializer, description="No such object."),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests; see Retry-After."),
}
WRITE_ERRORS = {
    **ERRORS,
    401: OpenApiResponse(s.ErrorSerializer, description="Not signed in, or a bad API token."),
    403: OpenApiResponse(s.ErrorSerializer, description="Only curators may write."),
}


def _hub(request, slug: str) -> Hub:
    return hub_visible(slug, include_drafts=request_is_curator(request))


def _paper(identifier: str) -> Paper:
    # Any form of any id answers here, not a redirect as on the pages: a client's PUT to
    # .../review/ should not be bounced, and the body names the canonical `identifier`.
    paper = paper_by_identifier(identifier)
    if paper is None:
        raise NotFound(f"No paper has the identifier {identifier!r}.")
    return paper


class HubListView(generics.ListAPIView):
    """Published hubs (and drafts, for curators), with their citing counts."""

    serializer_class = s.HubListSerializer
    pagination_class = HubPagination

    def get_queryset(self):
        return hub_directory(include_drafts=request_is_curator(self.request))

    @extend_schema(responses={200: s.HubListSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class HubDetailView(KeptForReaders, APIView):
    kept_as = "api-detail"

    @extend_schema(responses={200: s.HubDetailSerializer, **ERRORS})
    def get(self, request, slug):
        """A hub with the summaries its page shows: counts by role, polarity and year, the
        role x polarity x year cube, the status sentence's figures and representatives."""
        kept = self.kept(slug, build=lambda hub: self.detail(request, hub))
        if kept is not None:
            return kept
        return Response(self.detail(request, _hub(request, slug)))

    def detail(self, request, hub: Hub) -> dict:
        return dict(s.HubDetailSerializer(hub_detail(hub), context={"request": request}).data)


class HubCitingPapersView(KeptForReaders, generics.ListAPIView):
    """A hub's citing papers: the hub page explorer's selector, filters and sorts, keyset-paged."""

    kept_as = "api-citing"
    serializer_class = s.CitingPaperSerializer
    pagination_class = KeysetCursorPagination
    queryset = Citation.objects.none()  # for the schema; the rows come from hub_citing_page

    @extend_schema(
        parameters=[*filter_parameters(), CITING_SORT],
        responses={200: s.CitingPaperSerializer(many=True), **ERRORS},
    )
    def get(self, request, slug):
        kept = self.kept(slug, build=self.listing)
        if kept is not None:
            return kept
        return Response(self.listing(_hub(request, slug)))

    def listing(self, hub: Hub) -> dict:
        request = self.request
        listing = hub_citing_page(
            hub, request.query_params, page_size=self.paginator.page_size(request)
        )
        if listing.filterset.errors:
            raise ValidationError(listing.filterset.errors)
        rows = self.get_serializer(listing.page.rows, many=True).data
        page = self.paginator.respond(request, listing.page, matching=listing.matching, data=rows)
        return page.data


class HubFacetsView(KeptForReaders, APIView):
    kept_as = "api-facets"

    @extend_schema(
        parameters=[group_by_parameter(), *filter_parameters()],
        responses={200: s.FacetsSerializer, **ERRORS},
    )
    def get(self, request, slug):
        """Counts of a hub's citing papers grouped by one dimension, under any filters."""
        kept = self.kept(slug, build=self.facets)
        if kept is not None:
            return kept
        return Response(self.facets(_hub(request, slug)))

    def facets(self, hub: Hub) -> dict:
        params = self.request.query_params
        group_by = params.get("group_by")
        names = [spec.name for spec in FACETS]
        if group_by not in names:
            raise ValidationError({"group_by": [f"Must be one of: {', '.join(names)}."]})
        filterset, data = hub_grouped(hub, params, group_by=group_by)
        if filterset.errors:
            raise ValidationError(filterset.errors)
        return s.FacetsSerializer(data).data


class HubExportView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(exports.EXPORTS)),
            *filter_parameters(),
            CITING_SORT,
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/x-bibtex"): OpenApiTypes.STR,
            (200, "application/x-research-info-systems"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
            **ERRORS,
        },
    )
    def get(self, request, slug, fmt):
        """The whole filtered list of a hub's citing papers, streamed (CSV, BibTeX, RIS, JSON)."""
        if fmt not in exports.EXPORTS:
            raise NotFound(f"Unknown format {fmt!r}; use one of {', '.join(exports.EXPORTS)}.")
        hub = _hub(request, slug)
        filterset = hub_citations(hub, request.query_params)
        if filterset.errors:
            raise ValidationError(filterset.errors)
        return exports.export_response(
            hub_slug=hub.slug, citations=hub_citations_in_order(filterset), fmt=fmt
        )


class HubRepresentativesView(APIView):
    @extend_schema(
        request=s.RepresentativesInputSerializer,
        responses={200: s.CitingPaperSerializer(many=True), **WRITE_ERRORS},
    )
    def put(self, request, slug):
        """Set a hub's representative citing papers, in order (curators)."""
        hub = _hub(request, slug)
        payload = s.RepresentativesInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        papers, unknown = papers_by_identifiers(payload.validated_data["papers"])
        if unknown:
            raise ValidationError(
                {"papers": [f"No paper has the identifier {i!r}." for i in unknown]}
            )
        services.hub_set_representatives(hub=hub, papers=papers, by=request.user)
        rows = hub_representatives(hub)
        return Response(
            s.CitingPaperSerializer(rows, many=True, context={"request": request}).data
        )


class PaperSearchView(generics.ListAPIView):
    """Papers whose title or authors match `q`, or that an identifier in `q` names."""

    serializer_class = s.PaperSummarySerializer
    pagination_class = PaperPagination

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        if len(query) > SEARCH_MAX_LENGTH:
            raise ValidationError({"q": [SEARCH_TOO_LONG]})
        return Paper.objects.search(query)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
                description="Words of a title or author name, or any identifier "
                "(arXiv id, DOI, ACL id, CorpusId:<n>, OpenAlex id, or a link to one).",
            )
        ],
        responses={200: s.PaperSummarySerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PaperDetailView(APIView):
    @extend_schema(responses={200: s.PaperPageSerializer, **ERRORS})
    def get(self, request, identifier):
        """A paper by any of its ids, in any form (2509.08827v2, a DOI in any case,
        P02-1040, CorpusId:123, W123, their sources' links): metadata, review, its citations
        of hubs (with contexts) and how many papers cite it."""
        paper = _paper(identifier)
        context = {
            "request": request,
            "hub_references": paper_hub_references(paper),
            "citing_count": paper_citing_count(paper),
        }
        return Response(s.PaperPageSerializer(paper, context=context).data)


class PaperCitationsView(generics.ListAPIView):
    """The papers citing a paper, in any of the explorer's sorts (newest first by default),
    keyset-paged: the paper page's selector."""

    serializer_class = s.CitingPaperSerializer
    pagination_class = KeysetCursorPagination
    queryset = Citation.objects.none()  # for the schema; the rows come from paper_citing_page

    @extend_schema(
        parameters=[CITING_SORT], responses={200: s.CitingPaperSerializer(many=True), **ERRORS}
    )
    def get(self, request, identifier):
        paper = _paper(identifier)
        listing = paper_citing_page(
            paper, request.query_params, page_size=self.paginator.page_size(request)
        )
        rows = self.get_serializer(listing.page.rows, many=True).data
        return self.paginator.respond(request, listing.page, matching=listing.matching, data=rows)


class PaperReviewView(APIView):
    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={
            200: s.ReviewSerializer,
            409: OpenApiResponse(
                s.ErrorSerializer, description="Someone saved since `version`; see `current`."
            ),
            **WRITE_ERRORS,
        },
    )
    def put(self, request, identifier):
        """Set a paper's review: verdict, novelty (0.0-10.0, one decimal), summary (curators)."""
        paper = _paper(identifier)
        payload = s.ReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review = services.review_set(paper=paper, by=request.user, **payload.validated_data)
        return Response(s.ReviewSerializer(review).data)


class CitationDetailView(APIView):
    @extend_schema(responses={200: s.CitationDetailSerializer, **ERRORS})
    def get(self, request, pk):
        """A citation with its contexts, classification (source, confidence) and history."""
        return Response(
            s.CitationDetailSerializer(citation_detail(pk), context={"request": request}).data
        )


class CitationClassificationView(APIView):
    @extend_schema(
        request=s.ClassificationInputSerializer,
        responses={200: s.CitationDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        """Set a citation's role and/or polarity (curators); recorded in its history."""
        citation = citation_detail(pk)
        payload = s.ClassificationInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.citation_classify(citation=citation, by=request.user, **payload.validated_data)
        return Response(
            s.CitationDetailSerializer(citation_detail(pk), context={"request": request}).data
        )


class CitationBulkClassifyView(APIView):
    @extend_schema(
        request=s.BulkClassificationInputSerializer,
        responses={200: s.BulkClassificationResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        """Classify many citations in one request, all or nothing (curators).

        On any bad item nothing is written and the 400 lists each bad item by index.
        """
        items = request.data.get("items") if isinstance(request.data, dict) else None
        payload = s.BulkClassificationInputSerializer(data=request.data)
        if not payload.is_valid():
            item_errors = payload.errors.get("items")
            # Errors keyed by item index are per-item; anything else is about the list.
            if (
                isinstance(items, list)
                and isinstance(item_errors, dict)
                and item_errors
                and all(isinstance(index, int) for index in item_errors)
            ):
                return _bulk_error(items, item_errors)
            raise ValidationError(payload.errors)
        try:
            count = services.citations_classify_items(
                items=payload.validated_data["items"], by=request.user
            )
        except services.ItemsInvalid as exc:
            return error_response(
                code="validation_error",
                message=exc.message,
                status_code=status.HTTP_400_BAD_REQUEST,
                items=exc.items,
            )
        return Response({"classified": count})


def _bulk_error(items: list, errors: dict) -> Response:
    """A 400 listing each bad item of a bulk request; `errors` maps item index to errors."""
    report = [
        {
            "index": index,
            "id": items[index].get("id") if isinstance(items[index], dict) else None,
            "errors": flatten_errors(error),
        }
        for index, error in sorted(errors.items())
    ]
    return error_response(
        code="validation_error",
        message=f"{len(report)} item(s) are invalid; nothing was classified.",
        status_code=status.HTTP_400_BAD_REQUEST,
        items=report,
    )


class ApiRootView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 429: ERRORS[429]})
    def get(self, request):
        """Where to start: the lists, the schema and the documentation."""
        return Response(
            {
                "hubs": request.build_absolute_uri(reverse("api:hub-list")),
                "papers": request.build_absolute_uri(reverse("api:paper-list")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
            }
        )


class ApiNotFoundView(APIView):
    """Any other path under /api/v1/: a 404 in the API's error shape, not an HTML page."""

    @extend_schema(exclude=True)
    def get(self, request, path=""):
        raise NotFound(f"No API endpoint at /api/v1/{path}. See /api/docs/.")

    post = put = patch = delete = get
