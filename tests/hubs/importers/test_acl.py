"""`import_papers --format acl` and `load_demo --acl`: AAN metadata with Athar polarity."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hubs.importers.acl import polarity_of
from hubs.models import Citation, CitationContext, Hub, Paper
from tests.hubs.importers.conftest import FIXTURES
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db

METADATA, CORPUS = FIXTURES / "aan-sample.txt", FIXTURES / "athar-sample.txt"


@pytest.mark.parametrize(
    ("codes", "polarity"),
    [
        (["o", "o"], "neutral"),
        (["o", "p"], "supporting"),
        (["o", "n", "n", "p"], "contrasting"),
        (["p", "n"], "neutral"),
    ],
)
def test_a_pair_takes_the_polarity_of_its_signed_sentences(codes, polarity):
    assert polarity_of(codes) == polarity


def test_imports_the_papers_the_corpus_mentions(import_papers):
    import_papers(CORPUS, METADATA, format="acl")
    assert set(Paper.objects.values_list("acl_id", flat=True)) == {
        "P02-1040",
        "W05-0908",
        "P03-1021",
        "N03-1017",
    }
    bleu = Paper.objects.get(acl_id="P02-1040")
    assert bleu.authors == ["Kishore Papineni", "Salim Roukos", "Todd Ward", "Wei-Jing Zhu"]
    assert (bleu.year, bleu.month, bleu.sort_date.isoformat()) == (2002, None, "2002-01-01")


def test_each_pair_is_one_citation_with_its_sentences_and_a_curator_polarity(import_papers):
    output = import_papers(CORPUS, METADATA, format="acl")
    meteor = Citation.objects.get(citing__acl_id="W05-0908", cited__acl_id="P02-1040")
    assert (meteor.refs, meteor.polarity, meteor.role) == (3, "contrasting", "")
    assert (meteor.classification_source, meteor.classified_by, meteor.suggested_at) == (
        "curator",
        None,
        None,
    )
    assert meteor.contexts.first().text == "We evaluate with BLEU (Papineni et al., 2002)."
    polarities = dict(Citation.objects.values_list("citing__acl_id", "polarity"))
    assert polarities == {
        "W05-0908": "contrasting",
        "P03-1021": "supporting",
        "N03-1017": "neutral",
    }
    # A bare (unquoted) sentence is kept as it is.
    assert CitationContext.objects.filter(text__startswith="Translation quality").exists()
    assert "skipped citations: cited paper not in the site: 1" in output
    assert f"{CORPUS}:10: sentiment 'x' is not o, p or n" in output
    assert f"{CORPUS}:11: expected 4 tab-separated fields, found 3" in output


def test_metadata_alone_imports_every_paper_in_either_encoding(import_papers):
    import_papers(METADATA, format="acl")
    assert Paper.objects.count() == 6
    assert Paper.objects.get(acl_id="W06-2920").authors == ["Lluís Màrquez", "Mihai Surdeanu"]
    assert Paper.objects.get(acl_id="W06-2921").authors == ["Zdeněk Žabokrtský"]


def test_second_import_changes_nothing(import_papers):
    import_papers(CORPUS, METADATA, format="acl")
    first = snapshot()
    import_papers(METADATA, CORPUS, format="acl")
    assert snapshot() == first


def test_acl_demo_needs_the_shared_data(tmp_path):
    with pytest.raises(CommandError, match=str(tmp_path / "aan-metadata" / "acl-metadata.txt")):
        call_command("load_demo", acl=True, data_dir=tmp_path)


def test_acl_demo_reads_the_folder_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PITHSITE_SHARED_DATA", str(tmp_path / "elsewhere"))
    with pytest.raises(CommandError, match="elsewhere"):
        call_command("load_demo", acl=True)


def test_acl_demo_loads_the_real_corpus(shared_data):
    out = io.StringIO()
    call_command("load_demo", acl=True, data_dir=shared_data, stdout=out)
    # The corpus here is the Athar corpus less its held-out fifth: 6,892 sentences from
    # 2,395 citing papers about 194 cited ones, 2,489 of them in the AAN metadata.
    assert Paper.objects.count() == 2489
    assert Citation.objects.count() == 3988
    assert CitationContext.objects.count() == 6837
    assert Counter(Citation.objects.values_list("polarity", flat=True)) == {
        "neutral": 3255,
        "supporting": 565,
        "contrasting": 168,
    }
    assert not Citation.objects.exclude(classification_source="curator").exists()
    assert not Citation.objects.exclude(role="").exists()
    hubs = Hub.objects.published().order_by("paper__acl_id")
    assert [hub.paper.acl_id for hub in hubs] == [
        "J93-2003",
        "J93-2004",
        "N03-1017",
        "P02-1040",
        "P03-1021",
    ]
    assert Hub.objects.get(paper__acl_id="P02-1040").slug == (
        "bleu-a-method-for-automatic-evaluation-of-machine"
    )
    first = snapshot()
    again = io.StringIO()
    call_command("load_demo", acl=True, data_dir=shared_data, stdout=again)
    assert snapshot() == first
    assert "nothing changed" in again.getvalue()
