"""HTML entities (`Nov&aacute;k`) in titles and names: decoded at import by the one text
clean-up every format uses, and repaired in rows stored before."""

import json

import pytest

from hubs import services
from hubs.importers.text import clean
from hubs.models import Paper
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Nov&aacute;k", "Novák"),
        ("Jos&eacute;  Mar&#x10D;ek", "José Marček"),
        ("Tom &amp; Jerry&rsquo;s\n  parser", "Tom & Jerry\u2019s parser"),
        ("AT&T and R&D stay", "AT&T and R&D stay"),
        (None, ""),
    ],
)
def test_clean_decodes_entities_and_folds_whitespace(raw, text):
    assert clean(raw) == text


ACL_METADATA = """id = {X01-0001}
author = {Nov&aacute;k, Jan; Garc&iacute;a, Jos&eacute;}
title = {Parsing Caf&eacute; Menus}
venue = {Test}
year = {2001}
"""


@pytest.fixture
def acl_file(tmp_path):
    path = tmp_path / "acl-metadata.txt"
    path.write_text(ACL_METADATA, encoding="utf-8")
    return path


def test_acl_names_and_titles_are_decoded(import_papers, acl_file):
    import_papers(acl_file, format="acl")
    paper = Paper.objects.get(acl_id="X01-0001")
    assert paper.title == "Parsing Café Menus"
    assert paper.authors == ["Jan Novák", "José García"]


def test_a_reimport_repairs_rows_stored_with_entities(import_papers, acl_file):
    PaperFactory(
        acl_id="X01-0001",
        title="Parsing Caf&eacute; Menus",
        authors=["Jan Nov&aacute;k", "Jos&eacute; Garc&iacute;a"],
    )
    output = import_papers(acl_file, format="acl")
    paper = Paper.objects.get(acl_id="X01-0001")
    assert paper.title == "Parsing Café Menus"
    assert paper.authors == ["Jan Novák", "José García"]
    assert "papers              0          1" in output


def test_a_reimport_keeps_a_field_a_person_edited(import_papers, acl_file):
    paper = PaperFactory(acl_id="X01-0001", title="Old", authors=["Jan Nov&aacute;k"])
    services.paper_update(paper=paper, changes={"title": "Parsing Caf&eacute; (sic)"})
    import_papers(acl_file, format="acl")
    paper.refresh_from_db()
    assert paper.title == "Parsing Caf&eacute; (sic)"
    assert paper.authors == ["Jan Novák", "José García"]


def test_bibtex_entities_are_decoded(import_papers, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{x,\n  title = {Caf&eacute; Parsing},\n"
        "  author = {Nov&aacute;k, Jan and Jos&eacute; Garc&iacute;a},\n"
        "  doi = {10.1000/cafe},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )
    import_papers(bib, format="bibtex")
    paper = Paper.objects.get(doi="10.1000/cafe")
    assert (paper.title, paper.authors) == ("Café Parsing", ["Jan Novák", "José García"])


def test_s2_entities_are_decoded(import_papers, tmp_path):
    record = {
        "corpusid": 42,
        "externalids": {"DOI": "10.1000/s2"},
        "title": "Caf&eacute; Parsing",
        "authors": [{"name": "Jos&eacute; Nov&aacute;k"}],
        "year": 2020,
    }
    abstract = {"corpusid": 42, "abstract": "We parse caf&eacute;\n menus."}
    path = tmp_path / "papers.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(abstract) + "\n", encoding="utf-8")
    import_papers(path, format="s2")
    paper = Paper.objects.get(s2_corpus_id=42)
    assert (paper.title, paper.authors) == ("Café Parsing", ["José Novák"])
    assert paper.abstract == "We parse café menus."
