"""The API's (and /mcp's) throttles: DRF's anonymous and per-user rates, counted in the
shared cache in constant time.

DRF's throttles keep a list of every request's time in the window and write it back
whole on each request: at 1,200 requests a minute that is 1,200 timestamps unpickled and
pickled per call, and a client allowed more pays for more. These keep two counters per
client instead, this window's and the last one's, and estimate the requests of the last
`duration` seconds as all of this window's plus the part of the last window's still
inside it (a sliding window, as Cloudflare's limiter counts). On Redis a request costs one
round trip (a pipeline counts it and reads the last window's counter; a kept API answer is
read in the same one); a refused one is taken back, as DRF does not count it either.

The per-user rate counts signed-in users only: DRF's UserRateThrottle also counts each
anonymous request again, by address, at the user rate, which the anonymous rate (lower)
already limits.
"""

import math

from django.http import HttpRequest
from rest_framework import throttling
from rest_framework.request import Request

from pithsite.cache import Window, get_many_counting


class SlidingWindowCounter:
    """A SimpleRateThrottle counted in two fixed windows (see the module's docstring)."""

    def allow_request(self, request, view):
        window = self.window(request, view)
        if window is None:
            return True
        [counts] = get_many_counting(self.cache, [], [window])[1]
        return self.decide(*counts)

    def window(self, request, view) -> Window | None:
        """The window this request is counted in; None if this throttle does not count it."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return None
        self.now = self.timer()
        number, self.into = divmod(self.now, self.duration)
        self.current = f"{self.key}:{int(number)}"
        return Window(self.current, f"{self.key}:{int(number) - 1}", 2 * self.duration)

    def decide(self, counted: int, before: int) -> bool:
        """Whether the request is allowed, given its window's count with it (`counted`)
        and the last window's (`before`); a refused one is taken back (as DRF does not
        count it either)."""
        self.counted = counted - 1  # this window's requests before this one
        # Rounded up: a burst just before the window turned still counts whole.
        self.carried = math.ceil(before * (1 - self.into / self.duration))
        self.window_left = self.duration - self.into
        if self.counted + self.carried >= self.num_requests:
            self.cache.decr(self.current)
            return self.throttle_failure()
        return True

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


class CountedAhead:
    """A request with no credentials, counted by `view`'s throttles in the round trip that
    reads its kept answer (hubs.api.kept), and then either allowed or left to DRF: DRF
    counts again whatever it is given, so a request left to it is taken back first from
    every counter that counted it. Only throttles that count in windows can be counted
    ahead (`throttles` is None otherwise: leave the request to DRF)."""

    def __init__(self, view, request: HttpRequest):
        anonymous = Request(request, authenticators=())  # DRF's anonymous user
        throttles = view.get_throttles()
        self.throttles = None
        if all(isinstance(throttle, SlidingWindowCounter) for throttle in throttles):
            counting = [(throttle, throttle.window(anonymous, view)) for throttle in throttles]
            self.throttles = [(throttle, window) for throttle, window in counting if window]

    @property
    def windows(self) -> list[Window]:
        return [window for _, window in self.throttles]

    def allowed(self, counts: list[tuple[int, int]]) -> bool:
        """Whether every throttle allows the request, given its window's `counts`; if not,
        the ones that allowed it take it back (a refusing one already has)."""
        decisions = [
            throttle.decide(*count)
            for (throttle, _), count in zip(self.throttles, counts, strict=True)
        ]
        if all(decisions):
            return True
        for (throttle, window), allowed in zip(self.throttles, decisions, strict=True):
            if allowed:
                throttle.cache.decr(window.key)
        return False

    def take_back(self):
        """Uncount the request from every window: DRF will count it."""
        for throttle, window in self.throttles:
            throttle.cache.decr(window.key)
