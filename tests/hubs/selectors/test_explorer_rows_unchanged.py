"""Every filter, sort and search of the explorer keeps the rows, their order and the counts
the explorer's first definitions gave (a join to the citing paper for its year, a count of
the rows for how many match), however the read layer now answers them (the year as a
range of the citation's copy of the date, counts from the counts table)."""

import datetime
import itertools

import pytest
from django.http import QueryDict

from hubs.filters import FILTER_BY_NAME, CitingPaperFilter
from hubs.models import Citation
from hubs.paging import MISSING_DATE, MISSING_NOVELTY, SORTS
from hubs.selectors import hub_citing_page, hub_explorer, hub_facet
from hubs.vocab import UNCLASSIFIED, UNKNOWN, Polarity, Role, Verdict
from tests.factories import CitationFactory, HubFactory, PaperFactory, ReviewFactory

pytestmark = pytest.mark.django_db


# The first definition of the year filter: the citing paper's own year.
def old_year(queryset, value):
    if value == UNKNOWN:
        return queryset.filter(citing__year__isnull=True)
    return queryset.filter(citing__year=value)


OLD = {"year": old_year}


def old_rows(hub, query: QueryDict) -> list[Citation]:
    """The filtered rows, every filter as first defined (the year by a join), in the
    sort's order as plain Python sorts them."""
    filterset = CitingPaperFilter(query, queryset=Citation.objects.of_paper(hub.paper))
    assert filterset.is_valid(), filterset.errors
    rows = Citation.objects.of_paper(hub.paper)
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value in ("", None):
            continue
        rows = (OLD.get(name) or FILTER_BY_NAME[name].apply)(rows, value)
    sort = SORTS[filterset.sort_name]
    rows = list(rows.select_related("citing", "citing__review"))

    def key(citation):
        paper = citation.citing
        review = getattr(paper, "review", None)
        value = {
            "citing_date_key": paper.sort_date or MISSING_DATE,
            "citing_novelty_key": (
                review.novelty if review and review.novelty is not None else MISSING_NOVELTY
            ),
            "refs": citation.refs,
        }[sort.key]
        return (value, citation.citing_id)

    return sorted(rows, key=key, reverse=sort.descending)


@pytest.fixture
def hub(settings):
    """Citing papers spread over years (none, year 1 whose date is the missing date's
    copy, 2023 to 2025 with and without months and days), labels, reviews, categories."""
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8
    hub = HubFactory()
    dates = [
        (None, None, None),
        (1, None, None),
        (2023, None, None),
        (2023, 12, datetime.date(2023, 12, 31)),
        (2024, 1, datetime.date(2024, 1, 1)),
        (2024, 6, None),
        (2024, 12, datetime.date(2024, 12, 31)),
        (2025, 1, datetime.date(2025, 1, 1)),
        (2025, 3, datetime.date(2025, 3, 9)),
    ]
    roles = ["", Role.BACKGROUND, Role.BUILDS_ON, Role.USES_DATA]
    polarities = ["", Polarity.NEUTRAL, Polarity.CONTRASTING]
    verdicts = [None, Verdict.UNVERDICTED, Verdict.ACCEPT, Verdict.REJECT]
    for n in range(36):
        year, month, submitted = dates[n % len(dates)]
        paper = PaperFactory(
            arxiv_id=None,
            doi=f"10.1000/rows.{n}",
            title=f"{'Distillation of' if n % 4 == 0 else 'Scaling'} models {n}",
            authors=[f"Author {n % 5}"],
            primary_category=["cs.LG", "cs.CL", ""][n % 3],
            submitted=submitted,
            year=year,
            month=month,
        )
        labels = {"role": roles[n % 4], "polarity": polarities[n % 3]}
        if n % 5 == 0:  # a suggestion, confident or not, where no person set a label
            labels = {"suggested_role": Role.COMPARES_WITH, "confidence": 0.9 if n % 2 else 0.5}
        CitationFactory(cited=hub.paper, citing=paper, refs=1 + n % 3, **labels)
        if verdicts[n % 4]:
            ReviewFactory(paper=paper, verdict=verdicts[n % 4], novelty=(n % 7) or None)
    CitationFactory(cited=HubFactory().paper, citing=PaperFactory(year=2024))
    return hub


