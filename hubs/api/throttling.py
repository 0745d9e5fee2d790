"""The API's (and /mcp's) throttles: DRF's anonymous and per-user rates, counted in the
shared cache in constant time.

DRF's throttles keep a list of every request's time in the window and write it back
whole on each request: at 1,200 requests a minute that is 1,200 timestamps unpickled and
pickled per call, and a client allowed more pays for more. These keep two counters per
client instead, this window's and the last one's, and estimate the requests of the last
`duration` seconds as all of this window's plus the part of the last window's still
inside it (a sliding window, as Cloudflare's limiter counts). On Redis a request costs one
round trip (a script counts it and reads the last window's counter); a refused one is
taken back, as DRF does not count it either.

The per-user rate counts signed-in users only: DRF's UserRateThrottle also counts each
anonymous request again, by address, at the user rate, which the anonymous rate (lower)
already limits.
"""

import math

from django.http import HttpRequest
from rest_framework import throttling
from rest_framework.request import Request


class SlidingWindowCounter:
    """A SimpleRateThrottle counted in two fixed windows (see the module's docstring)."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window, into = divmod(self.now, self.duration)
        current, previous = f"{self.key}:{int(window)}", f"{self.key}:{int(window) - 1}"
        counted, before = self.count(current, previous)
        self.counted = counted - 1  # this window's requests before this one
        # Rounded up: a burst just before the window turned still counts whole.
        self.carried = math.ceil(before * (1 - into / self.duration))
        self.window_left = self.duration - into
        if self.counted + self.carried >= self.num_requests:
            self.cache.decr(current)  # a refused request is not counted (as DRF's)
            return self.throttle_failure()
        return True

    def count(self, current: str, previous: str) -> tuple[int, int]:
        """Count this request in `current`; (its count now, the count in `previous`)."""
        timeout = 2 * self.duration  # the window, and the next one that looks back at it
        if count_in_window := getattr(self.cache, "count_in_window", None):
            return count_in_window(current, previous, timeout)  # Redis: one round trip
        try:  # any other cache (tests' locmem): the same in three calls
            counted = self.cache.incr(current)
        except ValueError:
            counted = 1 if self.cache.add(current, 1, timeout) else self.cache.incr(current)
        return counted, self.cache.get(previous, 0)

    def wait(self):
        """Seconds until a request would be allowed again."""
        if self.counted >= self.num_requests or not self.carried:
            return self.window_left
        # The last window's share shrinks as this one goes on: until one request is free.
        previous = self.carried / (self.window_left / self.duration)
        free_at = 1 - (self.num_requests - self.counted - 1) / previous
        return max(free_at * self.duration - (self.duration - self.window_left), 1)


class AnonRateThrottle(SlidingWindowCounter, throttling.AnonRateThrottle):
    """Anonymous requests, per client address (PITHSITE_API_ANON_RATE)."""


class SignedInRateThrottle(SlidingWindowCounter, throttling.UserRateThrottle):
    """Signed-in users' requests, per user (PITHSITE_API_USER_RATE)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # counted by AnonRateThrottle
        return super().get_cache_key(request, view)


def anonymous_request_allowed(view, request: HttpRequest) -> bool:
    """Whether `view`'s throttles let `request`, sent with no credentials, through,
    counted as DRF counts it: for an answer sent before DRF's stack (hubs.api.kept). On a
    refusal the caller leaves the request to DRF, which refuses it again (uncounted, as
    every refusal is) and answers the 429 in the API's shape, with its Retry-After."""
    anonymous = Request(request, authenticators=())  # DRF's anonymous user
    return all(throttle.allow_request(anonymous, view) for throttle in view.get_throttles())
