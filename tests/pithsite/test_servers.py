"""The site against real PostgreSQL servers that stop, lag and come back.

Each runs on copies of `make test`'s server (tests/pgserver.py), never on it: a primary
with curated data, a streaming replica of it, and gunicorn serving the site on them.
About 15 seconds in all; skipped on SQLite.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.pgserver import Server, Site, django_script, manage, pg_bin

pytestmark = [
    pytest.mark.pgserver,
    # Not used by the tests themselves: it makes pytest-django set up the test database
    # these copies are made from.
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or pg_bin() is None,
        reason="needs make test's PostgreSQL server and its binaries",
    ),
]

SETUP = """
from accounts.services import api_token_create
from tests.factories import CuratorFactory, hub_with_citing_papers
hub = hub_with_citing_papers(240, slug="faults")
_, key = api_token_create(user=CuratorFactory(), name="tests")
citings = hub.paper.citations.select_related("citing").order_by("pk")
print(json.dumps({
    "token": key,
    "citations": [c.pk for c in citings],
    "papers": [c.citing.identifier for c in citings],
}))
"""


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker) -> str:
    """The test database's name: what the copies hold, migrated."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def primary(database, django_db_blocker):
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('unix_socket_directories')")
        source = cursor.fetchone()[0].split(",")[0]
    server = Server.copy_of(source)
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def curated(primary, database) -> dict:
    """A published hub of 240 citing papers, a curator and their API token, on the copy."""
    return django_script(SETUP, DATABASE_URL=primary.url(database))


@pytest.fixture(scope="module")
def replica(primary, curated):
    server = Server.copy_of(primary.host, standby=True)
    yield server
    server.destroy()


def test_reads_go_to_the_replica_and_a_curators_next_reads_to_the_primary(
    primary, replica, curated, database
):
    site = Site(DATABASE_URL=primary.url(database), DATABASE_REPLICA_URL=replica.url(database))
    try:
        paper = curated["papers"][1]
        review, detail = f"/api/v1/papers/{paper}/review/", f"/api/v1/papers/{paper}/"
        token = {"Authorization": f"Bearer {curated['token']}"}

        def summary(**headers):
            status, _, body = site.request("GET", detail, headers=headers)
            assert status == 200, body
            return (json.loads(body)["review"] or {}).get("summary")

        before = summary()

        with replica.connect(database) as standby:
            standby.execute("SELECT pg_wal_replay_pause()")  # the replica now lags for sure
            status, headers, _ = site.request(
                "PUT", review, body={"verdict": "accept", "summary": "Seen at once"},
                headers=token,
            )  # fmt: skip
            assert status == 200
            pin = headers["Set-Cookie"].split(";")[0]
            assert pin.startswith("pith_primary=")

            # The curator's tool (token) and the browser that wrote (cookie) read the
            # primary; anyone else reads the replica, which has not replayed the write.
            assert summary(Authorization=token["Authorization"]) == "Seen at once"
            assert summary(Cookie=pin) == "Seen at once"
            assert summary() == before != "Seen at once"
            assert site.request("GET", "/hubs/faults/")[0] == 200

            standby.execute("SELECT pg_wal_replay_resume()")
        deadline = time.monotonic() + 10
        while summary() != "Seen at once":
            assert time.monotonic() < deadline, "the replica never caught up"
            time.sleep(0.1)
    finally:
        site.stop()


def timed(site, path):
    started = time.monotonic()
    status, headers, body = site.request("GET", path, timeout=5)
    return status, headers, body, time.monotonic() - started


def test_database_down_answers_503_within_a_second_and_recovers_by_itself(
    primary, curated, database
):
    site = Site(DATABASE_URL=primary.url(database))
    try:
        assert site.request("GET", "/hubs/faults/")[0] == 200
        primary.kill()
        try:
            status, headers, body, seconds = timed(site, "/hubs/faults/")
            assert (status, seconds < 1) == (503, True)
            assert "Back in a moment" in body and "Traceback" not in body
            assert headers["Retry-After"]

            status, _, body, seconds = timed(site, "/api/v1/hubs/faults/citing-papers/")
            assert (status, seconds < 1) == (503, True)
            assert json.loads(body)["error"]["code"] == "service_unavailable"
        finally:
            primary.start()
        assert site.request("GET", "/hubs/faults/")[0] == 200
        assert site.request("GET", "/api/v1/hubs/faults/citing-papers/")[0] == 200
    finally:
        site.stop()


