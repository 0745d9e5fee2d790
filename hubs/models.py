from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Concat, Lower, Upper
from django.urls import reverse

from hubs.history import HistoricalRecords
from hubs.identifiers import ID_FIELDS, PaperId, identifier_of, in_precedence
from hubs.paging import MISSING_DATE, MISSING_NOVELTY
from hubs.querysets import SEARCH_TEXT_SEPARATOR, CitationQuerySet, HubQuerySet, PaperQuerySet
from hubs.vocab import ClassificationSource, Polarity, Role, Verdict

__all__ = [
    "Citation",
    "CitationContext",
    "ClassificationSource",
    "Hub",
    "HubCount",
    "HubRepresentative",
    "Paper",
    "Polarity",
    "Review",
    "Role",
    "SuggestionFeedback",
    "Verdict",
]


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON with non-ASCII characters kept as they are, not as \\u escapes: SQLite stores
    JSON as text, and "Aurélie" must be findable by a text search for "Aurélie"."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def _one_of(field: str, choices: type[models.TextChoices], *, blank: bool) -> Q:
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


class Paper(models.Model):
    """A scholarly work, known by at least one external identifier."""

    # Each id names at most one paper: Meta.constraints, one unique index per id over the
    # papers that have it (not `unique=True`, which on PostgreSQL also builds a pattern
    # index per text id that no query reads and indexes every paper's missing ids). A
    # missing id is NULL, never "" (paper_identifiers_not_empty): "" would be one value
    # shared by every paper without that id, hence the noqa on null=True.
    arxiv_id = models.CharField(  # noqa: DJ001
        "arXiv id", max_length=32, null=True, blank=True,
        help_text="Without version, e.g. 2509.08827.",
    )  # fmt: skip
    arxiv_version = models.PositiveSmallIntegerField("arXiv version", null=True, blank=True)
    doi = models.CharField(  # noqa: DJ001
        "DOI", max_length=255, null=True, blank=True, help_text="Lower case."
    )
    acl_id = models.CharField("ACL Anthology id", max_length=32, null=True, blank=True)  # noqa: DJ001
    s2_corpus_id = models.BigIntegerField("Semantic Scholar corpus id", null=True, blank=True)
    openalex_id = models.CharField("OpenAlex id", max_length=32, null=True, blank=True)  # noqa: DJ001

    title = models.TextField()
    authors = models.JSONField(
        default=list, blank=True, encoder=UnicodeJSONEncoder, help_text="Names, in byline order."
    )
    abstract = models.TextField(blank=True)
    # Not indexed, nor is `year`: a hub counts and filters them through HubCount and the
    # citation's copy of the date, and a handful of values over a million papers is no key.
    primary_category = models.CharField(max_length=32, blank=True)
    categories = models.JSONField(
        default=list, blank=True, encoder=UnicodeJSONEncoder, help_text="Cross-list categories."
    )
    submitted = models.DateField(null=True, blank=True, help_text="First submission, when known.")
    # Year and month are kept apart from `submitted`: an arXiv id gives them even when the
    # exact day is unknown, and the year is what pages count and filter by.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    # The most precise date known (submitted, else the first of year/month), one column so
    # "newest" and "oldest" sort and page on a single key.
    sort_date = models.DateField(null=True, blank=True, editable=False)
    code_url = models.URLField("code", max_length=500, blank=True)
    # The fields a person set in the admin (paper_update): loaders and importers leave
    # them as they are, however the source describes the paper.
    edited_fields = models.JSONField(default=list, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the text search (hubs.querysets.text_q) reads: the title and the authors, upper
    # case, computed and stored by the database on every write (nothing writes it), with one
    # trigram index on PostgreSQL (migration 0016). Reading it, a search no longer casts
    # each candidate's authors to text and upper-cases both columns row by row.
    search_text = models.GeneratedField(
        expression=Upper(
            Concat(
                "title",
                models.Value(SEARCH_TEXT_SEPARATOR),
                Cast("authors", models.TextField()),
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-sort_date", "-id"]
        # The index "paper_newest" (sort_date DESC NULLS LAST, id DESC) is made by
        # migration 0006 in raw SQL, as SQLite cannot say NULLS LAST: it is the order of a
        # hub's "newest first" explorer (hubs.paging), walked instead of sorting the hub.
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=[field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"paper_{field}_unique",
                    # On the field, as `unique=True` puts it (code "unique" does that).
                    violation_error_code="unique",
                    violation_error_message="Another paper already has this id.",
                )
                for field in ID_FIELDS
            ),
            models.CheckConstraint(
                condition=reduce(or_, (Q(**{f"{field}__isnull": False}) for field in ID_FIELDS)),
                name="paper_has_an_identifier",
            ),
            models.CheckConstraint(
                condition=Q(doi__isnull=True) | Q(doi=Lower("doi")), name="paper_doi_lower_case"
            ),
            models.CheckConstraint(
                condition=reduce(
                    and_, (~Q(**{field: ""}) for field in ID_FIELDS if field != "s2_corpus_id")
                ),
                name="paper_identifiers_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="paper_month_1_to_12",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="paper_has_title"),
            # The sort date lies in the year, and exists exactly when the year does
            # (hubs.services.rules.paper_sort_date): a hub's year filter is then a range of
            # the citation's copy of the date (hubs.filters), exactly the papers of that year.
            models.CheckConstraint(
                condition=Q(year__isnull=True, sort_date__isnull=True)
                | Q(year__isnull=False, sort_date__isnull=False, sort_date__year=F("year")),
                name="paper_sort_date_in_year",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hubs:paper-detail", kwargs={"identifier": self.identifier})

    @property
    def identifier(self) -> str:
        """The id used in URLs and listings (precedence and forms: hubs.identifiers)."""
        return identifier_of(self)

    @property
    def external_ids(self) -> list[PaperId]:
        """Every id the paper has, the naming one first, each with its label and link."""
        return list(in_precedence(self))

    @property
    def review_or_none(self):
        """The paper's review, or None when nobody has reviewed it (safe in templates)."""
        try:
            return self.review
        except ObjectDoesNotExist:
            return None

    @property
    def abs_url(self) -> str:
        """The source's page of the id that names the paper."""
        return next((paper_id.link for paper_id in in_precedence(self)), "")

    @property
    def pdf_url(self) -> str:
        if self.arxiv_id:
            return f"https://arxiv.org/pdf/{self.arxiv_id}"
        if self.acl_id:
            return f"https://aclanthology.org/{self.acl_id}.pdf"
        return ""

    @property
    def date_label(self) -> str:
        """The most precise date known: 2025-10-01, or 2025-10 from an arXiv id alone."""
        if self.submitted:
            return self.submitted.isoformat()
        if self.year and self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year or "")


# A citation's suggestion fields: bookkeeping of imports and models, not in history.
SUGGESTION_FIELDS = [
    "suggested_role",
    "suggested_role_confidence",
    "suggested_role_source",
    "suggested_polarity",
    "suggested_polarity_confidence",
    "suggested_polarity_source",
    "suggestion_version",
    "suggested_at",
]
SUGGESTION_SOURCES = [ClassificationSource.IMPORT, ClassificationSource.MODEL]


class Citation(models.Model):
    """One citing paper referencing one cited paper, with how and in what spirit."""

    citing = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="references")
    cited = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="citations")
    refs = models.PositiveIntegerField(
        default=1, help_text="How many times the citing paper mentions the cited one."
    )
    # What a person set (a curator, or a curator-grade data load: by nobody). Recorded in
    # history; nothing else ever writes these: suggestions live in the fields below.
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    polarity = models.CharField(max_length=20, choices=Polarity.choices, blank=True)
    classification_source = models.CharField(
        max_length=10,
        choices=[("", "none"), (ClassificationSource.CURATOR, "curator")],
        blank=True,
        help_text="curator when a person (or a curator-grade data load) set a label.",
    )
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    classified_at = models.DateTimeField(null=True, blank=True)

    # Suggestions, per label, each with its own source (an import or a model) and
    # confidence; apart from the curator's fields so that no import or model run can
    # overwrite what a person set. Public pages show the curator's label where there is
    # one, else a suggestion at or above its threshold (hubs.querysets). Not in history:
    # a model re-run over a million citations writes no history; accepting one does.
    suggested_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    suggested_role_confidence = models.FloatField(null=True, blank=True)
    suggested_role_source = models.CharField(
        max_length=10, choices=ClassificationSource.choices, blank=True
    )
    suggested_polarity = models.CharField(max_length=20, choices=Polarity.choices, blank=True)
    suggested_polarity_confidence = models.FloatField(null=True, blank=True)
    suggested_polarity_source = models.CharField(
        max_length=10, choices=ClassificationSource.choices, blank=True
    )
    # The version of the model that made the model-sourced suggestions ("" if none is).
    suggestion_version = models.CharField(max_length=64, blank=True)
    suggested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The citing paper's sort date and its review's novelty, copied here so that a hub's
    # sorts walk an index that starts with the cited paper (hubs.paging). A missing key is
    # stored as a value below every real one (MISSING_DATE, MISSING_NOVELTY). The database
    # keeps both in step with the paper and the review (migration 0011's triggers), so no
    # writer, service, importer or admin form can leave them stale; nothing else sets them.
    citing_date_key = models.DateField(default=MISSING_DATE, editable=False)
    citing_novelty_key = models.DecimalField(
        max_digits=3, decimal_places=1, default=MISSING_NOVELTY, editable=False
    )

    history = HistoricalRecords(
        excluded_fields=[
            "created_at",
            "citing_date_key",
            "citing_novelty_key",
            *SUGGESTION_FIELDS,
        ]
    )
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["citing", "cited"], name="citation_unique_pair"),
            models.CheckConstraint(condition=~Q(citing=F("cited")), name="citation_not_self"),
            models.CheckConstraint(condition=Q(refs__gte=1), name="citation_refs_at_least_1"),
            models.CheckConstraint(
                condition=_one_of("role", Role, blank=True), name="citation_role_known"
            ),
            models.CheckConstraint(
                condition=_one_of("polarity", Polarity, blank=True), name="citation_polarity_known"
            ),
            models.CheckConstraint(
                condition=Q(classification_source__in=["", ClassificationSource.CURATOR]),
                name="citation_source_curator_or_none",
            ),
            models.CheckConstraint(
                condition=_one_of("suggested_role", Role, blank=True),
                name="citation_suggested_role_known",
            ),
            models.CheckConstraint(
                condition=_one_of("suggested_polarity", Polarity, blank=True),
                name="citation_suggested_polarity_known",
            ),
            models.CheckConstraint(
                condition=Q(suggested_role_source__in=["", *SUGGESTION_SOURCES])
                & Q(suggested_polarity_source__in=["", *SUGGESTION_SOURCES]),
                name="citation_suggestion_source_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(suggested_role_confidence__isnull=True)
                    | Q(suggested_role_confidence__gte=0, suggested_role_confidence__lte=1)
                )
                & (
                    Q(suggested_polarity_confidence__isnull=True)
                    | Q(
                        suggested_polarity_confidence__gte=0,
                        suggested_polarity_confidence__lte=1,
                    )
                ),
                name="citation_suggestion_confidence_0_to_1",
            ),
        ]
        indexes = [
            models.Index(fields=["cited", "-created_at"], name="citation_cited_created"),
            # One per sort of the explorer (hubs.paging.SORTS), walked either way.
            models.Index(
                fields=["cited", "citing_date_key", "citing"], name="citation_cited_date"
            ),
            models.Index(
                fields=["cited", "citing_novelty_key", "citing"], name="citation_cited_novelty"
            ),
            models.Index(fields=["cited", "refs", "citing"], name="citation_cited_refs"),
            # The representatives' fallback (hubs.selectors.hubs.hub_representatives): the
            # reviewed citing papers of highest novelty, newest first among equals, read as
            # the top of this index rather than sorting the hub's top novelty group.
            models.Index(
                fields=["cited", "citing_novelty_key", "citing_date_key", "id"],
                condition=Q(citing_novelty_key__gte=0),
                name="citation_cited_top_novelty",
            ),
        ]

    def __str__(self):
        return f"{self.citing.identifier} → {self.cited.identifier}"

    def get_absolute_url(self):
        return reverse("hubs:citation-detail", kwargs={"pk": self.pk})


