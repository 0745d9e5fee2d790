"""Cursor pagination for citation lists, on hubs.paging's keyset pages (no cap, stable
under concurrent inserts), with the explorer's sorts."""

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from hubs.paging import DEFAULT_SORT, SORTS, keyset_page

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class KeysetCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."
                    ]
                }
            )
        return int(raw)

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
    ordering = "slug"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class PaperPagination(HubPagination):
    ordering = "-id"  # newest first: ids only grow, and never repeat
    page_size = DEFAULT_PAGE_SIZE
