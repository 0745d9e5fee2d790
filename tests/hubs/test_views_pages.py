"""Home, hub directory, paper and citation pages, sitemap, robots.txt, 404."""

import datetime
import html
import re

import pytest
from django.db.models import F
from django.urls import reverse

from hubs import services
from hubs.models import Citation, Hub, HubCount, Paper
from hubs.selectors import hub_summary
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    hub_with_citing_papers,
)
from tests.hubs.test_identifiers import ID_CASES
from tests.hubs.test_views_hub import page_text
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


class TestHome:
    @pytest.mark.parametrize("query", ["Flawed Thinking", "Duen Horng Chau"])
    def test_search_by_title_or_author(self, client, demo, query):
        response = client.get("/", {"q": query})
        titles = [paper.title for paper in response.context["results"]]
        assert titles == ["Large Reasoning Models Learn Better Alignment from Flawed Thinking"]

    def test_an_arxiv_id_or_doi_opens_the_paper(self, client):
        # Every kind and form: TestEveryKindOfIdentifier.
        paper = PaperFactory(doi="10.18653/v1/p19-1001", title="A DOI-only paper", arxiv_id=None)
        response = client.get("/", {"q": "10.18653/V1/P19-1001"})
        assert response["Location"] == paper.get_absolute_url()

    def test_lists_published_hubs_with_counts_and_latest_reviews(self, client, demo):
        HubFactory(is_published=False, paper=PaperFactory(title="Secret draft"))
        text = page_text(client.get("/"))
        assert (
            "A Survey of Reinforcement Learning for Large Reasoning Models 36 citing papers"
            in text
        )
        assert "Secret draft" not in text
        assert "Latest reviewed papers" in text
        assert "Rethinking Muon Beyond Pretraining" in text

    def test_one_search_box(self, client, db):
        """The home page's own search form, not the header's beside it; other pages keep
        the header's."""
        assert client.get("/").content.decode().count('type="search"') == 1
        assert client.get("/", {"q": "paper"}).content.decode().count('type="search"') == 1
        assert client.get(reverse("hubs:hub-list")).content.decode().count('type="search"') == 1

    def test_latest_reviewed_papers_have_a_verdict(self, client, demo):
        response = client.get("/")
        reviewed = page_text(response).split("Latest reviewed papers", 1)[1]
        assert response.context["reviewed"]
        assert "unverdicted" not in reviewed
        # Demo papers with a summary and a novelty but no verdict yet stay off the list.
        assert "Beyond Mode Collapse" not in reviewed

    def test_query_count_does_not_grow(self, client):
        counts = []
        for size in (30, 500):
            hub_with_citing_papers(size, slug=f"hub-{size}")
            counts.append(queries_for(client, "/", {"q": "paper"}))
        assert counts[0] == counts[1] <= 4, counts


class TestQueryCountsDoNotGrow:
    """Pages not covered elsewhere, measured on a small and on a 500-citation hub."""

    @pytest.mark.parametrize(
        "path_of",
        [
            lambda hub: f"/citations/{hub.paper.citations.order_by('pk').first().pk}/",
            lambda hub: f"/hubs/{hub.slug}/feed.atom",
            lambda hub: "/sitemap.xml",
            lambda hub: "/sitemap-hubs.xml",
            lambda hub: "/hubs/",
        ],
    )
    def test_flat(self, client, path_of):
        counts = []
        for size in (10, 500):
            hub = hub_with_citing_papers(size, slug=f"hub-{size}")
            counts.append(queries_for(client, path_of(hub)))
        assert counts[0] == counts[1] <= 6, counts


def directory_row(response, slug: str) -> str:
    """The text of the hub directory's row for this hub."""
    row = re.search(
        rf'<tr>\s*<th scope="row"><a href="/hubs/{slug}/".*?</tr>', response.content.decode(), re.S
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row[0])).split())


