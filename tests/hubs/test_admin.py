"""The curation admin: what a curator can do there, and what they cannot."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.text import capfirst

from hubs import services
from hubs.counts import hub_counts_rebuild, hub_counts_recount, hub_counts_stored
from hubs.models import Citation, Hub, HubCount, Paper, Review
from hubs.numbers_cache import hub_version
from hubs.selectors import hub_summary
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    ReviewFactory,
    hub_with_citing_papers,
)
from tests.hubs.test_identifiers import ID_CASES
from tests.queries import measure, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


class TestPermissionBoundary:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "login" in response["Location"]

    def test_plain_user_cannot_open_the_admin(self, client, reader):
        client.force_login(reader)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "login" in response["Location"]

    def test_curator_sees_papers_reviews_citations_and_hubs_only(self, curator_client):
        response = curator_client.get(reverse("admin:index"))
        models = {
            model["object_name"] for app in response.context["app_list"] for model in app["models"]
        }
        assert models == {"Paper", "Review", "Citation", "Hub"}

    def test_curator_cannot_add_users(self, curator_client):
        assert curator_client.get(reverse("admin:accounts_user_add")).status_code == 403
        assert curator_client.get(reverse("admin:accounts_user_changelist")).status_code == 403

    def test_curator_cannot_delete_papers(self, curator_client):
        paper = PaperFactory()
        url = reverse("admin:hubs_paper_delete", args=[paper.pk])
        assert curator_client.post(url, {"post": "yes"}).status_code == 403
        assert Paper.objects.filter(pk=paper.pk).exists()

    def test_curator_cannot_change_paper_metadata(self, curator_client):
        paper = PaperFactory(title="Original title")
        url = reverse("admin:hubs_paper_change", args=[paper.pk])
        curator_client.post(url, {**_review_inline_data(), "title": "Vandalised"})
        paper.refresh_from_db()
        assert paper.title == "Original title"

    def test_curator_cannot_add_citations(self, curator_client):
        assert curator_client.get(reverse("admin:hubs_citation_add")).status_code == 403


def _review_inline_data(**review):
    return {
        "review-TOTAL_FORMS": "1",
        "review-INITIAL_FORMS": "0",
        "review-MIN_NUM_FORMS": "0",
        "review-MAX_NUM_FORMS": "1",
        "review-0-verdict": review.get("verdict", "unverdicted"),
        "review-0-novelty": review.get("novelty", ""),
        "review-0-summary": review.get("summary", ""),
        "review-0-id": "",
        "review-0-paper": review.get("paper", ""),
    }


class TestReviews:
    def test_find_a_paper_by_arxiv_id_doi_title_or_author(self, curator_client):
        paper = PaperFactory(
            arxiv_id="2510.00938", doi="10.1000/flawed", title="Learning from flawed thinking",
            authors=["ShengYun Peng", "Jianfeng Chi"],
        )  # fmt: skip
        PaperFactory(title="Something else", authors=["Someone Else"])
        url = reverse("admin:hubs_paper_changelist")
        for query in ["2510.00938", "10.1000/FLAWED", "flawed thinking", "Jianfeng"]:
            response = curator_client.get(url, {"q": query})
            assert list(response.context["cl"].result_list) == [paper], query

    def test_edit_the_review_on_the_paper_page(self, curator_client, curator):
        paper = PaperFactory()
        url = reverse("admin:hubs_paper_change", args=[paper.pk])
        data = _review_inline_data(
            verdict="accept", novelty="7.5", summary="Solid.", paper=paper.pk
        )
        response = curator_client.post(url, data)
        assert response.status_code == 302, response.context and response.context["errors"]
        review = Review.objects.get(paper=paper)
        assert (review.verdict, str(review.novelty), review.summary) == ("accept", "7.5", "Solid.")
        assert review.history.latest().history_user == curator

    def test_bad_novelty_on_the_paper_page_is_a_form_error(self, curator_client):
        paper = PaperFactory()
        url = reverse("admin:hubs_paper_change", args=[paper.pk])
        response = curator_client.post(url, _review_inline_data(novelty="11", paper=paper.pk))
        assert response.status_code == 200
        assert "Ensure this value is less than or equal to 10" in response.content.decode()
        assert not Review.objects.exists()

    def test_edit_reviews_in_the_list(self, curator_client, curator):
        first, second = ReviewFactory(), ReviewFactory()
        data = {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        }
        for index, (review, verdict) in enumerate([(first, "accept"), (second, "reject")]):
            data |= {
                f"form-{index}-id": str(review.pk),
                f"form-{index}-verdict": verdict,
                f"form-{index}-novelty": "4.0",
                f"form-{index}-summary": f"Summary {index}",
            }
        response = curator_client.post(reverse("admin:hubs_review_changelist"), data)
        assert response.status_code == 302
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.verdict, second.verdict) == ("accept", "reject")
        assert first.curator == curator

    def test_revert_a_review_from_its_history(self, curator_client, curator):
        review = ReviewFactory(summary="Original")
        review.summary = "Changed"
        review.save()
        original = review.history.earliest()
        url = reverse("admin:hubs_review_simple_history", args=[review.pk, original.history_id])
        response = curator_client.post(
            url, {"verdict": original.verdict, "novelty": "", "summary": original.summary}
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.summary == "Original"
        assert review.history.latest().history_user == curator


class TestCitations:
    def test_bulk_action_sets_role_on_selected(self, curator_client, curator, make_citing_papers):
        hub = HubFactory()
        citations = make_citing_papers(hub, 3)
        response = curator_client.post(
            reverse("admin:hubs_citation_changelist"),
            {
                "action": "classify_compares_with",
                "_selected_action": [c.pk for c in citations[:2]],
            },
        )
        assert response.status_code == 302
        assert Citation.objects.filter(role="compares_with", classified_by=curator).count() == 2
        assert Citation.objects.filter(role="").count() == 1

    def test_bulk_action_sets_polarity(self, curator_client, make_citing_papers):
        citations = make_citing_papers(HubFactory(), 2)
        curator_client.post(
            reverse("admin:hubs_citation_changelist"),
            {"action": "classify_contrasting", "_selected_action": [c.pk for c in citations]},
        )
        assert Citation.objects.filter(polarity="contrasting").count() == 2

    def test_list_shows_suggestions_and_accepts_them_as_curator_labels(
        self, curator_client, curator
    ):
        hub = HubFactory()
        suggested = CitationFactory(
            cited=hub.paper, suggested_role="uses_method", suggested_polarity="neutral",
            confidence=0.42,
        )  # fmt: skip
        listing = curator_client.get(
            reverse("admin:hubs_citation_changelist"), {"hub": hub.paper_id}
        ).content.decode()
        assert "uses method: a model (version test-model-1, confidence 0.42)" in listing
        curator_client.post(
            reverse("admin:hubs_citation_changelist"),
            {"action": "accept_suggestions", "_selected_action": [suggested.pk]},
        )
        suggested.refresh_from_db()
        assert (suggested.role, suggested.polarity, suggested.classified_by) == (
            "uses_method",
            "neutral",
            curator,
        )
        assert suggested.history.latest().history_user == curator

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"role": "background"}, 1),
            ({"polarity": "supporting"}, 1),
            ({"classified": "yes"}, 2),
            ({"classified": "no"}, 2),
            ({"year": "2024"}, 1),
            ({"verdict": "accept"}, 1),
            ({"verdict": "unverdicted"}, 3),
        ],
    )
    def test_filters(self, curator_client, params, expected):
        hub = HubFactory()
        old = PaperFactory(arxiv_id="2403.00001", submitted=None)
        Citation.objects.create(
            citing=old, cited=hub.paper, role="background", classification_source="curator"
        )
        Citation.objects.create(
            citing=PaperFactory(),
            cited=hub.paper,
            polarity="supporting",
            classification_source="curator",
        )
        accepted = PaperFactory()
        ReviewFactory(paper=accepted, verdict="accept")
        Citation.objects.create(citing=accepted, cited=hub.paper)
        Citation.objects.create(citing=PaperFactory(), cited=hub.paper)
        response = curator_client.get(
            reverse("admin:hubs_citation_changelist"), {"hub": hub.paper_id, **params}
        )
        assert len(response.context["cl"].result_list) == expected

    def test_revert_a_classification(self, curator_client, curator):
        citation = Citation.objects.create(
            citing=PaperFactory(), cited=PaperFactory(), role="background", polarity="neutral",
            classification_source="curator",
        )  # fmt: skip
        from hubs.services import citation_classify

        citation_classify(citation=citation, role="builds_on", polarity="supporting", by=curator)
        first = citation.history.earliest()
        url = reverse("admin:hubs_citation_simple_history", args=[citation.pk, first.history_id])
        response = curator_client.post(url, {"role": "background", "polarity": "neutral"})
        assert response.status_code == 302
        citation.refresh_from_db()
        assert (citation.role, citation.polarity) == ("background", "neutral")


class TestHubs:
    def test_order_representatives(self, curator_client, curator, make_citing_papers):
        hub = HubFactory()
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        data = {
            "paper": hub.paper_id,
            "slug": hub.slug,
            "is_published": "on",
            "curator_note": "",
            "representative_links-TOTAL_FORMS": "2",
            "representative_links-INITIAL_FORMS": "0",
            "representative_links-MIN_NUM_FORMS": "0",
            "representative_links-MAX_NUM_FORMS": "1000",
            "representative_links-0-position": "2",
            "representative_links-0-paper": first.pk,
            "representative_links-1-position": "1",
            "representative_links-1-paper": second.pk,
        }
        response = curator_client.post(reverse("admin:hubs_hub_change", args=[hub.pk]), data)
        assert response.status_code == 302, response.context and response.context["errors"]
        assert [link.paper for link in hub.representative_links.all()] == [second, first]
        assert hub.history.latest().history_user == curator

    def test_representative_must_cite_the_hub(self, curator_client):
        hub = HubFactory()
        stranger = PaperFactory()
        data = {
            "slug": hub.slug,
            "is_published": "on",
            "curator_note": "",
            "representative_links-TOTAL_FORMS": "1",
            "representative_links-INITIAL_FORMS": "0",
            "representative_links-MIN_NUM_FORMS": "0",
            "representative_links-MAX_NUM_FORMS": "1000",
            "representative_links-0-position": "1",
            "representative_links-0-paper": stranger.pk,
        }
        response = curator_client.post(reverse("admin:hubs_hub_change", args=[hub.pk]), data)
        assert response.status_code == 200
        assert "must cite the hub&#x27;s paper" in response.content.decode()
        assert not hub.representative_links.exists()

    def test_revert_restores_representatives(self, curator_client, curator, make_citing_papers):
        from hubs.services import hub_set_representatives

        hub = HubFactory()
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        hub_set_representatives(hub=hub, papers=[first, second], by=curator)
        version = hub.history.latest()
        hub_set_representatives(hub=hub, papers=[], by=curator)
        url = reverse("admin:hubs_hub_simple_history", args=[hub.pk, version.history_id])
        response = curator_client.post(url, {"slug": hub.slug, "is_published": "on"})
        assert response.status_code == 302
        assert [link.paper for link in hub.representative_links.all()] == [first, second]

    def test_history_page_lists_who_changed_what(
        self, curator_client, curator, make_citing_papers
    ):
        from hubs.services import hub_publish

        hub = HubFactory()
        hub_publish(hub=hub, published=False, by=curator)
        response = curator_client.get(reverse("admin:hubs_hub_history", args=[hub.pk]))
        assert curator.email in response.content.decode()


class TestListPagesDoNotQueryPerRow:
    """Each admin list runs the same number of queries for 5 rows as for 60."""

    @pytest.mark.parametrize(
        "url_name",
        [
            "admin:hubs_citation_changelist",
            "admin:hubs_paper_changelist",
            "admin:hubs_review_changelist",
            "admin:hubs_hub_changelist",
        ],
    )
    def test_query_count_is_flat(self, curator_client, make_citing_papers, url_name):
        hub = HubFactory()
        for citation in make_citing_papers(hub, 5):
            ReviewFactory(paper=citation.citing, verdict="accept")
            CitationContextFactory(citation=citation)
        small = queries_for(curator_client, reverse(url_name))
        for citation in make_citing_papers(hub, 55):
            ReviewFactory(paper=citation.citing, verdict="accept")
            CitationContextFactory(citation=citation)
        HubFactory()
        large = queries_for(curator_client, reverse(url_name))
        assert large == small
        assert large <= 12


class TestPaperMetadataBySuperuser:
    def _data(self, **fields):
        return {
            "title": "Attention Is All You Need",
            "arxiv_id": "",
            "arxiv_version": "",
            "doi": "",
            "acl_id": "",
            "s2_corpus_id": "",
            "openalex_id": "",
            "authors": '["Ashish Vaswani"]',
            "abstract": "",
            "primary_category": "cs.CL",
            "categories": '["cs.CL"]',
            "submitted": "",
            "code_url": "",
            **_review_inline_data(),
            **fields,
        }

    def test_add_a_paper_with_ids_normalised(self, client, superuser):
        client.force_login(superuser)
        response = client.post(
            reverse("admin:hubs_paper_add"),
            self._data(arxiv_id="1706.03762v7", doi="https://doi.org/10.48550/ARXIV.1706.03762"),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        paper = Paper.objects.get()
        assert (paper.arxiv_id, paper.doi) == ("1706.03762", "10.48550/arxiv.1706.03762")
        assert (paper.year, paper.month) == (2017, 6)

    def test_a_malformed_id_is_a_form_error(self, client, superuser):
        client.force_login(superuser)
        response = client.post(reverse("admin:hubs_paper_add"), self._data(arxiv_id="17.1"))
        assert response.status_code == 200
        assert "not an arXiv identifier" in response.content.decode()
        assert not Paper.objects.exists()

    def test_edit_metadata(self, client, superuser):
        paper = PaperFactory(arxiv_id="1706.03762", title="Old")
        client.force_login(superuser)
        response = client.post(
            reverse("admin:hubs_paper_change", args=[paper.pk]),
            self._data(arxiv_id="1706.03762", submitted="2017-06-12"),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        paper.refresh_from_db()
        assert paper.title == "Attention Is All You Need"
        assert paper.submitted.isoformat() == "2017-06-12"


class TestConcurrentReviewEdits:
    """Two curators open the same review; the second save must not silently win."""

    def _post_change(self, client, review, *, seen_version, summary):
        return client.post(
            reverse("admin:hubs_review_change", args=[review.pk]),
            {
                "verdict": "accept",
                "novelty": "5.0",
                "summary": summary,
                "seen_version": seen_version,
            },
        )

    def test_stale_save_on_the_change_page_is_refused_with_the_newer_value(self, client, curator):
        from hubs.services import review_set

        review = review_set(paper=PaperFactory(), verdict="unverdicted", summary="First", by=None)
        client.force_login(curator)
        seen = review.version
        first = self._post_change(client, review, seen_version=seen, summary="Alice's words")
        assert first.status_code == 302
        second = self._post_change(client, review, seen_version=seen, summary="Bob's words")
        assert second.status_code == 200
        text = second.content.decode()
        assert "Your change was not saved" in text
        assert "Alice&#x27;s words" in text or "Alice's words" in text
        review.refresh_from_db()
        assert review.summary == "Alice's words"

    def test_stale_save_in_the_review_list_is_refused(self, client, curator):
        from hubs.services import review_set

        review = review_set(paper=PaperFactory(), summary="Original", by=None)
        client.force_login(curator)
        listing = client.get(reverse("admin:hubs_review_changelist"))
        assert 'name="form-0-seen_version"' in listing.content.decode()
        review_set(paper=review.paper, summary="Saved meanwhile", by=None)
        response = client.post(
            reverse("admin:hubs_review_changelist"),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-MIN_NUM_FORMS": "0",
                "form-MAX_NUM_FORMS": "1000",
                "form-0-id": str(review.pk),
                "form-0-verdict": "reject",
                "form-0-novelty": "",
                "form-0-summary": "Stale edit",
                "form-0-seen_version": str(review.version),
                "_save": "Save",
            },
        )
        assert response.status_code == 200
        review.refresh_from_db()
        assert review.summary == "Saved meanwhile"

    def test_service_refuses_a_stale_version(self):
        from hubs.services import ReviewConflict, review_set

        review = review_set(paper=PaperFactory(), summary="v1", by=None)
        review_set(paper=review.paper, summary="v2", by=None, expected_version=review.version)
        with pytest.raises(ReviewConflict, match="v2"):
            review_set(paper=review.paper, summary="v3", by=None, expected_version=review.version)


class TestVerdictColumnsAndFilters:
    """The admin says "unverdicted" for a paper nobody has reviewed, in columns and filters
    alike (hubs.querysets.verdict_of and unverdicted_q)."""

    def test_paper_list_shows_unverdicted_for_an_unreviewed_paper(self, curator_client):
        PaperFactory(title="Never reviewed")
        response = curator_client.get(reverse("admin:hubs_paper_changelist"))
        content = response.content.decode()
        assert '<td class="field-verdict">unverdicted</td>' in content
        assert '<td class="field-verdict">—</td>' not in content

    def test_citation_list_shows_unverdicted_for_an_unreviewed_citing_paper(self, curator_client):
        CitationFactory(cited=HubFactory().paper)
        response = curator_client.get(reverse("admin:hubs_citation_changelist"))
        assert '<td class="field-citing_verdict">unverdicted</td>' in response.content.decode()

    def test_paper_verdict_filter_counts_unreviewed_papers_as_unverdicted(self, curator_client):
        unreviewed = PaperFactory()
        default = ReviewFactory(verdict="unverdicted").paper
        ReviewFactory(verdict="accept")
        response = curator_client.get(
            reverse("admin:hubs_paper_changelist"), {"verdict": "unverdicted"}
        )
        assert set(response.context["cl"].result_list) == {unreviewed, default}


class TestIdentifiersInTheAdmin:
    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_search_finds_a_paper_and_its_rows_by_any_form_of_its_id(
        self, curator_client, ids, canonical, pasted
    ):
        paper = PaperFactory(**ids)
        hub = HubFactory(paper=paper)
        citation = CitationFactory(cited=paper)
        ReviewFactory(paper=paper)
        PaperFactory(title="Something else")
        for text in [canonical, *pasted]:
            for name, expected in [
                ("paper", paper),
                ("review", paper.review),
                ("citation", citation),
                ("hub", hub),
            ]:
                response = curator_client.get(
                    reverse(f"admin:hubs_{name}_changelist"), {"q": text}
                )
                assert list(response.context["cl"].result_list) == [expected], (name, text)

    def test_the_paper_list_names_each_paper_by_its_identifier(self, curator_client):
        PaperFactory(arxiv_id=None, s2_corpus_id=215416146)
        response = curator_client.get(reverse("admin:hubs_paper_changelist"))
        assert "CorpusId:215416146" in response.content.decode()

    def test_every_kind_of_id_is_normalised_or_refused(self, client, superuser):
        client.force_login(superuser)
        data = TestPaperMetadataBySuperuser()._data
        response = client.post(
            reverse("admin:hubs_paper_add"),
            data(
                acl_id="https://aclanthology.org/p02-1040/",
                s2_corpus_id="7",
                openalex_id="https://openalex.org/w12",
            ),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        paper = Paper.objects.get()
        assert (paper.acl_id, paper.s2_corpus_id, paper.openalex_id) == ("P02-1040", 7, "W12")
        response = client.post(
            reverse("admin:hubs_paper_change", args=[paper.pk]), data(acl_id="not an ACL id")
        )
        assert response.status_code == 200
        assert "is not an ACL Anthology id" in response.content.decode()


def test_the_admin_review_form_keeps_the_service_s_summary_limit(db):
    from hubs.admin import ReviewForm
    from hubs.models import Review

    form = ReviewForm(
        data={"verdict": "accept", "summary": "x" * 5001, "seen_version": "0"},
        instance=Review(paper=PaperFactory()),
    )
    assert not form.is_valid()
    assert "limited to 5,000 characters" in form.errors["summary"][0]
    assert 'maxlength="5000"' in str(form["summary"])


def test_the_review_form_links_to_the_page_that_shows_the_review(curator_client, curator):
    from hubs.services import review_set

    paper = PaperFactory(title="Reviewed")
    review = review_set(paper=paper, verdict="accept", summary="Good.", by=curator)
    page = curator_client.get(reverse("admin:hubs_review_change", args=[review.pk]))
    text = page.content.decode()
    assert "View on site" in text
    link = text[: text.index("View on site")].rsplit('href="', 1)[1].split('"', 1)[0]
    assert curator_client.get(link)["Location"].endswith(paper.get_absolute_url())


class TestDeletesKeepTheCounts:
    """A paper or citation deleted in the admin (superusers) goes through the services:
    the hubs' counts table stays equal to a recount, and the hub's version is bumped."""

    @pytest.fixture
    def admin_client(self, client, superuser):
        client.force_login(superuser)
        return client

    @pytest.mark.usefixtures("numbers_cache_on")  # the version is kept only with it on
    def test_deleting_a_citing_paper(self, admin_client, django_capture_on_commit_callbacks):
        hub = hub_with_citing_papers(4, slug="deletes")
        citing = hub.paper.citations.first().citing
        before = hub_version(hub.paper_id)
        url = reverse("admin:hubs_paper_delete", args=[citing.pk])
        with django_capture_on_commit_callbacks(execute=True):
            assert admin_client.post(url, {"post": "yes"}).status_code == 302
        assert not Paper.objects.filter(pk=citing.pk).exists()
        assert hub_counts_stored() == hub_counts_recount()
        assert hub_version(hub.paper_id) != before

    def test_deleting_a_citation(self, admin_client, django_capture_on_commit_callbacks):
        hub = hub_with_citing_papers(4, slug="deletes")
        citation = hub.paper.citations.first()
        url = reverse("admin:hubs_citation_delete", args=[citation.pk])
        with django_capture_on_commit_callbacks(execute=True):
            assert admin_client.post(url, {"post": "yes"}).status_code == 302
        assert hub_counts_stored() == hub_counts_recount()
        deleted = Citation.history.filter(id=citation.pk, history_type="-")
        assert deleted.count() == 1  # the delete is in the citation's history

    def test_deleting_several_citations_at_once(self, admin_client):
        hub = hub_with_citing_papers(4, slug="deletes")
        ids = list(hub.paper.citations.values_list("pk", flat=True)[:2])
        data = {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
        assert (
            admin_client.post(reverse("admin:hubs_citation_changelist"), data).status_code == 302
        )
        assert hub.paper.citations.count() == 2
        assert hub_counts_stored() == hub_counts_recount()

    def test_deleting_a_review(self, admin_client):
        hub = hub_with_citing_papers(4, slug="deletes")
        citing = hub.paper.citations.first().citing
        review = ReviewFactory(paper=citing, verdict="accept")
        hub_counts_rebuild()  # the factory wrote past the services
        url = reverse("admin:hubs_review_delete", args=[review.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
        assert not Review.objects.filter(pk=review.pk).exists()
        assert hub_counts_stored() == hub_counts_recount()


def _selected(kind: str, hub, size: int) -> list[int]:
    """`size` ids of the hub's citations, citing papers or their reviews."""
    citations = hub.paper.citations.order_by("pk")
    if kind == "citation":
        return list(citations.values_list("pk", flat=True)[:size])
    if kind == "paper":
        return list(citations.values_list("citing_id", flat=True)[:size])
    reviews = Review.objects.filter(paper__references__cited=hub.paper).order_by("pk")
    return list(reviews.values_list("pk", flat=True)[:size])


