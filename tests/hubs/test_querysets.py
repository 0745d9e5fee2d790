"""hubs/querysets.py: the read layer's rules, each in one place."""

import pytest

from hubs.models import Citation, Hub, Paper
from hubs.querysets import classified_q, label_is_q, labelled_q, unverdicted_q, verdict_of
from hubs.vocab import ClassificationSource, Polarity, Role, Verdict
from tests.factories import CitationFactory, HubFactory, PaperFactory, ReviewFactory

pytestmark = pytest.mark.django_db

MODEL, IMPORT = ClassificationSource.MODEL, ClassificationSource.IMPORT


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
    settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {}


class TestClassified:
    def test_model_suggestions_count_only_above_the_threshold(self):
        sure = CitationFactory(suggested_role=Role.BACKGROUND, confidence=0.9)
        CitationFactory(suggested_role=Role.BACKGROUND, confidence=0.5)
        curated = CitationFactory(role=Role.BUILDS_ON)
        CitationFactory()
        assert set(Citation.objects.classified()) == {sure, curated}

    @pytest.mark.parametrize("source", [MODEL, IMPORT])
    def test_a_suggestion_exactly_at_the_threshold_counts(self, source):
        at = CitationFactory(
            suggested_polarity=Polarity.NEUTRAL, suggestion_source=source, confidence=0.8
        )
        below = CitationFactory(
            suggested_polarity=Polarity.NEUTRAL, suggestion_source=source, confidence=0.7999
        )
        assert list(Citation.objects.classified()) == [at]
        assert list(Citation.objects.unclassified()) == [below]

    def test_the_threshold_is_read_when_the_query_is_built(self, settings):
        citation = CitationFactory(suggested_role=Role.BACKGROUND, confidence=0.6)
        assert not Citation.objects.classified().exists()
        settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.5
        assert list(Citation.objects.classified()) == [citation]

    def test_each_label_value_has_its_own_threshold(self, settings):
        settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {"supporting": 0.95, "contrasting": 0.7}
        supporting = CitationFactory(suggested_polarity=Polarity.SUPPORTING, confidence=0.9)
        contrasting = CitationFactory(suggested_polarity=Polarity.CONTRASTING, confidence=0.75)
        neutral = CitationFactory(suggested_polarity=Polarity.NEUTRAL, confidence=0.75)
        assert list(Citation.objects.classified()) == [contrasting]
        settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {}
        assert set(Citation.objects.classified()) == {supporting}
        assert neutral not in Citation.objects.classified()

    def test_a_curators_label_counts_without_any_confidence(self):
        curated = CitationFactory(role=Role.USES_DATA)
        assert list(Citation.objects.filter(classified_q())) == [curated]

    def test_a_suggestion_without_confidence_does_not_count(self):
        Citation.objects.create(
            citing=PaperFactory(),
            cited=PaperFactory(),
            suggested_role=Role.USES_DATA,
            suggested_role_source=IMPORT,
        )
        assert not Citation.objects.classified().exists()

    def test_no_label_is_unclassified_whatever_its_source(self):
        # Not a state the services leave (they clear the source with the labels), but the
        # rule must hold for rows written by hand in the admin or by old data.
        Citation.objects.create(
            citing=PaperFactory(),
            cited=PaperFactory(),
            classification_source=ClassificationSource.CURATOR,
        )
        assert not Citation.objects.classified().exists()

    def test_the_prefix_reaches_citations_through_a_relation(self):
        curated = CitationFactory(role=Role.BACKGROUND)
        suggested = CitationFactory(suggested_role=Role.BACKGROUND)
        CitationFactory(cited=curated.cited)
        CitationFactory(cited=suggested.cited, suggested_role=Role.BACKGROUND, confidence=0.1)
        assert set(Paper.objects.filter(classified_q("citations__"))) == {
            curated.cited,
            suggested.cited,
        }

    def test_with_public_labels_marks_each_row(self):
        curated = CitationFactory(role=Role.BACKGROUND)
        weak = CitationFactory(suggested_role=Role.BACKGROUND, confidence=0.1)
        sure = CitationFactory(suggested_role=Role.USES_DATA, confidence=0.9)
        rows = Citation.objects.with_public_labels().values_list(
            "pk", "is_classified", "public_role", "role_state"
        )
        assert {pk: rest for pk, *rest in rows} == {
            curated.pk: [True, "background", "curated"],
            weak.pk: [False, "", ""],
            sure.pk: [True, "uses_data", "suggested"],
        }


