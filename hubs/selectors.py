"""Read-side functions that combine querysets into what a page, feed or endpoint shows."""

import contextlib
from dataclasses import dataclass

from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce

from hubs.filters import UNCLASSIFIED, UNKNOWN, CitingPaperFilter, labelled_q
from hubs.identifiers import normalize_doi, parse_arxiv_id
from hubs.models import Citation, Hub, Paper, Polarity, Role, Verdict
from hubs.numbers_cache import cached_numbers
from hubs.paging import SORTS, KeysetPage, keyset_page, sorted_rows

REPRESENTATIVES_SHOWN = 7
EXPLORER_PAGE_SIZE = 25


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
    role_classified_count: int  # ...with a classified role: the roles' denominator
    polarity_classified_count: int  # ...with a classified polarity: the polarities' one
    roles: list[LabelCount]  # shares of role_classified_count
    polarities: list[LabelCount]  # shares of polarity_classified_count
    years: list[LabelCount]  # shares of the busiest year, newest first

    @property
    def dominant_role(self) -> LabelCount | None:
        ranked = [role for role in self.roles if role.count]
        return max(ranked, key=lambda role: role.count) if ranked else None

    @property
    def role_unclassified_count(self) -> int:
        return self.citing_count - self.role_classified_count

    @property
    def polarity_unclassified_count(self) -> int:
        return self.citing_count - self.polarity_classified_count

    @property
    def status_sentence(self) -> str:
        """The hub page's first line, with its denominator (the page and the API say it)."""
        dominant = self.dominant_role
        if dominant is None:
            papers = f"{self.citing_count} citing paper" + ("" if self.citing_count == 1 else "s")
            return f"Canonical reference. None of its {papers} is classified yet."
        return (
            f"Canonical reference. {round(dominant.share * 100)}% of classified citing papers "
            f"cite this work as {dominant.label} ({self.role_classified_count} of "
            f"{self.citing_count} classified)."
        )


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
    """Two queries whatever the hub's size: one aggregate over the classified citations,
    one GROUP BY year."""
    citations = Citation.objects.of_paper(hub.paper_id)
    totals = citations.classified().aggregate(
        classified=Count("pk"),
        with_role=Count("pk", filter=~Q(role="")),
        with_polarity=Count("pk", filter=~Q(polarity="")),
        **{f"role_{value}": Count("pk", filter=Q(role=value)) for value in Role.values},
        **{f"pol_{value}": Count("pk", filter=Q(polarity=value)) for value in Polarity.values},
    )
    classified_count = totals["classified"]
    by_year = list(
        citations.values_list("citing__year").annotate(n=Count("pk")).order_by("-citing__year")
    )
    busiest = max((n for _, n in by_year), default=0)
    return HubSummary(
        citing_count=sum(n for _, n in by_year),
        classified_count=classified_count,
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
    return list(
        citations.filter(citing__review__novelty__isnull=False).order_by(
            "-citing__review__novelty", "-citing__sort_date", "-id"
        )[:REPRESENTATIVES_SHOWN]
    )


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[LabelCount]  # share: of the largest value, for bar widths


@dataclass(frozen=True)
class Explorer:
    filterset: CitingPaperFilter
    page: KeysetPage
    matching: int  # citing papers that pass the filters
    facets: list[Facet]


def hub_citations(hub: Hub, params) -> CitingPaperFilter:
    """The hub's citations filtered by `params` (a QueryDict): the explorer's definition."""
    return CitingPaperFilter(params, queryset=Citation.objects.of_paper(hub.paper_id))


def _facet_counts(
    filterset: CitingPaperFilter, name: str, *, keep_own_filter: bool = False
) -> dict[str, int]:
    # A page's facet ignores its own filter, so every value of it stays one click away;
    # the API's group_by applies every filter it is given, as OpenAlex does.
    queryset = (filterset if keep_own_filter else filterset.without(name)).qs
    if name in ("role", "polarity"):
        # One pass: each label's classified count, and the rest as "unclassified".
        labelled = labelled_q(name)
        values = Role.values if name == "role" else Polarity.values
        totals = queryset.aggregate(
            **{value: Count("pk", filter=labelled & Q(**{name: value})) for value in values},
            **{UNCLASSIFIED: Count("pk", filter=~labelled)},
        )
        return {value: n for value, n in totals.items() if n}
    if name == "year":
        rows = queryset.values_list("citing__year")
    elif name == "category":
        rows = queryset.values_list("citing__primary_category")
    else:  # verdict
        rows = queryset.annotate(
            verdict=Coalesce("citing__review__verdict", Value(Verdict.UNVERDICTED))
        ).values_list("verdict")
    counts = rows.annotate(n=Count("pk")).order_by()
    return {(str(value) if value else UNKNOWN): n for value, n in counts}


FACET_LABELS = {
    "role": ("Roles", {**dict(Role.choices), UNCLASSIFIED: "unclassified"}),
    "polarity": ("Polarities", {**dict(Polarity.choices), UNCLASSIFIED: "unclassified"}),
    "year": ("Years", {}),
    "category": ("Categories", {}),
    "verdict": ("Verdicts", dict(Verdict.choices)),
}


def _facet(filterset: CitingPaperFilter, name: str) -> Facet:
    counts = _facet_counts(filterset, name)
    title, labels = FACET_LABELS[name]
    if name == "year":
        ordered = sorted(counts.items(), key=lambda item: item[0], reverse=True)
    elif labels:
        ordered = [(value, counts[value]) for value in labels if value in counts]
    else:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    largest = max(counts.values(), default=0)
    return Facet(
        name=name,
        label=title,
        values=[
            LabelCount(value=value, label=labels.get(value, value), count=n, share=n / largest)
            for value, n in ordered
        ],
    )


def hub_explorer(hub: Hub, params, *, page_size: int = EXPLORER_PAGE_SIZE) -> Explorer:
    """One page of a hub's citing papers under `params`, with counts and facets.

    Raises hubs.paging.InvalidCursor for a malformed cursor. Invalid filter values are
    left out of the filtering and reported by `explorer.filterset.errors`.
    """
    filterset = hub_citations(hub, params)
    page = keyset_page(
        filterset.qs.with_citing(),
        sort=SORTS[filterset.sort_name],
        cursor=params.get("cursor") or None,
        size=page_size,
    )

    def facets():
        return [_facet(filterset, name) for name in CitingPaperFilter.FACETS]

    # The unfiltered facets are the same for every visitor: cached between writes.
    unfiltered = filterset.form.is_valid() and not filterset.active_filters
    return Explorer(
        filterset=filterset,
        page=page,
        matching=filterset.qs.count(),
        facets=cached_numbers(hub.paper_id, "facets", facets) if unfiltered else facets(),
    )


def published_hub_of(paper: Paper) -> Hub | None:
    return Hub.objects.published().filter(paper=paper).first()


def paper_citing_count(paper: Paper) -> int:
    return Citation.objects.of_paper(paper).count()


def latest_reviewed_papers(limit: int = 8) -> list[Paper]:
    return list(Paper.objects.reviewed()[:limit])


def paper_by_identifier(identifier: str) -> Paper | None:
    """The paper an arXiv id (any version), DOI (any case or resolver prefix), ACL Anthology
    id or OpenAlex id names, or None."""
    if "\x00" in identifier:  # PostgreSQL cannot even compare text holding a NUL
        return None
    papers = Paper.objects.with_review()
    lookups = []
    with contextlib.suppress(ValueError):
        lookups.append({"arxiv_id": parse_arxiv_id(identifier).id})
    with contextlib.suppress(ValueError):
        lookups.append({"doi": normalize_doi(identifier)})
    lookups += [{"acl_id": identifier}, {"openalex_id": identifier}]
    for lookup in lookups:
        if paper := papers.filter(**lookup).first():
            return paper
    return None


def paper_hub_references(paper: Paper) -> list[Citation]:
    """The paper's citations of published hubs, with their contexts."""
    return list(
        Citation.objects.filter(citing=paper, cited__hub__is_published=True)
        .with_public_labels()
        .select_related("cited", "cited__hub")
        .prefetch_related("contexts")
        .order_by("cited__title")
    )


def paper_citing_page(paper: Paper, *, cursor: str | None, size: int = EXPLORER_PAGE_SIZE):
    """A page of the papers citing `paper`, newest first (raises InvalidCursor)."""
    return keyset_page(
        Citation.objects.of_paper(paper).with_citing(),
        sort=SORTS["newest"],
        cursor=cursor,
        size=size,
    )


@dataclass(frozen=True)
class ClassificationChange:
    when: object  # datetime
    who: str
    source: str
    role_from: str
    role_to: str
    polarity_from: str
    polarity_to: str
    confidence: float | None

    @property
    def role_changed(self) -> bool:
        return self.role_from != self.role_to

    @property
    def labels(self) -> dict[str, str]:
        """Display names of the four values ("uses method", not "uses_method")."""
        roles, polarities = dict(Role.choices), dict(Polarity.choices)
        return {
            "role_from": roles.get(self.role_from, "none"),
            "role_to": roles.get(self.role_to, "none"),
            "polarity_from": polarities.get(self.polarity_from, "none"),
            "polarity_to": polarities.get(self.polarity_to, "none"),
        }

    @property
    def polarity_changed(self) -> bool:
        return self.polarity_from != self.polarity_to


def _who(record) -> str:
    """Who set the labels, in words: a curator (by name when they gave one), or the import
    or model whose suggestion it is, and the person who recorded it, if any."""
    person = record.history_user and (record.history_user.name or "a curator")
    source = record.classification_source
    if source in ("import", "model"):
        label = "an import" if source == "import" else "a model"
        if record.confidence is not None:
            label += f" (confidence {record.confidence:.2f})"
        return f"{label}, restored by {person}" if person else label
    return person or "a data load"


def citation_classification_history(citation: Citation) -> list[ClassificationChange]:
    """Every change of the citation's role or polarity, newest first: who, when, from, to."""
    records = citation.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    changes, previous = [], None
    for record in records:
        before = (previous.role, previous.polarity) if previous else ("", "")
        after = (record.role, record.polarity)
        if before != after:
            changes.append(
                ClassificationChange(
                    when=record.history_date,
                    who=_who(record),
                    source=record.classification_source,
                    role_from=before[0],
                    role_to=after[0],
                    polarity_from=before[1],
                    polarity_to=after[1],
                    confidence=record.confidence,
                )
            )
        previous = record
    changes.reverse()
    return changes


def hub_cube(hub: Hub) -> list[dict]:
    """Classified citations counted by role x polarity x year of the citing paper (cached
    between writes, like the summary)."""
    return cached_numbers(hub.paper_id, "cube", lambda: _hub_cube(hub))


def _hub_cube(hub: Hub) -> list[dict]:
    rows = (
        Citation.objects.of_paper(hub.paper_id)
        .classified()
        .values("role", "polarity", "citing__year")
        .annotate(count=Count("pk"))
        .order_by("role", "polarity", "citing__year")
    )
    return [
        {
            "role": r["role"],
            "polarity": r["polarity"],
            "year": r["citing__year"],
            "count": r["count"],
        }
        for r in rows
    ]


def hub_facet(hub: Hub, params, *, group_by: str) -> tuple[CitingPaperFilter, dict[str, int]]:
    """Counts of the hub's citing papers grouped by one dimension, under every filter given."""
    filterset = hub_citations(hub, params)
    return filterset, _facet_counts(filterset, group_by, keep_own_filter=True)


def hub_citations_in_order(filterset: CitingPaperFilter):
    """The filtered citations with their citing papers, in the filterset's sort order (for
    exports, which stream the whole list)."""
    return sorted_rows(filterset.qs.with_citing(), SORTS[filterset.sort_name])
