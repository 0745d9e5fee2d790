"""The curation queue: what needs work, classified in one click, through the services."""

import pytest
from django.urls import reverse

from hubs.models import Citation, Review, SuggestionFeedback
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    UserFactory,
    hub_with_citing_papers,
)
from tests.hubs.test_views_hub import page_text
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def test_only_curators_may_open_the_queue(client, reader):
    assert client.get(reverse("curation:queue")).status_code == 302
    client.force_login(reader)
    assert client.get(reverse("curation:queue")).status_code == 403


def test_unverified_curator_cannot_curate(client):
    from accounts.services import curator_grant

    user = UserFactory(verified=False)
    curator_grant(user=user)
    client.force_login(user)
    assert client.get(reverse("curation:queue")).status_code == 403


def test_a_curator_without_mfa_is_sent_to_set_it_up(client):
    from tests.factories import CuratorFactory

    client.force_login(CuratorFactory(mfa=False))
    response = client.get(reverse("curation:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_queue_lists_what_needs_work_evidence_first_then_biggest_hub(curator_client):
    small, big = HubFactory(slug="small"), HubFactory(slug="big")
    for _ in range(3):
        Citation.objects.create(citing=PaperFactory(), cited=big.paper)
    lone = Citation.objects.create(citing=PaperFactory(title="Lone citer"), cited=small.paper)
    CitationContextFactory(citation=lone, text="As the survey shows.", section="1 Intro")
    Citation.objects.create(
        citing=PaperFactory(title="Done already"), cited=big.paper, role="background",
        polarity="neutral", classification_source="curator",
    )  # fmt: skip
    for order in ("least-confident", "hubs"):
        response = curator_client.get(reverse("curation:queue"), {"order": order})
        items = response.context["items"]
        # The one with a citing sentence first, though its hub is the smaller.
        assert [c.cited_id for c in items] == [small.paper_id] + [big.paper_id] * 3
    text = response.content.decode()
    assert "As the survey shows." in text
    assert "Done already" not in text
    assert response.context["remaining"] == 4


def test_queue_for_chosen_hubs_only(curator_client):
    one, two = HubFactory(slug="one"), HubFactory(slug="two")
    Citation.objects.create(citing=PaperFactory(), cited=one.paper)
    Citation.objects.create(citing=PaperFactory(), cited=two.paper)
    response = curator_client.get(reverse("curation:queue"), {"hub": "two"})
    assert [c.cited_id for c in response.context["items"]] == [two.paper_id]


def test_one_submission_sets_role_and_polarity_then_focus_moves_to_the_next_item(
    curator_client, curator
):
    hub = HubFactory()
    citation, following = CitationFactory(cited=hub.paper), CitationFactory(cited=hub.paper)
    records = citation.history.count()
    url = reverse("curation:classify", args=[citation.pk])
    # The form as the page posts it without JavaScript: both labels, and the next item.
    response = curator_client.post(
        url,
        {"role": "uses_data", "polarity": "contrasting", "following": str(following.pk),
         "next": "/curate/?hub=x"},
    )  # fmt: skip
    assert response["Location"] == f"/curate/?hub=x#citation-{following.pk}"
    citation.refresh_from_db()
    assert (citation.role, citation.polarity, citation.classified_by) == (
        "uses_data",
        "contrasting",
        curator,
    )
    assert citation.history.count() == records + 1  # one submission, one history record
    assert citation.history.latest().history_user == curator
    # Back on the queue, the next item has the focus (autofocus: no script needed).
    page = curator_client.get("/curate/").content.decode()
    assert f'id="citation-{following.pk}" class="queue-item" tabindex="-1"' in page
    item = page[page.index(f'id="citation-{following.pk}"') :]
    assert " autofocus" in item[: item.index(">")]
    assert page.count(" autofocus") == 1
    # ... once: a reload does not steal the focus again.
    assert " autofocus" not in curator_client.get("/curate/").content.decode()


def test_a_citation_still_in_the_queue_keeps_the_focus(curator_client):
    hub = HubFactory()
    citation, following = CitationFactory(cited=hub.paper), CitationFactory(cited=hub.paper)
    response = curator_client.post(
        reverse("curation:classify", args=[citation.pk]),
        {"role": "background", "following": str(following.pk)},
    )
    assert response["Location"] == f"/curate/#citation-{citation.pk}"
    citation.refresh_from_db()
    assert (citation.role, citation.polarity) == ("background", "")


def test_with_javascript_a_classification_answers_in_json_without_a_flash_message(
    curator_client,
):
    citation = CitationFactory(cited=HubFactory().paper, citing=PaperFactory(title="Short"))
    url = reverse("curation:classify", args=[citation.pk])
    response = curator_client.post(
        url, {"role": "uses_data", "polarity": "neutral"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"message": "“Short”: uses data, neutral.", "done": True}
    refused = curator_client.post(url, {"role": "praises"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert "Unknown role" in refused.json()["error"]
    # Nothing waits for the next page: the script showed the message itself.
    assert "uses data, neutral" not in page_text(curator_client.get(reverse("curation:queue")))


def test_queue_items_show_evidence_marked_before_the_controls_with_links(curator_client):
    hub = HubFactory(paper__authors=["Kaiyan Zhang"], paper__year=2025)
    citing = PaperFactory(arxiv_id="2510.00001", title="A citing paper")
    citation = CitationFactory(cited=hub.paper, citing=citing)
    CitationContextFactory(citation=citation, text="RL helps (Zhang et al., 2025b).")
    page = curator_client.get(reverse("curation:queue")).content.decode()
    item = page[page.index(f'id="citation-{citation.pk}"') :]
    assert "RL helps (<mark>Zhang et al., 2025b</mark>)." in item
    assert 'href="https://arxiv.org/abs/2510.00001"' in item
    assert 'href="https://arxiv.org/pdf/2510.00001"' in item
    assert item.index("<mark>") < item.index('<form class="classify"')
    assert item.index("<mark>") < item.index('name="role"')


def test_the_shortcuts_are_named_in_words(curator_client):
    CitationFactory(cited=HubFactory().paper)
    text = page_text(curator_client.get(reverse("curation:queue")))
    assert "d uses data" in text and "c compares with" in text
    assert "uses_data" not in text


def _suggested(hub, *, role="uses_method", polarity="supporting", confidence=0.64, **more):
    return CitationFactory(
        cited=hub.paper, suggested_role=role, suggested_polarity=polarity,
        confidence=confidence, **more,
    )  # fmt: skip


def test_accept_a_suggested_label_writes_a_curator_label_with_history(curator_client, curator):
    citation = _suggested(HubFactory())
    text = page_text(curator_client.get(reverse("curation:queue")))
    assert (
        "role: uses method suggested by a model (version test-model-1, confidence 0.64), "
        "below its threshold: only curators see it"
    ) in text
    records = citation.history.count()
    curator_client.post(reverse("curation:classify", args=[citation.pk]), {"accept": "1"})
    citation.refresh_from_db()
    assert (citation.role, citation.polarity) == ("uses_method", "supporting")
    assert (citation.classification_source, citation.classified_by) == ("curator", curator)
    assert citation.history.count() == records + 1
    latest = citation.history.latest()
    assert (latest.role, latest.polarity, latest.history_user) == (
        "uses_method",
        "supporting",
        curator,
    )
    # The answer is counted for the classifier page: both suggestions confirmed.
    assert {(f.label, f.confirmed, f.source) for f in SuggestionFeedback.objects.all()} == {
        ("role", True, "model"),
        ("polarity", True, "model"),
    }


def test_accept_fills_only_the_labels_a_curator_has_not_set(curator_client, curator):
    citation = _suggested(HubFactory())
    curator_client.post(reverse("curation:classify", args=[citation.pk]), {"polarity": "neutral"})
    curator_client.post(reverse("curation:classify", args=[citation.pk]), {"accept": "1"})
    citation.refresh_from_db()
    assert (citation.role, citation.polarity) == ("uses_method", "neutral")
    answers = {f.label: f.confirmed for f in SuggestionFeedback.objects.all()}
    assert answers == {"polarity": False, "role": True}


def test_override_a_suggestion(curator_client):
    citation = _suggested(HubFactory(), polarity="", suggestion_source="import", confidence=0.9)
    curator_client.post(reverse("curation:classify", args=[citation.pk]), {"role": "background"})
    citation.refresh_from_db()
    assert (citation.role, citation.classification_source) == ("background", "curator")
    feedback = SuggestionFeedback.objects.get()
    assert (feedback.suggested, feedback.chosen, feedback.confirmed, feedback.source) == (
        "uses_method",
        "background",
        False,
        "import",
    )


def test_least_confident_first(curator_client):
    hub = HubFactory()
    sure = _suggested(hub, confidence=0.97)
    unsure = _suggested(hub, confidence=0.41)
    middling = CitationFactory(
        cited=hub.paper, suggested_role="background", suggested_polarity="neutral"
    )
    Citation.objects.filter(pk=middling.pk).update(suggested_polarity_confidence=0.6)
    nothing = CitationFactory(cited=hub.paper)
    response = curator_client.get(reverse("curation:queue"), {"order": "least-confident"})
    assert [c.pk for c in response.context["items"]] == [
        unsure.pk,
        middling.pk,
        sure.pk,
        nothing.pk,
    ]
    assert "citing sentence first, then least confident suggestion first" in page_text(response)
    # The default order, as the queue opens.
    assert (
        response.context["items"] == curator_client.get(reverse("curation:queue")).context["items"]
    )


def test_evidence_comes_before_confidence(curator_client):
    hub = HubFactory()
    unsure_without_sentence = _suggested(hub, confidence=0.2)
    sure_with_sentence = _suggested(hub, confidence=0.9)
    CitationContextFactory(citation=sure_with_sentence, text="As shown in [3].")
    no_suggestion_with_sentence = CitationFactory(cited=hub.paper)
    CitationContextFactory(citation=no_suggestion_with_sentence, text="See [4].")
    response = curator_client.get(reverse("curation:queue"))
    assert [c.pk for c in response.context["items"]] == [
        sure_with_sentence.pk,
        no_suggestion_with_sentence.pk,
        unsure_without_sentence.pk,
    ]


def test_bad_label_is_a_message_not_a_500(curator_client):
    citation = Citation.objects.create(citing=PaperFactory(), cited=HubFactory().paper)
    response = curator_client.post(
        reverse("curation:classify", args=[citation.pk]), {"role": "praises"}, follow=True
    )
    assert "Unknown role" in response.content.decode()


def test_bulk_classify(curator_client, curator):
    hub = HubFactory()
    citations = [Citation.objects.create(citing=PaperFactory(), cited=hub.paper) for _ in range(3)]
    curator_client.post(
        reverse("curation:bulk-classify"),
        {"ids": [c.pk for c in citations[:2]], "bulk_role": "background", "bulk_polarity": ""},
    )
    assert Citation.objects.filter(role="background", classified_by=curator).count() == 2


def test_review_unverdicted_papers_from_the_queue(curator_client, curator):
    hub = HubFactory()
    paper = PaperFactory(title="Needs a verdict")
    Citation.objects.create(citing=paper, cited=hub.paper)
    response = curator_client.get(reverse("curation:queue"), {"show": "papers"})
    assert [p.title for p in response.context["items"]] == ["Needs a verdict"]
    curator_client.post(
        reverse("curation:review", args=[paper.pk]),
        {"verdict": "accept", "novelty": "6.5", "summary": "Good.", "seen_version": "0"},
    )
    review = Review.objects.get(paper=paper)
    assert (review.verdict, str(review.novelty), review.curator) == ("accept", "6.5", curator)
    response = curator_client.get(reverse("curation:queue"), {"show": "papers"})
    assert response.context["items"] == []


def test_a_stale_review_from_the_queue_is_refused(curator_client):
    from hubs.services import review_set

    hub = HubFactory()
    paper = PaperFactory()
    Citation.objects.create(citing=paper, cited=hub.paper)
    review_set(paper=paper, summary="Someone else's", by=None)
    response = curator_client.post(
        reverse("curation:review", args=[paper.pk]),
        {"verdict": "reject", "summary": "Mine", "seen_version": "0"},
        follow=True,
    )
    assert "Your change was not saved" in response.content.decode()
    assert Review.objects.get(paper=paper).summary == "Someone else's"


@pytest.mark.parametrize(
    "params",
    [{"show": "citations"}, {"show": "citations", "order": "least-confident"}, {"show": "papers"}],
)
def test_queue_query_count_does_not_grow_with_the_hubs(curator_client, params):
    counts = []
    for size in (20, 400):
        hub_with_citing_papers(size, slug=f"hub-{size}")
        counts.append(queries_for(curator_client, reverse("curation:queue"), params))
    assert counts[0] == counts[1] <= 10, counts


def test_a_refused_review_shows_its_reason_next_to_the_form_with_what_was_typed(curator_client):
    hub = HubFactory()
    paper = PaperFactory(title="Needs a verdict")
    Citation.objects.create(citing=paper, cited=hub.paper)
    response = curator_client.post(
        reverse("curation:review", args=[paper.pk]),
        {"verdict": "accept", "novelty": "11", "summary": "Typed with care.", "seen_version": "0"},
        follow=True,
    )
    text = response.content.decode()
    item = text[text.index(f'id="paper-{paper.pk}"') :]
    assert "novelty must be between 0.0 and 10.0" in item[: item.index("</li>")]
    assert "Typed with care." in item[: item.index("</li>")]
    assert 'value="11"' in item[: item.index("</li>")]
    assert not Review.objects.filter(paper=paper).exists()


def _paper_in_queue():
    paper = PaperFactory(title="Needs a verdict")
    Citation.objects.create(citing=paper, cited=HubFactory().paper)
    return paper


def test_a_summary_longer_than_the_api_takes_is_refused_from_the_queue_too(curator_client):
    paper = _paper_in_queue()
    response = curator_client.post(
        reverse("curation:review", args=[paper.pk]),
        {"verdict": "accept", "summary": "x" * 200_000, "seen_version": "0"},
        follow=True,
    )
    assert "summary is limited to 5,000 characters" in response.content.decode()
    assert not Review.objects.exists()


def test_the_summary_field_says_its_limit(curator_client):
    _paper_in_queue()
    response = curator_client.get(reverse("curation:queue"), {"show": "papers"})
    assert 'name="summary" rows="2" maxlength="5000"' in response.content.decode()


def test_a_nul_byte_in_a_summary_is_a_clear_400(curator_client):
    paper = _paper_in_queue()
    response = curator_client.post(
        reverse("curation:review", args=[paper.pk]),
        {"verdict": "accept", "summary": "a\x00b", "seen_version": "0"},
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize("version", ["²", "-1", "1.0", "٣"])
def test_a_damaged_seen_version_is_refused_not_ignored(curator_client, version):
    paper = _paper_in_queue()
    response = curator_client.post(
        reverse("curation:review", args=[paper.pk]),
        {"verdict": "accept", "summary": "Mine", "seen_version": version},
        follow=True,
    )
    assert response.status_code == 200
    assert "reload the page" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad_id", ["²", "-3", "1e3", "99999999999999999999999"])
def test_bulk_classify_with_a_bad_id_changes_nothing(curator_client, bad_id):
    citation = Citation.objects.create(citing=PaperFactory(), cited=HubFactory().paper)
    response = curator_client.post(
        reverse("curation:bulk-classify"),
        {"ids": [str(citation.pk), bad_id], "bulk_role": "background"},
        follow=True,
    )
    assert response.status_code == 200
    assert "not valid ids" in response.content.decode()
    citation.refresh_from_db()
    assert citation.role == ""


def test_the_message_cuts_a_long_title_on_a_word_boundary(curator_client):
    title = "Reinforcement learning for large reasoning models: a survey of methods and data"
    citation = Citation.objects.create(citing=PaperFactory(title=title), cited=HubFactory().paper)
    response = curator_client.post(
        reverse("curation:classify", args=[citation.pk]),
        {"role": "uses_data", "polarity": "neutral"},
        follow=True,
    )
    text = page_text(response)
    assert "“Reinforcement learning for large reasoning models: a survey…”" in text
    assert "surve”" not in text and "of meth" not in text