class TestCuratorOverSuggestion:
    def test_a_curators_label_wins_over_any_suggestion(self):
        both = CitationFactory(role=Role.BUILDS_ON, suggested_role=Role.BACKGROUND)
        row = Citation.objects.with_public_labels().get(pk=both.pk)
        assert (row.public_role, row.role_state) == (Role.BUILDS_ON, "curated")
        assert list(Citation.objects.filter(label_is_q("role", Role.BACKGROUND))) == []
        assert list(Citation.objects.filter(label_is_q("role", Role.BUILDS_ON))) == [both]

    def test_role_and_polarity_each_count_on_their_own(self):
        mixed = CitationFactory(role=Role.USES_METHOD, suggested_polarity=Polarity.NEUTRAL)
        row = Citation.objects.with_public_labels().get(pk=mixed.pk)
        assert (row.public_role, row.role_state) == (Role.USES_METHOD, "curated")
        assert (row.public_polarity, row.polarity_state) == (Polarity.NEUTRAL, "suggested")


class TestLabelled:
    def test_a_role_only_citation_is_labelled_for_role_not_polarity(self):
        role_only = CitationFactory(role=Role.BACKGROUND)
        polarity_only = CitationFactory(suggested_polarity=Polarity.CONTRASTING)
        assert list(Citation.objects.filter(labelled_q("role"))) == [role_only]
        assert list(Citation.objects.filter(labelled_q("polarity"))) == [polarity_only]

    def test_a_weak_suggestion_is_not_labelled(self):
        CitationFactory(suggested_role=Role.BACKGROUND, confidence=0.3)
        assert not Citation.objects.filter(labelled_q("role")).exists()


class TestVerdicts:
    def test_no_review_and_a_default_review_are_both_unverdicted(self):
        nothing = PaperFactory()
        default = ReviewFactory().paper
        accepted = ReviewFactory(verdict=Verdict.ACCEPT).paper
        assert set(Paper.objects.filter(unverdicted_q())) == {nothing, default}
        assert set(Paper.objects.unverdicted()) == {nothing, default}
        assert accepted not in Paper.objects.unverdicted()

    def test_verdict_of_names_unverdicted_where_there_is_no_review(self):
        nothing = PaperFactory()
        rejected = ReviewFactory(verdict=Verdict.REJECT).paper
        verdicts = dict(Paper.objects.annotate(v=verdict_of()).values_list("pk", "v"))
        assert verdicts == {nothing.pk: Verdict.UNVERDICTED, rejected.pk: Verdict.REJECT}

    def test_through_a_citation(self):
        hub_paper = PaperFactory()
        unreviewed = CitationFactory(cited=hub_paper)
        reviewed = CitationFactory(cited=hub_paper)
        ReviewFactory(paper=reviewed.citing, verdict=Verdict.CONDITIONAL)
        assert list(Citation.objects.citing_unverdicted()) == [unreviewed]
        verdicts = dict(Citation.objects.annotate(v=verdict_of("citing__")).values_list("pk", "v"))
        assert verdicts == {unreviewed.pk: "unverdicted", reviewed.pk: "conditional"}


class TestVerdictAnnotation:
    @pytest.fixture
    def three_papers(self):
        """A paper nobody reviewed, one reviewed at the default verdict, one accepted."""
        return {
            "none": PaperFactory(),
            "default": ReviewFactory(verdict=Verdict.UNVERDICTED, summary="Read it.").paper,
            "accept": ReviewFactory(verdict=Verdict.ACCEPT).paper,
        }

    def test_with_review_annotates_unverdicted_where_no_review(self, three_papers):
        verdicts = {paper.pk: paper.verdict for paper in Paper.objects.with_review()}
        assert verdicts == {
            three_papers["none"].pk: "unverdicted",
            three_papers["default"].pk: "unverdicted",
            three_papers["accept"].pk: "accept",
        }

    def test_of_verdict_unverdicted_includes_papers_never_reviewed(self, three_papers):
        assert set(Paper.objects.of_verdict("unverdicted")) == {
            three_papers["none"],
            three_papers["default"],
        }
        assert list(Paper.objects.of_verdict("accept")) == [three_papers["accept"]]

    def test_with_citing_annotates_the_citing_papers_verdict(self, three_papers):
        for paper in three_papers.values():
            CitationFactory(citing=paper)
        verdicts = {c.citing_id: c.citing_verdict for c in Citation.objects.with_citing()}
        assert verdicts == {
            paper.pk: paper_verdict
            for paper, paper_verdict in [
                (three_papers["none"], "unverdicted"),
                (three_papers["default"], "unverdicted"),
                (three_papers["accept"], "accept"),
            ]
        }
        assert {c.citing for c in Citation.objects.citing_of_verdict("unverdicted")} == {
            three_papers["none"],
            three_papers["default"],
        }


