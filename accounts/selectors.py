"""Reads for a reader's own pages: what they follow and what is new there."""

import re
from dataclasses import dataclass

from django.db.models import Count, F, Q

from accounts.models import FeedToken, HubFollow
from hubs.models import Citation
from hubs.querysets import published_q

NEW_PAPERS_SHOWN = 10
FEED_ITEMS = 50
# What accounts.services.feed_token_rotate makes: secrets.token_urlsafe(32).
FEED_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class FollowedHub:
    follow: HubFollow
    new_count: int
    new_citations: list[Citation]


def following_overview(user) -> list[FollowedHub]:
    """The user's followed hubs, each with its citing papers added since they last caught up.

    One query for the follows and their counts, then one per followed hub for its newest
    papers: it grows with how many hubs a reader follows, never with a hub's size.
    """
    follows = (
        HubFollow.objects.filter(published_q("hub__"), user=user)
        .select_related("hub__paper")
        .annotate(
            new_count=Count(
                "hub__paper__citations",
                filter=Q(hub__paper__citations__created_at__gt=F("seen_at")),
            )
        )
    )
    return [
        FollowedHub(
            follow=follow,
            new_count=follow.new_count,
            new_citations=list(
                Citation.objects.of_paper(follow.hub.paper_id)
                .filter(created_at__gt=follow.seen_at)
                .with_citing()
                .order_by("-created_at", "-id")[:NEW_PAPERS_SHOWN]
            )
            if follow.new_count
            else [],
        )
        for follow in follows
    ]


def following_feed_items(user) -> list[Citation]:
    """Newest citing papers across the user's followed (published) hubs."""
    return list(
        Citation.objects.filter(cited__hub__follows__user=user)
        .of_published_hubs()
        .select_related("citing", "cited", "cited__hub")
        .order_by("-created_at", "-id")[:FEED_ITEMS]
    )


def feed_owner(key: str):
    """The active user whose personal feed `key` opens, or None (a deactivated account's
    feed goes quiet with it, as its API tokens do)."""
    if not FEED_KEY.fullmatch(key):
        return None  # not a key we make: no query (and no NUL byte sent to PostgreSQL)
    token = FeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return token.user if token else None


def is_following(user, hub) -> bool:
    return user.is_authenticated and HubFollow.objects.filter(user=user, hub=hub).exists()


def account_overview(user) -> dict:
    """What the account page lists: API tokens, followed hubs, the personal feed token."""
    return {
        "tokens": user.api_tokens.all(),
        "follows": user.follows.select_related("hub__paper"),
        "feed_token": feed_token_of(user),
    }


def feed_token_of(user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()
