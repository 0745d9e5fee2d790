"""Public reads: hubs, citing papers, facets, papers, citations, exports, conditional GET."""

import csv
import io

import pytest
from django.urls import reverse

from hubs import services
from hubs.models import Hub
from hubs.selectors import hub_summary
from hubs.vocab import Role
from tests.factories import CitationFactory, HubFactory, PaperFactory, hub_with_citing_papers
from tests.hubs.test_identifiers import ID_CASES

pytestmark = pytest.mark.django_db

HUB = "rl-for-large-reasoning-models"


def test_hub_list(api, demo):
    HubFactory(is_published=False, slug="draft")
    data = api.get(reverse("api:hub-list")).json()
    assert [(hub["slug"], hub["citing_count"]) for hub in data["results"]] == [(HUB, 36)]


def test_hub_list_says_what_the_directory_page_and_the_hub_page_say(api, demo):
    (hub,) = api.get(reverse("api:hub-list")).json()["results"]
    summary = hub_summary(Hub.objects.get(slug=HUB))
    assert hub["year"] == 2025
    assert hub["classified_count"] == summary.classified_count
    assert hub["classified_share"] == summary.classified_count / 36
    assert hub["role_classified_count"] == summary.role_classified_count
    assert hub["roles"] == [
        {"value": role.value, "count": role.count, "share": role.share} for role in summary.roles
    ]
    assert hub["polarities"] == [
        {"value": p.value, "count": p.count, "share": p.share} for p in summary.polarities
    ]


def test_hub_detail_has_the_page_summaries(api, demo):
    data = api.get(reverse("api:hub-detail", args=[HUB])).json()
    assert data["status"] == {
        "citing_count": 36,
        "classified_count": 6,
        "curated_count": 6,
        "suggested_count": 0,
        "role_curated_count": 6,
        "role_suggested_count": 0,
        "polarity_curated_count": 6,
        "polarity_suggested_count": 0,
        "thresholds": {
            "role": dict.fromkeys(Role.values, 0.8),
            "polarity": {"supporting": 0.95, "neutral": 0.8, "contrasting": 0.7},
        },
        "role_classified_count": 6,
        "polarity_classified_count": 6,
        "dominant_role": "background",
        "dominant_role_count": 6,
        "dominant_role_share": 1.0,
        "dominant_polarity": "neutral",
        "dominant_polarity_count": 6,
        "dominant_polarity_share": 1.0,
        "sentence": "Canonical reference. 100% of the citing papers with a classified role "
        "cite this work as background (6 of 36 have a classified role); 6 of 36 have a "
        "classified polarity, 100% neutral. 6 of 36 classified: 6 by curators, 0 suggested.",
    }
    assert {row["value"]: row["count"] for row in data["years"]} == {"2026": 12, "2025": 24}
    assert {row["value"]: row["count"] for row in data["polarities"]}["neutral"] == 6
    assert data["cube"] == [
        {"role": "background", "polarity": "neutral", "year": 2025, "count": 6}
    ]
    assert [r["paper"]["arxiv_id"] for r in data["representatives"]][:2] == [
        "2605.19461",
        "2605.11775",
    ]
    assert data["representatives"][1]["refs"] == 2
    assert data["paper"]["abstract"].startswith("In this paper, we survey")


def test_draft_hub_is_404_to_anonymous_and_readers(api, reader):
    hub = HubFactory(is_published=False)
    assert api.get(reverse("api:hub-detail", args=[hub.slug])).status_code == 404
    api.force_authenticate(reader)
    response = api.get(reverse("api:hub-detail", args=[hub.slug]))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


