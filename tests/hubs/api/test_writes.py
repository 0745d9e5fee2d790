"""Curator writes through the API: the same services as the admin, recorded in history."""

import pytest
from django.urls import reverse

from accounts.services import api_token_create, api_token_revoke
from hubs.models import Citation, Review
from tests.factories import CitationFactory, HubFactory, PaperFactory

pytestmark = pytest.mark.django_db


class TestReview:
    def test_set_a_review(self, curator_api, curator):
        paper = PaperFactory(arxiv_id="2510.17881")
        response = curator_api.put(
            reverse("api:paper-review", args=["2510.17881v2"]),
            {"verdict": "accept", "novelty": 7.5, "summary": "Clear gains."},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["novelty"] == 7.5
        review = Review.objects.get(paper=paper)
        assert (review.verdict, str(review.novelty)) == ("accept", "7.5")
        assert review.history.latest().history_user == curator

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"verdict": "accept", "novelty": 11}, "novelty"),
            ({"verdict": "accept", "novelty": 5.55}, "novelty"),
            ({"verdict": "brilliant"}, "verdict"),
            ({}, "verdict"),
        ],
    )
    def test_bad_review_is_a_400_and_writes_nothing(self, curator_api, body, field):
        paper = PaperFactory()
        response = curator_api.put(
            reverse("api:paper-review", args=[paper.arxiv_id]), body, format="json"
        )
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]
        assert not Review.objects.exists()

    def test_malformed_json_is_a_400(self, curator_api):
        paper = PaperFactory()
        response = curator_api.generic(
            "PUT",
            reverse("api:paper-review", args=[paper.arxiv_id]),
            "{not json",
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "parse_error"


class TestClassify:
    def test_classify_one(self, curator_api, curator):
        citation = CitationFactory()
        response = curator_api.patch(
            reverse("api:citation-classification", args=[citation.pk]),
            {"role": "compares_with", "polarity": "contrasting"},
            format="json",
        )
        assert response.status_code == 200
        assert response.json()["history"][0]["role_to"] == "compares_with"
        citation.refresh_from_db()
        assert citation.classified_by == curator
        assert citation.history.latest().history_user == curator

    def test_unknown_role_is_a_400(self, curator_api):
        citation = CitationFactory()
        response = curator_api.patch(
            reverse("api:citation-classification", args=[citation.pk]),
            {"role": "praises"},
            format="json",
        )
        assert response.status_code == 400
        assert "role" in response.json()["error"]["fields"]

    def test_unknown_citation_is_a_404(self, curator_api):
        response = curator_api.patch(
            reverse("api:citation-classification", args=[999999]),
            {"role": "background"},
            format="json",
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"

    def test_bulk_classifies_all(self, curator_api, curator):
        citations = [CitationFactory() for _ in range(3)]
        response = curator_api.post(
            reverse("api:citation-bulk-classify"),
            {"items": [{"id": c.pk, "role": "uses_method"} for c in citations]},
            format="json",
        )
        assert response.json() == {"classified": 3}
        assert Citation.objects.filter(role="uses_method", classified_by=curator).count() == 3

    def test_bulk_is_all_or_nothing_with_a_per_item_report(self, curator_api):
        good, other = CitationFactory(), CitationFactory()
        response = curator_api.post(
            reverse("api:citation-bulk-classify"),
            {
                "items": [
                    {"id": good.pk, "role": "background"},
                    {"id": other.pk, "role": "praises"},
                    {"id": good.pk},
                ]
            },
            format="json",
        )
        assert response.status_code == 400
        items = response.json()["error"]["items"]
        assert [item["index"] for item in items] == [1, 2]
        assert "role" in items[0]["errors"]
        assert not Citation.objects.exclude(role="").exists()

    @pytest.mark.parametrize("items", [[], [None], ["x"], [[]], None, "all"])
    def test_bulk_with_malformed_items_is_a_400(self, curator_api, items):
        response = curator_api.post(
            reverse("api:citation-bulk-classify"), {"items": items}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"

    def test_bulk_reports_unknown_ids(self, curator_api):
        good = CitationFactory()
        response = curator_api.post(
            reverse("api:citation-bulk-classify"),
            {
                "items": [
                    {"id": good.pk, "role": "background"},
                    {"id": 999999, "role": "background"},
                ]
            },
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["items"] == [
            {"index": 1, "id": 999999, "errors": {"id": ["No such citation."]}}
        ]
        good.refresh_from_db()
        assert good.role == ""


class TestRepresentatives:
    def test_set_in_order(self, curator_api, curator, make_citing_papers):
        hub = HubFactory()
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        response = curator_api.put(
            reverse("api:hub-representatives", args=[hub.slug]),
            {"papers": [second.arxiv_id, first.arxiv_id]},
            format="json",
        )
        assert response.status_code == 200
        assert [row["paper"]["arxiv_id"] for row in response.json()] == [
            second.arxiv_id,
            first.arxiv_id,
        ]
        assert hub.history.latest().history_user == curator

    def test_a_paper_not_citing_the_hub_is_a_400(self, curator_api):
        hub = HubFactory()
        stranger = PaperFactory()
        response = curator_api.put(
            reverse("api:hub-representatives", args=[hub.slug]),
            {"papers": [stranger.arxiv_id]},
            format="json",
        )
        assert response.status_code == 400
        assert "must cite the hub's paper" in response.json()["error"]["message"]


def review_with_token(api, paper, key):
    return api.put(
        reverse("api:paper-review", args=[paper.arxiv_id]),
        {"verdict": "reject"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


class TestTokens:
    def test_a_curator_token_can_write(self, api, curator):
        _, key = api_token_create(user=curator, name="script")
        paper = PaperFactory()
        response = review_with_token(api, paper, key)
        assert response.status_code == 200
        assert Review.objects.get(paper=paper).history.latest().history_user == curator

    def test_a_revoked_token_gets_401(self, api, curator):
        token, key = api_token_create(user=curator, name="old")
        api_token_revoke(token=token, by=curator)
        response = api.get(reverse("api:hub-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_a_reader_token_cannot_write(self, api, reader):
        _, key = api_token_create(user=reader, name="mine")
        paper = PaperFactory()
        response = review_with_token(api, paper, key)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"

    def test_a_curator_without_mfa_cannot_write(self, api):
        from tests.factories import CuratorFactory

        curator = CuratorFactory(mfa=False)
        _, key = api_token_create(user=curator, name="no mfa")
        paper = PaperFactory()
        response = review_with_token(api, paper, key)
        assert response.status_code == 403
        assert "two-factor" in response.json()["error"]["message"]

    def test_session_writes_need_csrf(self, curator):
        from rest_framework.test import APIClient

        client = APIClient(enforce_csrf_checks=True)
        client.force_login(curator)
        paper = PaperFactory()
        response = client.put(
            reverse("api:paper-review", args=[paper.arxiv_id]),
            {"verdict": "reject"},
            format="json",
        )
        assert response.status_code == 403
        assert "CSRF" in response.json()["error"]["message"]


class TestReviewConflicts:
    def test_stale_version_is_a_409_with_the_newer_review(self, curator_api):
        paper = PaperFactory()
        url = reverse("api:paper-review", args=[paper.arxiv_id])
        first = curator_api.put(
            url, {"verdict": "accept", "summary": "A", "version": 0}, format="json"
        )
        assert first.json()["version"] == 1
        second = curator_api.put(
            url, {"verdict": "reject", "summary": "B", "version": 0}, format="json"
        )
        assert second.status_code == 409
        error = second.json()["error"]
        assert error["code"] == "conflict"
        assert error["current"]["summary"] == "A"
        assert Review.objects.get(paper=paper).summary == "A"

    def test_a_version_for_a_review_that_does_not_exist_yet_is_a_409(self, curator_api):
        paper = PaperFactory()
        url = reverse("api:paper-review", args=[paper.arxiv_id])
        response = curator_api.put(url, {"verdict": "accept", "version": 7}, format="json")
        assert response.status_code == 409
        assert "no review yet" in response.json()["error"]["message"]
        assert not Review.objects.filter(paper=paper).exists()

    def test_without_a_version_the_last_write_wins(self, curator_api):
        paper = PaperFactory()
        url = reverse("api:paper-review", args=[paper.arxiv_id])
        curator_api.put(url, {"verdict": "accept"}, format="json")
        assert curator_api.put(url, {"verdict": "reject"}, format="json").status_code == 200


class TestRepresentativesByIdentifier:
    def test_any_kind_and_form_of_identifier_names_a_paper(self, curator_api):
        hub = HubFactory()
        s2 = CitationFactory(cited=hub.paper, citing=PaperFactory(arxiv_id=None, s2_corpus_id=7))
        acl = CitationFactory(
            cited=hub.paper, citing=PaperFactory(arxiv_id=None, acl_id="P02-1040")
        )
        arxiv = CitationFactory(cited=hub.paper)
        response = curator_api.put(
            reverse("api:hub-representatives", args=[hub.slug]),
            {
                "papers": [
                    "https://aclanthology.org/P02-1040/",
                    "CorpusId:7",
                    f"https://arxiv.org/abs/{arxiv.citing.arxiv_id}v3",
                ]
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert [row["paper"]["identifier"] for row in response.json()] == [
            acl.citing.identifier,
            s2.citing.identifier,
            arxiv.citing.identifier,
        ]

    def test_unknown_identifiers_are_each_named(self, curator_api):
        hub = HubFactory()
        response = curator_api.put(
            reverse("api:hub-representatives", args=[hub.slug]),
            {"papers": ["CorpusId:404", "not an id", "2501.99999"]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["papers"] == [
            "No paper has the identifier 'CorpusId:404'.",
            "No paper has the identifier 'not an id'.",
            "No paper has the identifier '2501.99999'.",
        ]


@pytest.mark.parametrize("identifier", ["CorpusId:7", "s2:7", "https://openalex.org/W9"])
def test_a_review_is_set_through_any_form_of_any_id(curator_api, identifier):
    paper = PaperFactory(arxiv_id=None, s2_corpus_id=7, openalex_id="W9")
    response = curator_api.put(
        reverse("api:paper-review", args=[identifier]), {"verdict": "accept"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Review.objects.get(paper=paper).verdict == "accept"
