import pytest
from django.core.cache import cache

from tests.factories import (
    AdminFactory,
    CitationFactory,
    CuratorFactory,
    HubFactory,
    PaperFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit and throttle counters live in the cache: each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(db):
    return UserFactory()


@pytest.fixture
def curator(db):
    return CuratorFactory()


@pytest.fixture
def superuser(db):
    return AdminFactory()


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def make_citing_papers():
    """Make `count` papers citing the hub's paper; returns their citations."""

    def make(hub, count: int):
        return [CitationFactory(cited=hub.paper, citing=PaperFactory()) for _ in range(count)]

    return make
