import datetime

import pytest
from django.db.models import F

from hubs.models import Citation
from hubs.paging import SORTS, InvalidCursor, keyset_page
from tests.factories import PaperFactory, hub_with_citing_papers

pytestmark = pytest.mark.django_db


def walk(queryset, sort_name, size):
    """Follow next links from the first page to the last; returns the ids seen in order."""
    seen, cursor = [], None
    while True:
        page = keyset_page(queryset, sort=SORTS[sort_name], cursor=cursor, size=size)
        seen += [row.pk for row in page.rows]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


def _expected_order(queryset, sort) -> list[int]:
    """The order worked out in Python: missing keys last when descending, first when not,
    ties broken by the citing paper's id."""
    rows = [
        (row.pk, row.sort_key, row.citing_id) for row in queryset.annotate(sort_key=F(sort.key))
    ]
    known = sorted(
        (row for row in rows if row[1] is not None),
        key=lambda row: (row[1], row[2]),
        reverse=sort.descending,
    )
    missing = sorted(
        (row for row in rows if row[1] is None), key=lambda row: row[2], reverse=sort.descending
    )
    ordered = known + missing if sort.descending else missing + known
    return [row[0] for row in ordered]


@pytest.mark.parametrize("sort_name", list(SORTS))
def test_walking_every_page_sees_each_row_once_in_order(sort_name):
    hub = hub_with_citing_papers(47)
    for n in range(4):  # papers with no known date at all
        undated = PaperFactory(arxiv_id=None, doi=f"10.1000/undated.{n}", submitted=None)
        Citation.objects.create(citing=undated, cited=hub.paper, refs=2)
    queryset = Citation.objects.of_paper(hub.paper).with_citing()
    seen = walk(queryset, sort_name, size=10)
    assert seen == _expected_order(queryset, SORTS[sort_name])
    assert len(set(seen)) == 51


def test_previous_goes_back_to_the_same_rows():
    hub = hub_with_citing_papers(25)
    queryset = Citation.objects.of_paper(hub.paper)
    first = keyset_page(queryset, sort=SORTS["newest"], cursor=None, size=10)
    second = keyset_page(queryset, sort=SORTS["newest"], cursor=first.next_cursor, size=10)
    back = keyset_page(queryset, sort=SORTS["newest"], cursor=second.previous_cursor, size=10)
    assert [row.pk for row in back.rows] == [row.pk for row in first.rows]
    assert back.previous_cursor is None
    assert first.previous_cursor is None


def test_rows_added_meanwhile_do_not_shift_the_next_page():
    hub = hub_with_citing_papers(20)
    queryset = Citation.objects.of_paper(hub.paper)
    first = keyset_page(queryset, sort=SORTS["newest"], cursor=None, size=10)
    expected = keyset_page(queryset, sort=SORTS["newest"], cursor=first.next_cursor, size=10)
    # A newer citing paper arrives while the reader is on page one: with OFFSET paging
    # it would push a row they already saw onto page two.
    newcomer = PaperFactory(arxiv_id="2712.00001", submitted=datetime.date(2027, 12, 1))
    Citation.objects.create(citing=newcomer, cited=hub.paper)
    again = keyset_page(queryset, sort=SORTS["newest"], cursor=first.next_cursor, size=10)
    assert [row.pk for row in again.rows] == [row.pk for row in expected.rows]


def test_each_page_knows_the_position_of_its_first_row():
    queryset = Citation.objects.of_paper(hub_with_citing_papers(23).paper)
    sort = SORTS["novelty"]
    first = keyset_page(queryset, sort=sort, cursor=None, size=10)
    second = keyset_page(queryset, sort=sort, cursor=first.next_cursor, size=10)
    third = keyset_page(queryset, sort=sort, cursor=second.next_cursor, size=10)
    back = keyset_page(queryset, sort=sort, cursor=third.previous_cursor, size=10)
    front = keyset_page(queryset, sort=sort, cursor=back.previous_cursor, size=10)
    pages = [first, second, third, back, front]
    assert [(page.start, page.end) for page in pages] == [
        (1, 10),
        (11, 20),
        (21, 23),
        (11, 20),
        (1, 10),
    ]
    empty = keyset_page(queryset.none(), sort=sort, cursor=None, size=10)
    assert (empty.start, empty.end) == (0, 0)


@pytest.mark.parametrize("cursor", ["garbage", "eyJhIjoxfQ", "WyJuZXh0IiwiMjAyNS0xMy0wMSIsMV0"])
def test_malformed_cursor_is_refused(cursor):
    with pytest.raises(InvalidCursor, match="malformed"):
        keyset_page(Citation.objects.all(), sort=SORTS["newest"], cursor=cursor, size=10)


def _cursor(*parts) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("novelty", _cursor("next", "11", 1, 25)),
        ("novelty", _cursor("next", "NaN", 1, 25)),
        ("novelty", _cursor("next", "Infinity", 1, 25)),
        ("novelty", _cursor("next", "1e999", 1, 25)),
        ("refs", _cursor("next", "99999999999999", 1, 25)),
        ("newest", _cursor("next", "2025-01-01", -1, 25)),
        ("newest", _cursor("sideways", "2025-01-01", 1, 25)),
        ("newest", _cursor("next", "2025-01-01", 1)),  # before cursors carried a position
        ("newest", _cursor("next", "2025-01-01", 1, 0)),
        ("newest", _cursor("next", "2025-01-01", 1, "25")),
        ("newest", _cursor("next", "2025-01-01", 1, 2**63)),
    ],
)
def test_crafted_cursors_are_refused(sort, cursor):
    with pytest.raises(InvalidCursor):
        keyset_page(Citation.objects.all(), sort=SORTS[sort], cursor=cursor, size=10)