class TestHubDirectory:
    def test_sorted_by_citing_count_or_title(self, client):
        hub_with_citing_papers(3, slug="few").paper.__class__.objects.filter(
            pk=Hub.objects.get(slug="few").paper_id
        ).update(title="Zebra")
        hub_with_citing_papers(7, slug="many")
        by_count = client.get(reverse("hubs:hub-list"))
        assert [row.hub.slug for row in by_count.context["rows"]] == ["many", "few"]
        by_title = client.get(reverse("hubs:hub-list"), {"sort": "title"})
        assert [row.hub.slug for row in by_title.context["rows"]][-1] == "few"
        assert "7" in page_text(by_count)

    def test_unknown_sort_is_a_400_with_a_message(self, client, db):
        response = client.get(reverse("hubs:hub-list"), {"sort": "bogus"})
        assert response.status_code == 400
        assert "Unknown sort “bogus”" in page_text(response)

    def test_query_count_does_not_grow_with_the_number_of_hubs(self, client):
        counts = []
        for n in range(6):
            hub_with_citing_papers(20 + n, slug=f"hub-{n}")
            if n in (0, 5):
                counts.append(queries_for(client, reverse("hubs:hub-list")))
        assert counts[0] == counts[1] <= 1, counts

    def test_each_hub_with_year_citing_count_share_classified_and_label_bars(self, client):
        hub = hub_with_citing_papers(12, slug="twelve")
        Paper.objects.filter(pk=hub.paper_id).update(
            year=2019, sort_date=datetime.date(2019, 7, 1)
        )
        summary = hub_summary(hub)
        response = client.get(reverse("hubs:hub-list"))
        text = directory_row(response, "twelve")
        # hub_with_citing_papers: every third citation a curator's, every sixth a confident
        # suggestion: 4 + 2 of 12 classified.
        assert summary.classified_count == 6
        assert f"{hub.paper.title} 2019 {hub.paper.primary_category or '—'} 12 50% 6 of 12" in text
        # The role and polarity mini-bars say their numbers in words, as the hub page does.
        for label in [*summary.roles, *summary.polarities]:
            if label.count:
                assert f"{label.label} {label.count}" in text
        html = response.content.decode()
        assert html.count('class="bar-track"') == 2  # one for roles, one for polarities

    def test_counts_come_from_the_counts_table_not_the_rows(self, client):
        hub = hub_with_citing_papers(12, slug="twelve")
        # A cell of the per-hub table (hubs.counts) that rows changed around the services
        # left stale: the directory shows the table, as every page-wide number does.
        HubCount.objects.filter(hub=hub).update(n=F("n") * 2)
        text = directory_row(client.get(reverse("hubs:hub-list")), "twelve")
        assert " 24 50% 12 of 24 " in text

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("citing", ["big", "old", "new"]),
            ("title", ["big", "new", "old"]),
            ("year", ["new", "big", "old"]),  # the cited paper's year, newest first
            ("classified", ["new", "old", "big"]),  # share classified, highest first
        ],
    )
    def test_sorts(self, client, sort, expected):
        for slug, size, year, title in [
            ("old", 9, 2001, "C old"),
            ("new", 3, 2024, "B new"),
            ("big", 30, 2010, "A big"),
        ]:
            hub = hub_with_citing_papers(size, slug=slug)
            Paper.objects.filter(pk=hub.paper_id).update(
                year=year, title=title, sort_date=datetime.date(year, 1, 1)
            )
        # Classify every citation of "new" (3 of 3) and none more of "big".
        for citation in Citation.objects.filter(cited__hub__slug="new"):
            services.citation_classify(
                citation=citation, role="background", polarity="neutral", by=None
            )
        response = client.get(reverse("hubs:hub-list"), {"sort": sort})
        assert response.status_code == 200
        assert [row.hub.slug for row in response.context["rows"]] == expected


class TestPaperPage:
    def test_shows_metadata_review_hubs_it_cites_and_contexts(self, client, demo):
        response = client.get("/papers/2605.11775/")
        text = page_text(response)
        assert "Entropy Polarity in Reinforcement Fine-Tuning" in text
        assert "Novelty 6.0 / 10" in text
        assert "Defines a signed, per-token measure" in text
        assert "Hubs it cites" in text
        assert "A Survey of Reinforcement Learning for Large Reasoning Models" in text
        assert "2 refs" in text

    def test_contexts_and_labels_of_the_hub_it_cites(self, client, demo):
        text = page_text(client.get("/papers/2510.00938/"))
        assert "background" in text and "neutral" in text
        assert "Frontier LRMs, such as DeepSeek-R1" in text
        assert "1 Introduction" in text

    def test_hub_paper_lists_papers_citing_it(self, client, demo):
        response = client.get("/papers/2509.08827/")
        assert "Papers citing it (36)" in page_text(response)
        assert "Showing 1–25 of 36." in page_text(response)
        assert len(response.context["citing"].rows) == 25
        assert response.context["citing"].next_cursor
        second = client.get(
            "/papers/2509.08827/", {"cursor": response.context["citing"].next_cursor}
        )
        assert "Showing 26–36 of 36." in page_text(second)

    def test_citing_papers_take_a_sort_and_refuse_an_unknown_one(self, client, demo):
        response = client.get("/papers/2509.08827/", {"sort": "refs"})
        refs = [row.refs for row in response.context["citing"].rows]
        assert refs == sorted(refs, reverse=True)
        response = client.get("/papers/2509.08827/", {"sort": "bogus"})
        assert response.status_code == 400
        assert "Unknown sort “bogus”" in page_text(response)

    @pytest.mark.parametrize(
        ("path", "target"),
        [
            ("/papers/2509.08827v2/", "/papers/2509.08827/"),
            ("/papers/arXiv:2509.08827/", "/papers/2509.08827/"),
        ],
    )
    def test_versions_redirect_to_the_canonical_url(self, client, demo, path, target):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == target

    def test_doi_url_is_case_insensitive(self, client):
        paper = PaperFactory(arxiv_id=None, doi="10.1000/abc.def")
        response = client.get("/papers/10.1000/ABC.DEF/")
        assert response.status_code == 301
        assert response["Location"] == "/papers/10.1000/abc.def/"
        assert client.get(response["Location"]).context["paper"] == paper

    def test_unknown_paper_is_a_friendly_404(self, client):
        response = client.get("/papers/2501.99999/")
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()

    def test_query_count_does_not_grow(self, client):
        small = hub_with_citing_papers(10, slug="s")
        big = hub_with_citing_papers(500, slug="b")
        counts = [queries_for(client, hub.paper.get_absolute_url()) for hub in (small, big)]
        assert counts[0] == counts[1] <= 6


