"""The API throttles count in constant time: two small counters per client, not a list of
every request's time."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from hubs.api.throttling import AnonRateThrottle, SignedInRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def throttle(cls, rate: str, clock: Clock):
    instance = cls()
    instance.rate = rate
    instance.num_requests, instance.duration = instance.parse_rate(rate)
    instance.timer = clock
    return instance


def anonymous(address="198.51.100.7"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/api/v1/hubs/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def allowed(cls, rate, clock, request) -> bool:
    return throttle(cls, rate, clock).allow_request(request, None)


def test_the_rate_is_kept_within_a_window():
    clock = Clock(600.0)
    assert [allowed(AnonRateThrottle, "3/min", clock, anonymous()) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert allowed(AnonRateThrottle, "3/min", clock, anonymous("198.51.100.8"))


def test_a_burst_just_before_the_window_turns_still_counts():
    clock = Clock(659.0)  # a second before the minute turns
    for _ in range(3):
        assert allowed(AnonRateThrottle, "3/min", clock, anonymous())
    clock.now = 661.0
    assert not allowed(AnonRateThrottle, "3/min", clock, anonymous())
    clock.now = 659.0 + 60  # the burst is a minute old
    assert allowed(AnonRateThrottle, "3/min", clock, anonymous())


def test_what_is_stored_does_not_grow_with_the_rate():
    clock = Clock(600.0)
    for _ in range(500):
        clock.now += 0.01
        assert allowed(AnonRateThrottle, "100000/min", clock, anonymous())
    # One whole number for the window: the 500 requests' times are not kept.
    assert cache.get("throttle_anon_198.51.100.7:10") == 500


def test_refused_requests_are_not_counted_and_wait_says_when():
    clock = Clock(600.0)
    for _ in range(2):
        allowed(AnonRateThrottle, "2/min", clock, anonymous())
    refused = throttle(AnonRateThrottle, "2/min", clock)
    assert not refused.allow_request(anonymous(), None)
    assert 0 < refused.wait() <= 60
    clock.now = 600.0 + refused.wait() + 60
    assert allowed(AnonRateThrottle, "2/min", clock, anonymous())


def test_signed_in_users_are_counted_per_user_and_anonymous_ones_not_twice():
    clock = Clock(600.0)
    user = UserFactory()
    request = anonymous()
    request.user = user
    assert throttle(SignedInRateThrottle, "1/min", clock).get_cache_key(request, None)
    assert throttle(SignedInRateThrottle, "1/min", clock).get_cache_key(anonymous(), None) is None
    assert throttle(AnonRateThrottle, "1/min", clock).get_cache_key(request, None) is None
