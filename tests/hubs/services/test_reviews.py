"""hubs/services/reviews.py: a curator's review of a paper."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hubs import services
from hubs.models import Review
from hubs.vocab import Verdict
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


class TestReviewSet:
    def test_creates_then_updates_with_history(self, curator):
        paper = PaperFactory()
        services.review_set(
            paper=paper, verdict=Verdict.ACCEPT, novelty="6.5", summary="Good.", by=curator
        )
        review = services.review_set(paper=paper, verdict=Verdict.REJECT, novelty=3, by=curator)
        assert Review.objects.get(paper=paper) == review
        assert (review.verdict, review.novelty) == ("reject", Decimal("3.0"))
        assert [record.verdict for record in review.history.order_by("history_date")] == [
            "accept",
            "reject",
        ]
        assert review.history.latest().history_user == curator

    @pytest.mark.parametrize(
        ("novelty", "message"),
        [
            ("11", "between 0.0 and 10.0"),
            ("10.1", "between 0.0 and 10.0"),
            ("5.55", "one decimal"),
            ("x", "not a number"),
        ],
    )
    def test_rejects_bad_novelty(self, curator, novelty, message):
        with pytest.raises(ValidationError, match=message):
            services.review_set(paper=PaperFactory(), novelty=novelty, by=curator)

    def test_rejects_unknown_verdict(self, curator):
        with pytest.raises(ValidationError, match="Unknown verdict"):
            services.review_set(paper=PaperFactory(), verdict="maybe", by=curator)

    def test_a_summary_over_the_limit_is_refused(self, curator):
        from hubs.services.rules import REVIEW_SUMMARY_MAX_LENGTH

        paper = PaperFactory()
        with pytest.raises(ValidationError, match="limited to 5,000 characters"):
            services.review_set(
                paper=paper, summary="x" * (REVIEW_SUMMARY_MAX_LENGTH + 1), by=curator
            )
        services.review_set(paper=paper, summary="x" * REVIEW_SUMMARY_MAX_LENGTH, by=curator)

    def test_a_summary_with_a_nul_byte_is_refused(self, curator):
        with pytest.raises(ValidationError, match="NUL"):
            services.review_set(paper=PaperFactory(), summary="a\x00b", by=curator)
        assert not Review.objects.exists()

    def test_a_conflict_names_the_other_curator_by_name_not_email(self, curator):
        from tests.factories import CuratorFactory

        other = CuratorFactory(name="Grace Hopper", email="grace@private.example")
        review = services.review_set(paper=PaperFactory(), summary="v1", by=other)
        with pytest.raises(services.ReviewConflict) as conflict:
            services.review_set(paper=review.paper, by=curator, expected_version=0)
        assert "Grace Hopper changed this review" in str(conflict.value)
        assert "grace@private.example" not in str(conflict.value)

    def test_a_conflict_with_a_curator_without_a_name_does_not_show_their_email(self, curator):
        from tests.factories import CuratorFactory

        other = CuratorFactory(email="nameless@private.example")
        review = services.review_set(paper=PaperFactory(), summary="v1", by=other)
        with pytest.raises(services.ReviewConflict) as conflict:
            services.review_set(paper=review.paper, by=curator, expected_version=0)
        assert "nameless@private.example" not in str(conflict.value)
        assert str(conflict.value).startswith("Another curator changed this review")


SQLITE_RACE = r"""
import threading

import django

django.setup()
from django.core.management import call_command
from django.db import connection

call_command("migrate", verbosity=0)
from hubs import services
from hubs.models import Paper
from hubs.services import reviews

paper = Paper.objects.create(arxiv_id="2501.00001", title="Raced")
services.review_set(paper=paper, summary="v1", by=None)
connection.close()

# Both saves read version 1, then wait for each other before writing: the race the probe
# hit. A barrier that times out lets a save that was made to queue go on alone.
barrier = threading.Barrier(2, timeout=2)
clean = reviews.novelty_clean


def in_step(value):
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    return clean(value)


reviews.novelty_clean = in_step
outcomes = []


def save(summary):
    try:
        services.review_set(paper=paper, summary=summary, by=None, expected_version=1)
        outcomes.append("saved")
    except services.ReviewConflict:
        outcomes.append("conflict")
    except Exception as exc:
        outcomes.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


threads = [threading.Thread(target=save, args=(s,)) for s in ("A", "B")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(outcomes))
"""


def test_two_saves_of_one_review_at_once_on_sqlite_are_a_save_and_a_conflict(tmp_path):
    """SQLite has no row locks: without IMMEDIATE transactions the second writer failed
    with "database is locked" (a 500) instead of meeting the version check (a 409)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "pithsite.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_RACE],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "['conflict', 'saved']"