FILTER_VALUES = {
    "year": ["", "2024", "2023", "2025", "0001", UNKNOWN, "1999"],
    "role": ["", Role.BACKGROUND, UNCLASSIFIED, Role.COMPARES_WITH],
    "polarity": ["", Polarity.NEUTRAL, UNCLASSIFIED],
    "category": ["", "cs.CL", UNKNOWN],
    "verdict": ["", Verdict.UNVERDICTED, Verdict.ACCEPT],
    "q": ["", "distillation", "author 3", "of models 1"],  # a word, an author, a phrase
}


def queries():
    names = list(FILTER_VALUES)
    for values in itertools.product(*(FILTER_VALUES[name] for name in names)):
        chosen = {name: value for name, value in zip(names, values, strict=True) if value}
        if len(chosen) <= 2:  # every pair of filters, each with every sort
            for sort in SORTS:
                yield {**chosen, "sort": sort}


def walked(hub, query: QueryDict) -> list[Citation]:
    """Every row of the explorer, page after page (3 a page), through its cursors."""
    rows, cursor = [], None
    while True:
        page_query = query.copy()
        if cursor:
            page_query["cursor"] = cursor
        page = hub_citing_page(hub, page_query, page_size=3)
        rows += page.page.rows
        cursor = page.page.next_cursor
        if not cursor:
            return rows


def test_every_filter_sort_and_search_keeps_its_rows_order_and_count(hub):
    checked = 0
    for params in queries():
        query = QueryDict(mutable=True)
        query.update(params)
        expected = old_rows(hub, query)
        assert [c.pk for c in walked(hub, query)] == [c.pk for c in expected], params
        assert hub_citing_page(hub, query).matching == len(expected), params
        checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2024"},
        {"year": UNKNOWN, "role": UNCLASSIFIED},
        {"year": "0001"},
        {"year": "2024", "role": Role.BACKGROUND, "verdict": Verdict.ACCEPT},
        {"category": UNKNOWN, "polarity": Polarity.NEUTRAL, "year": "2025"},
        {"q": "distillation", "year": "2024"},
        {"q": "distillation", "role": Role.BACKGROUND, "verdict": Verdict.ACCEPT},
        {"q": "of models 1", "polarity": Polarity.NEUTRAL},
        {"q": "author 3", "category": "cs.CL"},
    ],
)
def test_facets_and_groups_are_the_old_rows_counted(hub, params):
    query = QueryDict(mutable=True)
    query.update(params)
    explorer = hub_explorer(hub, query)
    assert explorer.matching == len(old_rows(hub, query))
    for facet in explorer.facets:
        others = query.copy()
        others.pop(facet.name, None)
        expected = {}
        for row in old_rows(hub, others):
            value = facet_value(facet.name, row)
            expected[value] = expected.get(value, 0) + 1
        assert {item.value: item.count for item in facet.values} == expected, facet.name
        grouped = hub_facet(hub, query, group_by=facet.name)[1]
        assert grouped == count_of(facet.name, old_rows(hub, query)), facet.name


def count_of(name, rows) -> dict:
    counts = {}
    for row in rows:
        value = facet_value(name, row)
        counts[value] = counts.get(value, 0) + 1
    return counts


def facet_value(name: str, citation: Citation) -> str:
    annotated = Citation.objects.with_citing().get(pk=citation.pk)
    paper = annotated.citing
    value = {
        "role": annotated.public_role or UNCLASSIFIED,
        "polarity": annotated.public_polarity or UNCLASSIFIED,
        "year": str(paper.year) if paper.year else UNKNOWN,
        "category": paper.primary_category or UNKNOWN,
        "verdict": annotated.citing_verdict,
    }[name]
    return value


def test_the_year_filter_reads_no_citing_paper_for_a_real_year(hub):
    """The point of the change: year=2024 is a range of the citation's date copy."""
    query = QueryDict("year=2024")
    sql = str(CitingPaperFilter(query, queryset=Citation.objects.of_paper(hub.paper)).qs.query)
    assert "citing_date_key" in sql
    assert "hubs_paper" not in sql
