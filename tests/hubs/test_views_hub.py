"""The public hub page: every seed section, numbers from the database, the explorer."""

import datetime
import io
import json
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from hubs.models import Citation, Paper
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    counts_follow,
    hub_with_citing_papers,
)
from tests.queries import measure_get, queries_for

pytestmark = pytest.mark.django_db

# "Showing 1–25 of 36 citing papers", "Showing 1–24 of 24 matching (36 citing in all)",
# "No citing paper matches these filters (36 citing in all)".
SHOWING = re.compile(
    r"Showing (?P<first>\d+)–(?P<last>\d+) of (?P<matching>\d+) "
    r"(?:citing papers?|matching \((?P<total>\d+) citing in all\))"
    r"|No citing paper matches these filters \((?P<none_of>\d+) citing in all\)"
)


def page_text(response) -> str:
    """What a reader sees in <main>: no tags, whitespace collapsed."""
    main = re.search(r"<main\b.*?</main>", response.content.decode(), flags=re.S)[0]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).replace(" .", ".")


def shown(response) -> tuple[int, int, int, int]:
    """(first row, last row, matching, citing in all) as the explorer states them."""
    match = SHOWING.search(page_text(response))
    if match["none_of"]:
        return 0, 0, 0, int(match["none_of"])
    total = match["total"] or match["matching"]
    return int(match["first"]), int(match["last"]), int(match["matching"]), int(total)


def showing(response) -> tuple[int, int]:
    """(matching, citing in all)."""
    return shown(response)[2:]


def test_every_seed_section_on_the_page_evidence_first(client, demo):
    """Every section of the seed page is here (DESIGN: "The hub page, section by section");
    the summaries (as charts), the representatives and the explorer come before the tools,
    and the years, roles and polarities are the explorer's facets rather than a second copy
    of the summaries' counts (issue 13)."""
    text = page_text(client.get(demo.get_absolute_url()))
    sections = [
        "Hub · Canonical reference",
        "A Survey of Reinforcement Learning for Large Reasoning Models",
        "Canonical reference. 100% of the citing papers with a classified role cite this "
        "work as background (6 of 36 have a classified role); 6 of 36 have a classified "
        "polarity, 100% neutral.",
        "36 papers citing it",
        "Background 100% of citations with a classified role",
        "Abstract",
        "Citation-role summary",
        "Citation-polarity summary",
        "Citing papers per month",
        "Representative citing papers",
        "Citing papers explorer",
        "Showing 1–25 of 36 citing papers.",
        "Roles",
        "Polarities",
        "Years",
        "Hub tools",
    ]
    position = 0
    for section in sections:  # each one, after the one before
        found = text.find(section, position)
        assert found != -1, f"{section!r} missing or out of order"
        position = found + len(section)


