"""Paging for the API's lists.

The citation lists are keyset-paged (hubs.paging: no cap, stable under concurrent
inserts) by the same selectors as the pages: KeysetCursorPagination only turns such a
page into the response and documents it. The short lists use DRF's cursor paging, with
their `sort` checked by the one rule (hubs.filters.sort_named).
"""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from hubs.api.schema import sort_parameter
from hubs.filters import sort_named
from hubs.inputs import whole_number
from hubs.paging import KeysetPage
from hubs.selectors.explorer import SEARCH_COUNT_LIMIT

DEFAULT_PAGE_SIZE = 25
BAD_CURSOR = "This page link is malformed or out of date."
MAX_PAGE_SIZE = 100


def page_size_from(request, *, default: int) -> int:
    """The `page_size` asked for, 1 to MAX_PAGE_SIZE; anything else is a 400, not ignored."""
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    size = whole_number(raw, minimum=1, maximum=MAX_PAGE_SIZE)
    if size is None:
        message = f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."
        raise ValidationError({"page_size": [message]})
    return size


class KeysetCursorPagination(BasePagination):
    """The response of a keyset page from a selector: links, where it starts, how many match."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def page_size(self, request) -> int:
        return page_size_from(request, default=DEFAULT_PAGE_SIZE)

    def paginate_queryset(self, queryset, request, view=None):
        raise NotImplementedError("Citation lists are paged by their selector; see respond().")

    def respond(self, request, page: KeysetPage, *, matching: int, data) -> Response:
        url = request.build_absolute_uri()

        def link(cursor):
            return (
                None
                if cursor is None
                else replace_query_param(url, self.cursor_query_param, cursor)
            )

        return Response(
            {
                "count": int(matching),
                # False when a text search matches more than the count (hub citing lists:
                # hubs.selectors.explorer.SEARCH_COUNT_LIMIT); pages say "more than N".
                "count_exact": getattr(matching, "exact", True),
                "start": page.start,
                "next": link(page.next_cursor),
                "previous": link(page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "start", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Rows matching the filters, on every page.",
                },
                "count_exact": {
                    "type": "boolean",
                    "description": "False when a text search (`q`) matches more than "
                    f"{SEARCH_COUNT_LIMIT:,} rows: more than `count` rows match, and they "
                    "are not all counted.",
                },
                "start": {
                    "type": "integer",
                    "description": "Position of this page's first row in the list, from 1 "
                    "(0 when the page is empty): this page holds rows start to "
                    "start + len(results) - 1.",
                },
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

    # The orders this list offers, by name: DRF's cursor needs a unique, stored key, so
    # these lists offer one order each, and any other `sort` is a 400 like everywhere.
    sorts = {"slug": "slug"}
    default_sort = "slug"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size_from(request, default=self.page_size)

    def get_ordering(self, request, queryset, view):
        name = sort_named(request.query_params.get("sort"), self.sorts, default=self.default_sort)
        return (self.sorts[name],)

    def get_schema_operation_parameters(self, view):
        sort = sort_parameter(self.sorts, default=self.default_sort)
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "sort",
                "required": False,
                "in": "query",
                "description": sort.description,
                "schema": {"type": "string", "enum": list(self.sorts), "default": sort.default},
            },
        ]

    def position_valid(self, position: str) -> bool:
        """Whether a cursor's position could be a value of this list's order key."""
        return True

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:  # DRF answers a bad cursor with 404; it is bad input
            raise ValidationError({"cursor": [BAD_CURSOR]}) from exc
        # DRF trusts the position it decodes: a forged one ("p=2025-01-01" for an id) would
        # reach the database as a comparison it cannot make.
        if cursor and cursor.position is not None and not self.position_valid(cursor.position):
            raise ValidationError({"cursor": [BAD_CURSOR]})
        return cursor


class PaperPagination(HubPagination):
    sorts = {"newest": "-id"}  # newest first: ids only grow, and never repeat
    default_sort = "newest"
    page_size = DEFAULT_PAGE_SIZE

    def position_valid(self, position: str) -> bool:
        return whole_number(position, minimum=1, maximum=2**63 - 1) is not None
