"""Keyset ("cursor") paging: each page costs the same however deep it is, and has no cap.

A page is fetched with `WHERE (key, tie) < (last key, last tie) ORDER BY key, tie LIMIT n`
instead of an OFFSET, so page 40,000 is as cheap as page 1, and rows inserted meanwhile
never shift a reader onto rows they already saw.

The rows are always the citations of one paper, so the citing paper's id breaks ties:
with it, "newest first" is the order of an index on the papers (paper_newest), which
PostgreSQL can walk and stop after one page instead of sorting a whole hub.

Keyset paging has no OFFSET, yet a reader wants to be told "26–36 of 36". So a cursor
also carries the position (1-based) of the row it was taken from: the next page starts
one after its last row, the previous page ends one before its first. Positions cost no
query; they are as exact as the list was when the cursor was made (rows added since
shift what follows, exactly as they would under OFFSET paging), and going back to the
first page always says 1.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OrderBy, Q, QuerySet


class InvalidCursor(ValueError):
    pass


TIE = "citing_id"


@dataclass(frozen=True)
class Sort:
    """An order for a paper's citation rows: a (nullable) key field and its direction.

    Rows without a key (a paper with no known date, or no novelty score) come last when
    descending and first when ascending: they never vanish from a list.
    """

    label: str
    key: str
    descending: bool
    parse: Callable[[str], object]
    valid: Callable[[object], bool] = lambda value: True

    def order_by(self, *, reverse: bool = False) -> list[OrderBy]:
        descending = self.descending != reverse
        if descending:
            return [F(self.key).desc(nulls_last=True), F(TIE).desc()]
        return [F(self.key).asc(nulls_first=True), F(TIE).asc()]

    def after(self, key, tie: int, *, reverse: bool = False) -> Q:
        """The rows that come after (key, tie) in this order (or in its reverse)."""
        if self.descending != reverse:  # descending, missing keys last
            if key is None:
                return Q(**{f"{self.key}__isnull": True, f"{TIE}__lt": tie})
            return (
                Q(**{f"{self.key}__lt": key})
                | Q(**{self.key: key, f"{TIE}__lt": tie})
                | Q(**{f"{self.key}__isnull": True})
            )
        if key is None:  # ascending, missing keys first
            return Q(**{f"{self.key}__isnull": True, f"{TIE}__gt": tie}) | Q(
                **{f"{self.key}__isnull": False}
            )
        return Q(**{f"{self.key}__gt": key}) | Q(**{self.key: key, f"{TIE}__gt": tie})


def _novelty_in_range(value) -> bool:
    return value.is_finite() and 0 <= value <= 10


SORTS = {
    "newest": Sort("newest first", "citing__sort_date", True, datetime.date.fromisoformat),
    "oldest": Sort("oldest first", "citing__sort_date", False, datetime.date.fromisoformat),
    "novelty": Sort(
        "highest novelty", "citing__review__novelty", True, Decimal, valid=_novelty_in_range
    ),
    "refs": Sort("most references", "refs", True, int, valid=lambda value: 0 < value < 2**31),
}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    start: int = 0  # position of the first row in the whole list, from 1 (0: no rows)

    @property
    def end(self) -> int:
        """Position of the last row (0: no rows)."""
        return self.start + len(self.rows) - 1 if self.rows else 0


def _encode(direction: str, key, tie: int, position: int) -> str:
    key = None if key is None else str(key)
    text = json.dumps([direction, key, tie, position], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, sort: Sort) -> tuple[str, object, int, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        direction, key, tie, position = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if direction not in ("next", "prev"):
            raise ValueError
        if not all(type(n) is int and 0 < n < 2**63 for n in (tie, position)):
            raise ValueError
        if key is not None:
            key = sort.parse(key)
            if not sort.valid(key):
                raise ValueError  # NaN, Infinity, or a key out of its field's range
        return direction, key, tie, position
    except (ValueError, TypeError, binascii.Error, ArithmeticError) as exc:
        raise InvalidCursor("This page link is malformed or out of date.") from exc


def sorted_rows(queryset: QuerySet, sort: Sort) -> QuerySet:
    """All of `queryset` in `sort` order (for exports, which stream the whole list)."""
    return queryset.annotate(sort_key=F(sort.key)).order_by(*sort.order_by())


def keyset_page(queryset: QuerySet, *, sort: Sort, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in `sort` order, starting after (or before) `cursor`."""
    rows = queryset.annotate(sort_key=F(sort.key))
    direction, anchor = "next", 0  # the first page starts after position 0
    if cursor:
        direction, key, tie, anchor = _decode(cursor, sort)
        rows = rows.filter(sort.after(key, tie, reverse=direction == "prev"))
    ordered = rows.order_by(*sort.order_by(reverse=direction == "prev"))
    fetched = list(ordered[: size + 1])
    more = len(fetched) > size
    fetched = fetched[:size]
    if direction == "prev":
        fetched.reverse()
    if not fetched:
        return KeysetPage(rows=[], next_cursor=None, previous_cursor=None)
    if direction == "next":
        start, has_next, has_previous = anchor + 1, more, bool(cursor)
    else:  # back to the first page is position 1, whatever was added meanwhile
        start, has_next, has_previous = (anchor - len(fetched) if more else 1), True, more
    start = max(start, 1)
    first, last = fetched[0], fetched[-1]
    end = start + len(fetched) - 1
    return KeysetPage(
        rows=fetched,
        next_cursor=_encode("next", last.sort_key, last.citing_id, end) if has_next else None,
        previous_cursor=(
            _encode("prev", first.sort_key, first.citing_id, start) if has_previous else None
        ),
        start=start,
    )