def test_role_polarity_and_year_counts_are_shown_once(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    # Each count that filters the explorer is a facet: no second list of the same links.
    assert content.count('href="?role=background#explorer"') == 1
    assert content.count('href="?polarity=neutral#explorer"') == 1


def test_polarity_summary_shows_polarities_never_roles(client, demo):
    response = client.get(demo.get_absolute_url())
    polarity_values = [item.value for item in response.context["summary"].polarities]
    assert polarity_values == ["supporting", "neutral", "contrasting"]
    text = page_text(response)
    polarity_section = text[
        text.find("Citation-polarity summary") : text.find("Citing papers per month")
    ]
    assert "neutral 6 (100%)" in polarity_section
    assert "background" not in polarity_section


def test_representatives_show_seed_facts(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    section = text[text.find("Representative citing papers") : text.find("Citing papers explorer")]
    assert section.index("Beyond Mode Collapse") < section.index("Agentic Reasoning for Large")
    assert "cs.LG 2026-05-12 unverdicted novelty 6.0 2 refs" in section
    assert "novelty 4.0" in section


def test_unreviewed_papers_show_no_empty_novelty(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    assert not re.search(r"(?<!highest )novelty (?!\d)", text)


def test_long_bylines_fold(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    assert "Pengfei Li and 29 more" in text


def test_year_filter_shows_24_of_36(client, demo):
    response = client.get(demo.get_absolute_url(), {"year": "2025"})
    assert showing(response) == (24, 36)
    assert "Showing 1–24 of 24 matching (36 citing in all)." in page_text(response)


def test_explorer_says_which_rows_it_shows_page_by_page(client):
    hub = hub_with_citing_papers(36)
    first = client.get(hub.get_absolute_url())
    assert "Showing 1–25 of 36 citing papers." in page_text(first)
    cursor = first.context["explorer"].page.next_cursor
    second = client.get(hub.get_absolute_url(), {"cursor": cursor})
    assert "Showing 26–36 of 36 citing papers." in page_text(second)
    cursor = second.context["explorer"].page.previous_cursor
    back = client.get(hub.get_absolute_url(), {"cursor": cursor})
    assert "Showing 1–25 of 36 citing papers." in page_text(back)
    rows = [[row.pk for row in r.context["explorer"].page.rows] for r in (first, back)]
    assert rows[0] == rows[1]


def test_filtered_explorer_pages_count_the_matching_rows(client):
    hub = hub_with_citing_papers(90)  # 30 citing papers a year
    params = {"year": "2024", "sort": "refs"}
    first = client.get(hub.get_absolute_url(), params)
    assert shown(first) == (1, 25, 30, 90)
    cursor = first.context["explorer"].page.next_cursor
    assert shown(client.get(hub.get_absolute_url(), {**params, "cursor": cursor})) == (
        26,
        30,
        30,
        90,
    )
    empty = client.get(hub.get_absolute_url(), {"year": "1999"})
    assert shown(empty) == (0, 0, 0, 90)


# The active value's link removes its filter, so it is left out: every other count is a link.
FACET_LINK = re.compile(r'<a href="([^"]*)#explorer">[^<]*<span class="count">(\d+)</span>')
# The summaries' links: a bare number ("30 without a classified role", a year's count).
BAR_LINK = re.compile(r'<a href="([^"]*)#explorer">(\d+)</a>')


@pytest.mark.parametrize(
    "params", [{}, {"year": "2026"}, {"category": "cs.LG", "verdict": "unverdicted"}]
)
def test_every_count_equals_what_its_link_shows(client, demo, params):
    """Follow each count's real link, from an unfiltered and from a filtered page."""
    content = client.get(demo.get_absolute_url(), params).content.decode()
    links = FACET_LINK.findall(content) + BAR_LINK.findall(content)
    assert len(links) > 10
    for href, count in links:
        linked = client.get(demo.get_absolute_url() + unescape(href))
        assert showing(linked)[0] == int(count), href


def test_summary_counts_link_to_the_explorer(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    assert 'href="?role=unclassified#explorer">30</a>' in content
    assert 'href="?polarity=unclassified#explorer">30</a>' in content
    assert 'href="?year=2025#explorer">2025 <span class="count">24</span>' in content


def test_facets_count_under_the_other_filters(client, demo):
    response = client.get(demo.get_absolute_url(), {"year": "2026"})
    verdicts = {item.value: item.count for item in _facet(response, "verdict").values}
    assert verdicts == {"unverdicted": 9, "conditional": 3}
    # The year facet ignores its own filter, so every year stays reachable.
    years = {item.value: item.count for item in _facet(response, "year").values}
    assert years == {"2026": 12, "2025": 24}


def _facet(response, name):
    return next(facet for facet in response.context["explorer"].facets if facet.name == name)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "background"}, 6),
        ({"role": "unclassified"}, 30),
        ({"polarity": "unclassified", "year": "2025"}, 18),
        ({"polarity": "neutral"}, 6),
        ({"polarity": "supporting"}, 0),
        ({"verdict": "conditional"}, 3),
        ({"verdict": "unverdicted"}, 33),
        ({"category": "cs.CV"}, 8),
        ({"category": "unknown"}, 2),
        ({"q": "entropy"}, 3),
        ({"q": "Jaewoo Kang"}, 1),
        ({"year": "2025", "category": "cs.LG"}, 9),
    ],
)
def test_explorer_filters(client, demo, params, expected):
    assert showing(client.get(demo.get_absolute_url(), params)) == (expected, 36)


def _sort_keys(response, sort):
    rows = response.context["explorer"].page.rows
    if sort in ("newest", "oldest"):
        return [row.citing.sort_date for row in rows]
    if sort == "novelty":
        review = [getattr(row.citing, "review", None) for row in rows]
        return [r.novelty if r and r.novelty is not None else -1 for r in review]
    return [row.refs for row in rows]


@pytest.mark.parametrize("sort", ["newest", "oldest", "novelty", "refs"])
def test_explorer_sorts(client, demo, sort):
    keys = _sort_keys(client.get(demo.get_absolute_url(), {"sort": sort}), sort)
    assert keys == sorted(keys, reverse=sort != "oldest")
    assert len(keys) == 25


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "20x5"}, "Enter a year such as 2025"),
        ({"role": "praises"}, "Select a valid choice"),
        ({"sort": "random"}, "Unknown sort “random”"),
        ({"cursor": "not-a-cursor"}, "This page link is malformed or out of date."),
    ],
)
def test_bad_explorer_input_is_a_400_with_a_message(client, demo, params, message):
    response = client.get(demo.get_absolute_url(), params)
    assert response.status_code == 400
    assert message in page_text(response)


