"""`import_papers --format s2`: Graph API citation records and S2AG bulk files."""

import gzip
import shutil

import pytest
from django.core.management.base import CommandError

from hubs import services
from hubs.importers.s2 import S2_INTENT_CONFIDENCE
from hubs.models import Citation, Paper
from tests.factories import HubFactory, PaperFactory
from tests.hubs.importers.conftest import FIXTURES
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db

GRAPH = FIXTURES / "s2-graph-citations.jsonl"


def gzipped(source, target):
    with open(source, "rb") as plain, gzip.open(target, "wb") as packed:
        shutil.copyfileobj(plain, packed)
    return target


@pytest.fixture
def attention():
    return PaperFactory(arxiv_id="1706.03762", title="Attention Is All You Need")


class TestGraphApiRecords:
    def test_citing_papers_cite_the_paper_given_by_cited(self, import_papers, attention):
        output = import_papers(GRAPH, format="s2", cited="arXiv:1706.03762")
        citing = set(attention.citations.values_list("citing__title", flat=True))
        assert citing == {
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            "Language Models are Few-Shot Learners",
            "Transformer für die Übersetzung",
            "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
        }
        assert f"{GRAPH}:4: no usable identifier" in output

    @pytest.mark.parametrize(
        ("ids", "cited"),
        [
            ({"s2_corpus_id": 13756489}, "CorpusId:13756489"),
            ({"acl_id": "P02-1040"}, "https://aclanthology.org/P02-1040/"),
            ({"openalex_id": "W2963403868"}, "https://openalex.org/W2963403868"),
            ({"doi": "10.5555/3295222.3295349"}, "https://doi.org/10.5555/3295222.3295349"),
        ],
    )
    def test_cited_takes_any_kind_and_form_of_id(self, import_papers, ids, cited):
        paper = PaperFactory(arxiv_id=None, **ids)
        import_papers(GRAPH, format="s2", cited=cited)
        assert paper.citations.count() == 4

    def test_cited_that_is_no_identifier_says_what_one_is(self, import_papers, attention):
        with pytest.raises(CommandError, match=r"not a paper identifier .*CorpusId:"):
            import_papers(GRAPH, format="s2", cited="attention")

    def test_intents_become_import_suggestions_of_the_role(self, import_papers, attention):
        import_papers(GRAPH, format="s2", cited="1706.03762")
        roles = dict(attention.citations.values_list("citing__arxiv_id", "suggested_role"))
        # Methodology wins over background; result means the citing paper compares.
        assert roles == {
            "1810.04805": "uses_method",
            "2005.14165": "compares_with",
            "1910.10683": "background",
            None: "",
        }
        bert = attention.citations.get(citing__arxiv_id="1810.04805")
        assert (
            bert.suggested_role_source,
            bert.suggested_role_confidence,
            bert.suggested_polarity,
            bert.role,
            bert.classification_source,
        ) == ("import", S2_INTENT_CONFIDENCE, "", "", "")

    def test_contexts_and_refs_come_from_the_citing_sentences(self, import_papers, attention):
        import_papers(GRAPH, format="s2", cited="1706.03762")
        gpt3 = attention.citations.get(citing__arxiv_id="2005.14165")
        assert gpt3.refs == 2
        assert [context.text for context in gpt3.contexts.all()] == [
            "Our model outperforms the Transformer baseline (Vaswani et al., 2017).",
            "Compared with Vaswani et al. (2017), few-shot results are stronger.",
        ]
        # A sentence given both in contexts and contextsWithIntent is kept once.
        assert attention.citations.get(citing__arxiv_id="1810.04805").contexts.count() == 1

    def test_citing_papers_keep_their_ids_and_dates(self, import_papers, attention):
        import_papers(GRAPH, format="s2", cited="1706.03762")
        bert = Paper.objects.get(arxiv_id="1810.04805")
        assert (bert.doi, bert.s2_corpus_id) == ("10.18653/v1/n19-1423", 52967399)
        assert bert.submitted.isoformat() == "2018-10-11"
        undated = Paper.objects.get(doi="10.5555/transformer.uebersetzung")
        assert (undated.year, undated.month, undated.authors) == (2021, None, ["Jörg Müller"])

    def test_hub_gives_the_cited_paper(self, import_papers, attention):
        hub = HubFactory(paper=attention)
        import_papers(GRAPH, format="s2", hub=hub.slug)
        assert attention.citations.count() == 4

    def test_without_cited_or_hub_it_refuses(self, import_papers, attention):
        with pytest.raises(CommandError, match="--cited ID or --hub SLUG"):
            import_papers(GRAPH, format="s2")
        assert Paper.objects.count() == 1

    def test_cited_must_be_in_the_site(self, import_papers, db):
        with pytest.raises(CommandError, match="no such paper in the site"):
            import_papers(GRAPH, format="s2", cited="1706.03762")

    def test_an_import_label_never_overwrites_a_curator_label(
        self, import_papers, attention, curator
    ):
        import_papers(GRAPH, format="s2", cited="1706.03762")
        bert = attention.citations.get(citing__arxiv_id="1810.04805")
        services.citation_classify(
            citation=bert, role="builds_on", polarity="supporting", by=curator
        )
        output = import_papers(GRAPH, format="s2", cited="1706.03762")
        bert.refresh_from_db()
        assert (bert.role, bert.classification_source, bert.classified_by) == (
            "builds_on",
            "curator",
            curator,
        )
        assert "labels              0          0          2          1" in output

    def test_second_import_changes_nothing(self, import_papers, attention):
        import_papers(GRAPH, format="s2", cited="1706.03762")
        first = snapshot()
        import_papers(GRAPH, format="s2", cited="1706.03762")
        assert snapshot() == first