class CitationContext(models.Model):
    """A sentence in which the citing paper cites the cited one, with its section."""

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="contexts")
    text = models.TextField()
    section = models.CharField(max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="context_has_text"),
        ]

    def __str__(self):
        return self.text[:80]


class SuggestionFeedback(models.Model):
    """A curator's answer to one suggested label: the label they set where a suggestion
    stood, so the classifier page can say how often suggestions are confirmed or
    overridden with one GROUP BY. The latest answer per citation and label counts."""

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=10, choices=[("role", "role"), ("polarity", "polarity")])
    suggested = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=ClassificationSource.choices)
    version = models.CharField(max_length=64, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    chosen = models.CharField(max_length=20)
    confirmed = models.BooleanField(help_text="The curator chose the suggested value.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["citation", "label"], name="suggestion_feedback_once_per_label"
            ),
        ]

    def __str__(self):
        verb = "confirmed" if self.confirmed else f"overrode with {self.chosen}"
        return f"{self.label} {self.suggested}: {verb}"


class Review(models.Model):
    """A curator's judgement of a paper."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="review")
    verdict = models.CharField(max_length=12, choices=Verdict.choices, default=Verdict.UNVERDICTED)
    novelty = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="0.0 to 10.0.",
    )
    summary = models.TextField(blank=True, help_text="One paragraph.")
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reviews",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every save (hubs.services.review_set), so two curators editing the same
    # review at once cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("verdict", Verdict, blank=False), name="review_verdict_known"
            ),
            models.CheckConstraint(
                condition=Q(novelty__isnull=True) | Q(novelty__gte=0, novelty__lte=10),
                name="review_novelty_0_to_10",
            ),
        ]

    def __str__(self):
        return f"Review of {self.paper}"

    def get_absolute_url(self):
        """A review is shown on its paper's page (the admin's "View on site" goes there)."""
        return self.paper.get_absolute_url()


class HubRepresentative(models.Model):
    """A citing paper the curator picked to represent a hub, in the curator's order."""

    hub = models.ForeignKey("Hub", on_delete=models.CASCADE, related_name="representative_links")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "paper"], name="representative_once_per_hub"),
            models.UniqueConstraint(fields=["hub", "position"], name="representative_position"),
        ]

    def __str__(self):
        return f"{self.hub} #{self.position}: {self.paper}"