def test_export_of_an_unknown_sort_is_a_400(client, demo):
    response = client.get(f"/hubs/{demo.slug}/citing.csv", {"sort": "bogus"})
    assert response.status_code == 400
    assert "Unknown sort “bogus”" in response.content.decode()


def test_paging_walks_the_whole_explorer(client):
    hub = hub_with_citing_papers(60)
    seen, ranges, params = [], [], {"sort": "oldest"}
    while True:
        response = client.get(hub.get_absolute_url(), params)
        page = response.context["explorer"].page
        seen += [row.pk for row in page.rows]
        ranges.append(shown(response)[:2])
        if not page.next_cursor:
            break
        assert 'rel="next"' in response.content.decode()
        params = {"sort": "oldest", "cursor": page.next_cursor}
    assert len(seen) == len(set(seen)) == 60
    assert ranges == [(1, 25), (26, 50), (51, 60)]
    back = client.get(hub.get_absolute_url(), {"sort": "oldest", "cursor": page.previous_cursor})
    assert shown(back)[:2] == (26, 50)


def test_unpublished_hub_is_404_except_to_curators(client, reader, curator):
    hub = HubFactory(is_published=False)
    assert client.get(hub.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(hub.get_absolute_url()).status_code == 404
    client.force_login(curator)
    response = client.get(hub.get_absolute_url())
    assert response.status_code == 200
    assert "draft, visible to curators only" in page_text(response)


def test_html_in_titles_abstracts_and_summaries_is_shown_as_text(client):
    hub = HubFactory(
        paper=PaperFactory(
            title="<script>alert(1)</script>", abstract="<img src=x onerror=alert(2)>"
        )
    )
    citing = PaperFactory(title="<b>bold</b> claim")
    CitationFactory(citing=citing, cited=hub.paper)
    from hubs.services import review_set

    review_set(paper=citing, novelty="5.0", summary="<iframe src=evil>", by=None)
    content = client.get(hub.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<img src=x" not in content
    assert "<b>bold</b>" not in content
    assert "<iframe" not in content
    # JSON-LD escapes < and > too, so a title cannot close the script element.
    assert "\\u003Cscript\\u003E" in content


def test_seo_metadata(client, demo):
    content = client.get(demo.get_absolute_url(), {"year": "2025"}).content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/hubs/rl-for-large-reasoning-models/">'
        in content
    )
    assert '<meta property="og:title" content="A Survey of Reinforcement Learning' in content
    assert '<meta name="description" content="Who cites' in content
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)[1]
    )
    assert data["@type"] == "ScholarlyArticle"
    assert data["interactionStatistic"]["userInteractionCount"] == 36
    assert {"propertyID": "arXiv", "value": "2509.08827", "@type": "PropertyValue"} in data[
        "identifier"
    ]


