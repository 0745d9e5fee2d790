"""A curator's changes can be listed and undone, by them or by an admin; undoing is recorded."""

import pytest
from django.urls import reverse

from hubs import services
from hubs.models import Citation, Role
from tests.factories import CuratorFactory, HubFactory, PaperFactory
from tests.hubs.test_views_hub import page_text
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


def test_lists_my_changes_only(client, curator):
    other = CuratorFactory()
    citation = Citation.objects.create(citing=PaperFactory(title="Mine"), cited=PaperFactory())
    services.citation_classify(citation=citation, role="background", by=curator)
    theirs = Citation.objects.create(citing=PaperFactory(title="Theirs"), cited=PaperFactory())
    services.citation_classify(citation=theirs, role="uses_data", by=other)
    client.force_login(curator)
    changes = client.get(reverse("curation:changes")).context["changes"]
    assert [(c.kind, c.target.title, c.summary) for c in changes] == [
        ("citation", "Mine", "role: — → background")
    ]


def test_undo_restores_the_previous_value_and_records_who_undid_it(client, curator):
    citation = Citation.objects.create(
        citing=PaperFactory(), cited=PaperFactory(), role="background", polarity="neutral",
        classification_source="curator",
    )  # fmt: skip
    services.citation_classify(citation=citation, role="builds_on", by=curator)
    change = citation.history.latest()
    client.force_login(curator)
    response = client.post(
        reverse("curation:revert", args=["citation", change.history_id]), follow=True
    )
    assert f"The change to citation #{citation.pk} is undone." in response.content.decode()
    citation.refresh_from_db()
    assert (citation.role, citation.polarity) == ("background", "neutral")
    latest = citation.history.latest()
    assert latest.history_user == curator
    assert latest.history_change_reason == f"Undo of change #{change.history_id}"


def test_undo_a_review_change(client, curator):
    paper = PaperFactory()
    services.review_set(paper=paper, verdict="accept", novelty=5, summary="First", by=curator)
    services.review_set(paper=paper, verdict="reject", summary="Second", by=curator)
    change = paper.review.history.latest()
    client.force_login(curator)
    client.post(reverse("curation:revert", args=["review", change.history_id]))
    paper.review.refresh_from_db()
    assert (paper.review.verdict, paper.review.summary) == ("accept", "First")


def test_undo_a_hub_change_restores_representatives(client, curator, make_citing_papers):
    hub = HubFactory()
    first, second = [c.citing for c in make_citing_papers(hub, 2)]
    services.hub_set_representatives(hub=hub, papers=[first, second], by=curator)
    services.hub_set_representatives(hub=hub, papers=[second], by=curator)
    change = hub.history.latest()
    client.force_login(curator)
    client.post(reverse("curation:revert", args=["hub", change.history_id]))
    assert [link.paper for link in hub.representative_links.all()] == [first, second]


def test_a_curator_cannot_undo_someone_elses_change(client, curator):
    other = CuratorFactory()
    citation = Citation.objects.create(citing=PaperFactory(), cited=PaperFactory())
    services.citation_classify(citation=citation, role="uses_data", by=other)
    client.force_login(curator)
    response = client.post(
        reverse("curation:revert", args=["citation", citation.history.latest().history_id]),
        follow=True,
    )
    assert "own changes only" in response.content.decode()
    citation.refresh_from_db()
    assert citation.role == "uses_data"


def test_an_admin_can_see_and_undo_anyones_change(client, curator, superuser):
    citation = Citation.objects.create(citing=PaperFactory(), cited=PaperFactory())
    services.citation_classify(citation=citation, role="uses_data", by=curator)
    client.force_login(superuser)
    changes = client.get(reverse("curation:changes"), {"who": "everyone"}).context["changes"]
    assert len(changes) == 1
    client.post(reverse("curation:revert", args=["citation", changes[0].history_id]))
    citation.refresh_from_db()
    assert citation.role == ""
    assert citation.history.latest().history_user == superuser