class TestCitingPapers:
    def url(self, **params):
        return reverse("api:hub-citing-papers", args=[HUB])

    def test_same_filters_as_the_explorer(self, api, client, demo):
        for params in [
            {"year": "2025"},
            {"role": "background"},
            {"verdict": "conditional"},
            {"q": "entropy", "category": "cs.LG"},
        ]:
            page = client.get(demo.get_absolute_url(), params).context["explorer"]
            data = api.get(self.url(), {**params, "page_size": 100}).json()
            assert len(data["results"]) == page.matching, params

    def test_cursor_paging_with_no_cap(self, api):
        hub = hub_with_citing_papers(230)
        url, seen = (
            reverse("api:hub-citing-papers", args=[hub.slug]) + "?page_size=100&sort=refs",
            [],
        )
        while url:
            data = api.get(url).json()
            seen += [row["citation_id"] for row in data["results"]]
            url = data["next"]
        assert len(seen) == len(set(seen)) == 230

    def test_rows_carry_labels_and_review(self, api, demo):
        data = api.get(self.url(), {"role": "background", "page_size": 100}).json()
        row = next(r for r in data["results"] if r["paper"]["arxiv_id"] == "2510.00938")
        assert (row["role"], row["polarity"], row["classified"]) == ("background", "neutral", True)
        assert row["labels"]["role"]["status"] == "curated"
        assert row["verdict"] == "unverdicted"

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"year": "last"}, "year"),
            ({"role": "praises"}, "role"),
            ({"sort": "random"}, "sort"),
            ({"cursor": "%%%"}, "cursor"),
            ({"page_size": "1000"}, "page_size"),
            ({"page_size": "0"}, "page_size"),
        ],
    )
    def test_bad_parameters_are_400_with_the_field(self, api, demo, params, field):
        response = api.get(self.url(), params)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert field in error["fields"]
        assert error["message"].startswith(f"{field}: ")


class TestFacets:
    def test_group_by_under_filters(self, api, demo):
        url = reverse("api:hub-facets", args=[HUB])
        data = api.get(url, {"group_by": "category", "year": "2025"}).json()
        assert data["matching"] == 24
        assert sum(group["count"] for group in data["groups"]) == 24
        assert {"value": "cs.LG", "count": 9} in data["groups"]

    def test_role_groups_count_classified_labels_and_the_rest(self, api, demo):
        data = api.get(reverse("api:hub-facets", args=[HUB]), {"group_by": "role"}).json()
        assert data["groups"] == [
            {"value": "unclassified", "count": 30},
            {"value": "background", "count": 6},
        ]

    def test_group_by_is_required_and_checked(self, api, demo):
        response = api.get(reverse("api:hub-facets", args=[HUB]), {"group_by": "colour"})
        assert response.status_code == 400
        assert "group_by" in response.json()["error"]["fields"]


class TestExports:
    def test_csv_from_the_api_honours_filters(self, api, demo):
        response = api.get(reverse("api:hub-export", args=[HUB, "csv"]), {"year": "2026"})
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert len(rows) == 12

    @pytest.mark.parametrize("fmt", ["bibtex", "ris", "json"])
    def test_every_format(self, api, demo, fmt):
        response = api.get(reverse("api:hub-export", args=[HUB, fmt]))
        assert response.status_code == 200
        assert response.streaming

    def test_unknown_format_is_404_in_the_error_shape(self, api, demo):
        response = api.get(reverse("api:hub-export", args=[HUB, "xlsx"]))
        assert response.status_code == 404
        assert "Unknown format" in response.json()["error"]["message"]


class TestPapers:
    @pytest.mark.parametrize("identifier", ["2605.11775", "2605.11775v3", "arXiv:2605.11775"])
    def test_lookup_by_arxiv_id_with_or_without_version(self, api, demo, identifier):
        data = api.get(reverse("api:paper-detail", args=[identifier])).json()
        assert data["arxiv_id"] == "2605.11775"
        assert data["review"]["novelty"] == 6.0
        assert data["cites_hubs"][0]["hub"] == HUB
        assert data["cites_hubs"][0]["refs"] == 2

    def test_lookup_by_doi_in_any_case(self, api):
        citation = CitationFactory(citing__doi="10.1000/abc", citing__arxiv_id=None)
        data = api.get(reverse("api:paper-detail", args=["10.1000/ABC"])).json()
        assert data["doi"] == "10.1000/abc"
        assert data["identifier"] == citation.citing.doi

    def test_contexts_in_hub_references(self, api, demo):
        data = api.get(reverse("api:paper-detail", args=["2510.00938"])).json()
        assert data["cites_hubs"][0]["contexts"][0]["section"] == "1 Introduction"

    def test_unknown_paper_is_404(self, api, db):
        response = api.get(reverse("api:paper-detail", args=["2501.99999"]))
        assert response.status_code == 404
        assert response.json()["error"] == {
            "code": "not_found",
            "message": "No paper has the identifier '2501.99999'.",
        }

    def test_search(self, api, demo):
        data = api.get(reverse("api:paper-list"), {"q": "entropy"}).json()
        assert len(data["results"]) == 3

    def test_papers_citing_a_paper(self, api, demo):
        data = api.get(
            reverse("api:paper-citations", args=["2509.08827"]), {"page_size": 50}
        ).json()
        assert len(data["results"]) == 36


