"""Cursor pagination for citation lists, on hubs.paging's keyset pages (no cap, stable
under concurrent inserts), with the explorer's sorts."""

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from hubs.paging import DEFAULT_SORT, SORTS, keyset_page

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def page_size_from(request, *, default: int) -> int:
    """The `page_size` asked for, 1 to MAX_PAGE_SIZE; anything else is a 400, not ignored."""
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        message = f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."
        raise ValidationError({"page_size": [message]})
    return int(raw)


class KeysetCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def _page_size(self, request) -> int:
        return page_size_from(request, default=DEFAULT_PAGE_SIZE)

    def paginate_queryset(self, queryset: QuerySet, request, view=None):
        self.request = request
        sort = SORTS.get(request.query_params.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])
        self.page = keyset_page(
            queryset,
            sort=sort,
            cursor=request.query_params.get(self.cursor_query_param) or None,
            size=self._page_size(request),
        )
        return self.page.rows

    def _link(self, cursor):
        url = self.request.build_absolute_uri()
        if cursor is None:
            return None
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


class HubPagination(CursorPagination):
    """DRF's cursor paging for short lists, answering bad input like the keyset one."""

    ordering = "slug"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size_from(request, default=self.page_size)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound as exc:  # DRF answers a bad cursor with 404; it is bad input
            raise ValidationError(
                {"cursor": ["This page link is malformed or out of date."]}
            ) from exc


class PaperPagination(HubPagination):
    ordering = "-id"  # newest first: ids only grow, and never repeat
    page_size = DEFAULT_PAGE_SIZE
