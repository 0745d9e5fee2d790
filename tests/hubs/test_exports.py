"""Downloads of a hub's citing list: whole list, current filters, four formats, streamed."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from hubs.exports import CSV_COLUMNS, bibtex_entry, bibtex_escape
from hubs.vocab import Polarity, Role, Verdict
from tests.factories import (
    CitationContextFactory,
    CitationFactory,
    HubFactory,
    PaperFactory,
    ReviewFactory,
    hub_with_citing_papers,
)

pytestmark = pytest.mark.django_db


def download(client, hub, fmt, **params):
    response = client.get(reverse("hubs:hub-export", args=[hub.slug, fmt]), params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode(), response


def test_csv_has_every_citing_paper(client, demo):
    body, response = download(client, demo, "csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 36
    assert response["Content-Disposition"] == (
        'attachment; filename="rl-for-large-reasoning-models-citing.csv"'
    )
    flawed = next(row for row in rows if row["arxiv_id"] == "2510.00938")
    assert (flawed["role"], flawed["polarity"], flawed["date"]) == (
        "background",
        "neutral",
        "2025-10-01",
    )
    assert flawed["authors"].startswith("ShengYun Peng; Eric Smith")


def test_exports_honour_the_explorer_filters(client, demo):
    body, _ = download(client, demo, "csv", year="2025", category="cs.CV")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(
        row["primary_category"] == "cs.CV" and row["date"].startswith("2025") for row in rows
    )
    explorer = client.get(demo.get_absolute_url(), {"year": "2025", "category": "cs.CV"})
    assert len(rows) == explorer.context["explorer"].matching


def test_json_export(client, demo):
    body, response = download(client, demo, "json", verdict="conditional")
    data = json.loads(body)
    assert response["Content-Type"] == "application/json"
    assert data["hub"] == "rl-for-large-reasoning-models"
    assert sorted(paper["arxiv_id"] for paper in data["citing_papers"]) == [
        "2603.12554",
        "2605.09640",
        "2605.19282",
    ]


def test_bibtex_export(client, demo):
    body, _ = download(client, demo, "bibtex")
    assert body.count("@misc{") == 36
    assert "eprint = {2510.00938}" in body
    assert "archivePrefix = {arXiv}" in body


def test_ris_export(client, demo):
    body, _ = download(client, demo, "ris")
    assert body.count("ER  - ") == 36
    assert "TI  - Large Reasoning Models Learn Better Alignment from Flawed Thinking" in body


def test_export_has_no_cap(client):
    hub = hub_with_citing_papers(1200)
    body, _ = download(client, hub, "csv")
    assert len(body.strip().splitlines()) == 1201


def test_bad_filter_is_a_400(client, demo):
    response = client.get(reverse("hubs:hub-export", args=[demo.slug, "csv"]), {"year": "soon"})
    assert response.status_code == 400
    assert "year" in response.content.decode()


def test_unknown_format_is_404(client, demo):
    assert client.get(reverse("hubs:hub-export", args=[demo.slug, "docx"])).status_code == 404


def test_draft_hub_exports_are_404(client):
    hub = HubFactory(is_published=False)
    assert client.get(reverse("hubs:hub-export", args=[hub.slug, "csv"])).status_code == 404


def test_bibtex_escapes_special_characters():
    assert bibtex_escape("50% of {R&D}_x") == r"50\% of \{R\&D\}\_x"
    entry = bibtex_entry(PaperFactory(title="Cost & benefit", arxiv_id="2501.00001"))
    assert entry.startswith("@misc{2501_00001,")
    assert r"title = {{Cost \& benefit}}" in entry


def test_suggestions_are_exported_as_such_and_only_at_their_threshold(client, demo, settings):
    from hubs.models import Citation

    settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {}
    suggested = {
        "suggested_role_source": "model",
        "suggested_polarity_source": "model",
        "suggestion_version": "v7",
    }
    Citation.objects.filter(citing__arxiv_id="2605.09640").update(
        suggested_role="uses_method", suggested_role_confidence=0.64,
        suggested_polarity="neutral", suggested_polarity_confidence=0.91, **suggested,
    )  # fmt: skip
    body, _ = download(client, demo, "csv")
    rows = {r["arxiv_id"]: r for r in csv.DictReader(io.StringIO(body))}
    row = rows["2605.09640"]
    # The role's suggestion is below its threshold: public exports leave it out.
    assert (row["role"], row["role_status"], row["role_confidence"]) == ("", "", "")
    assert (row["polarity"], row["polarity_status"], row["polarity_confidence"]) == (
        "neutral",
        "suggested",
        "0.91",
    )
    assert (row["model_version"], row["classified"]) == ("v7", "True")
    curated = rows["2510.00938"]
    assert (curated["classified"], curated["role_status"]) == ("True", "curated")


# Content: what a reference manager reads from each format, field by field.


@pytest.fixture
def small_hub():
    """Three citing papers: an arXiv paper whose title and authors need escaping, a
    DOI-only journal paper with a reviewed verdict, and a curator-labelled one."""
    hub = HubFactory(slug="special")
    tricky = PaperFactory(
        arxiv_id="2501.00007",
        title="Braces {x} & 50% of R&D_y: $5 #1 ~ ^ \\ — café",
        authors=["José Núñez", "Zoë Ångström"],
        abstract="First line.\nSecond line.",
        submitted=datetime.date(2025, 1, 7),
        sort_date=datetime.date(2025, 1, 7),
    )
    journal = PaperFactory(
        arxiv_id=None,
        doi="10.1007/978-3-030-58452-8_13",
        title="A journal paper",
        authors=["Grace Hopper"],
        year=2020,
        month=None,
        submitted=None,
        sort_date=datetime.date(2020, 1, 1),
        primary_category="",
    )
    labelled = PaperFactory(arxiv_id="2412.00003", title="Labelled", authors=["Ada Lovelace"])
    CitationFactory(cited=hub.paper, citing=tricky, refs=3)
    CitationFactory(cited=hub.paper, citing=journal)
    CitationFactory(
        cited=hub.paper, citing=labelled, role=Role.BUILDS_ON, polarity=Polarity.SUPPORTING
    )
    ReviewFactory(paper=journal, verdict=Verdict.ACCEPT, novelty=Decimal("7.5"))
    return hub


def bibtex_fields(entry: str) -> dict[str, str]:
    """The fields of one @misc entry as written (one `name = {value}` per line)."""
    return dict(re.findall(r"^  (\w+) = \{(.*)\},?$", entry, flags=re.M))


def bibtex_entries(body: str) -> list[str]:
    return [entry for entry in re.split(r"\n(?=@)", body.strip()) if entry]


def balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


class TestBibtexContent:
    def test_one_balanced_entry_per_citing_paper_with_its_fields(self, client, small_hub):
        body, response = download(client, small_hub, "bibtex")
        assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
        entries = bibtex_entries(body)
        assert len(entries) == 3
        assert all(entry.startswith("@misc{") and balanced(entry) for entry in entries)
        by_key = {re.match(r"@misc\{([^,]+),", entry)[1]: entry for entry in entries}
        assert set(by_key) == {"2501_00007", "10_1007_978_3_030_58452_8_13", "2412_00003"}
        tricky = bibtex_fields(by_key["2501_00007"])
        assert tricky["author"] == "José Núñez and Zoë Ångström"  # UTF-8, as biber reads it
        assert (tricky["year"], tricky["month"]) == ("2025", "1")
        assert (tricky["eprint"], tricky["archivePrefix"]) == ("2501.00007", "arXiv")
        assert tricky["primaryClass"] == "cs.LG"
        assert tricky["url"] == "https://arxiv.org/abs/2501.00007"
        assert "doi" not in tricky
        journal = bibtex_fields(by_key["10_1007_978_3_030_58452_8_13"])
        assert (journal["year"], journal["url"]) == (
            "2020",
            "https://doi.org/10.1007/978-3-030-58452-8_13",
        )
        assert "eprint" not in journal and "month" not in journal

    def test_special_characters_are_escaped_and_accents_kept(self, client, small_hub):
        body, _ = download(client, small_hub, "bibtex")
        entry = next(e for e in bibtex_entries(body) if "2501.00007" in e)
        assert bibtex_fields(entry)["title"] == (
            r"{Braces \{x\} \& 50\% of R\&D\_y: \$5 \#1 \textasciitilde{} "
            r"\textasciicircum{} \textbackslash{} — café}"
        )

    def test_the_doi_is_written_verbatim(self, client, small_hub):
        body, _ = download(client, small_hub, "bibtex")
        entry = next(e for e in bibtex_entries(body) if "A journal paper" in e)
        assert bibtex_fields(entry)["doi"] == "10.1007/978-3-030-58452-8_13"

    def test_filters_and_sort_apply(self, client, small_hub):
        body, _ = download(client, small_hub, "bibtex", role=Role.BUILDS_ON)
        assert [bibtex_fields(e)["title"] for e in bibtex_entries(body)] == ["{Labelled}"]
        body, _ = download(client, small_hub, "bibtex", sort="oldest")
        years = [int(bibtex_fields(e)["year"]) for e in bibtex_entries(body)]
        assert years == sorted(years)


def ris_records(body: str) -> list[list[tuple[str, str]]]:
    records, current = [], []
    for line in body.split("\r\n"):
        if not line:
            continue
        tag, _, value = line.partition("  - ")
        current.append((tag, value))
        if tag == "ER":
            records.append(current)
            current = []
    assert not current, "a record without ER"
    return records


class TestRisContent:
    def test_one_record_per_citing_paper_with_its_tags(self, client, small_hub):
        body, response = download(client, small_hub, "ris")
        assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
        assert "\n" not in body.replace("\r\n", "")  # RIS lines end in CRLF, nothing else
        records = ris_records(body)
        assert len(records) == 3
        assert all(record[0][0] == "TY" and record[-1] == ("ER", "") for record in records)
        by_title = {dict(record)["TI"]: record for record in records}
        tricky = by_title["Braces {x} & 50% of R&D_y: $5 #1 ~ ^ \\ — café"]
        assert dict(tricky)["TY"] == "UNPB"
        assert [value for tag, value in tricky if tag == "AU"] == ["José Núñez", "Zoë Ångström"]
        assert (dict(tricky)["PY"], dict(tricky)["DA"]) == ("2025", "2025/01/07")
        assert dict(tricky)["UR"] == "https://arxiv.org/abs/2501.00007"
        assert dict(tricky)["AB"] == "First line. Second line."  # one line per tag
        journal = dict(by_title["A journal paper"])
        assert (journal["TY"], journal["DO"]) == ("JOUR", "10.1007/978-3-030-58452-8_13")
        assert "DA" not in journal

    def test_filters_apply(self, client, small_hub):
        body, _ = download(client, small_hub, "ris", verdict=Verdict.ACCEPT)
        assert [dict(record)["TI"] for record in ris_records(body)] == ["A journal paper"]


class TestJsonContent:
    def test_one_record_per_citing_paper_with_every_column(self, client, small_hub):
        body, _ = download(client, small_hub, "json")
        data = json.loads(body)
        assert data["hub"] == "special"
        papers = {paper["title"]: paper for paper in data["citing_papers"]}
        assert len(data["citing_papers"]) == len(papers) == 3
        assert all(list(paper) == CSV_COLUMNS for paper in papers.values())
        tricky = papers["Braces {x} & 50% of R&D_y: $5 #1 ~ ^ \\ — café"]
        assert tricky["authors"] == ["José Núñez", "Zoë Ångström"]
        assert (tricky["arxiv_id"], tricky["date"], tricky["refs"]) == (
            "2501.00007",
            "2025-01-07",
            3,
        )
        assert (tricky["role"], tricky["polarity"], tricky["classified"]) == ("", "", False)
        assert (tricky["verdict"], tricky["novelty"]) == (Verdict.UNVERDICTED, None)
        journal = papers["A journal paper"]
        assert (journal["doi"], journal["verdict"], journal["novelty"]) == (
            "10.1007/978-3-030-58452-8_13",
            Verdict.ACCEPT,
            "7.5",
        )
        assert journal["url"] == "https://doi.org/10.1007/978-3-030-58452-8_13"
        labelled = papers["Labelled"]
        assert (labelled["role"], labelled["polarity"], labelled["classified"]) == (
            Role.BUILDS_ON,
            Polarity.SUPPORTING,
            True,
        )
        assert (labelled["role_status"], labelled["role_confidence"]) == ("curated", None)

    def test_filters_apply_and_an_empty_result_is_valid_json(self, client, small_hub):
        body, _ = download(client, small_hub, "json", role=Role.BUILDS_ON)
        assert [p["title"] for p in json.loads(body)["citing_papers"]] == ["Labelled"]
        body, _ = download(client, small_hub, "json", year="1999")
        assert json.loads(body) == {"hub": "special", "citing_papers": []}


class TestCsvContent:
    def test_header_and_quoting_round_trip(self, client, small_hub):
        body, _ = download(client, small_hub, "csv")
        reader = csv.DictReader(io.StringIO(body))
        assert reader.fieldnames == CSV_COLUMNS
        rows = {row["title"]: row for row in reader}
        assert len(rows) == 3
        tricky = rows["Braces {x} & 50% of R&D_y: $5 #1 ~ ^ \\ — café"]
        assert tricky["authors"] == "José Núñez; Zoë Ångström"
        assert rows["A journal paper"]["verdict"] == Verdict.ACCEPT


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_cells_that_start_like_a_formula_are_neutralised(client, start):
    hub = HubFactory()
    title = f'{start}HYPERLINK("http://evil.example","click")'
    CitationFactory(
        cited=hub.paper, citing=PaperFactory(title=title, authors=[f"{start}cmd|' /C calc'!A0"])
    )
    body, _ = download(client, hub, "csv")
    [row] = list(csv.DictReader(io.StringIO(body)))
    # A spreadsheet shows the apostrophe-led cell as text; the text itself is all there.
    assert row["title"] == "'" + title
    assert row["authors"] == f"'{start}cmd|' /C calc'!A0"


def test_csv_keeps_ordinary_values_as_they_are(client):
    hub = HubFactory()
    CitationFactory(cited=hub.paper, citing=PaperFactory(title="Plain – title = fine"))
    body, _ = download(client, hub, "csv")
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["title"] == "Plain – title = fine"


class TestContexts:
    """Each citing paper's contexts (the sentences that cite the hub) and their sections:
    a list of {text, section} in JSON; one cell in CSV, a context a line, each led by its
    section in square brackets."""

    @pytest.fixture
    def hub(self):
        hub = HubFactory()
        cited_twice = CitationFactory(cited=hub.paper, citing=PaperFactory(title="Twice"))
        # Written out of order: the exports follow `position`, not the order of writing.
        CitationContextFactory(
            citation=cited_twice, position=2, section="", text="Unlike\nthem, we do not."
        )
        CitationContextFactory(
            citation=cited_twice, position=1, section="Related Work", text="=They showed X."
        )
        CitationFactory(cited=hub.paper, citing=PaperFactory(title="Silent"))
        return hub

    def test_json_lists_each_context_with_its_section_in_order(self, client, hub):
        body, _ = download(client, hub, "json")
        papers = {paper["title"]: paper for paper in json.loads(body)["citing_papers"]}
        assert papers["Twice"]["contexts"] == [
            {"text": "=They showed X.", "section": "Related Work"},
            {"text": "Unlike\nthem, we do not.", "section": ""},
        ]
        assert papers["Silent"]["contexts"] == []

    def test_csv_has_them_in_one_cell_a_context_a_line(self, client, hub):
        body, _ = download(client, hub, "csv")
        rows = {row["title"]: row for row in csv.DictReader(io.StringIO(body))}
        # Led by its section, the first context does not start like a formula.
        assert rows["Twice"]["contexts"] == (
            "[Related Work] =They showed X.\nUnlike them, we do not."
        )
        assert rows["Silent"]["contexts"] == ""

    def test_a_context_that_starts_like_a_formula_is_neutralised(self, client):
        hub = HubFactory()
        citation = CitationFactory(cited=hub.paper)
        CitationContextFactory(citation=citation, section="", text="=1+1")
        body, _ = download(client, hub, "csv")
        [row] = list(csv.DictReader(io.StringIO(body)))
        assert row["contexts"] == "'=1+1"

    def test_the_api_export_carries_them_too(self, client, hub):
        response = client.get(f"/api/v1/hubs/{hub.slug}/citing-papers/export.json")
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        contexts = [paper["contexts"] for paper in json.loads(body)["citing_papers"]]
        assert sorted(len(found) for found in contexts) == [0, 2]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_is_the_same_few_queries_at_any_size(client, fmt):
    """Rows, labels, verdicts and contexts come in one query (no query per row or per
    chunk of rows), so the count does not grow with the hub."""
    from tests.queries import measure_get

    def queries(hub):
        return measure_get(client, reverse("hubs:hub-export", args=[hub.slug, fmt])).queries

    small, big = queries(hub_with_citing_papers(5)), queries(hub_with_citing_papers(520))
    # The hub, the rows; the rows' transaction (a savepoint inside a test's; on
    # PostgreSQL also its SET LOCAL).
    assert small == big <= 5
