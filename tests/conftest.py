import copy
import io

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from hubs.models import Hub
from tests.factories import (
    AdminFactory,
    CitationFactory,
    CuratorFactory,
    HubFactory,
    PaperFactory,
    UserFactory,
)
from tests.fake_classifier import (  # noqa: F401 (fixtures)
    classifier_off_unless_asked,
    fake_classifier,
    no_classifier,
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
def numbers_cache_on(settings):
    """Hub numbers and whole pages cached (tests run with the cache off by default)."""
    settings.PITHSITE_HUB_NUMBERS_TTL = 900


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Run a write and the after-commit work it queued (as a committed request would)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def hub(db):
    return HubFactory()


@pytest.fixture
def make_citing_papers():
    """Make `count` papers citing the hub's paper; returns their citations."""

    def make(hub, count: int):
        return [CitationFactory(cited=hub.paper, citing=PaperFactory()) for _ in range(count)]

    return make


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker) -> dict:
    """Every row `load_demo` writes, by model, captured once per session.

    Running the loader costs about a second and a half; copying its rows back costs a few
    milliseconds. The load runs in a transaction that is rolled back, so the test database
    stays empty: tests that count rows, or expect no hub at all, are not affected, and
    live-server tests (which flush the database) are not either.
    """
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        # The demo's data without the classifier's suggestions, so that tests do not hang
        # on a model's version (tests/hubs/services/test_suggestions.py covers those).
        call_command("load_demo", "--no-classify", stdout=io.StringIO())
        rows = {}
        for model in models:
            new = [
                row
                for row in model._base_manager.order_by("pk").values(
                    *(field.attname for field in model._meta.concrete_fields)
                )
                if row[model._meta.pk.attname] not in before[model]
            ]
            if new:
                rows[model] = new
        transaction.set_rollback(True)
    return rows


def restore_demo(rows: dict) -> Hub:
    """Write the captured demo rows into the current test's database; returns the hub."""
    for model, model_rows in rows.items():
        model._base_manager.bulk_create(model(**copy.deepcopy(row)) for row in model_rows)
    # The rows keep their ids: move PostgreSQL's sequences past them (SQLite needs nothing).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(rows)):
            cursor.execute(sql)
    return Hub.objects.select_related("paper").get(pk__in=[row["id"] for row in rows[Hub]])


@pytest.fixture
def demo(db, demo_rows) -> Hub:
    """The demo hub (arXiv 2509.08827 and its 36 citing papers), as `load_demo` leaves it."""
    return restore_demo(demo_rows)


@pytest.fixture
def anonymous_rate():
    """Set DRF's anonymous rate for one test (its throttles read the rates as a class
    attribute, not from settings)."""
    from rest_framework.throttling import AnonRateThrottle

    rates = AnonRateThrottle.THROTTLE_RATES

    def limit(rate: str):
        AnonRateThrottle.THROTTLE_RATES = {**rates, "anon": rate}

    yield limit
    AnonRateThrottle.THROTTLE_RATES = rates
