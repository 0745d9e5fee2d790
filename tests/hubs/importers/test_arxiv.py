"""`import_papers --format arxiv`: the OAI snapshot's JSON Lines."""

import datetime

import pytest

from hubs.models import Paper
from tests.factories import HubFactory, PaperFactory
from tests.hubs.importers.conftest import FIXTURES
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db

SNAPSHOT = FIXTURES / "arxiv-snapshot.jsonl"


def test_imports_ids_versions_dates_and_categories(import_papers):
    import_papers(SNAPSHOT, format="arxiv")
    diphoton = Paper.objects.get(arxiv_id="0704.0001")
    assert (diphoton.arxiv_version, diphoton.doi) == (2, "10.1103/physrevd.76.013009")
    assert diphoton.submitted == datetime.date(2007, 4, 2)
    assert diphoton.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert (diphoton.primary_category, diphoton.categories) == ("hep-ph", ["hep-ph"])
    attention = Paper.objects.get(arxiv_id="1706.03762")
    assert (attention.arxiv_version, attention.primary_category) == (3, "cs.CL")
    assert attention.categories == ["cs.CL", "cs.LG"]


def test_tex_accents_in_names_become_unicode(import_papers):
    import_papers(SNAPSHOT, format="arxiv")
    assert Paper.objects.get(arxiv_id="0704.0001").authors[0] == "C. Balázs"


def test_an_unknown_category_is_left_out(import_papers):
    import_papers(SNAPSHOT, format="arxiv")
    paper = Paper.objects.get(arxiv_id="2101.00001")
    assert (paper.primary_category, paper.categories) == ("cs.AI", ["cs.AI"])


def test_a_record_without_a_usable_id_is_reported(import_papers):
    output = import_papers(SNAPSHOT, format="arxiv")
    assert f"{SNAPSHOT}:4: no usable identifier" in output
    assert Paper.objects.count() == 3


def test_with_a_hub_every_paper_cites_the_hub(import_papers):
    hub = HubFactory(
        paper=PaperFactory(arxiv_id="1409.0473", title="Neural MT by Jointly Learning")
    )
    import_papers(SNAPSHOT, format="arxiv", hub=hub.slug)
    assert hub.paper.citations.count() == 3


def test_updates_metadata_and_keeps_what_the_file_does_not_say(import_papers):
    paper = PaperFactory(
        arxiv_id="1706.03762",
        title="Old title",
        abstract="",
        code_url="https://github.com/tensorflow/tensor2tensor",
    )
    import_papers(SNAPSHOT, format="arxiv")
    paper.refresh_from_db()
    assert paper.title == "Attention Is All You Need"
    assert paper.abstract.startswith("The dominant sequence transduction models")
    assert paper.code_url == "https://github.com/tensorflow/tensor2tensor"


def test_second_import_changes_nothing(import_papers):
    import_papers(SNAPSHOT, format="arxiv")
    first = snapshot()
    import_papers(SNAPSHOT, format="arxiv")
    assert snapshot() == first