class TestQueryCounts:
    """The hub page's query count does not grow with the hub or the page number."""

    def test_flat_in_hub_size_and_page_depth(self, client):
        small = hub_with_citing_papers(30, slug="small")
        big = hub_with_citing_papers(520, slug="big")
        small_count = queries_for(client, small.get_absolute_url())
        measured = measure_get(client, big.get_absolute_url())
        big_count = measured.queries
        for _ in range(10):  # ten pages deep
            cursor = measured.response.context["explorer"].page.next_cursor
            measured = measure_get(client, big.get_absolute_url(), {"cursor": cursor})
        deep_count = measured.queries
        filtered_count = queries_for(
            client, big.get_absolute_url(), {"year": "2024", "role": "background", "q": "paper"}
        )
        assert small_count == big_count == deep_count == filtered_count
        assert big_count <= 8


def test_cite_this_hub_snippet(client, demo):
    text = page_text(client.get(demo.get_absolute_url()))
    assert "@misc{pithsite_2509_08827," in text
    assert "url = {http://testserver/hubs/rl-for-large-reasoning-models/}" in text
    assert "eprint = {2509.08827}" in text  # the paper's own entry, beside it


def test_no_template_syntax_leaks_into_the_page(client, demo):
    content = client.get(demo.get_absolute_url(), {"year": "2026"}).content.decode()
    # ("{{" is legitimate here: BibTeX titles are double-braced.)
    assert "{#" not in content
    assert "{%" not in content


def test_shares_add_up_when_a_citation_has_a_role_but_no_polarity(client, demo):
    from hubs.services import citation_classify

    citation = demo.paper.citations.filter(role="").first()
    citation_classify(citation=citation, role="uses_method", by=None)
    summary = client.get(demo.get_absolute_url()).context["summary"]
    assert (summary.classified_count, summary.role_classified_count) == (7, 7)
    assert summary.polarity_classified_count == 6
    assert sum(role.count for role in summary.roles) == 7
    assert sum(polarity.count for polarity in summary.polarities) == 6
    assert round(sum(polarity.share for polarity in summary.polarities), 6) == 1
    assert "(7 of 36 have a classified role); 6 of 36 have a classified polarity" in (
        summary.status_sentence
    )


@pytest.mark.parametrize("name", ["role", "polarity", "year", "category", "verdict"])
def test_each_facet_accounts_for_every_citing_paper(client, demo, name):
    facets = client.get(demo.get_absolute_url()).context["explorer"].facets
    facet = next(f for f in facets if f.name == name)
    assert sum(item.count for item in facet.values) == 36


def _suggest(demo, arxiv_id: str, **fields):
    Citation.objects.filter(cited=demo.paper, citing__arxiv_id=arxiv_id).update(
        suggestion_version="v7", **fields
    )
    counts_follow(cited_ids=[demo.paper_id])  # written around the services: recount


def test_a_low_confidence_suggestion_counts_as_unclassified(client, demo, settings):
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
    _suggest(
        demo,
        "2605.09640",
        suggested_role="uses_method",
        suggested_role_source="model",
        suggested_role_confidence=0.5,
    )
    assert showing(client.get(demo.get_absolute_url(), {"role": "uses_method"}))[0] == 0
    assert showing(client.get(demo.get_absolute_url(), {"role": "unclassified"}))[0] == 30


