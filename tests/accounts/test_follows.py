"""Readers follow hubs, see what is new since they last looked, and get a personal feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import HubFollow
from accounts.services import feed_token_rotate, hub_follow
from hubs.models import Citation
from tests.factories import HubFactory, PaperFactory
from tests.queries import queries_for

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def cite(hub, title):
    return Citation.objects.create(citing=PaperFactory(title=title), cited=hub.paper)


def test_follow_and_unfollow_from_the_hub_page(reader_client, reader):
    hub = HubFactory()
    page = reader_client.get(hub.get_absolute_url()).content.decode()
    assert "Follow this hub" in page
    response = reader_client.post(
        reverse("accounts:follow", args=[hub.slug]), {"next": hub.get_absolute_url()}
    )
    assert response["Location"] == hub.get_absolute_url()
    assert HubFollow.objects.filter(user=reader, hub=hub).exists()
    assert "You follow this hub" in reader_client.get(hub.get_absolute_url()).content.decode()
    reader_client.post(reverse("accounts:unfollow", args=[hub.slug]))
    assert not HubFollow.objects.exists()


def test_unfollowing_a_draft_hub_does_not_tell_its_title(reader_client):
    draft = HubFactory(is_published=False, paper=PaperFactory(title="Secret draft title"))
    response = reader_client.post(reverse("accounts:unfollow", args=[draft.slug]), follow=True)
    assert response.status_code == 404
    assert "Secret draft title" not in response.content.decode()


def test_a_hub_unpublished_after_following_can_still_be_unfollowed(reader_client, reader):
    hub = HubFactory()
    hub_follow(user=reader, hub=hub)
    hub.is_published = False
    hub.save()
    reader_client.post(reverse("accounts:unfollow", args=[hub.slug]))
    assert not HubFollow.objects.filter(user=reader).exists()


def test_following_twice_is_one_follow(reader_client, reader):
    hub = HubFactory()
    reader_client.post(reverse("accounts:follow", args=[hub.slug]))
    reader_client.post(reverse("accounts:follow", args=[hub.slug]))
    assert HubFollow.objects.count() == 1


def test_anonymous_is_asked_to_sign_in(client):
    hub = HubFactory()
    assert "Sign in</a> to follow" in client.get(hub.get_absolute_url()).content.decode()
    response = client.post(reverse("accounts:follow", args=[hub.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_draft_hub_cannot_be_followed(reader_client):
    hub = HubFactory(is_published=False)
    assert reader_client.post(reverse("accounts:follow", args=[hub.slug])).status_code == 404


def test_following_page_shows_papers_added_since_the_last_visit(reader_client, reader):
    hub, other = HubFactory(), HubFactory()
    old = cite(hub, "Old news")
    Citation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    follow = hub_follow(user=reader, hub=hub)
    HubFollow.objects.filter(pk=follow.pk).update(
        seen_at=timezone.now() - datetime.timedelta(days=1)
    )
    cite(hub, "Fresh result")
    cite(other, "Unfollowed hub's paper")
    text = reader_client.get(reverse("accounts:following")).content.decode()
    assert "Fresh result" in text
    assert "1 new citing paper since" in text
    assert "Old news" not in text
    assert "Unfollowed hub" not in text


def test_opening_the_hub_page_catches_up(reader_client, reader):
    hub = HubFactory()
    hub_follow(user=reader, hub=hub)
    HubFollow.objects.update(seen_at=timezone.now() - datetime.timedelta(days=1))
    cite(hub, "Seen on the hub page")
    reader_client.get(hub.get_absolute_url())
    assert (
        "0 new citing papers" in reader_client.get(reverse("accounts:following")).content.decode()
    )


def test_mark_all_as_seen(reader_client, reader):
    hub = HubFactory()
    hub_follow(user=reader, hub=hub)
    HubFollow.objects.update(seen_at=timezone.now() - datetime.timedelta(days=1))
    cite(hub, "To be marked")
    reader_client.post(reverse("accounts:following-seen"))
    assert "To be marked" not in reader_client.get(reverse("accounts:following")).content.decode()


def test_following_page_queries_grow_with_follows_not_hub_size(reader_client, reader):
    from tests.factories import hub_with_citing_papers

    for size in (5, 300):
        hub = hub_with_citing_papers(size, slug=f"h{size}")
        follow = hub_follow(user=reader, hub=hub)
        HubFollow.objects.filter(pk=follow.pk).update(
            seen_at=timezone.now() - datetime.timedelta(days=1)
        )
    # session, user, follows with counts, one per followed hub, feed token
    assert queries_for(reader_client, reverse("accounts:following")) <= 6


class TestPersonalFeed:
    def test_lists_new_papers_of_followed_hubs_only(self, client, reader):
        hub, other = HubFactory(), HubFactory()
        hub_follow(user=reader, hub=hub)
        cite(hub, "In my feed")
        cite(other, "Not in my feed")
        token = feed_token_rotate(user=reader)
        response = client.get(reverse("accounts:following-feed", args=[token.key]))
        assert response["Content-Type"].startswith("application/atom+xml")
        titles = [
            e.find(f"{ATOM}title").text
            for e in ET.fromstring(response.content).iter(f"{ATOM}entry")
        ]
        assert titles == ["In my feed"]

    def test_rotating_revokes_the_old_address(self, client, reader):
        old = feed_token_rotate(user=reader).key
        new = feed_token_rotate(user=reader).key
        assert client.get(reverse("accounts:following-feed", args=[old])).status_code == 404
        assert client.get(reverse("accounts:following-feed", args=[new])).status_code == 200

    def test_switching_off(self, reader_client, client, reader):
        key = feed_token_rotate(user=reader).key
        reader_client.post(reverse("accounts:feed-revoke"))
        assert client.get(reverse("accounts:following-feed", args=[key])).status_code == 404

    def test_a_deactivated_owner_s_feed_is_404(self, client, reader):
        key = feed_token_rotate(user=reader).key
        reader.is_active = False
        reader.save()
        assert client.get(reverse("accounts:following-feed", args=[key])).status_code == 404

    def test_a_key_with_a_nul_byte_is_refused_without_a_query(self, client, db):
        response = client.get("/account/feed/abc%00def.atom")
        assert response.status_code in (400, 404)

    def test_titles_of_followed_hubs_reach_the_feed_as_text(self, client, reader):
        hub = HubFactory(paper=PaperFactory(title="<script>alert(1)</script> hub"))
        hub_follow(user=reader, hub=hub)
        cite(hub, "<img src=x onerror=alert(1)>")
        key = feed_token_rotate(user=reader).key
        response = client.get(reverse("accounts:following-feed", args=[key]))
        [summary] = ET.fromstring(response.content).iter(f"{ATOM}summary")
        assert summary.get("type") == "text"
        assert "<script>alert(1)</script> hub" in summary.text
        assert 'type="html"' not in response.content.decode()

    def test_the_following_page_shows_the_address(self, reader_client, reader):
        reader_client.post(
            reverse("accounts:feed-rotate"), {"next": reverse("accounts:following")}
        )
        key = reader.feed_token.key
        assert (
            f"/account/feed/{key}.atom"
            in reader_client.get(reverse("accounts:following")).content.decode()
        )
