"""Reads about a hub as a whole: finding it, the directory, its page-wide numbers
(summary, cube) and its representatives."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hubs.counts import hub_count_sums
from hubs.models import Citation, Hub, Polarity, Role
from hubs.numbers_cache import cached_numbers
from hubs.querysets import CURATED, thresholds
from hubs.vocab import UNCLASSIFIED, UNKNOWN

REPRESENTATIVES_SHOWN = 7

# The hub directory's orders (the page and the curation queue pick one of these; the API's
# cursor pages by slug). Hubs with nothing to sort by (no year, no citing paper) come last.
HUB_DIRECTORY_SORTS = {
    "citing": ("most cited", ["-citing_count", "slug"]),
    "title": ("title", ["paper__title", "slug"]),
    "year": ("newest", [F("paper__year").desc(nulls_last=True), "slug"]),
    "classified": (
        "share classified",
        [F("classified_share").desc(nulls_last=True), "-citing_count", "slug"],
    ),
}
DEFAULT_HUB_DIRECTORY_SORT = "citing"


def hub_visible(slug: str, *, include_drafts: bool) -> Hub:
    """The hub with this slug, if the caller may see it (drafts: curators); else Http404."""
    hubs = Hub.objects.visible(include_drafts=include_drafts).select_related("paper")
    return get_object_or_404(hubs, slug=slug)


def hub_directory(*, include_drafts: bool = False, sort: str = DEFAULT_HUB_DIRECTORY_SORT):
    """Hubs with their counts (HubQuerySet.with_counts: from the counts table, one query
    for the whole list) and their share classified, in one of HUB_DIRECTORY_SORTS' orders."""
    order = HUB_DIRECTORY_SORTS[sort][1]
    return (
        Hub.objects.visible(include_drafts=include_drafts)
        .with_counts()
        .annotate(
            # None for a hub nobody cites yet: no share to rank, last in that order.
            classified_share=Cast("classified_count", FloatField())
            / NullIf("citing_count", 0, output_field=FloatField())
        )
        .order_by(*order)
    )


@dataclass(frozen=True)
class HubDirectoryEntry:
    """A row of the hub directory (the page and the API list say the same)."""

    hub: Hub
    year: int | None  # the hub paper's
    citing_count: int
    classified_count: int
    classified_share: float  # of citing_count, 0..1 (0 for a hub nobody cites)
    roles: list["LabelCount"]  # shares of role_classified_count, as on the hub page
    polarities: list["LabelCount"]  # shares of polarity_classified_count
    role_classified_count: int
    polarity_classified_count: int

    @property
    def dominant_role(self) -> "LabelCount | None":
        return _dominant(self.roles)

    @property
    def dominant_polarity(self) -> "LabelCount | None":
        return _dominant(self.polarities)


def hub_directory_entry(hub: Hub) -> HubDirectoryEntry:
    """A hub from hub_directory as its directory row (from its annotations: no query)."""
    labels = {}
    for field, choices in (("role", Role.choices), ("polarity", Polarity.choices)):
        counts = {value: getattr(hub, f"{field}_{value}_count") for value, _ in choices}
        classified = sum(counts.values())
        labels[field] = (_label_counts(counts, choices, classified), classified)
    return HubDirectoryEntry(
        hub=hub,
        year=hub.paper.year,
        citing_count=hub.citing_count,
        classified_count=hub.classified_count,
        classified_share=hub.classified_share or 0.0,
        roles=labels["role"][0],
        polarities=labels["polarity"][0],
        role_classified_count=labels["role"][1],
        polarity_classified_count=labels["polarity"][1],
    )


@dataclass(frozen=True)
class LabelCount:
    value: str
    label: str
    count: int
    share: float  # of the denominator the section states, 0..1