def labels(primary, database, ids) -> dict[int, tuple]:
    with primary.connect(database) as db:
        rows = db.execute(
            "SELECT id, role, polarity, classification_source FROM hubs_citation"
            " WHERE id = ANY(%s)",
            [ids],
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_writes_are_all_or_nothing_when_the_database_dies_mid_burst(primary, curated, database):
    site = Site(DATABASE_URL=primary.url(database))
    token = {"Authorization": f"Bearer {curated['token']}"}
    # Disjoint batches of ten citations, each set to a label none of them has yet.
    batches = [curated["citations"][n : n + 10] for n in range(0, 200, 10)]
    reviews = curated["papers"][200:220]
    before = labels(primary, database, curated["citations"][:200])
    outcomes: dict[tuple, int | None] = {}
    killed = threading.Event()

    def send(operation):
        kind, index = operation
        if index >= 10:  # the second half waits for the crash: some writes surely meet it
            killed.wait(timeout=60)
        if kind == "batch":
            method, path = "POST", "/api/v1/citations/classify/"
            body = {"items": [{"id": pk, "role": "uses_data", "polarity": "contrasting"}
                              for pk in batches[index]]}  # fmt: skip
        else:
            method, path = "PUT", f"/api/v1/papers/{reviews[index]}/review/"
            body = {"verdict": "reject", "summary": f"burst {index}"}
        try:
            outcomes[operation] = site.request(method, path, body=body, headers=token)[0]
        except OSError:
            outcomes[operation] = None

    def killer():
        # Once the first writes are answered, while others are in flight.
        deadline = time.monotonic() + 60
        while len(outcomes) < 8 and time.monotonic() < deadline:
            time.sleep(0.002)
        primary.kill()
        killed.set()

    operations = [(kind, index) for index in range(20) for kind in ("batch", "review")]
    try:
        kill = threading.Thread(target=killer)
        kill.start()
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(send, operations))
        kill.join()
        primary.start()
    finally:
        site.stop()

    acknowledged = [key for key, status in outcomes.items() if status and status < 300]
    refused = [key for key, status in outcomes.items() if status == 503]
    assert acknowledged and refused, outcomes  # the kill landed mid-burst
    assert not [s for s in outcomes.values() if s and s >= 300 and s != 503], outcomes

    after = labels(primary, database, curated["citations"][:200])
    applied = ("uses_data", "contrasting", "curator")
    for index, batch in enumerate(batches):
        done = [after[pk] == applied for pk in batch]
        untouched = [after[pk] == before[pk] for pk in batch]
        assert all(done) or all(untouched), f"batch {index} half applied"
        if ("batch", index) in acknowledged:
            assert all(done), f"acknowledged batch {index} lost"
    with primary.connect(database) as db:
        summaries = dict(
            db.execute(
                "SELECT p.id, r.summary FROM hubs_review r JOIN hubs_paper p ON p.id = r.paper_id"
            ).fetchall()
        ).values()
    for kind, index in acknowledged:
        if kind == "review":
            assert f"burst {index}" in summaries, f"acknowledged review {index} lost"


CURATED_CHECKSUM = """
SELECT md5(concat_ws('/',
  (SELECT string_agg(concat_ws('|', paper_id, verdict, novelty, summary, curator_id, version),
                     ',' ORDER BY paper_id) FROM hubs_review),
  (SELECT string_agg(concat_ws('|', id, role, polarity, classification_source, classified_by_id),
                     ',' ORDER BY id) FROM hubs_citation WHERE classification_source = 'curator'),
  (SELECT string_agg(concat_ws('|', id, paper_id, slug, is_published, curator_note),
                     ',' ORDER BY id) FROM hubs_hub),
  (SELECT string_agg(concat_ws('|', hub_id, paper_id, position),
                     ',' ORDER BY hub_id, position) FROM hubs_hubrepresentative)
))
"""


def census(server, database) -> dict:
    """Row counts of every table, and a checksum of what curators set."""
    with server.connect(database) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        return {"counts": counts, "curated": db.execute(CURATED_CHECKSUM).fetchone()[0]}


def test_backup_and_restore_round_trip(primary, curated, database, tmp_path):
    with primary.connect(database) as db:
        db.execute(
            "INSERT INTO hubs_hubrepresentative (hub_id, paper_id, position)"
            " SELECT h.id, c.citing_id, 1 FROM hubs_hub h JOIN hubs_citation c"
            " ON c.cited_id = h.paper_id WHERE h.slug = 'faults' ORDER BY c.id LIMIT 1"
        )
        db.execute("UPDATE hubs_hub SET curator_note = 'Kept' WHERE slug = 'faults'")
    original = census(primary, database)
    assert original["counts"]["hubs_review"] > 100 and original["counts"]["hubs_hubrepresentative"]
    backup = tmp_path / "pithsite.dump"

    made = manage("db_backup", str(backup), DATABASE_URL=primary.url(database))
    assert made.returncode == 0, made.stderr

    # Into a new, empty database, and over the original after it changed.
    with primary.connect(database) as db:
        db.execute("CREATE DATABASE restored")
        db.execute("UPDATE hubs_review SET summary = 'changed after the backup'")
        db.execute("DELETE FROM hubs_hubrepresentative")
    for target in ("restored", database):
        restored = manage("db_restore", str(backup), DATABASE_URL=primary.url(target))
        assert restored.returncode == 0, restored.stderr
        assert census(primary, target) == original