class TestCitationPage:
    def test_shows_contexts_and_the_correction_trail(self, client, curator):
        curator.name = "Grace"
        curator.save()
        hub = HubFactory()
        citation = Citation.objects.create(citing=PaperFactory(), cited=hub.paper)
        CitationContextFactory(
            citation=citation, text="We extend their method.", section="3 Method"
        )
        Citation.objects.filter(pk=citation.pk).update(
            suggested_role="background", suggested_role_source="model",
            suggested_role_confidence=0.91, suggestion_version="v7",
        )  # fmt: skip
        citation.refresh_from_db()
        services.citation_classify(
            citation=citation, role="background", polarity="neutral", by=None
        )  # a curator-grade data load
        services.citation_classify(citation=citation, role="builds_on", by=curator)
        response = client.get(citation.get_absolute_url())
        text = page_text(response)
        assert "We extend their method. Section: 3 Method" in text
        changes = response.context["changes"]
        assert [
            (c.who, (c.role_from, c.role_to), (c.polarity_from, c.polarity_to)) for c in changes
        ] == [
            ("Grace", ("background", "builds_on"), ("neutral", "neutral")),
            ("a data load", ("", "background"), ("", "neutral")),
        ]
        assert "background → builds on" in text
        # A suggestion is no label of the trail: the model's run wrote no history.
        assert "a model" not in text

    def test_the_title_cuts_long_titles_on_a_word_boundary(self, client):
        """One rule for cutting titles (hubs.text.shorten), in page titles as in messages:
        truncatechars cut "Language" to "Langu…"."""
        hub = HubFactory()
        citing = PaperFactory(
            title="Scaling Laws for Reinforcement Learning in Very Large Language Models"
        )
        citation = Citation.objects.create(citing=citing, cited=hub.paper)
        title = re.search(r"<title>(.*?)</title>", client.get(citation.get_absolute_url()).text)
        assert "“Scaling Laws for Reinforcement Learning in Very Large…”" in html.unescape(
            title.group(1)
        )

    def test_unknown_citation_is_404(self, client):
        assert client.get("/citations/999999/").status_code == 404


class TestCrawlers:
    def test_sitemap_lists_published_hubs_and_papers(self, client, demo):
        HubFactory(is_published=False, slug="draft-hub")
        index = client.get("/sitemap.xml").content.decode()
        assert "sitemap-hubs.xml" in index and "sitemap-papers.xml" in index
        hubs = client.get("/sitemap-hubs.xml").content.decode()
        assert "/hubs/rl-for-large-reasoning-models/" in hubs
        assert "draft-hub" not in hubs
        papers = client.get("/sitemap-papers.xml").content.decode()
        assert papers.count("<url>") == 37 + 1

    def test_robots_txt_points_to_the_sitemap(self, client):
        body = client.get("/robots.txt").content.decode()
        assert "Disallow: /admin/" in body
        assert "Sitemap: http://testserver/sitemap.xml" in body


def test_server_error_page_is_friendly(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/?q=%00", "/papers/%00/", "/papers/a%00b/", "/api/v1/papers/?q=%00", "/api/v1/papers/%00/"],
)
def test_nul_bytes_are_answered_not_crashed_on(client, path):
    # PostgreSQL refuses NUL in text; these must be ordinary "no match" answers.
    assert client.get(path).status_code in (200, 400, 404)


def test_crafted_cursor_on_the_hub_page_is_a_400(client):
    from tests.hubs.test_paging import _cursor

    hub = HubFactory()
    response = client.get(
        hub.get_absolute_url(), {"sort": "novelty", "cursor": _cursor("next", "NaN", 1, 25)}
    )
    assert response.status_code == 400


