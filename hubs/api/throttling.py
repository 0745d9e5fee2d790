"""The API's (and /mcp's) throttles: DRF's anonymous and per-user rates, counted in the
shared cache in constant time.

DRF's throttles keep a list of every request's time in the window and write it back
whole on each request: at 1,200 requests a minute that is 1,200 timestamps unpickled and
pickled per call, and a client allowed more pays for more. These keep two counters per
client instead, this window's and the last one's, and estimate the requests of the last
`duration` seconds as all of this window's plus the part of the last window's still
inside it (a sliding window; Cloudflare's and nginx's limiters count the same way). A
request costs one read of both counters and, when allowed, one atomic increment.

The per-user rate counts signed-in users only: DRF's UserRateThrottle also counts each
anonymous request again, by address, at the user rate, which the anonymous rate (lower)
already limits.
"""

import math

from rest_framework import throttling


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
        counts = self.cache.get_many([current, previous])
        self.counted = counts.get(current, 0)
        # Rounded up: a burst just before the window turned still counts whole.
        self.carried = math.ceil(counts.get(previous, 0) * (1 - into / self.duration))
        self.window_left = self.duration - into
        if self.counted + self.carried >= self.num_requests:
            return self.throttle_failure()
        try:
            self.cache.incr(current)
        except ValueError:  # the window's first request (or a race with another's add)
            if not self.cache.add(current, 1, 2 * self.duration):
                self.cache.incr(current)
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