class TestCitations:
    def test_detail_with_contexts_classification_and_history(self, api, curator):
        citation = CitationFactory()
        services.citation_classify(citation=citation, role="uses_data", by=curator)
        data = api.get(reverse("api:citation-detail", args=[citation.pk])).json()
        assert data["role"] == "uses_data"
        assert data["labels"]["role"] == {
            "value": "uses_data",
            "status": "curated",
            "source": curator.name or "a curator",
            "confidence": None,
            "model_version": "",
        }
        assert data["labels"]["polarity"]["status"] == ""
        assert data["classified"] is True
        assert data["history"][0]["role_from"] == ""
        assert data["history"][0]["role_to"] == "uses_data"


class TestSuggestionProvenance:
    def test_rows_say_which_labels_are_suggested_with_source_confidence_and_version(
        self, api, settings
    ):
        settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {"supporting": 0.95}
        hub = HubFactory()
        CitationFactory(
            cited=hub.paper, role="builds_on", suggested_role="background",
            suggested_polarity="supporting", confidence=0.9,
        )  # fmt: skip
        CitationFactory(
            cited=hub.paper, suggested_role="uses_method", suggested_polarity="neutral",
            confidence=0.85,
        )  # fmt: skip
        data = api.get(reverse("api:hub-citing-papers", args=[hub.slug])).json()
        rows = {row["labels"]["role"]["value"]: row for row in data["results"]}
        curated, suggested = rows["builds_on"], rows["uses_method"]
        assert curated["labels"]["role"]["status"] == "curated"
        # Below "supporting"'s 0.95 the polarity suggestion is not public.
        assert curated["labels"]["polarity"] == {
            "value": "", "status": "", "source": "", "confidence": None, "model_version": "",
        }  # fmt: skip
        assert suggested["labels"]["role"] == {
            "value": "uses_method",
            "status": "suggested",
            "source": "a model (version test-model-1, confidence 0.85)",
            "confidence": 0.85,
            "model_version": "test-model-1",
        }
        assert (suggested["role"], suggested["polarity"], suggested["classified"]) == (
            "uses_method",
            "neutral",
            True,
        )
        detail = api.get(reverse("api:hub-detail", args=[hub.slug])).json()["status"]
        assert (detail["curated_count"], detail["suggested_count"]) == (1, 1)
        assert detail["sentence"].endswith("2 of 2 classified: 1 by curators, 1 suggested.")


class TestConditionalGet:
    @pytest.mark.parametrize(
        "url",
        [
            reverse("api:hub-detail", args=[HUB]),
            reverse("api:hub-citing-papers", args=[HUB]),
            reverse("api:paper-detail", args=["2509.08827"]),
        ],
    )
    def test_etag_and_304(self, api, demo, url):
        first = api.get(url)
        assert first["ETag"]
        again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304

    def test_etag_changes_when_the_record_does(self, api, demo, curator):
        url = reverse("api:hub-detail", args=[HUB])
        etag = api.get(url)["ETag"]
        citation = demo.paper.citations.filter(role="").first()
        services.citation_classify(citation=citation, role="uses_method", by=curator)
        response = api.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200