def test_unknown_change_is_a_message(client, curator):
    client.force_login(curator)
    response = client.post(reverse("curation:revert", args=["citation", 99999]), follow=True)
    assert "No citation change #99999" in response.content.decode()


def test_changes_page_query_count_is_flat(client, curator):
    client.force_login(curator)
    counts = []
    for changes in (5, 40):
        while Citation.history.count() < changes * 2:  # a creation and a change each
            citation = Citation.objects.create(citing=PaperFactory(), cited=PaperFactory())
            services.citation_classify(citation=citation, role=Role.BACKGROUND, by=curator)
        counts.append(queries_for(client, reverse("curation:changes")))
    assert counts[0] == counts[1] <= 10, counts


def test_undoing_a_change_others_built_on_is_refused(client, curator):
    other = CuratorFactory()
    paper = PaperFactory()
    services.review_set(paper=paper, verdict="accept", summary="A", by=curator)
    mine = paper.review.history.latest()
    services.review_set(paper=paper, verdict="reject", summary="B by other", by=other)
    client.force_login(curator)
    response = client.post(
        reverse("curation:revert", args=["review", mine.history_id]), follow=True
    )
    assert "has changed since" in response.content.decode()
    paper.review.refresh_from_db()
    assert paper.review.summary == "B by other"


def test_undoing_a_hub_change_after_a_newer_one_is_refused(curator, make_citing_papers):
    from django.core.exceptions import ValidationError

    hub = HubFactory()
    first, second = [c.citing for c in make_citing_papers(hub, 2)]
    services.hub_set_representatives(hub=hub, papers=[first], by=curator)
    older = hub.history.latest()
    services.hub_set_representatives(hub=hub, papers=[second], by=curator)
    with pytest.raises(ValidationError, match="representatives"):
        services.change_revert(kind="hub", history_id=older.history_id, by=curator)


def test_rows_name_the_citation_by_its_own_id_not_the_history_id(client, curator):
    first = Citation.objects.create(citing=PaperFactory(title="First"), cited=PaperFactory())
    Citation.objects.create(citing=PaperFactory(title="Second"), cited=PaperFactory())
    services.citation_classify(citation=first, role="background", by=curator)
    change = first.history.latest()
    # Two creations and a change: the change's history id is past the first citation's
    # id, and the row said "citation #<history id>", naming another citation.
    assert change.history_id != first.pk
    client.force_login(curator)
    text = page_text(client.get(reverse("curation:changes")))
    assert f"citation #{first.pk} " in text
    assert f"#{change.history_id} " not in text


def test_changes_are_described_in_words_not_raw_values(client, curator):
    citation = Citation.objects.create(citing=PaperFactory(), cited=PaperFactory())
    services.citation_classify(citation=citation, role="uses_data", polarity="neutral", by=curator)
    services.citation_classify(citation=citation, role="compares_with", by=curator)
    hub = HubFactory(is_published=False)
    services.hub_publish(hub=hub, by=curator)
    client.force_login(curator)
    text = page_text(client.get(reverse("curation:changes")))
    assert "role: uses data → compares with" in text
    assert "role: — → uses data; polarity: — → neutral" in text
    assert "published: no → yes" in text
    for raw in ("uses_data", "compares_with", "is_published"):
        assert raw not in text


def test_a_review_change_names_the_verdict_in_words(curator):
    from hubs.curation.selectors import changes_by

    paper = PaperFactory()
    services.review_set(paper=paper, verdict="conditional", summary="Fine", by=curator)
    [change] = changes_by(curator)
    assert change.summary == "created: verdict conditional, summary Fine"
    assert change.label == f"review #{paper.review.pk}"


def test_a_first_record_after_a_load_without_history_says_set_not_created(curator):
    from hubs.curation.selectors import changes_by

    citation = Citation.objects.create(citing=PaperFactory(), cited=PaperFactory())
    citation.history.all().delete()  # as a bulk load leaves it
    services.citation_classify(citation=citation, role="uses_data", by=curator)
    [change] = changes_by(curator)
    assert change.summary == "set: role uses data"
