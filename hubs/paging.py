"""Keyset ("cursor") paging: each page costs the same however deep it is, and has no cap.

A page is fetched with `WHERE (key, id) < (last key, last id) ORDER BY key, id LIMIT n`
instead of an OFFSET, so page 40,000 is as cheap as page 1, and rows inserted meanwhile
never shift a reader onto rows they already saw.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DateField, DecimalField, Expression, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Sort:
    """An order for citation rows: a key expression, its direction and how to read it back."""

    label: str
    key: Expression
    descending: bool
    parse: Callable[[str], object]


# Unknown dates and novelty sort last (newest, novelty) or first (oldest), never vanish.
SORTS = {
    "newest": Sort(
        "newest first",
        Coalesce(F("citing__sort_date"), Value(datetime.date.min), output_field=DateField()),
        descending=True,
        parse=datetime.date.fromisoformat,
    ),
    "oldest": Sort(
        "oldest first",
        Coalesce(F("citing__sort_date"), Value(datetime.date.min), output_field=DateField()),
        descending=False,
        parse=datetime.date.fromisoformat,
    ),
    "novelty": Sort(
        "highest novelty",
        Coalesce(
            F("citing__review__novelty"),
            Value(Decimal("-1")),
            output_field=DecimalField(max_digits=3, decimal_places=1),
        ),
        descending=True,
        parse=Decimal,
    ),
    "refs": Sort("most references", F("refs"), descending=True, parse=int),
}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


def _encode(direction: str, key, pk: int) -> str:
    text = json.dumps([direction, str(key), pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, sort: Sort) -> tuple[str, object, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        direction, key, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if direction not in ("next", "prev") or not isinstance(pk, int) or not 0 < pk < 2**63:
            raise ValueError
        key = sort.parse(key)
        if isinstance(key, Decimal) and not (key.is_finite() and abs(key) < 100):
            raise ValueError  # NaN, Infinity or out of the novelty range
        if isinstance(key, int) and not 0 <= key < 2**31:
            raise ValueError
        return direction, key, pk
    except (ValueError, TypeError, binascii.Error, ArithmeticError) as exc:
        raise InvalidCursor("This page link is malformed or out of date.") from exc


def keyset_page(queryset: QuerySet, *, sort: Sort, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` in `sort` order, starting after (or before) `cursor`."""
    rows = queryset.annotate(sort_key=sort.key)
    forward = ("-sort_key", "-id") if sort.descending else ("sort_key", "id")
    backward = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in forward)
    direction = "next"
    if cursor:
        direction, key, pk = _decode(cursor, sort)
        after = (direction == "next") == sort.descending  # walking towards smaller keys?
        lookup = "lt" if after else "gt"
        rows = rows.filter(
            Q(**{f"sort_key__{lookup}": key}) | Q(sort_key=key, **{f"id__{lookup}": pk})
        )
    ordered = rows.order_by(*(forward if direction == "next" else backward))
    fetched = list(ordered[: size + 1])
    more = len(fetched) > size
    fetched = fetched[:size]
    if direction == "prev":
        fetched.reverse()
    if not fetched:
        return KeysetPage(rows=[], next_cursor=None, previous_cursor=None)
    first, last = fetched[0], fetched[-1]
    has_next = more if direction == "next" else True
    has_previous = bool(cursor) if direction == "next" else more
    return KeysetPage(
        rows=fetched,
        next_cursor=_encode("next", last.sort_key, last.pk) if has_next else None,
        previous_cursor=_encode("prev", first.sort_key, first.pk) if has_previous else None,
    )