def test_thresholds_change_what_public_pages_count(client, demo, settings):
    """A polarity suggestion at 0.9 counts for "contrasting" (threshold 0.7) and not for
    "supporting" (0.95); lowering "supporting" to 0.85 makes it count, on the page's
    status sentence, its facets and filter, and in the API."""
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
    settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {"supporting": 0.95, "contrasting": 0.7}
    unlabelled = list(
        Citation.objects.of_paper(demo.paper).filter(role="", polarity="").order_by("pk")
    )
    for citation, polarity in zip(unlabelled, ["supporting"] * 3 + ["contrasting"], strict=False):
        _suggest(
            demo,
            citation.citing.arxiv_id,
            suggested_polarity=polarity,
            suggested_polarity_source="model",
            suggested_polarity_confidence=0.9,
        )

    def counted():
        page = client.get(demo.get_absolute_url(), {"polarity": "supporting"})
        api = client.get(reverse("api:hub-detail", args=[demo.slug])).json()["status"]
        return showing(page)[0], api["polarity_suggested_count"], page_text(page)

    supporting, suggested, text = counted()
    assert (supporting, suggested) == (0, 1)
    assert "7 of 36 classified: 6 by curators, 1 suggested." in text
    settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {"supporting": 0.85, "contrasting": 0.7}
    call_command("rebuild_hub_counts", stdout=io.StringIO())  # what a threshold change needs
    supporting, suggested, text = counted()
    assert (supporting, suggested) == (3, 4)
    assert "10 of 36 classified: 6 by curators, 4 suggested." in text


def test_suggested_labels_are_marked_with_confidence_and_version(client, demo, settings):
    settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {}
    _suggest(
        demo,
        "2605.09640",
        suggested_role="uses_method",
        suggested_role_source="model",
        suggested_role_confidence=0.93,
    )
    text = page_text(client.get(demo.get_absolute_url(), {"role": "uses_method"}))
    assert "uses method suggested by a model (version v7, confidence 0.93)" in text


# The status sentence says what is classified, whichever labels are set: on the page and
# in the API alike (HubSummary.status_sentence).
STATUS_CASES = {
    "neither": (
        [("", "")] * 4,
        "Canonical reference. None of its 4 citing papers is classified yet.",
    ),
    "curated and suggested": (
        [("background", ""), ("", "neutral"), ("suggested background", ""), ("", "")],
        "Canonical reference. 100% of the citing papers with a classified role cite this "
        "work as background (2 of 4 have a classified role); 1 of 4 has a classified "
        "polarity, 100% neutral. 3 of 4 classified: 2 by curators, 1 suggested.",
    ),
    "role only": (
        [("background", ""), ("background", ""), ("builds_on", ""), ("", "")],
        "Canonical reference. 67% of the citing papers with a classified role cite this "
        "work as background (3 of 4 have a classified role); no citing paper has a "
        "classified polarity yet. 3 of 4 classified: 3 by curators, 0 suggested.",
    ),
    "polarity only": (
        [("", "neutral")] * 3 + [("", "supporting")],
        "Canonical reference. No citing paper has a classified role yet; 4 of 4 have a "
        "classified polarity, 75% neutral. 4 of 4 classified: 4 by curators, 0 suggested.",
    ),
    "both": (
        [("background", "neutral"), ("builds_on", "neutral"), ("background", ""), ("", "")],
        "Canonical reference. 67% of the citing papers with a classified role cite this "
        "work as background (3 of 4 have a classified role); 2 of 4 have a classified "
        "polarity, 100% neutral. 3 of 4 classified: 3 by curators, 0 suggested.",
    ),
}


