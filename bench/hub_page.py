"""How long the biggest hub's page and API lists take, and how many queries they run.

    bin/with-postgres bash -c '.venv/bin/python manage.py migrate -v0 &&
        .venv/bin/python manage.py generate_corpus --papers 300010 --hub-citations 300000 &&
        .venv/bin/python bench/hub_page.py'

Requests go through Django's test client against whatever DATABASE_URL points at (use
PostgreSQL: it is what production runs). For each request it prints the median wall time
of three runs and the query count. It prints figures; it asserts nothing.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pithsite.settings.dev")
os.environ.setdefault("PITHSITE_API_ANON_RATE", "1000000/min")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hubs.models import Hub  # noqa: E402


def timed(client, url, params=None, *, repeats=3):
    times, queries, response = [], 0, None
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, params or {}, HTTP_HOST="127.0.0.1")
            if response.streaming:
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(times), queries, response


def main():
    hub = Hub.objects.with_counts().order_by("-citing_count").first()
    client = Client()
    page = hub.get_absolute_url()
    api = f"/api/v1/hubs/{hub.slug}/citing-papers/"
    print(f"hub {hub.slug}: {hub.citing_count:,} citing papers")
    rows = [
        ("hub page", page, None),
        ("hub page, year + role filter", page, {"year": "2024", "role": "background"}),
        ("hub page, text search", page, {"q": "learning"}),
        ("hub page, sorted by novelty", page, {"sort": "novelty"}),
        ("API citing papers", api, None),
        ("API citing papers, filtered", api, {"year": "2024", "verdict": "accept"}),
        ("API facets by category", f"/api/v1/hubs/{hub.slug}/facets/", {"group_by": "category"}),
        ("API hub detail", f"/api/v1/hubs/{hub.slug}/", None),
    ]
    print(f"{'request':38} {'median ms':>10} {'queries':>8}")
    settings.PITHSITE_HUB_NUMBERS_TTL = 0  # first, every number counted afresh
    for label, url, params in rows:
        seconds, queries, _ = timed(client, url, params)
        print(f"{label:38} {seconds * 1000:10.0f} {queries:8}")
    settings.PITHSITE_HUB_NUMBERS_TTL = 900  # then a visit after the first (numbers cached)
    client.get(page, HTTP_HOST="127.0.0.1")
    seconds, queries, _ = timed(client, page)
    print(f"{'hub page, numbers cached':38} {seconds * 1000:10.0f} {queries:8}")
    # Deep paging: follow `next` 200 pages (5,000 rows) into the API list, then time a page.
    url, params = api, {"page_size": "25"}
    for _ in range(200):
        data = client.get(url, params, HTTP_HOST="127.0.0.1").json()
        url, params = data["next"], None
    seconds, queries, _ = timed(client, url)
    print(f"{'API citing papers, page 201':38} {seconds * 1000:10.0f} {queries:8}")


if __name__ == "__main__":
    main()
