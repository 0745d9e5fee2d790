"""The read layer: every page, API view, export, command and admin list starts here.

Each rule of the domain is one function below (a Q or an expression, taking the path
to the model it applies to), and the querysets, filters, facets, admin and exports all
call it: "classified", "unverdicted" and "published" are spelled nowhere else.
"""

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Upper

from hubs.identifiers import parse_or_none
from hubs.vocab import UNCLASSIFIED, Polarity, Role, Verdict

# The two labels a citation carries, with their vocabularies.
LABEL_FIELDS = ("role", "polarity")
CURATED, SUGGESTED = "curated", "suggested"


def _values(field: str) -> list[str]:
    return list((Role if field == "role" else Polarity).values)


def threshold_for(value: str) -> float:
    """The confidence at which a suggested `value` (a role or a polarity) counts as
    classified: its own threshold if settings give one, else the site's default."""
    return settings.PITHSITE_CLASSIFICATION_THRESHOLDS.get(
        value, settings.PITHSITE_CLASSIFICATION_THRESHOLD
    )


def thresholds() -> dict[str, dict[str, float]]:
    """Every label's threshold, {"role": {value: t}, "polarity": {...}} (pages, API)."""
    return {
        field: {value: threshold_for(value) for value in _values(field)} for field in LABEL_FIELDS
    }


def curated_q(field: str, prefix: str = "") -> Q:
    """Citations whose `field` (role or polarity) a person set. Written as a positive
    condition: through a relation ("citations__") a negated one would become a subquery
    matching papers with no citation at all."""
    return Q(**{f"{prefix}{field}__in": _values(field)})


def suggestion_is_q(field: str, value: str, prefix: str = "") -> Q:
    """Citations with a suggested `value` for `field` at or above its threshold."""
    return Q(
        **{
            f"{prefix}suggested_{field}": value,
            f"{prefix}suggested_{field}_confidence__gte": threshold_for(value),
        }
    )


def suggested_q(field: str, prefix: str = "") -> Q:
    """Citations whose public `field` is a suggestion: no person set it, and a suggestion
    of it stands at or above its threshold."""
    confident = Q()
    for value in _values(field):
        confident |= suggestion_is_q(field, value, prefix)
    return Q(**{f"{prefix}{field}": ""}) & confident


def label_is_q(field: str, value: str, prefix: str = "") -> Q:
    """Citations whose public `field` is `value`: the curator's label, else a suggestion
    at or above its threshold. A curator's label always wins over a suggestion."""
    return Q(**{f"{prefix}{field}": value}) | (
        Q(**{f"{prefix}{field}": ""}) & suggestion_is_q(field, value, prefix)
    )


def labelled_q(field: str, prefix: str = "") -> Q:
    """Citations whose `field` (role or polarity) counts as classified on public pages
    (DESIGN.md, "classification"): a curator set it, or a suggestion is confident enough."""
    return curated_q(field, prefix) | suggested_q(field, prefix)


def classified_q(prefix: str = "") -> Q:
    """The condition for a citation to count as classified: its role or its polarity does
    (labelled_q). Each label counts on its own: a curator's role beside a suggested
    polarity is one citation with a curated role and a suggested polarity."""
    return labelled_q("role", prefix) | labelled_q("polarity", prefix)


def curated_citation_q(prefix: str = "") -> Q:
    """Classified citations a person has labelled (at least one label is a curator's): the
    status sentence's "by curators"; the other classified ones are "suggested"."""
    return curated_q("role", prefix) | curated_q("polarity", prefix)


def public_label(field: str) -> Case:
    """The value public pages show for `field`: the curator's, else the confident
    suggestion, else ""."""
    return Case(
        When(curated_q(field), then=F(field)),
        When(suggested_q(field), then=F(f"suggested_{field}")),
        default=Value(""),
        output_field=CharField(),
    )


def label_state(field: str) -> Case:
    """Whether the public `field` is "curated", "suggested" or "" (unclassified)."""
    return Case(
        When(curated_q(field), then=Value(CURATED)),
        When(suggested_q(field), then=Value(SUGGESTED)),
        default=Value(""),
        output_field=CharField(),
    )


def unverdicted_q(paper: str = "") -> Q:
    """Papers (at the path `paper`, e.g. "citing__") that nobody has given a verdict:
    no review at all, or a review still at its default verdict."""
    return Q(**{f"{paper}review__isnull": True}) | Q(
        **{f"{paper}review__verdict": Verdict.UNVERDICTED}
    )