class Hub(models.Model):
    """A paper promoted to a public page as a canonical reference."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="hub")
    slug = models.SlugField(max_length=100, unique=True)
    is_published = models.BooleanField("published", default=False)
    curator_note = models.TextField(blank=True)
    representatives = models.ManyToManyField(
        Paper, through=HubRepresentative, related_name="represented_in", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # m2m_fields: each historical record also snapshots the ordered representatives, so a
    # revert restores them with the rest of the hub.
    history = HistoricalRecords(m2m_fields=[representatives], excluded_fields=["created_at"])
    objects = HubQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return reverse("hubs:hub-detail", kwargs={"slug": self.slug})


HUB_COUNT_COLUMNS = (
    "role", "polarity", "year", "category", "verdict", "role_state", "polarity_state"
)  # fmt: skip


class HubCount(models.Model):
    """How many of a hub's citing papers share one value of every dimension the hub page
    and the API count by (hubs.counts): the summary, the cube and every facet, filtered by
    facets or not, are sums over these rows rather than counts over the citations.

    Kept in step by the services, in the transaction of each write (hubs.counts.counts_kept);
    `manage.py rebuild_hub_counts` recounts them from the rows (after a threshold changes).
    """

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="counts")
    # The facets' values (hubs.filters.FACETS' dimensions): a role or polarity that does
    # not count as classified is "unclassified"; an unknown year is 0 (a unique key cannot
    # hold NULL on every database), an unknown category "".
    role = models.CharField(max_length=20)
    polarity = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=32)
    verdict = models.CharField(max_length=12)
    # Who set the public label: "curated", "suggested" or "" (hubs.querysets.label_state).
    role_state = models.CharField(max_length=10)
    polarity_state = models.CharField(max_length=10)
    # Not PositiveIntegerField: a write after rows were changed around the services must not
    # fail on a stale count; rebuild_hub_counts puts it right.
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hub", *HUB_COUNT_COLUMNS], name="hub_count_one_row_per_cell"
            ),
        ]

    def __str__(self):
        return f"{self.hub_id}: {self.n}"