@dataclass(frozen=True)
class HubSummary:
    citing_count: int
    classified_count: int  # citations with a classified role or polarity (or both)
    # ...of which a curator labelled (at least one of its labels is a person's), and the
    # rest, classified through suggestions alone: curated + suggested = classified.
    curated_count: int
    suggested_count: int
    # Per label, how many of its classified values are a curator's and how many are
    # suggestions (role_curated_count + role_suggested_count = role_classified_count).
    role_curated_count: int
    role_suggested_count: int
    polarity_curated_count: int
    polarity_suggested_count: int
    role_classified_count: int  # ...with a classified role: the roles' denominator
    polarity_classified_count: int  # ...with a classified polarity: the polarities' one
    roles: list[LabelCount]  # shares of role_classified_count
    polarities: list[LabelCount]  # shares of polarity_classified_count
    years: list[LabelCount]  # shares of the busiest year, newest first
    # Citing papers by (role, polarity), "unclassified" included on either side: the
    # role x polarity chart's cells (sums of the same counts as `roles` and `polarities`).
    role_polarity: dict[tuple[str, str], int]

    @property
    def role_polarity_rows(self) -> list["RolePolarityRow"]:
        """Each classified role's citing papers split by polarity (unclassified last),
        in Role order: the role summary's stacked bars and their table."""
        columns = [*Polarity.values, UNCLASSIFIED]
        return [
            RolePolarityRow(
                role=role,
                cells=[
                    LabelCount(
                        value=polarity,
                        label=label,
                        count=self.role_polarity.get((role.value, polarity), 0),
                        share=(
                            self.role_polarity.get((role.value, polarity), 0) / role.count
                            if role.count
                            else 0.0
                        ),
                    )
                    for polarity, label in zip(
                        columns, [*Polarity.labels, "unclassified"], strict=True
                    )
                ],
            )
            for role in self.roles
        ]

    @property
    def dominant_role(self) -> LabelCount | None:
        return _dominant(self.roles)

    @property
    def dominant_polarity(self) -> LabelCount | None:
        return _dominant(self.polarities)

    @property
    def role_unclassified_count(self) -> int:
        return self.citing_count - self.role_classified_count

    @property
    def polarity_unclassified_count(self) -> int:
        return self.citing_count - self.polarity_classified_count

    @property
    def status_sentence(self) -> str:
        """The hub page's first line (the page and the API say it): what is classified,
        role and polarity each with its own denominator, so it holds whichever is set."""
        if not self.classified_count:
            papers = f"{self.citing_count} citing paper" + ("" if self.citing_count == 1 else "s")
            return f"Canonical reference. None of its {papers} is classified yet."
        role = self.dominant_role
        if role is None:
            role_part = "No citing paper has a classified role yet"
        else:
            role_part = (
                f"{_percent(role.share)} of the citing papers with a classified role cite "
                f"this work as {role.label} ({self._of_total(self.role_classified_count)} "
                "a classified role)"
            )
        polarity = self.dominant_polarity
        if polarity is None:
            polarity_part = "no citing paper has a classified polarity yet"
        else:
            polarity_part = (
                f"{self._of_total(self.polarity_classified_count)} a classified polarity, "
                f"{_percent(polarity.share)} {polarity.label}"
            )
        return f"Canonical reference. {role_part}; {polarity_part}. {self.provenance_sentence}"

    @property
    def provenance_sentence(self) -> str:
        """ "31 of 36 classified: 6 by curators, 25 suggested." (suggested: a model's or an
        import's labels at or above their thresholds, marked as such on every row)."""
        return (
            f"{self.classified_count} of {self.citing_count} classified: "
            f"{self.curated_count} by curators, {self.suggested_count} suggested."
        )

    def _of_total(self, count: int) -> str:
        return f"{count} of {self.citing_count} " + ("has" if count == 1 else "have")


@dataclass(frozen=True)
class RolePolarityRow:
    role: LabelCount  # share: of the citing papers with a classified role
    cells: list[LabelCount]  # by polarity; share: of this role's count


def _dominant(counts: list[LabelCount]) -> LabelCount | None:
    ranked = [label for label in counts if label.count]
    return max(ranked, key=lambda label: label.count) if ranked else None


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _label_counts(counts: dict, choices, denominator: int) -> list[LabelCount]:
    return [
        LabelCount(
            value=value,
            label=label,
            count=counts.get(value, 0),
            share=(counts.get(value, 0) / denominator) if denominator else 0.0,
        )
        for value, label in choices
    ]


def hub_summary(hub: Hub) -> HubSummary:
    """Counts for a hub page: citing papers, classified share by role and polarity, years
    (cached between writes: hubs.numbers_cache)."""
    return cached_numbers(hub.paper_id, "summary", lambda: _hub_summary(hub))


