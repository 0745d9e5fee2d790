"""`import_papers --format bibtex`: a .bib file, one entry at a time."""

import pytest

from hubs.models import Paper
from tests.factories import HubFactory, PaperFactory
from tests.hubs.importers.conftest import FIXTURES
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db

BIB = FIXTURES / "refs.bib"


def test_entries_with_an_arxiv_id_or_doi_become_papers(import_papers):
    import_papers(BIB)
    assert set(Paper.objects.values_list("arxiv_id", "doi")) == {
        (None, "10.18653/v1/n19-1423"),
        ("1706.03762", None),
        ("1404.7828", None),
        ("1512.03385", None),
    }


def test_names_titles_and_accents(import_papers):
    import_papers(BIB)
    attention = Paper.objects.get(arxiv_id="1706.03762")
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser"]
    bert = Paper.objects.get(doi="10.18653/v1/n19-1423")
    assert bert.title.startswith("BERT: Pre-training")
    assert (bert.year, bert.month) == (2019, None)
    overview = Paper.objects.get(arxiv_id="1404.7828")
    assert overview.authors == ["Jürgen Schmidhuber"]
    assert overview.primary_category == "cs.NE"
    resnet = Paper.objects.get(arxiv_id="1512.03385")
    assert resnet.authors == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]
    # The arXiv id gives year and month, whatever the entry's year says.
    assert (resnet.year, resnet.month) == (2015, 12)


def test_entries_without_ids_and_broken_entries_are_reported(import_papers):
    output = import_papers(BIB, format="bibtex")
    assert f"{BIB}:39: entry 'sutton1998': no usable identifier" in output
    assert f"{BIB}:46: could not parse this BibTeX entry" in output


def test_with_a_hub_every_entry_cites_the_hub(import_papers):
    hub = HubFactory(paper=PaperFactory(arxiv_id="1409.0473"))
    import_papers(BIB, hub=hub.slug)
    assert hub.paper.citations.count() == 4


def test_second_import_changes_nothing(import_papers):
    import_papers(BIB)
    first = snapshot()
    import_papers(BIB)
    assert snapshot() == first