@pytest.mark.parametrize("case", STATUS_CASES)
def test_status_sentence_says_what_is_classified(client, case):
    labels, sentence = STATUS_CASES[case]
    hub = HubFactory()
    for role, polarity in labels:  # a curator's label where either is set (the factory)
        if role.startswith("suggested "):
            CitationFactory(cited=hub.paper, suggested_role=role.split()[1], confidence=0.99)
        else:
            CitationFactory(cited=hub.paper, role=role, polarity=polarity)
    page = page_text(client.get(hub.get_absolute_url()))
    api = client.get(reverse("api:hub-detail", args=[hub.slug])).json()
    assert sentence in page
    assert api["status"]["sentence"] == sentence


def test_a_row_shows_its_first_citing_sentence_with_the_mention_marked(client):
    hub = HubFactory(paper=PaperFactory(authors=["Kaiyan Zhang"], year=2025))
    citation = CitationFactory(cited=hub.paper)
    CitationContextFactory(
        citation=citation,
        text="RL <b>shapes</b> reasoning (Guo et al., 2025; Zhang et al., 2025b).",
        section="1 Introduction",
        position=0,
    )
    CitationContextFactory(citation=citation, text="Again.", position=1)
    CitationContextFactory(citation=citation, text="And again.", position=2)
    content = client.get(hub.get_absolute_url()).content.decode()
    assert (
        "RL &lt;b&gt;shapes&lt;/b&gt; reasoning (Guo et al., 2025; "
        "<mark>Zhang et al., 2025b</mark>)."
    ) in content
    assert "1 Introduction" in content
    assert f'<a href="{citation.get_absolute_url()}">2 more citing sentences</a>' in content
    assert "Again." not in content


def test_the_charts_and_their_tables(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    # A young hub (demo: September 2025) is counted per month; each chart has its table.
    assert '<svg class="column-chart" role="img"' in content
    assert '<title id="timeline-title">Citing papers per month</title>' in content
    assert content.count('<details class="chart-table">') == 3
    text = page_text(client.get(demo.get_absolute_url()))
    assert (
        "Role Supporting Neutral Contrasting Unclassified All Share background 0 6 0 0 6 100%"
        in (text)
    )
    assert "Month Citing papers Mar 2025 1 Apr 2025 0" in text


def test_an_older_hubs_chart_is_per_year_and_its_table_links_each_year(client):
    hub = hub_with_citing_papers(9)
    Paper.objects.filter(pk=hub.paper_id).update(year=2015, sort_date=datetime.date(2015, 1, 1))
    content = client.get(hub.get_absolute_url()).content.decode()
    assert "Citing papers per year" in content
    assert 'href="?year=2024#explorer">3</a>' in content


def test_year_and_category_are_selects_of_the_hubs_values_with_counts(client, demo):
    content = client.get(demo.get_absolute_url(), {"role": "background"}).content.decode()
    year = re.search(r'<select name="year".*?</select>', content, re.S)[0]
    assert '<option value="2025">2025 (' in year
    category = re.search(r'<select name="category".*?</select>', content, re.S)[0]
    assert '<option value="cs.CV">cs.CV (' in category
    assert '<input type="text" name="year"' not in content
    assert '<input type="text" name="category"' not in content


def test_the_filters_are_folded_away_from_the_results(client, demo):
    content = client.get(demo.get_absolute_url()).content.decode()
    explorer = content[content.index('id="explorer"') :]
    folded = explorer[explorer.index('<details class="refine">') : explorer.index("</details>")]
    assert '<form class="filters"' in folded
    assert 'class="facets"' in folded
    assert 'class="results"' not in folded
    # With an error the filters open, so the field in question is in sight.
    bad = client.get(demo.get_absolute_url(), {"year": "20x5"}).content.decode()
    assert '<details class="refine" open>' in bad


def test_a_hub_nobody_cites_yet_draws_empty_charts(client):
    hub = HubFactory()
    response = client.get(hub.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "No dated citing paper yet." in text
    assert "0 of 0 with a classified role, by polarity." in text
    assert "No paper cites it yet." in text
