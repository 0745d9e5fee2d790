"""Every import format, `generate_corpus` and `load_demo --acl`, run again, keep what a
person set since (admin edits of a paper, curator labels, reviews, hubs) and say so."""

import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from hubs import services
from hubs.models import Citation, Hub, Paper, Review
from tests.factories import HubFactory, PaperFactory
from tests.hubs.importers.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def _gzipped(tmp_path: Path, name: str) -> Path:
    target = tmp_path / f"{name}-sample.jsonl.gz"
    with open(FIXTURES / f"s2ag-{name}.jsonl", "rb") as plain, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(plain, packed)
    return target


def _s2_graph_hub(tmp_path):
    hub = HubFactory(paper=PaperFactory(arxiv_id="1706.03762", title="Attention"))
    return [FIXTURES / "s2-graph-citations.jsonl"], {"format": "s2", "hub": hub.slug}


# format: (files and options, the paper a person edits, the citation a curator relabels
# or None when the format writes no labels)
FORMATS = {
    "openalex": (
        lambda tmp_path: ([FIXTURES / "openalex-works.jsonl"], {"format": "openalex"}),
        {"openalex_id": "W2064675550"},
        None,
    ),
    "arxiv": (
        lambda tmp_path: ([FIXTURES / "arxiv-snapshot.jsonl"], {"format": "arxiv"}),
        {"arxiv_id": "1706.03762"},
        None,
    ),
    "bibtex": (
        lambda tmp_path: ([FIXTURES / "refs.bib"], {"format": "bibtex"}),
        {"doi": "10.18653/v1/n19-1423"},
        None,
    ),
    "s2 graph": (_s2_graph_hub, {"arxiv_id": "1810.04805"}, {"citing__arxiv_id": "1810.04805"}),
    "s2 bulk": (
        lambda tmp_path: (
            [_gzipped(tmp_path, name) for name in ("papers", "abstracts", "citations")],
            {"format": "s2"},
        ),
        {"s2_corpus_id": 1002},
        {"citing__s2_corpus_id": 1002, "cited__s2_corpus_id": 1001},
    ),
    "acl": (
        lambda tmp_path: (
            [FIXTURES / "athar-sample.txt", FIXTURES / "aan-sample.txt"],
            {"format": "acl"},
        ),
        {"acl_id": "P02-1040"},
        {"citing__acl_id": "W05-0908", "cited__acl_id": "P02-1040"},
    ),
}


@pytest.mark.parametrize("name", FORMATS)
def test_a_second_import_keeps_what_people_set_and_says_so(name, import_papers, curator, tmp_path):
    make_files, paper_ids, citation_ids = FORMATS[name]
    files, options = make_files(tmp_path)
    import_papers(*files, **options)
    paper = Paper.objects.get(**paper_ids)
    services.paper_update(paper=paper, changes={"title": "Edited by hand"})
    citation = None
    if citation_ids:
        citation = Citation.objects.get(**citation_ids)
        services.citation_classify(
            citation=citation, role="builds_on", polarity="supporting", by=curator
        )

    output = import_papers(*files, **options)

    paper.refresh_from_db()
    assert paper.title == "Edited by hand"
    left_alone = output.split("left alone:")[1].splitlines()[0]
    assert "1 paper field edited in the admin" in left_alone
    if citation:
        citation.refresh_from_db()
        assert (citation.role, citation.polarity, citation.classified_by) == (
            "builds_on",
            "supporting",
            curator,
        )
        assert "1 label set by a curator" in left_alone


def test_a_first_import_leaves_nothing_alone(import_papers):
    output = import_papers(FIXTURES / "openalex-works.jsonl", format="openalex")
    assert "left alone" not in output


def _generate() -> str:
    out = io.StringIO()
    call_command("generate_corpus", papers=60, hub_citations=40, seed=5, stdout=out)
    return out.getvalue()


def test_generate_corpus_again_keeps_reviews_labels_papers_and_hubs(curator):
    _generate()
    review = Review.objects.order_by("pk").first()
    services.review_set(
        paper=review.paper, verdict="reject", novelty="1.5", summary="Mine.", by=curator
    )
    citation = Citation.objects.exclude(classification_source="curator").order_by("pk").first()
    services.citation_classify(citation=citation, role="uses_data", polarity="neutral", by=curator)
    curated = Citation.objects.filter(classification_source="curator", classified_by=None).first()
    services.citation_classify(citation=curated, role="uses_data", polarity="neutral", by=curator)
    paper = Paper.objects.order_by("pk").last()
    services.paper_update(paper=paper, changes={"title": "Edited by hand"})
    hub = Hub.objects.order_by("slug").first()
    services.hub_update(
        hub=hub, slug=hub.slug, is_published=False, curator_note="Ours.", by=curator
    )

    output = _generate()

    review.refresh_from_db()
    assert (review.verdict, str(review.novelty), review.curator) == ("reject", "1.5", curator)
    for labelled in (citation, curated):
        labelled.refresh_from_db()
        assert (labelled.role, labelled.polarity, labelled.classified_by) == (
            "uses_data",
            "neutral",
            curator,
        )
    paper.refresh_from_db()
    assert paper.title == "Edited by hand"
    hub.refresh_from_db()
    assert (hub.is_published, hub.curator_note) == (False, "Ours.")
    left_alone = output.split("left alone:")[1].splitlines()[0]
    for words in ("1 review", "label", "1 paper field edited in the admin"):
        assert words in left_alone


def _acl_data_dir(tmp_path: Path) -> Path:
    """A tiny shared-data folder in the layout `load_demo --acl` reads."""
    metadata = tmp_path / "aan-metadata" / "acl-metadata.txt"
    corpus = tmp_path / "citation-sentiment-athar2011" / "citation_sentiment_corpus.txt"
    for target, source in ((metadata, "aan-sample.txt"), (corpus, "athar-sample.txt")):
        target.parent.mkdir()
        shutil.copyfile(FIXTURES / source, target)
    return tmp_path


def _load_acl(data_dir: Path) -> str:
    out = io.StringIO()
    call_command("load_demo", acl=True, data_dir=data_dir, stdout=out)
    return out.getvalue()


def test_acl_demo_again_keeps_labels_papers_and_hubs(tmp_path, curator):
    data_dir = _acl_data_dir(tmp_path)
    _load_acl(data_dir)
    hub = Hub.objects.get(paper__acl_id="P02-1040")
    services.hub_update(
        hub=hub, slug=hub.slug, is_published=False, curator_note="Ours.", by=curator
    )
    citation = Citation.objects.get(citing__acl_id="W05-0908", cited__acl_id="P02-1040")
    services.citation_classify(citation=citation, polarity="supporting", by=curator)
    paper = Paper.objects.get(acl_id="P02-1040")
    services.paper_update(paper=paper, changes={"title": "BLEU, edited"})

    output = _load_acl(data_dir)

    hub.refresh_from_db()
    assert (hub.is_published, hub.curator_note) == (False, "Ours.")
    citation.refresh_from_db()
    assert (citation.polarity, citation.classified_by) == ("supporting", curator)
    paper.refresh_from_db()
    assert paper.title == "BLEU, edited"
    left_alone = output.split("left alone:")[1].splitlines()[0]
    assert "1 label set by a curator" in left_alone
    assert "1 paper field edited in the admin" in left_alone
