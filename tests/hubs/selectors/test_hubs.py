"""hubs/selectors/hubs.py: a hub's page-wide numbers, cube and representatives."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hubs import services
from hubs.selectors import (
    REPRESENTATIVES_SHOWN,
    hub_cube,
    hub_representatives,
    hub_summary,
    hub_timeline,
)
from hubs.vocab import UNKNOWN, ClassificationSource, Polarity, Role
from tests.factories import CitationFactory, HubFactory, PaperFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PITHSITE_CLASSIFICATION_THRESHOLD = 0.8


def cite(hub, *, year=2025, novelty=None, **labels):
    paper = PaperFactory(
        year=year,
        month=1 if year else None,
        submitted=datetime.date(year, 1, 1) if year else None,
        sort_date=datetime.date(year, 1, 1) if year else None,
    )
    if novelty is not None:
        ReviewFactory(paper=paper, novelty=Decimal(novelty), summary="Reviewed.")
    return CitationFactory(cited=hub.paper, citing=paper, **labels)


class TestHubSummary:
    def test_counts_role_only_polarity_only_both_and_neither(self):
        hub = HubFactory()
        cite(hub, role=Role.BACKGROUND)
        cite(hub, polarity=Polarity.SUPPORTING)
        cite(hub, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL)
        cite(hub)
        cite(hub, suggested_role=Role.BUILDS_ON, confidence=0.4)
        summary = hub_summary(hub)
        assert summary.citing_count == 5
        assert summary.classified_count == 3
        assert summary.role_classified_count == 2
        assert summary.polarity_classified_count == 2
        assert summary.role_unclassified_count == 3
        assert summary.polarity_unclassified_count == 3

    def test_counts_curated_and_suggested_labels_apart(self, settings):
        settings.PITHSITE_CLASSIFICATION_THRESHOLDS = {"supporting": 0.95}
        hub = HubFactory()
        cite(hub, role=Role.BACKGROUND)  # curated
        cite(hub, role=Role.BACKGROUND, suggested_polarity=Polarity.NEUTRAL)  # both kinds
        cite(hub, suggested_role=Role.USES_METHOD, suggested_polarity=Polarity.NEUTRAL)
        cite(hub, suggested_role=Role.USES_METHOD, suggestion_source=ClassificationSource.IMPORT)
        cite(hub, suggested_polarity=Polarity.SUPPORTING, confidence=0.9)  # below 0.95
        cite(hub, role=Role.BUILDS_ON, suggested_role=Role.BACKGROUND)  # the curator's wins
        summary = hub_summary(hub)
        assert (summary.classified_count, summary.curated_count, summary.suggested_count) == (
            5,
            3,
            2,
        )
        assert (summary.role_curated_count, summary.role_suggested_count) == (3, 2)
        assert (summary.polarity_curated_count, summary.polarity_suggested_count) == (0, 2)
        roles = {label.value: label.count for label in summary.roles}
        assert roles == {"background": 2, "builds_on": 1, "uses_method": 2, "uses_data": 0,
                         "compares_with": 0}  # fmt: skip
        assert summary.provenance_sentence == "5 of 6 classified: 3 by curators, 2 suggested."

    def test_role_shares_are_of_the_role_classified_polarity_of_the_polarity_classified(self):
        hub = HubFactory()
        cite(hub, role=Role.BACKGROUND)
        cite(hub, role=Role.BACKGROUND)
        cite(hub, role=Role.USES_DATA, polarity=Polarity.CONTRASTING)
        cite(hub)
        summary = hub_summary(hub)
        roles = {role.value: (role.count, role.share) for role in summary.roles}
        assert roles[Role.BACKGROUND] == (2, pytest.approx(2 / 3))
        assert roles[Role.USES_DATA] == (1, pytest.approx(1 / 3))
        assert [role.value for role in summary.roles] == Role.values
        polarities = {p.value: (p.count, p.share) for p in summary.polarities}
        assert polarities[Polarity.CONTRASTING] == (1, 1.0)
        assert summary.dominant_role.value == Role.BACKGROUND

    def test_nothing_classified_has_no_dominant_role(self):
        hub = HubFactory()
        cite(hub)
        cite(hub, polarity=Polarity.NEUTRAL)
        summary = hub_summary(hub)
        assert summary.dominant_role is None
        assert all(role.share == 0 for role in summary.roles)

    def test_years_newest_first_with_shares_of_the_busiest(self):
        hub = HubFactory()
        for year in (2024, 2025, 2025, None):
            cite(hub, year=year)
        years = [(y.value, y.count, y.share) for y in hub_summary(hub).years]
        assert [year for year in years if year[0] != UNKNOWN] == [
            ("2025", 2, 1.0),
            ("2024", 1, 0.5),
        ]
        assert (UNKNOWN, 1, 0.5) in years

    def test_the_unknown_year_comes_after_the_known_ones_on_every_database(self):
        hub = HubFactory()
        for year in (2024, 2025, None):
            cite(hub, year=year)
        assert [y.value for y in hub_summary(hub).years] == ["2025", "2024", UNKNOWN]

    def test_an_empty_hub(self):
        summary = hub_summary(HubFactory())
        assert (summary.citing_count, summary.classified_count, summary.years) == (0, 0, [])

    def test_counts_only_this_hubs_citations(self):
        hub, other = HubFactory(), HubFactory()
        cite(hub, role=Role.BACKGROUND)
        cite(other, role=Role.BACKGROUND)
        assert hub_summary(hub).citing_count == 1


class TestHubCube:
    def test_counts_classified_citations_by_role_polarity_and_year(self):
        hub = HubFactory()
        cite(hub, year=2024, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL)
        cite(hub, year=2024, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL)
        cite(hub, year=2025, role=Role.BACKGROUND)
        cite(hub, year=2025)  # unclassified: not in the cube
        cite(hub, year=2025, suggested_role=Role.USES_DATA, confidence=0.1)  # too weak
        cite(hub, year=2025, suggested_role=Role.USES_DATA, confidence=0.9)
        cite(hub, year=2025, role=Role.BACKGROUND, suggested_polarity=Polarity.NEUTRAL)
        assert hub_cube(hub) == [
            {"role": "background", "polarity": "", "year": 2025, "count": 1},
            {"role": "background", "polarity": "neutral", "year": 2024, "count": 2},
            {"role": "background", "polarity": "neutral", "year": 2025, "count": 1},
            {"role": "uses_data", "polarity": "", "year": 2025, "count": 1},
        ]

    def test_the_cube_adds_up_to_the_classified_count(self):
        hub = HubFactory()
        for n in range(12):
            cite(
                hub,
                year=2023 + n % 3,
                role=Role.values[n % 5] if n % 4 else "",
                polarity=Polarity.values[n % 3] if n % 3 else "",
            )
        assert sum(cell["count"] for cell in hub_cube(hub)) == hub_summary(hub).classified_count


class TestHubRepresentatives:
    def test_the_curators_pick_in_the_curators_order(self, curator):
        hub = HubFactory()
        first, second, _ = cite(hub, novelty="2"), cite(hub, novelty="9"), cite(hub, novelty="5")
        services.hub_set_representatives(hub=hub, papers=[first.citing, second.citing], by=curator)
        assert hub_representatives(hub) == [first, second]

    def test_without_a_pick_the_most_novel_reviewed_papers(self):
        hub = HubFactory()
        novel = [cite(hub, novelty=str(n)) for n in range(REPRESENTATIVES_SHOWN + 2)]
        cite(hub)  # unreviewed: never a representative
        shown = hub_representatives(hub)
        assert (
            shown == sorted(novel, key=lambda c: -c.citing.review.novelty)[:REPRESENTATIVES_SHOWN]
        )

    def test_rows_say_whether_their_labels_count(self):
        hub = HubFactory()
        cite(hub, novelty="5", role=Role.BACKGROUND)
        (row,) = hub_representatives(hub)
        assert row.is_classified


class TestRolePolarity:
    def test_each_roles_bar_splits_its_count_by_polarity(self):
        hub = HubFactory()
        cite(hub, role=Role.BACKGROUND, polarity=Polarity.NEUTRAL)
        cite(hub, role=Role.BACKGROUND, polarity=Polarity.SUPPORTING)
        cite(hub, role=Role.BACKGROUND)
        cite(hub, role=Role.BUILDS_ON, polarity=Polarity.CONTRASTING)
        cite(hub, polarity=Polarity.NEUTRAL)  # no role: not in a role's bar
        rows = {row.role.value: row for row in hub_summary(hub).role_polarity_rows}
        background = {cell.value: cell.count for cell in rows[Role.BACKGROUND].cells}
        assert background == {"supporting": 1, "neutral": 1, "contrasting": 0, "unclassified": 1}
        assert [cell.share for cell in rows[Role.BUILDS_ON].cells] == [0, 0, 1, 0]
        # The same numbers as the role summary's: a bar's parts add up to its role's count.
        for row in rows.values():
            assert sum(cell.count for cell in row.cells) == row.role.count


def dated_hub(published: datetime.date):
    return HubFactory(
        paper=PaperFactory(
            submitted=published, year=published.year, month=published.month, sort_date=published
        )
    )


def cite_in(hub, year, month):
    paper = PaperFactory(
        year=year,
        month=month,
        submitted=None,
        sort_date=datetime.date(year, month or 1, 1) if year else None,
    )
    return CitationFactory(cited=hub.paper, citing=paper)


class TestTimeline:
    def test_an_older_hub_counts_per_year_with_empty_years_shown(self):
        hub = dated_hub(datetime.date(2019, 5, 1))
        for year in (2019, 2019, 2022, None):
            cite(hub, year=year)
        timeline = hub_timeline(hub, hub_summary(hub))
        assert timeline.unit == "year"
        assert [(p.value, p.count) for p in timeline.periods] == [
            ("2019", 2),
            ("2020", 0),
            ("2021", 0),
            ("2022", 1),
        ]
        assert [p.share for p in timeline.periods] == [1, 0, 0, 0.5]
        assert timeline.undated == 1

    def test_a_hub_younger_than_two_years_counts_per_month(self):
        today = timezone.localdate()
        hub = dated_hub(today - datetime.timedelta(days=200))
        first = today - datetime.timedelta(days=95)
        last = today - datetime.timedelta(days=5)
        cite_in(hub, first.year, first.month)
        cite_in(hub, first.year, first.month)
        cite_in(hub, last.year, last.month)
        cite_in(hub, last.year, None)  # a year without a month: not placed in January
        timeline = hub_timeline(hub, hub_summary(hub))
        assert timeline.unit == "month"
        assert timeline.periods[0].value == f"{first.year}-{first.month:02d}"
        assert timeline.periods[0].label == first.strftime("%b %Y")
        assert timeline.periods[0].count == 2
        assert timeline.periods[-1].count == 1
        assert len(timeline.periods) in (4, 5)  # every month between, the empty ones too
        assert sum(p.count for p in timeline.periods[1:-1]) == 0
        assert timeline.undated == 1

    def test_no_citing_paper_no_periods(self):
        hub = dated_hub(datetime.date(2010, 1, 1))
        assert hub_timeline(hub, hub_summary(hub)).periods == []