class TestBulkDeletes:
    """Deleting many citations, papers or reviews at once in the admin ("delete selected")
    makes as many queries for 30 as for 3, and keeps what a delete of each did: the
    history of each deleted citation and review, the counts table equal to a recount, the
    hubs' kept pages stale."""

    MODELS = {"citation": Citation, "paper": Paper, "review": Review}

    @pytest.fixture
    def admin_client(self, client, superuser):
        client.force_login(superuser)
        return client

    def delete_selected(self, client, kind: str, ids: list[int], capture) -> int:
        data = {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
        url = reverse(f"admin:hubs_{kind}_changelist")
        ContentType.objects.clear_cache()  # the admin log's, cached by whichever came first
        with capture(execute=True):
            return measure(client, "post", url, data=data, status=302).queries

    @pytest.mark.usefixtures("numbers_cache_on")  # the version is kept only with it on
    @pytest.mark.parametrize("kind", ["citation", "paper", "review"])
    def test_as_many_queries_for_30_as_for_3(
        self, admin_client, kind, django_capture_on_commit_callbacks
    ):
        queries = {}
        for size in (3, 30):
            hub = hub_with_citing_papers(2 * size + 2, slug=f"bulk-{size}")
            ids = _selected(kind, hub, size)
            citations = list(
                Citation.objects.filter(
                    **{"citation": {"pk__in": ids}, "paper": {"citing_id__in": ids}}.get(
                        kind, {"citing__review__in": ids}
                    )
                ).values_list("pk", flat=True)
            )
            before = hub_version(hub.paper_id)
            queries[size] = self.delete_selected(
                admin_client, kind, ids, django_capture_on_commit_callbacks
            )
            assert not self.MODELS[kind].objects.filter(pk__in=ids).exists()
            assert hub_counts_stored() == hub_counts_recount()
            assert hub_version(hub.paper_id) != before
            deleted = Citation.history.filter(history_type="-")
            if kind == "review":
                deleted = Review.history.filter(history_type="-")
                assert set(deleted.filter(id__in=ids).values_list("id", flat=True)) == set(ids)
                assert Citation.objects.filter(pk__in=citations).count() == len(citations)
            else:
                assert sorted(deleted.filter(id__in=citations).values_list("id", flat=True)) == (
                    sorted(citations)
                )
                assert deleted.filter(id__in=citations).exclude(history_user=None).count() == (
                    len(citations)  # who deleted them, as a delete of one records
                )
        assert queries[3] == queries[30], queries

    @pytest.mark.parametrize("kind", ["citation", "paper", "review"])
    def test_the_confirmation_lists_the_chosen_and_counts_the_rest(self, admin_client, kind):
        queries = {}
        for size in (3, 30):
            hub = hub_with_citing_papers(2 * size + 2, slug=f"confirm-{size}")
            ids = _selected(kind, hub, size)
            data = {"action": "delete_selected", "_selected_action": ids}
            url = reverse(f"admin:hubs_{kind}_changelist")
            measured = measure(admin_client, "post", url, data=data, status=200)
            queries[size] = measured.queries
            page = measured.response.content.decode()
            plural = self.MODELS[kind]._meta.verbose_name_plural
            assert f"<li>{capfirst(plural)}: {size}</li>" in page
            assert page.count(f'href="/admin/hubs/{kind}/') >= size  # each chosen, linked
            assert self.MODELS[kind].objects.filter(pk__in=ids).count() == size  # not yet
        assert queries[3] == queries[30], queries

    def test_a_hubs_paper_deleted_with_papers_citing_it(self, admin_client):
        hub, other = hub_with_citing_papers(6, slug="goes"), hub_with_citing_papers(3)
        citing = list(hub.paper.citations.values_list("citing_id", flat=True)[:2])
        services.citation_add(citing=hub.paper, cited=other.paper)  # the hub's paper cites
        ids = [hub.paper_id, *citing]
        data = {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
        response = admin_client.post(reverse("admin:hubs_paper_changelist"), data)
        assert response.status_code == 302
        assert not Hub.objects.filter(pk=hub.pk).exists()
        assert not HubCount.objects.filter(hub_id=hub.pk).exists()
        assert hub_counts_stored() == hub_counts_recount()
        assert hub_summary(other).citing_count == 3