def test_paper_page_shows_a_low_confidence_suggestion_as_unclassified(client):
    hub = HubFactory()
    citing = PaperFactory()
    Citation.objects.create(
        citing=citing, cited=hub.paper, suggested_role="uses_method",
        suggested_role_source="model", suggested_role_confidence=0.64,
        suggested_polarity="supporting", suggested_polarity_source="model",
        suggested_polarity_confidence=0.64,
    )  # fmt: skip
    text = page_text(client.get(citing.get_absolute_url()))
    # Below its threshold a suggestion is for curators only (the queue, the admin).
    assert "unclassified" in text
    assert "uses method" not in text and "0.64" not in text


def test_accented_author_names_are_found(client):
    PaperFactory(title="Enterprise context", authors=["Aurélie Lozano", "Ольга Иванова"])
    for query in ["Aurélie", "Ольга"]:
        titles = [paper.title for paper in client.get("/", {"q": query}).context["results"]]
        assert titles == ["Enterprise context"], query


class TestEveryKindOfIdentifier:
    """A paper known by any one kind of id has a page, reached from every form people paste."""

    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_the_url_a_paper_links_to_resolves(self, client, ids, canonical, pasted):
        paper = PaperFactory(**ids)
        assert paper.identifier == canonical
        response = client.get(paper.get_absolute_url())
        assert response.status_code == 200
        assert response.context["paper"] == paper

    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_pasted_forms_redirect_to_the_canonical_url(self, client, ids, canonical, pasted):
        paper = PaperFactory(**ids)
        for text in pasted:
            response = client.get(reverse("hubs:paper-detail", args=[text]))
            assert response.status_code == 301, text
            assert response["Location"] == paper.get_absolute_url(), text

    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_typed_in_the_search_box_an_identifier_opens_the_paper(
        self, client, ids, canonical, pasted
    ):
        paper = PaperFactory(**ids)
        for text in [canonical, *pasted]:
            response = client.get("/", {"q": f" {text} "})
            assert response.status_code == 302, text
            assert response["Location"] == paper.get_absolute_url(), text

    def test_an_identifier_of_no_paper_in_the_site_is_searched_as_words(self, client, db):
        response = client.get("/", {"q": "CorpusId:1"})
        assert response.status_code == 200
        assert response.context["results"] == []

    def test_the_sitemap_lists_only_urls_that_resolve(self, client, db):
        hub_with_citing_papers(3, slug="hub")
        for case in ID_CASES:
            PaperFactory(**case.values[0])
        body = client.get("/sitemap-papers.xml").content.decode()
        urls = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", body)
        assert len(urls) == 4 + len(ID_CASES)
        for url in urls:
            assert client.get(html.unescape(url)).status_code == 200, url

    @pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
    def test_the_page_shows_the_id_linked_to_its_source(self, client, ids, canonical, pasted):
        paper = PaperFactory(**ids)
        response = client.get(paper.get_absolute_url())
        (paper_id,) = paper.external_ids
        assert f'href="{html.escape(paper_id.link)}"' in response.content.decode()
        assert f"{paper_id.label} {canonical}" in page_text(response)


class TestClassifierPage:
    def test_shows_scores_confusion_reliability_thresholds_and_curators_answers(
        self, client, fake_classifier, curator, settings
    ):
        settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {"supporting": 0.95, "contrasting": 0.7}
        citation = CitationFactory(suggested_role="uses_method", suggested_polarity="neutral")
        services.citation_classify(
            citation=citation, role="uses_method", polarity="contrasting", by=curator
        )
        response = client.get(reverse("hubs:classifier"))
        text = page_text(response)
        assert "macro-F1 0.851" in text
        assert "train examples role 11000, polarity 7000" in text
        assert "scicite/train.jsonl sha256 abababababab…" in text
        assert "athar : p → supporting; o → neutral; n → contrasting" in text
        assert "Confusion matrix: dev · role" in text
        assert "background 8 2" in text  # the true-background row
        assert "0.80–1.00 9 0.889 0.860" in text  # a reliability bin
        assert "polarity: supporting 0.95" in text and "polarity: contrasting 0.70" in text
        assert "role: uses method 0.80" in text
        assert "role model 1 0 100%" in text  # confirmed
        assert "polarity model 0 1 0%" in text  # overridden

    def test_without_a_model_it_says_so(self, client, no_classifier):
        text = page_text(client.get(reverse("hubs:classifier")))
        assert "The classifier model is not installed on this site" in text

    def test_query_count_is_flat(self, client, fake_classifier, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            assert client.get(reverse("hubs:classifier")).status_code == 200