def test_root_points_to_lists_and_docs(api, db):
    data = api.get("/api/v1/").json()
    assert data["hubs"].endswith("/api/v1/hubs/")
    assert data["docs"].endswith("/api/docs/")


def test_unknown_api_paths_answer_in_the_error_shape(api, db):
    response = api.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url_name", ["api:hub-list", "api:paper-list"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "junk"}, "cursor"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
    ],
)
def test_every_list_answers_bad_paging_input_with_a_400(api, db, url_name, params, field):
    response = api.get(reverse(url_name), params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


# One sort rule for every list: an unknown sort is a 400 naming `sort`, never a silent default.
SORTED_LISTS = [
    ("api:hub-citing-papers", [HUB]),
    ("api:paper-citations", ["2509.08827"]),
    ("api:hub-list", []),
    ("api:paper-list", []),
    ("api:hub-export", [HUB, "csv"]),
]


@pytest.mark.parametrize(("url_name", "args"), SORTED_LISTS)
def test_every_list_answers_an_unknown_sort_with_a_400(api, demo, url_name, args):
    response = api.get(reverse(url_name, args=args), {"sort": "bogus"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "sort" in error["fields"]


@pytest.mark.parametrize("url_name", ["api:hub-citing-papers", "api:paper-citations"])
def test_a_cursor_from_before_positions_is_a_clean_400(api, demo, url_name):
    from tests.hubs.test_paging import _cursor

    args = [HUB] if url_name == "api:hub-citing-papers" else ["2509.08827"]
    response = api.get(reverse(url_name, args=args), {"cursor": _cursor("next", "2025-01-01", 1)})
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_paper_citations_take_the_explorer_sorts(api, demo):
    data = api.get(
        reverse("api:paper-citations", args=["2509.08827"]), {"sort": "refs", "page_size": 50}
    ).json()
    refs = [row["refs"] for row in data["results"]]
    assert refs == sorted(refs, reverse=True)


def test_citing_lists_say_where_a_page_starts_and_how_many_match(api):
    hub = hub_with_citing_papers(36)
    url = reverse("api:hub-citing-papers", args=[hub.slug])
    first = api.get(url).json()
    assert (first["start"], first["count"], len(first["results"])) == (1, 36, 25)
    second = api.get(first["next"]).json()
    assert (second["start"], second["count"], len(second["results"])) == (26, 36, 11)
    back = api.get(second["previous"]).json()
    assert back["start"] == 1
    assert [row["citation_id"] for row in back["results"]] == [
        row["citation_id"] for row in first["results"]
    ]
    filtered = api.get(url, {"year": "2025"}).json()
    assert (filtered["start"], filtered["count"]) == (1, 12)
    papers = api.get(reverse("api:paper-citations", args=[hub.paper.arxiv_id])).json()
    assert (papers["start"], papers["count"]) == (1, 36)


class TestEveryKindOfIdentifier:
    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_the_identifier_a_paper_gives_resolves(self, api, ids, canonical, pasted):
        paper = PaperFactory(**ids)
        citing = CitationFactory(cited=paper).citing
        data = api.get(reverse("api:paper-detail", args=[paper.identifier])).json()
        assert data["identifier"] == canonical
        assert data["html_url"] == f"http://testserver{paper.get_absolute_url()}"
        rows = api.get(reverse("api:paper-citations", args=[canonical])).json()["results"]
        assert [row["paper"]["identifier"] for row in rows] == [citing.identifier]

    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_search_finds_a_paper_by_any_form_of_its_id(self, api, ids, canonical, pasted):
        PaperFactory(**ids)
        PaperFactory()
        for text in [canonical, *pasted]:
            data = api.get(reverse("api:paper-list"), {"q": text}).json()
            assert [row["identifier"] for row in data["results"]] == [canonical], text

    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_pasted_forms_answer_with_the_paper(self, api, ids, canonical, pasted):
        # Resolved, not redirected: a client's PUT to .../review/ must not be bounced.
        PaperFactory(**ids)
        for text in pasted:
            response = api.get(reverse("api:paper-detail", args=[text]))
            assert response.status_code == 200, text
            assert response.json()["identifier"] == canonical, text