class TestPublished:
    def test_drafts_are_not_published(self):
        published, draft = HubFactory(), HubFactory(is_published=False)
        assert list(Hub.objects.published()) == [published]
        assert draft not in Hub.objects.published()

    def test_visible_includes_drafts_only_when_asked(self):
        published, draft = HubFactory(), HubFactory(is_published=False)
        assert set(Hub.objects.visible(include_drafts=False)) == {published}
        assert set(Hub.objects.visible(include_drafts=True)) == {published, draft}

    def test_citations_of_published_hubs(self):
        public, draft = HubFactory(), HubFactory(is_published=False)
        shown = CitationFactory(cited=public.paper)
        CitationFactory(cited=draft.paper)
        CitationFactory()  # cites a paper that is no hub
        assert list(Citation.objects.of_published_hubs()) == [shown]

    def test_with_counts_sums_the_counts_table(self):
        hub, empty = HubFactory(), HubFactory()
        CitationFactory(cited=hub.paper, role="background", polarity="")
        CitationFactory(cited=hub.paper, role="", polarity="contrasting")
        CitationFactory(cited=hub.paper)
        counted = {h.pk: h for h in Hub.objects.with_counts()}
        assert counted[hub.pk].citing_count == 3
        assert counted[hub.pk].classified_count == 2
        assert counted[hub.pk].role_background_count == 1
        assert counted[hub.pk].role_builds_on_count == 0
        assert counted[hub.pk].polarity_contrasting_count == 1
        assert counted[empty.pk].citing_count == counted[empty.pk].classified_count == 0


class TestPaperSearch:
    @pytest.mark.parametrize("text", ["flawed", "CHAU", "2510.00938", "10.1000/XYZ"])
    def test_title_author_arxiv_id_or_doi(self, text):
        paper = PaperFactory(
            title="Learning from Flawed Thinking",
            authors=["Duen Horng Chau"],
            arxiv_id="2510.00938",
            doi="10.1000/xyz",
        )
        PaperFactory()
        assert list(Paper.objects.search(text)) == [paper]

    def test_ranked_the_paper_named_then_titles_then_authors_newest_first(self):
        import datetime

        by_author = PaperFactory(
            title="Compilers", authors=["Grace Hopper"], submitted=datetime.date(2025, 3, 1)
        )
        old_title = PaperFactory(title="Hopper, a life", submitted=datetime.date(2001, 1, 1))
        new_title = PaperFactory(title="On Hopper", submitted=datetime.date(2024, 1, 1))
        assert list(Paper.objects.search("hopper")) == [new_title, old_title, by_author]
        named = PaperFactory(title="Hopper", arxiv_id="2501.00001", submitted=None)
        assert list(Paper.objects.search("2501.00001")) == [named]

    def test_blank_text_keeps_everything_and_nul_finds_nothing(self):
        PaperFactory()
        assert Paper.objects.search("  ").count() == 1
        assert not Paper.objects.search("a\x00b").exists()


def _plan_of(queryset) -> str:
    """PostgreSQL's plan for `queryset` where an index can be used at all (a test database
    is too small for the planner to prefer one)."""
    import json

    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return json.dumps(plan)


@pytest.mark.parametrize("text", ["distillation", "Grace Hopper"])
def test_text_searches_use_an_index_on_postgresql(text):
    from django.db import connection

    from hubs.querysets import text_q
    from tests.factories import hub_with_citing_papers

    if connection.vendor != "postgresql":
        pytest.skip("a question for PostgreSQL's planner")
    hub_with_citing_papers(30)
    searches = {
        "paper search": Paper.objects.search(text),
        "the text rule the explorer's filter uses": Paper.objects.filter(text_q(text)),
    }
    for what, queryset in searches.items():
        plan = _plan_of(queryset)
        assert "paper_search_text_trgm" in plan, (what, plan)
    # The stored text is read as it is: no row's authors are cast and upper-cased again.
    assert "upper((authors)" not in _plan_of(Paper.objects.filter(text_q(text))).lower()


