"""A Redis cache that a Redis outage cannot take the site down with.

Pages, throttles and the hub numbers use the cache only to go faster: with Redis down
they are computed afresh (slower) and API throttles do not count (fail open). The
sign-in, sign-up and password-reset rate limits are different: they stop password
guessing, so without the cache they refuse (fail closed): allauth's keys raise
`CacheUnavailable`, which pithsite.faults answers with a 503 saying why.

After a failure the cache is skipped for `RETRY_SECONDS` (per cache object, so per worker
thread) instead of being asked, and waited for, on every call; settings also give the
Redis client short socket timeouts.
"""

import logging
import time
from collections.abc import Sequence
from functools import wraps
from typing import NamedTuple

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("pithsite.cache")

# Keys whose counting must not silently stop: allauth's rate limits (and their locks).
FAIL_CLOSED_PREFIXES = ("allauth:rl:",)
RETRY_SECONDS = 5.0


class CacheUnavailable(Exception):
    """The shared cache is down and this key must not be guessed at (a rate limit)."""


def _fails_closed(keys) -> bool:
    return any(str(key).startswith(FAIL_CLOSED_PREFIXES) for key in keys)


def _forgiving(fallback):
    """Run the operation; on a Redis outage return `fallback(*args)` or, for a rate
    limit's key, raise CacheUnavailable."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, key_or_keys=None, *args, **kwargs):
            from redis.exceptions import ConnectionError, TimeoutError

            keys = (
                list(key_or_keys)
                if isinstance(key_or_keys, dict | list | tuple | set)
                else [key_or_keys]
            )
            if self._down_until > time.monotonic():
                if _fails_closed(keys):
                    raise CacheUnavailable("the shared cache is unavailable")
                return fallback(key_or_keys, *args, **kwargs)
            try:
                return method(self, key_or_keys, *args, **kwargs)
            except (ConnectionError, TimeoutError) as error:
                self._down_until = time.monotonic() + RETRY_SECONDS
                logger.warning("cache unavailable, skipped for %ss: %s", RETRY_SECONDS, error)
                if _fails_closed(keys):
                    raise CacheUnavailable("the shared cache is unavailable") from error
                return fallback(key_or_keys, *args, **kwargs)

        return wrapper

    return decorate


# INCRBY that leaves a missing key missing (Django's incr raises ValueError then): one
# round trip, where Django asks EXISTS and then INCRBY.
INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return false
"""


class Window(NamedTuple):
    """The counters a rate limit counts one request in (hubs.api.throttling): this
    window's, the last one's, and how long this one's must live (the window, and the next
    one, which looks back at it)."""

    key: str
    previous: str
    timeout: int


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool (Django makes a
    new one for every cache call, whose table of reply parsers alone cost about 0.1 ms of
    the 1.5 ms a cached hub page took; a redis.Redis over a pool is safe to share), and
    incrementing in one round trip (the API throttles increment on every request)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def _script(self, client, source: str):
        script = self._scripts.get((client, source))
        if script is None:
            script = self._scripts[client, source] = client.register_script(source)
        return script

    def get_many_counting(self, keys, windows) -> tuple[dict, list[tuple[int, int]]]:
        """The values at `keys`, and each window (key, previous, timeout) counted: `key`
        incremented (expiring `timeout` seconds after its last count: a window's counter
        is named by its window, so only its lifetime matters) and `previous` read; all in
        one pipeline, so one round trip. (values found, [(key's count, previous's)])."""
        pipeline = self.get_client(write=True).pipeline(transaction=False)
        if keys:
            pipeline.mget(keys)
        for key, previous, timeout in windows:
            pipeline.incr(key).expire(key, int(timeout)).get(previous)
        answers = pipeline.execute()
        values = answers.pop(0) if keys else []
        found = {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }
        counts = [(counted, int(before or 0)) for counted, _, before in _threes(answers)]
        return found, counts

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = self._script(client, INCR_EXISTING)(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache; a Redis outage reads as a miss (see the module's docstring)."""

    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    @_forgiving(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_forgiving(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_forgiving(lambda key, value, timeout=DEFAULT_TIMEOUT, version=None: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_forgiving(lambda key, timeout=DEFAULT_TIMEOUT, version=None: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_forgiving(lambda key, version=None: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_forgiving(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    # Fail open, like the other throttle calls: nothing found, each window's first count.
    @_forgiving(lambda keys, windows, version=None: ({}, [(1, 0)] * len(windows)))
    def get_many_counting(self, keys, windows, version=None):
        """get_many(keys), and each window (key, previous, timeout) counted: `key`
        incremented, `previous` read; in one round trip (see the client's)."""
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        windows = [
            (
                self.make_and_validate_key(key, version=version),
                self.make_and_validate_key(previous, version=version),
                timeout,
            )
            for key, previous, timeout in windows
        ]
        found, counts = self._cache.get_many_counting(list(made), windows)
        return {made[key]: value for key, value in found.items()}, counts

    @_forgiving(lambda key, version=None: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_forgiving(lambda key, delta=1, version=None: delta)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_forgiving(lambda data, timeout=DEFAULT_TIMEOUT, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_forgiving(lambda keys, version=None: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_forgiving(lambda key=None: False)
    def clear(self, key=None):
        return super().clear()


def _threes(items: list) -> list[tuple]:
    return list(zip(*[iter(items)] * 3, strict=True))


def get_many_counting(
    cache, keys, windows: Sequence[Window]
) -> tuple[dict, list[tuple[int, int]]]:
    """`cache.get_many(keys)` and each window (key, previous, timeout) counted, as
    ForgivingRedisCache.get_many_counting does in one round trip; on any other cache
    (the tests' local memory) in a few calls."""
    if not windows:  # a plain read (a kept page): no pipeline to build
        return cache.get_many(keys), []
    if both := getattr(cache, "get_many_counting", None):
        return both(keys, windows)
    return cache.get_many(keys), [_count_in_window(cache, *window) for window in windows]


def _count_in_window(cache, key, previous, timeout) -> tuple[int, int]:
    try:
        counted = cache.incr(key)
    except ValueError:
        counted = 1 if cache.add(key, 1, timeout) else cache.incr(key)
    return counted, cache.get(previous, 0)
