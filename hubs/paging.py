"""Keyset ("cursor") paging: each page costs the same however deep it is, and has no cap.

A page is fetched with `WHERE cited_id = hub AND (key, tie) < (last key, last tie) ORDER BY
key DESC, tie DESC LIMIT n` instead of an OFFSET, so page 40,000 is as cheap as page 1,
and rows inserted meanwhile never shift a reader onto rows they already saw.

Seeking, not filtering: the rows are always the citations of one paper, and each sort has
an index (cited_id, key, citing_id) on the citation itself (Citation.Meta.indexes). A row
comparison on those columns is a range of that index, so PostgreSQL starts reading at
the cursor and stops after one page, in either direction, at any depth. That is why the
keys are columns of the citation: the citing paper's date and its review's novelty are
copied there (Citation.citing_date_key, citing_novelty_key), kept in step by the
database itself (migration 0011's triggers), whoever writes the paper, the review or
the citation.

Missing keys (a paper with no known date, or no novelty score) come last when
descending and first when ascending: they never vanish from a list. The copies store
them as a value below every real one (MISSING_DATE, MISSING_NOVELTY), not as NULL, so
there is no separate NULL segment to page through and one comparison serves every
page. A cursor still says `null` for them, and rows carry `sort_key` None.

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

from django.db.models import BooleanField, Expression, F, OrderBy, QuerySet, Value


class InvalidCursor(ValueError):
    pass


TIE = "citing_id"

# What the citation's copies of a missing key hold: below every real value, so a missing
# key sorts last when descending and first when ascending (as SQLite orders NULL).
MISSING_DATE = datetime.date.min
MISSING_NOVELTY = Decimal("-1.0")


class RowBefore(Expression):
    """`(a, b) < (x, y)` (or `>`): a row comparison, which an index on (…, a, b) answers
    as a range instead of a filter over every row."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, columns, values, *, descending: bool):
        super().__init__()
        self.columns, self.values, self.descending = list(columns), list(values), descending

    def get_source_expressions(self):
        return [*self.columns, *self.values]

    def set_source_expressions(self, expressions):
        n = len(self.columns)
        self.columns, self.values = list(expressions[:n]), list(expressions[n:])

    def as_sql(self, compiler, connection):
        sides, params = [], []
        for side in (self.columns, self.values):
            parts = []
            for expression in side:
                sql, part_params = compiler.compile(expression)
                parts.append(sql)
                params.extend(part_params)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {'<' if self.descending else '>'} {sides[1]}", params


@dataclass(frozen=True)
class Sort:
    """An order for a paper's citation rows: a key column of the citation and its direction.

    `missing` is what the key column holds for a row without a key (hubs.models.Citation),
    shown as None; such rows come last when descending and first when ascending.
    """

    label: str
    key: str
    descending: bool
    parse: Callable[[str], object]
    valid: Callable[[object], bool] = lambda value: True
    missing: object = None

    def order_by(self, *, reverse: bool = False) -> list[OrderBy]:
        if self.descending != reverse:
            return [F(self.key).desc(), F(TIE).desc()]
        return [F(self.key).asc(), F(TIE).asc()]

    def after(self, key, tie: int, *, reverse: bool = False) -> RowBefore:
        """The rows that come after (key, tie) in this order (or in its reverse)."""
        key = self.missing if key is None else key
        field = self.key_field()
        return RowBefore(
            [F(self.key), F(TIE)],
            [Value(key, output_field=field), Value(tie)],
            descending=self.descending != reverse,
        )

    def key_field(self):
        from hubs.models import Citation  # hubs.models imports this module (MISSING_*)

        return Citation._meta.get_field(self.key).clone()

    def shown(self, value):
        """A row's key as pages and cursors carry it: None where the key is missing."""
        return None if value == self.missing else value


def _novelty_in_range(value) -> bool:
    return value.is_finite() and 0 <= value <= 10


SORTS = {
    "newest": Sort(
        "newest first", "citing_date_key", True, datetime.date.fromisoformat, missing=MISSING_DATE
    ),
    "oldest": Sort(
        "oldest first", "citing_date_key", False, datetime.date.fromisoformat, missing=MISSING_DATE
    ),
    "novelty": Sort(
        "highest novelty",
        "citing_novelty_key",
        True,
        Decimal,
        valid=_novelty_in_range,
        missing=MISSING_NOVELTY,
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
    for row in fetched:
        row.sort_key = sort.shown(row.sort_key)
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
