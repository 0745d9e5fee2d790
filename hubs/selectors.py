"""Read-side functions that combine querysets into what a page or endpoint shows."""

from dataclasses import dataclass

from django.db.models import Count, Q

from hubs.models import Citation, Hub, Polarity, Role


@dataclass(frozen=True)
class LabelCount:
    value: str
    label: str
    count: int
    share: float  # of the classified citations, 0..1


@dataclass(frozen=True)
class HubSummary:
    citing_count: int
    classified_count: int
    roles: list[LabelCount]
    polarities: list[LabelCount]
    years: list[tuple[int, int]]  # (year, citing papers), newest first

    @property
    def dominant_role(self) -> LabelCount | None:
        ranked = [role for role in self.roles if role.count]
        return max(ranked, key=lambda role: role.count) if ranked else None


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
    """Counts for a hub page: citing papers, classified share by role and polarity, years."""
    citations = Citation.objects.of_paper(hub.paper_id)
    classified = citations.classified()
    aggregates = {
        "classified": Count("pk"),
        **{f"role_{value}": Count("pk", filter=Q(role=value)) for value in Role.values},
        **{f"pol_{value}": Count("pk", filter=Q(polarity=value)) for value in Polarity.values},
    }
    totals = classified.aggregate(**aggregates)
    classified_count = totals["classified"]
    roles = {value: totals[f"role_{value}"] for value in Role.values}
    polarities = {value: totals[f"pol_{value}"] for value in Polarity.values}
    years = (
        citations.values_list("citing__year").annotate(count=Count("pk")).order_by("-citing__year")
    )
    return HubSummary(
        citing_count=citations.count(),
        classified_count=classified_count,
        roles=_label_counts(roles, Role.choices, classified_count),
        polarities=_label_counts(polarities, Polarity.choices, classified_count),
        years=list(years),
    )