class TestBulkDatasetFiles:
    @pytest.fixture
    def files(self, tmp_path):
        return [
            gzipped(FIXTURES / f"s2ag-{name}.jsonl", tmp_path / f"{name}-sample.jsonl.gz")
            for name in ("citations", "abstracts", "papers")
        ]

    def test_papers_abstracts_and_citations_join_on_corpus_id(self, import_papers, files):
        # Given citations first: citations and abstracts wait until every paper is in.
        output = import_papers(*files, format="s2")
        attention = Paper.objects.get(s2_corpus_id=1001)
        assert attention.arxiv_id == "1706.03762"
        assert attention.abstract.startswith("The dominant sequence transduction models")
        bert = Paper.objects.get(s2_corpus_id=1002)
        assert (bert.doi, bert.acl_id, bert.year, bert.submitted) == (
            "10.18653/v1/n19-1423",
            "N19-1423",
            2019,
            None,
        )
        labels = dict(attention.citations.values_list("citing__s2_corpus_id", "suggested_role"))
        assert labels == {1002: "uses_method", 1003: "compares_with"}
        assert "skipped citations: a paper unknown to Semantic Scholar: 1" in output
        assert "skipped citations: citing paper not in the site: 1" in output
        assert "skipped papers: paper not in the site: 1" in output

    def test_format_is_guessed_from_the_first_line(self, import_papers, files):
        import_papers(*files)
        assert Paper.objects.count() == 3

    def test_second_import_changes_nothing(self, import_papers, files):
        import_papers(*files, format="s2")
        first = snapshot()
        import_papers(*files, format="s2")
        assert snapshot() == first


class TestRealSamples:
    """The official S2AG sample files: independent samples, so few of their edges join."""

    def test_they_import(self, import_papers, shared_data):
        folder = shared_data / "s2ag-samples"
        files = [
            next((folder / name).glob("*.jsonl.gz"))
            for name in ("papers", "abstracts", "citations")
        ]
        output = import_papers(*files, format="s2")
        assert Paper.objects.count() == 100
        assert Paper.objects.exclude(s2_corpus_id=None).count() == 100
        assert "skipped citations: a paper unknown to Semantic Scholar: 23" in output
        assert "skipped citations: citing paper not in the site: 77" in output
        assert "bad record" not in output

    def test_their_citations_join_when_the_papers_are_there(self, import_papers, shared_data):
        path = next((shared_data / "s2ag-samples" / "citations").glob("*.jsonl.gz"))
        import json

        with gzip.open(path, "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        joined = [r for r in records if r["citedcorpusid"] and r["citingcorpusid"]]
        for corpus_id in {r[end] for r in joined for end in ("citingcorpusid", "citedcorpusid")}:
            services.paper_upsert(s2_corpus_id=int(corpus_id), title=f"Paper {corpus_id}")
        import_papers(path, format="s2")
        assert Citation.objects.count() == len(
            {(r["citingcorpusid"], r["citedcorpusid"]) for r in joined}
        )
        with_intents = [r for r in joined if r["intents"]]
        assert Citation.objects.filter(suggested_role_source="import").count() == len(with_intents)