def verdict_of(paper: str = "") -> Coalesce:
    """The verdict of the paper at path `paper`, "unverdicted" where it has no review."""
    return Coalesce(f"{paper}review__verdict", Value(Verdict.UNVERDICTED))


# Between the title and the authors in Paper.search_text: a control character no search
# types, so a text without it matches the stored text exactly where it matches the title or
# the authors (a match across the two would have to contain it).
SEARCH_TEXT_SEPARATOR = "\x1f"


def text_q(text: str, paper: str = "") -> Q:
    """Papers (at the path `paper`) whose title or authors contain `text`, ignoring case:
    the site's one text search. It reads Paper.search_text, the database's upper-case copy
    of both (one trigram index on PostgreSQL, a scan on SQLite), with the text upper-cased
    by the database too, so case folds exactly as `title__icontains | authors__icontains`
    folds it on each backend."""
    words = Q(**{f"{paper}search_text__contains": Upper(Value(text))})
    if SEARCH_TEXT_SEPARATOR in text:  # could match across title and authors: check each
        return words & (
            Q(**{f"{paper}title__icontains": text}) | Q(**{f"{paper}authors__icontains": text})
        )
    return words


class ContextList(Func):
    """A citation's contexts (the citing sentences) in their order, as a JSON list of
    {"text", "section"}: one correlated subquery, so a streamed export reads each row's
    contexts in the same query as the row instead of a second query per chunk."""

    output_field = JSONField()
    # SQLite (before 3.44) has no ORDER BY inside an aggregate: it aggregates the ordered
    # subquery's rows in the order they come.
    template = (
        "(SELECT JSON_GROUP_ARRAY(JSON_OBJECT('text', ctx.text, 'section', ctx.section)) "
        "FROM %(expressions)s ctx)"
    )

    def __init__(self):
        from hubs.models import CitationContext  # hubs.models imports this module

        rows = (
            CitationContext.objects.filter(citation=OuterRef("pk"))
            .order_by("position", "id")
            .values("text", "section", "position", "id")
        )
        super().__init__(Subquery(rows))

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(SELECT COALESCE(JSONB_AGG(JSONB_BUILD_OBJECT('text', ctx.text, 'section',"
                " ctx.section) ORDER BY ctx.position, ctx.id), '[]') FROM %(expressions)s ctx)"
            ),
            **extra,
        )


def published_q(hub: str = "") -> Q:
    """Hubs (at the path `hub`, e.g. "cited__hub__") readers may see."""
    return Q(**{f"{hub}is_published": True})


class PaperQuerySet(models.QuerySet):
    def search(self, text: str):
        """Papers whose title or authors contain the text (case-insensitive), or that an
        identifier in it (any kind, any form: hubs.identifiers) names, best first."""
        text = text.strip()
        if not text:
            return self
        if "\x00" in text:  # no paper has a NUL in it, and PostgreSQL refuses to look
            return self.none()
        words = text_q(text)
        paper_id = parse_or_none(text)
        named = [When(paper_id.q(), then=Value(0))] if paper_id else []
        # Ranked: the paper the text names, then title matches, then author matches; the
        # newest first within each.
        rank = Case(*named, When(title__icontains=text, then=Value(1)), default=Value(2))
        return self.filter(words | paper_id.q() if paper_id else words).order_by(
            rank, F("sort_date").desc(nulls_last=True), "-id"
        )

    def with_review(self):
        """Each paper with its review, and its `verdict` ("unverdicted" without one)."""
        return self.select_related("review").annotate(verdict=verdict_of())

    def unverdicted(self):
        return self.filter(unverdicted_q())

    def of_verdict(self, verdict: str):
        """Papers with this verdict; "unverdicted" includes papers nobody has reviewed."""
        if verdict == Verdict.UNVERDICTED:
            return self.unverdicted()
        return self.filter(review__verdict=verdict)

    def reviewed(self):
        """Papers a curator has given a verdict (unverdicted_q turned round), the latest
        review first. A summary or a novelty still at the default verdict is work in
        progress, not a review to show as done."""
        return self.exclude(unverdicted_q()).with_review().order_by("-review__updated_at")


class CitationQuerySet(models.QuerySet):
    def classified(self):
        """Citations public pages count as classified; see classified_q()."""
        return self.filter(classified_q())

    def unclassified(self):
        return self.exclude(classified_q())

    def of_paper(self, paper):
        """Citations of a paper (the paper is the cited one)."""
        return self.filter(cited=paper)

    def of_published_hubs(self):
        """Citations whose cited paper is a published hub."""
        return self.filter(published_q("cited__hub__"))

    def citing_unverdicted(self):
        return self.filter(unverdicted_q("citing__"))

    def citing_of_verdict(self, verdict: str):
        """Citations whose citing paper has this verdict (see PaperQuerySet.of_verdict)."""
        if verdict == Verdict.UNVERDICTED:
            return self.citing_unverdicted()
        return self.filter(citing__review__verdict=verdict)

    def with_citing_verdict(self):
        """Annotate `citing_verdict`: the citing paper's verdict, "unverdicted" without a
        review. Rows, exports, the API and the admin read it rather than the review."""
        return self.annotate(citing_verdict=verdict_of("citing__"))

    def with_papers(self):
        return self.select_related("citing", "cited", "citing__review", "classified_by")

    def with_public_labels(self):
        """What public pages show of each citation's labels, so every page, export and API
        row says the same: `public_role`, `public_polarity` (the curator's label, else a
        confident suggestion, else ""), `role_state`, `polarity_state` ("curated",
        "suggested" or "") and `is_classified`."""
        return self.annotate(
            public_role=public_label("role"),
            public_polarity=public_label("polarity"),
            role_state=label_state("role"),
            polarity_state=label_state("polarity"),
            is_classified=ExpressionWrapper(classified_q(), output_field=BooleanField()),
        )

    def with_citing(self):
        """What a row of citing papers shows: the citing paper, its review and verdict,
        who set the labels, and what of them counts as classified."""
        return (
            self.select_related("citing", "citing__review", "classified_by")
            # The stored search text is for the database's search, not for showing: an
            # export of a million rows does not carry it.
            .defer("citing__search_text")
            .with_citing_verdict()
            .with_public_labels()
        )

    def with_first_context(self):
        """Annotate what a list row shows of its evidence: `first_context_text` and
        `first_context_section` (its first citing sentence by position; None where it has
        none) and `context_count`. Correlated subqueries in the rows' own query: a page
        costs no query more, and PostgreSQL runs them for the rows of the page only (it
        puts expensive output columns after the sort and limit)."""
        from hubs.models import CitationContext  # hubs.models imports this module

        contexts = CitationContext.objects.filter(citation=OuterRef("pk"))
        first = contexts.order_by("position", "id")
        return self.annotate(
            first_context_text=Subquery(first.values("text")[:1]),
            first_context_section=Subquery(first.values("section")[:1]),
            context_count=Subquery(
                contexts.order_by().values("citation").annotate(n=Count("id")).values("n")
            ),
        )

    def with_contexts(self):
        """Annotate `context_list`: the citation's contexts in order, [{"text", "section"}],
        [] where it has none (the exports' rows: see ContextList)."""
        return self.annotate(context_list=ContextList())

    def least_confident_first(self):
        """The curation queue's "least confident first": the lower of a citation's two
        suggestion confidences, ascending; citations with no suggestion last."""
        lowest = Case(
            When(
                suggested_role_confidence__isnull=False,
                suggested_polarity_confidence__isnull=False,
                suggested_role_confidence__lt=F("suggested_polarity_confidence"),
                then=F("suggested_role_confidence"),
            ),
            When(
                suggested_polarity_confidence__isnull=False,
                then=F("suggested_polarity_confidence"),
            ),
            default=F("suggested_role_confidence"),
        )
        return self.annotate(lowest_confidence=lowest)


class HubQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def published_or_followed_by(self, user):
        """Published hubs, and the drafts this user followed before they were unpublished
        (so they can still unfollow them); any other draft stays out of sight."""
        return self.filter(published_q() | Q(follows__user=user)).distinct()

    def visible(self, *, include_drafts: bool):
        """Published hubs, and drafts too when the caller may see them (curators)."""
        return self if include_drafts else self.published()

    def with_counts(self):
        """Each hub (with its paper) and its citing papers counted from its counts table
        (HubCount, kept on write by hubs.counts), never from the citation rows: so a list of
        hubs costs one grouped query whatever their size. Annotates `citing_count`,
        `classified_count` (a classified role or polarity, or both), and for each role and
        polarity value `role_<value>_count`, `polarity_<value>_count` (the public labels)."""
        in_hub = "counts__n"

        def total(condition: Q | None = None):
            return Coalesce(Sum(in_hub, filter=condition), 0)

        return self.select_related("paper").annotate(
            citing_count=total(),
            classified_count=total(~Q(counts__role=UNCLASSIFIED, counts__polarity=UNCLASSIFIED)),
            **{
                f"{field}_{value}_count": total(Q(**{f"counts__{field}": value}))
                for field in LABEL_FIELDS
                for value in _values(field)
            },
        )
