"""`import_papers --format openalex`: works, their ids, and citations between known works."""

import datetime
import json

import pytest

from hubs.models import Citation, Paper
from tests.factories import HubFactory, PaperFactory
from tests.hubs.importers.conftest import FIXTURES
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db

WORKS = FIXTURES / "openalex-works.jsonl"


def test_imports_works_with_their_ids_and_metadata(import_papers):
    import_papers(WORKS, format="openalex")
    attention = Paper.objects.get(openalex_id="W2963403868")
    # arXiv's own DOI is the arXiv id in disguise: it becomes the arXiv id.
    assert (attention.arxiv_id, attention.doi) == ("1706.03762", None)
    assert attention.title == "Attention Is All You Need"
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"]
    assert attention.abstract == "The dominant sequence transduction models are based"
    assert attention.primary_category == "cs.AI"
    assert (attention.submitted, attention.year, attention.month) == (
        datetime.date(2017, 6, 12),
        2017,
        6,
    )
    lstm = Paper.objects.get(doi="10.1162/neco.1997.9.8.1735")
    assert lstm.authors == ["Sepp Hochreiter", "Jürgen Schmidhuber"]


def test_a_subject_with_no_arxiv_category_leaves_the_category_empty(import_papers):
    import_papers(WORKS, format="openalex")
    lstm = Paper.objects.get(openalex_id="W2064675550")
    assert (lstm.primary_category, lstm.categories) == ("", [])


def test_unicode_survives(import_papers):
    import_papers(WORKS, format="openalex")
    paper = Paper.objects.get(openalex_id="W3000000001")
    assert paper.title == "Über die Vollständigkeit — 注意機構の研究"
    assert paper.authors == ["Zoë Núñez"]
    assert paper.doi == "10.5555/unicode.2020"
    assert paper.primary_category == "cs.LG"


def test_citations_only_between_works_the_site_has(import_papers):
    output = import_papers(WORKS, format="openalex")
    pairs = set(Citation.objects.values_list("citing__openalex_id", "cited__openalex_id"))
    assert pairs == {
        ("W2963403868", "W2064675550"),
        ("W3000000001", "W2963403868"),
        ("W3000000001", "W2064675550"),
    }
    assert "skipped citations: cited paper not in the site: 1" in output


def test_bad_lines_are_reported_with_file_line_and_reason(import_papers):
    output = import_papers(WORKS, format="openalex")
    assert f"{WORKS}:3: broken JSON" in output
    assert f"{WORKS}:4: no usable identifier" in output
    assert f"{WORKS}:1: a paper cannot cite itself" in output
    assert "3 bad record(s)" in output


def test_a_duplicate_line_is_the_same_paper(import_papers):
    import_papers(WORKS, format="openalex")
    assert Paper.objects.filter(openalex_id="W2064675550").count() == 1
    assert Paper.objects.count() == 3


def test_second_import_changes_nothing(import_papers):
    import_papers(WORKS, format="openalex")
    first = snapshot()
    output = import_papers(WORKS, format="openalex")
    assert snapshot() == first
    assert "papers              0          0          4          0" in output


def test_a_ten_megabyte_line_imports(import_papers, tmp_path):
    # A real shape for a huge line: a collaboration paper with a hundred thousand authors.
    work = {
        "id": "https://openalex.org/W4000000001",
        "doi": "https://doi.org/10.5555/huge.collaboration",
        "title": "A measurement by a very large collaboration",
        "authorships": [
            {"author": {"display_name": f"Collaborator Number {n} of the Large Experiment"}}
            for n in range(100_000)
        ],
        "abstract_inverted_index": {f"word{n}": [n] for n in range(200_000)},
        "referenced_works": [],
    }
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(work) + "\n", encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    import_papers(path, format="openalex")
    paper = Paper.objects.get(openalex_id="W4000000001")
    assert len(paper.authors) == 100_000


def test_with_a_hub_only_its_citations_are_imported(import_papers):
    # The hub's paper is known by its arXiv id only; the file gives it its OpenAlex id.
    hub = HubFactory(paper=PaperFactory(arxiv_id="1706.03762", title="Attention"))
    output = import_papers(WORKS, format="openalex", hub=hub.slug)
    assert list(hub.paper.citations.values_list("citing__openalex_id", flat=True)) == [
        "W3000000001"
    ]
    assert Citation.objects.count() == 1
    assert "skipped citations: does not cite the hub's paper: 3" in output
