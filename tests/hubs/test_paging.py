import datetime
import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

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


# Where each sort's key truly lives (the pager reads copies kept on the citation).
SOURCES = {
    "newest": "citing__sort_date",
    "oldest": "citing__sort_date",
    "novelty": "citing__review__novelty",
    "refs": "refs",
}


def _expected_order(queryset, sort_name) -> list[int]:
    """The order worked out in Python from the papers and reviews themselves: missing keys
    last when descending, first when not, ties broken by the citing paper's id."""
    sort = SORTS[sort_name]
    rows = [
        (row.pk, row.truth, row.citing_id)
        for row in queryset.annotate(truth=F(SOURCES[sort_name]))
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
    assert seen == _expected_order(queryset, sort_name)
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


def walk_back(queryset, sort_name, size, cursor):
    """Follow previous links from `cursor` to the first page; the ids seen, in list order."""
    seen = []
    while cursor:
        page = keyset_page(queryset, sort=SORTS[sort_name], cursor=cursor, size=size)
        seen = [row.pk for row in page.rows] + seen
        cursor = page.previous_cursor
    return seen


@pytest.mark.parametrize("sort_name", list(SORTS))
def test_walking_back_from_the_last_page_sees_the_same_order(sort_name):
    hub = hub_with_citing_papers(33)
    for n in range(3):
        undated = PaperFactory(arxiv_id=None, doi=f"10.1000/undated.{n}", submitted=None)
        Citation.objects.create(citing=undated, cited=hub.paper, refs=2)
    queryset = Citation.objects.of_paper(hub.paper).with_citing()
    seen, cursor, last = [], None, None
    while True:
        last = keyset_page(queryset, sort=SORTS[sort_name], cursor=cursor, size=7)
        seen += [row.pk for row in last.rows]
        if not last.next_cursor:
            break
        cursor = last.next_cursor
    before_last = walk_back(queryset, sort_name, 7, last.previous_cursor)
    assert (
        before_last + [row.pk for row in last.rows] == seen == _expected_order(queryset, sort_name)
    )
    assert (last.start, last.end) == (36 - len(last.rows) + 1, 36)


def test_sorts_and_cursors_follow_a_curators_change_at_once():
    from hubs.services import paper_update, review_set

    hub = hub_with_citing_papers(30)
    queryset = Citation.objects.of_paper(hub.paper).with_citing()
    first = keyset_page(queryset, sort=SORTS["novelty"], cursor=None, size=10)
    # A paper low in the novelty order gets the highest score there is ...
    lowest = Citation.objects.of_paper(hub.paper).filter(citing__review__isnull=True).last()
    review_set(paper=lowest.citing, verdict="accept", novelty="10.0", by=None)
    again = keyset_page(queryset, sort=SORTS["novelty"], cursor=None, size=10)
    assert lowest.pk in [row.pk for row in again.rows]
    assert walk(queryset, "novelty", 10) == _expected_order(queryset, "novelty")
    # ... and the page after a cursor taken before the change no longer holds it.
    after = keyset_page(queryset, sort=SORTS["novelty"], cursor=first.next_cursor, size=10)
    assert lowest.pk not in [row.pk for row in after.rows]
    # A paper's date moved to the future comes first among the newest, and one whose date
    # is cleared goes to the end.
    oldest = walk(queryset, "oldest", 10)
    moved = Citation.objects.get(pk=oldest[0]).citing
    paper_update(paper=moved, changes={"submitted": datetime.date(2031, 1, 2)})
    assert keyset_page(queryset, sort=SORTS["newest"], cursor=None, size=10).rows[0].citing_id == (
        moved.pk
    )
    cleared = Citation.objects.get(pk=oldest[1]).citing
    paper_update(
        paper=cleared, changes={"submitted": None, "arxiv_id": None, "doi": "10.1000/cleared"}
    )
    newest = walk(queryset, "newest", 10)
    assert newest[-1] == oldest[1]
    assert newest == _expected_order(queryset, "newest")
    assert walk(queryset, "oldest", 10) == _expected_order(queryset, "oldest")


@pytest.mark.parametrize("sort_name", list(SORTS))
@pytest.mark.parametrize("direction", ["next", "prev"])
def test_a_deep_page_seeks_an_index_of_the_cited_paper(sort_name, direction):
    """The page after a cursor starts reading at the cursor in an index that begins with
    the cited paper: no rows read and thrown away, no sort of the hub."""
    if connection.vendor != "postgresql":
        pytest.skip("a question for PostgreSQL's planner")
    hub = hub_with_citing_papers(60)
    queryset = Citation.objects.of_paper(hub.paper).with_citing()
    sort = SORTS[sort_name]
    page = keyset_page(queryset, sort=sort, cursor=None, size=10)
    page = keyset_page(queryset, sort=sort, cursor=page.next_cursor, size=10)
    cursor = page.next_cursor if direction == "next" else page.previous_cursor
    with CaptureQueriesContext(connection) as queries:
        keyset_page(queryset, sort=sort, cursor=cursor, size=10)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as db:
        # On 60 rows a sequential scan is cheaper; the question is whether the index can
        # be walked from the cursor at all.
        db.execute("ANALYZE hubs_citation, hubs_paper, hubs_review")
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_bitmapscan = off")
        db.execute("SET LOCAL enable_sort = off")  # a sort only where nothing else can
        db.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = db.fetchone()[0]
    text = json.dumps(plan)
    assert '"Sort"' not in text, text

    def scans(node):
        yield node
        for child in node.get("Plans", []):
            yield from scans(child)

    citation_scans = [
        n for n in scans(plan[0]["Plan"]) if n.get("Relation Name") == "hubs_citation"
    ]
    (scan,) = citation_scans
    assert scan["Node Type"] in ("Index Scan", "Index Only Scan"), scan
    assert "cited_id" in scan["Index Cond"] and "citing_id" in scan["Index Cond"], scan