def test_the_search_text_is_sampled_widely_enough_to_estimate_a_phrase():
    """The planner's estimate of a search's matches is the share of the sampled texts that
    contain it (migration 0017): with 1,000 values it sees a full author name in 3% of the
    papers, which the default 100 missed (its first page then read every match)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a question for PostgreSQL's planner")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute"
            " WHERE attrelid = 'hubs_paper'::regclass AND attname = 'search_text'"
        )
        assert cursor.fetchone() == (1000,)


# Titles and bylines that test what "contains, ignoring case" means on each backend: mixed
# case, accents and other scripts (PostgreSQL folds them, SQLite's LIKE only ASCII), JSON's
# escapes in the authors' text, LIKE's own wildcards, and the joins between the title and
# the authors, which the stored text puts side by side.
_TITLES_AND_AUTHORS = [
    ("Learning from Flawed Thinking", ["Duen Horng Chau"]),
    ("ÉLODIE's Straße to Łódź", ["Aurélie Dupont", "Émile Zola"]),
    ("Συστήματα and İstanbul", ["Σωκράτης Παπαδόπουλος", "İlkay Gündoğan"]),
    ('Quotes "inside" a title', ['O"Brien \\ Backslash', "Ann_Marie 100%"]),
    ("Tab\there and 50% off_by_one", ["Grace Hopper"]),
    ("Ends with bracket [", ["Alan Turing"]),
    ("hopper", []),
    ("Distillation for Code", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
]
_TEXTS = [
    "flawed",
    "FLAWED",
    "chau",
    "Chau",
    "élodie",
    "ÉLODIE",
    "Élodie",
    "straße",
    "STRASSE",
    "łódź",
    "ŁÓDŹ",
    "aurélie",
    "AURÉLIE",
    "σωκράτης",
    "ΣΩΚΡΆΤΗΣ",
    "istanbul",
    "İstanbul",
    "i̇stanbul",
    '"inside"',
    'o"brien',
    "\\",
    "\\ backslash",
    "ann_marie",
    "100%",
    "%",
    "_",
    "50% off",
    "off_by",
    "tab\there",
    "hopper",
    "grace hopper",
    '["grace',
    '", "alan',
    "bracket [",
    'bracket ["',
    "ends",
    'ZOLA"]',
    "distillation",
    "alan turing",
    "nothing",
    "lovelace, ",
]


def _by_old_rule(text: str):
    """Paper.objects.search as it was written before the stored search text: the title or
    the authors contain the text, ignoring case, each column read and folded row by row."""
    from django.db.models import Case, F, Q, Value, When

    from hubs.identifiers import parse_or_none

    text = text.strip()
    words = Q(title__icontains=text) | Q(authors__icontains=text)
    paper_id = parse_or_none(text)
    named = [When(paper_id.q(), then=Value(0))] if paper_id else []
    rank = Case(*named, When(title__icontains=text, then=Value(1)), default=Value(2))
    return Paper.objects.filter(words | paper_id.q() if paper_id else words).order_by(
        rank, F("sort_date").desc(nulls_last=True), "-id"
    )


class TestStoredSearchText:
    @pytest.fixture
    def papers(self):
        import datetime

        return [
            PaperFactory(title=title, authors=authors, submitted=datetime.date(2020, 1, 1 + i))
            for i, (title, authors) in enumerate(_TITLES_AND_AUTHORS)
        ]

    def test_search_finds_the_same_papers_in_the_same_order_as_the_two_columns(self, papers):
        found = {}
        for text in _TEXTS:
            expected = list(_by_old_rule(text))
            assert list(Paper.objects.search(text)) == expected, text
            found[text] = len(expected)
        assert found["flawed"] == found["FLAWED"] == 1  # the comparison compares something
        assert found["hopper"] == 3 and found["nothing"] == 0

    def test_the_explorer_filter_keeps_the_same_citations(self, papers):
        from django.db.models import Q

        from hubs.querysets import text_q

        hub = HubFactory()
        for paper in papers:
            CitationFactory(citing=paper, cited=hub.paper)
        for text in _TEXTS:
            old = Q(citing__title__icontains=text) | Q(citing__authors__icontains=text)
            assert set(Citation.objects.filter(text_q(text, "citing__"))) == set(
                Citation.objects.filter(old)
            ), text

    def test_no_match_across_the_title_and_the_authors(self):
        from hubs.querysets import SEARCH_TEXT_SEPARATOR, text_q

        paper = PaperFactory(title="Ends here", authors=["Ada Lovelace"])
        across = f'here{SEARCH_TEXT_SEPARATOR}["ada'
        assert SEARCH_TEXT_SEPARATOR in Paper.objects.values_list("search_text", flat=True)[0]
        assert not Paper.objects.filter(text_q(across)).exists()
        assert list(Paper.objects.filter(text_q("here"))) == [paper]

    def test_the_stored_text_follows_every_write(self):
        from hubs.services import paper_update

        paper = PaperFactory(title="Before", authors=["Ada Lovelace"])
        assert list(Paper.objects.search("before")) == [paper]
        paper_update(paper=paper, changes={"title": "After", "authors": ["Grace Hopper"]})
        assert not Paper.objects.search("before").exists()
        assert not Paper.objects.search("lovelace").exists()
        assert list(Paper.objects.search("after")) == [paper]
        assert list(Paper.objects.search("hopper")) == [paper]
        Paper.objects.filter(pk=paper.pk).update(authors=["Alan Turing"])
        assert list(Paper.objects.search("turing")) == [paper]