def _hub_summary(hub: Hub) -> HubSummary:
    """One query whatever the hub's size: the hub's counts table (hubs.counts) summed by
    role, polarity, year and who set each label."""
    cells = hub_count_sums(hub.pk, ["role", "polarity", "year", "role_state", "polarity_state"])
    roles, polarities, years, totals = Counter(), Counter(), Counter(), Counter()
    role_polarity = Counter()
    for cell in cells:
        n = cell["n"]
        role_polarity[cell["role"], cell["polarity"]] += n
        roles[cell["role"]] += n
        polarities[cell["polarity"]] += n
        years[cell["year"]] += n
        if (cell["role"], cell["polarity"]) != (UNCLASSIFIED, UNCLASSIFIED):
            totals["classified"] += n
        # A citation is curated when a person set at least one of its labels.
        totals["curated"] += n if CURATED in (cell["role_state"], cell["polarity_state"]) else 0
        totals["role_curated"] += n if cell["role_state"] == CURATED else 0
        totals["polarity_curated"] += n if cell["polarity_state"] == CURATED else 0
    totals.update(
        with_role=sum(n for value, n in roles.items() if value != UNCLASSIFIED),
        with_polarity=sum(n for value, n in polarities.items() if value != UNCLASSIFIED),
        **{f"role_{value}": roles[value] for value in Role.values},
        **{f"pol_{value}": polarities[value] for value in Polarity.values},
    )
    classified_count = totals["classified"]
    # Newest first, unknown years last.
    by_year = sorted(years.items(), key=lambda item: (item[0] is None, -(item[0] or 0)))
    busiest = max((n for _, n in by_year), default=0)
    return HubSummary(
        citing_count=sum(n for _, n in by_year),
        classified_count=classified_count,
        curated_count=totals["curated"],
        suggested_count=classified_count - totals["curated"],
        role_curated_count=totals["role_curated"],
        role_suggested_count=totals["with_role"] - totals["role_curated"],
        polarity_curated_count=totals["polarity_curated"],
        polarity_suggested_count=totals["with_polarity"] - totals["polarity_curated"],
        role_classified_count=totals["with_role"],
        polarity_classified_count=totals["with_polarity"],
        roles=_label_counts(
            {value: totals[f"role_{value}"] for value in Role.values},
            Role.choices,
            totals["with_role"],
        ),
        polarities=_label_counts(
            {value: totals[f"pol_{value}"] for value in Polarity.values},
            Polarity.choices,
            totals["with_polarity"],
        ),
        years=[
            LabelCount(
                value=str(year) if year else UNKNOWN,
                label=str(year) if year else "unknown",
                count=n,
                share=n / busiest if busiest else 0.0,
            )
            for year, n in by_year
        ],
        role_polarity=dict(role_polarity),
    )


YOUNG_HUB = datetime.timedelta(days=2 * 365)


@dataclass(frozen=True)
class Timeline:
    """Citing papers over time, oldest first with empty periods shown: per year, or per
    month for a hub younger than two years (a year or two of bars says little)."""

    unit: str  # "year" or "month"
    # value: "2025" (the explorer's year filter) or "2025-09"; share: of the busiest period
    periods: list[LabelCount]
    undated: int  # citing papers with no date at this precision


def hub_timeline(hub: Hub, summary: HubSummary) -> Timeline:
    """The hub page's "citing papers per year (or month)" chart: years from the summary
    (the counts table), months counted once between writes (hubs.numbers_cache)."""
    published = hub.paper.sort_date
    if published and published > timezone.localdate() - YOUNG_HUB:
        return cached_numbers(hub.paper_id, "months", lambda: _hub_months(hub))
    counts = {int(year.value): year.count for year in summary.years if year.value != UNKNOWN}
    undated = sum(year.count for year in summary.years if year.value == UNKNOWN)
    keys = list(range(min(counts), max(counts) + 1)) if counts else []
    return _timeline(
        "year", [(str(year), str(year), counts.get(year, 0)) for year in keys], undated
    )


