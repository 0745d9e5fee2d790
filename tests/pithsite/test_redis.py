"""Against a real, throwaway redis-server (Debian's `redis-server`; .ci/run installs it):
the counters every worker shares, and an outage that starts and ends under a running site.

test_faults.py injects the outage (nothing listening); these stop the real server.
"""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="needs Debian's redis-server (apt-get install redis-server; .ci/run installs it)",
)


class ThrowawayRedis:
    """A redis-server on a Unix socket in a temporary folder, no TCP port, no persistence."""

    def __init__(self, folder: Path):
        self.socket = folder / "redis.sock"
        self.process = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self):
        command = [REDIS_SERVER, "--port", "0", "--unixsocket", str(self.socket)]
        # No persistence: the data is thrown away with the folder.
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.socket.parent)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.socket.unlink(missing_ok=True)


@pytest.fixture
def redis(tmp_path):
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def redis_caches(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "pithsite.cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_every_worker_counts_in_the_same_place(redis):
    # Two cache objects with their own connection pools stand for two gunicorn workers:
    # a sign-in failure one counts is seen by the other (a per-process cache would not).
    with override_settings(CACHES=redis_caches(redis.url)):
        first, second = caches.create_connection("default"), caches.create_connection("default")
        first.set("allauth:rl:login_failed:ada", 4)
        assert second.incr("allauth:rl:login_failed:ada") == 5
        assert first.get("allauth:rl:login_failed:ada") == 5


@pytest.mark.django_db
def test_a_redis_outage_slows_pages_and_pauses_sign_in_then_heals(client, hub, redis, monkeypatch):
    """Pages keep answering while Redis is stopped; sign-in refuses (its rate limit cannot
    count) and says why; when Redis is back, both work again without a restart."""
    user = UserFactory(password="right-password-123")
    credentials = {"login": user.email, "password": "right-password-123"}
    hub_page = reverse("hubs:hub-detail", args=[hub.slug])
    # After a failure the cache skips Redis for a while rather than wait on every call.
    monkeypatch.setattr("pithsite.cache.RETRY_SECONDS", 0.2)

    with override_settings(CACHES=redis_caches(redis.url)):
        assert client.get(hub_page).status_code == 200

        redis.stop()
        assert client.get(hub_page).status_code == 200
        assert client.get("/api/v1/hubs/").status_code == 200
        refused = client.post(reverse("account_login"), credentials)
        assert refused.status_code == 503
        assert "paused" in refused.content.decode()
        assert "_auth_user_id" not in client.session

        redis.start()
        time.sleep(0.3)
        assert client.get(hub_page).status_code == 200
        signed_in = client.post(reverse("account_login"), credentials)
        assert signed_in.status_code == 302
        assert "_auth_user_id" in client.session


def test_incr_counts_in_one_round_trip_and_never_makes_a_key(redis):
    with override_settings(CACHES=redis_caches(redis.url)):
        cache = caches.create_connection("default")
        with pytest.raises(ValueError):
            cache.incr("throttle:missing")
        assert cache.get("throttle:missing") is None
        cache.add("throttle:here", 1, 60)
        assert (cache.incr("throttle:here"), cache.incr("throttle:here", 5)) == (2, 7)
        client = cache._cache.get_client(write=True)
        assert 0 < client.ttl(":1:throttle:here") <= 60  # incr keeps the expiry
        assert cache._cache.get_client() is client  # one redis.Redis per pool, reused


@pytest.mark.django_db
def test_the_kept_hub_page_and_the_api_throttle_through_redis(
    client, redis, settings, django_capture_on_commit_callbacks
):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    from hubs import services
    from tests.factories import PaperFactory, hub_with_citing_papers
    from tests.hubs.test_views_hub import page_text
    from tests.queries import measure_get

    settings.PITHSITE_HUB_NUMBERS_TTL = 900
    with override_settings(CACHES=redis_caches(redis.url)):
        hub = hub_with_citing_papers(4, slug="through-redis")
        built = client.get(hub.get_absolute_url())
        kept = measure_get(client, hub.get_absolute_url())
        assert (kept.queries, kept.response.content) == (0, built.content)
        with django_capture_on_commit_callbacks(execute=True):
            services.citation_add(citing=PaperFactory(), cited=hub.paper)
        assert "5 papers citing it" in page_text(client.get(hub.get_absolute_url()))

        AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
        try:
            statuses = [client.get("/api/v1/hubs/").status_code for _ in range(4)]
        finally:
            AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        assert statuses == [200, 200, 200, 429]


def round_trips(monkeypatch) -> list:
    """The commands sent to Redis, one item per packet written (a pipeline is one)."""
    from redis.connection import AbstractConnection

    sent = []
    send = AbstractConnection.send_packed_command

    def counted(connection, command, check_health=True):
        sent.append(command)
        return send(connection, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


def test_a_window_is_counted_and_the_last_one_read_in_one_round_trip(redis, monkeypatch):
    with override_settings(CACHES=redis_caches(redis.url)):
        cache = caches.create_connection("default")
        window = ("throttle:w2", "throttle:w1", 120)
        cache.get("connect")
        sent = round_trips(monkeypatch)
        assert cache.get_many_counting([], [window]) == ({}, [(1, 0)])
        assert len(sent) == 1
        cache.add("throttle:w1", 7, 120)
        assert cache.get_many_counting([], [window]) == ({}, [(2, 7)])
        assert 0 < cache._cache.get_client(write=True).ttl(":1:throttle:w2") <= 120
        cache.decr("throttle:w2")  # a refused request taken back
        assert cache.get("throttle:w2") == 1


def test_get_many_counting_reads_and_counts_in_one_round_trip(redis, monkeypatch):
    """A kept API answer reads its entry and counts the client's throttle window at once."""
    with override_settings(CACHES=redis_caches(redis.url)):
        cache = caches.create_connection("default")
        cache.set_many({"page": b"kept", "version": 3})
        cache.add("throttle:w1", 4, 120)
        sent = round_trips(monkeypatch)
        found, counts = cache.get_many_counting(
            ["page", "version", "missing"], [("throttle:w2", "throttle:w1", 120)]
        )
        assert (found, counts) == ({"page": b"kept", "version": 3}, [(1, 4)])
        assert len(sent) == 1
        assert cache.get_many_counting([], [("throttle:w2", "throttle:w1", 120)])[1] == [(2, 4)]


@pytest.mark.django_db
def test_kept_api_answers_are_counted_once_each_through_redis(
    client, redis, settings, django_capture_on_commit_callbacks, anonymous_rate
):
    """Built (a miss), kept and refused answers: each request counted once at the rate."""
    from hubs import services
    from tests.factories import PaperFactory, hub_with_citing_papers

    settings.PITHSITE_HUB_NUMBERS_TTL = 900
    with override_settings(CACHES=redis_caches(redis.url)):
        hub = hub_with_citing_papers(3, slug="counted")
        url = reverse("api:hub-detail", args=[hub.slug])
        anonymous_rate("3/min")
        statuses = [client.get(url).status_code]  # built and kept
        with django_capture_on_commit_callbacks(execute=True):
            services.citation_add(citing=PaperFactory(), cited=hub.paper)  # the entry is old
        statuses += [client.get(url).status_code for _ in range(3)]  # built, kept, refused
        assert statuses == [200, 200, 200, 429]
