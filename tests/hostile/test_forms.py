"""Hostile input in every form field a person can post: the curation queue, the account
pages, sign-in and sign-up, and the admin's searches. Never a 500; a refused post writes
nothing; whatever is shown again is escaped."""

import pytest
from django.test import Client

from hubs.models import Citation
from tests.factories import AdminFactory, CuratorFactory, ReviewFactory, UserFactory
from tests.hostile.conftest import (
    HOSTILE_FEW,
    HOSTILE_SAMPLE,
    HOSTILE_TEXT,
    problems_with,
    row_counts,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def post_each(c: Client, path: str, valid: dict, values=HOSTILE_SAMPLE, *, writes) -> list:
    """`valid` with each field spoiled by each value, posted to `path`; a post that must
    not write is checked for it. (The redirect is not followed: the pages that show the
    messages are tested with hostile text on their own, and cost most of the time.)
    `writes`: whether a post may write, or a function of (field, value) that says."""
    problems = []
    for field in valid:
        for value in values:
            before = row_counts()
            response = c.post(path, {**valid, field: value})
            what = f"POST {path} {field}={value[:20]!r}"
            problems += problems_with(response, what=what)
            may_write = writes(field, value) if callable(writes) else writes
            if not may_write and row_counts() != before:
                problems.append(f"{what}: rows changed")
    return problems


def test_curation_forms_take_hostile_fields(demo):
    c = signed_in(CuratorFactory())
    citation = Citation.objects.filter(cited=demo.paper).select_related("citing").first()
    paper = citation.citing
    queue = "/curate/"
    problems = post_each(
        c,
        f"/curate/citations/{citation.pk}/classify/",
        {"role": "background", "polarity": "neutral", "next": queue, "following": "1"},
        writes=True,  # a valid label among the values is a real classification
    )
    problems += post_each(
        c,
        "/curate/citations/classify/",
        {"ids": str(citation.pk), "bulk_role": "background", "bulk_polarity": "", "next": queue},
        writes=True,
    )
    problems += post_each(
        c,
        f"/curate/papers/{paper.pk}/review/",
        {"verdict": "accept", "novelty": "5.5", "summary": "Fine.", "seen_version": "999"},
        # A stale version: every post is refused, whatever else it holds; only an
        # empty version (no check asked for) may save, if the rest is valid.
        HOSTILE_TEXT,
        writes=lambda field, value: field == "seen_version" and not value.strip(),
    )
    problems += post_each(c, "/curate/changes/review/1/undo/", {"next": queue}, writes=False)
    assert problems == []


def test_a_review_with_markup_is_saved_as_text_and_shown_escaped(demo):
    c = signed_in(CuratorFactory())
    paper = Citation.objects.filter(cited=demo.paper).first().citing
    ReviewFactory(paper=paper)
    for text in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'):
        response = c.post(
            f"/curate/papers/{paper.pk}/review/",
            {"verdict": "accept", "summary": text, "next": f"/papers/{paper.identifier}/"},
            follow=True,
        )
        assert problems_with(response, what=text) == []
        paper.review.refresh_from_db()
        assert paper.review.summary == text
        page = Client().get(f"/papers/{paper.identifier}/")
        assert problems_with(page, what=text) == []
        assert Client().get(f"/hubs/{demo.slug}/").status_code == 200


def test_account_forms_take_hostile_fields(demo):
    reader = UserFactory()
    c = signed_in(reader)
    problems = post_each(c, "/account/tokens/", {"name": "laptop"}, HOSTILE_TEXT, writes=True)
    for path in (
        f"/account/follow/{demo.slug}/",
        f"/account/unfollow/{demo.slug}/",
        "/account/feed/",
        "/account/feed/off/",
        "/account/following/seen/",
    ):
        problems += post_each(c, path, {"next": "/"}, writes=True)
    assert problems == []


def test_sign_in_sign_up_and_reset_take_hostile_fields(db):
    UserFactory(email="known@example.org")
    c = Client(raise_request_exception=False)
    before = row_counts()
    problems = post_each(
        c,
        "/accounts/login/",
        {"login": "known@example.org", "password": "x"},
        HOSTILE_TEXT,
        writes=False,
    )
    problems += post_each(
        c,
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "x", "password2": "y"},  # never valid
        writes=False,
    )
    problems += post_each(
        c, "/accounts/password/reset/", {"email": "nobody@example.org"}, HOSTILE_TEXT, writes=False
    )
    assert problems == []
    assert row_counts() == before


# Each admin list, and the parameters it reads besides q (search), o (order), p (page).
CHANGELISTS = {
    "/admin/hubs/paper/": ["verdict", "year", "hub"],
    "/admin/hubs/review/": ["verdict__exact", "curator__id__exact"],
    "/admin/hubs/citation/": ["hub", "classified", "year", "verdict", "role__exact"],
    "/admin/hubs/hub/": ["is_published__exact"],
    "/admin/accounts/user/": ["is_staff__exact", "groups__id__exact"],
    "/admin/accounts/apitoken/": ["revoked_at__isempty"],
}


@pytest.mark.parametrize("changelist", list(CHANGELISTS))
def test_admin_searches_and_filters_take_hostile_text(demo, changelist):
    c = signed_in(AdminFactory())
    problems = []
    for name in ("q", "o", "p", *CHANGELISTS[changelist]):
        for value in HOSTILE_FEW:
            response = c.get(changelist, {name: value})
            problems += problems_with(response, what=f"{changelist}?{name}={value[:20]!r}")
    assert problems == []