def _hub_months(hub: Hub) -> Timeline:
    # The counts table keeps years, not months: a young hub's months are counted from its
    # citations (one grouped query, cached between writes like the summary).
    rows = (
        Citation.objects.of_paper(hub.paper_id)
        .values_list("citing__year", "citing__month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts, undated = {}, 0
    for year, month, n in rows:
        if year and month:
            counts[year, month] = n
        else:
            undated += n
    keys = []
    if counts:
        (year, month), last = min(counts), max(counts)
        while (year, month) <= last:
            keys.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _timeline(
        "month",
        [
            (
                f"{year}-{month:02d}",
                datetime.date(year, month, 1).strftime("%b %Y"),
                counts.get((year, month), 0),
            )
            for year, month in keys
        ],
        undated,
    )


def _timeline(unit: str, periods: list[tuple[str, str, int]], undated: int) -> Timeline:
    busiest = max((n for *_, n in periods), default=0)
    return Timeline(
        unit=unit,
        periods=[
            LabelCount(value=value, label=label, count=n, share=n / busiest if busiest else 0.0)
            for value, label, n in periods
        ],
        undated=undated,
    )


def hub_representatives(hub: Hub) -> list[Citation]:
    """The hub's representative citing papers, as citations (they carry refs).

    The curator's ordered pick; when there is none, the reviewed citing papers with the
    highest novelty.
    """
    citations = Citation.objects.of_paper(hub.paper_id).with_citing()
    picked = list(hub.representative_links.values_list("paper_id", flat=True))
    if picked:
        by_paper = {c.citing_id: c for c in citations.filter(citing_id__in=picked)}
        return [by_paper[paper_id] for paper_id in picked if paper_id in by_paper]
    # On the citation's copies of the keys (hubs.paging): the top of the hub's novelty
    # index, not a sort of every reviewed citing paper. A missing novelty is below zero.
    return list(
        citations.filter(citing_novelty_key__gte=0).order_by(
            "-citing_novelty_key", "-citing_date_key", "-id"
        )[:REPRESENTATIVES_SHOWN]
    )


def hub_cube(hub: Hub) -> list[dict]:
    """Classified citations counted by role x polarity x year of the citing paper (cached
    between writes, like the summary)."""
    return cached_numbers(hub.paper_id, "cube", lambda: _hub_cube(hub))


def _hub_cube(hub: Hub) -> list[dict]:
    cells = hub_count_sums(
        hub.pk,
        ["role", "polarity", "year"],
        where=~Q(role=UNCLASSIFIED, polarity=UNCLASSIFIED),  # classified: either label
    )
    rows = sorted(
        (
            {
                # Within a classified citation, a label that does not count is empty.
                "role": "" if cell["role"] == UNCLASSIFIED else cell["role"],
                "polarity": "" if cell["polarity"] == UNCLASSIFIED else cell["polarity"],
                "year": cell["year"],
                "count": cell["n"],
            }
            for cell in cells
        ),
        key=lambda row: (row["role"], row["polarity"], row["year"] is None, row["year"] or 0),
    )
    return rows


def hub_detail(hub: Hub) -> dict:
    """What the API and the MCP server's get_hub say about a hub (HubDetailSerializer's
    input): the page's summaries, the status sentence's figures, the cube and the
    representatives."""
    summary = hub_summary(hub)
    dominant, polarity = summary.dominant_role, summary.dominant_polarity
    status_figures = {
        "citing_count": summary.citing_count,
        "classified_count": summary.classified_count,
        "curated_count": summary.curated_count,
        "suggested_count": summary.suggested_count,
        "role_curated_count": summary.role_curated_count,
        "role_suggested_count": summary.role_suggested_count,
        "polarity_curated_count": summary.polarity_curated_count,
        "polarity_suggested_count": summary.polarity_suggested_count,
        "thresholds": thresholds(),
        "role_classified_count": summary.role_classified_count,
        "polarity_classified_count": summary.polarity_classified_count,
        "dominant_role": dominant.value if dominant else None,
        "dominant_role_count": dominant.count if dominant else 0,
        "dominant_role_share": dominant.share if dominant else 0.0,
        "dominant_polarity": polarity.value if polarity else None,
        "dominant_polarity_count": polarity.count if polarity else 0,
        "dominant_polarity_share": polarity.share if polarity else 0.0,
        "sentence": summary.status_sentence,
    }
    return {
        "slug": hub.slug,
        "is_published": hub.is_published,
        "curator_note": hub.curator_note,
        "paper": hub.paper,
        "status": status_figures,
        "roles": summary.roles,
        "polarities": summary.polarities,
        "years": summary.years,
        "cube": hub_cube(hub),
        "representatives": hub_representatives(hub),
    }
