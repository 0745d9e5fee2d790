import datetime
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import CURATORS_GROUP
from hubs.counts import hub_counts_rebuild
from hubs.identifiers import parse_arxiv_id
from hubs.models import Citation, CitationContext, Hub, Paper, Review
from hubs.services.rules import PAPER_DATE_FIELDS, paper_dates
from hubs.vocab import ClassificationSource, Polarity, Role, Verdict

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user whose email address is verified (pass verified=False for one
    who has not clicked the link yet)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


def totp_now(secret: str) -> str:
    """The code an authenticator app would show for this secret right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class StaffWithMfaFactory(UserFactory):
    """Staff accounts have TOTP set up, as the admin requires (pass mfa=False to skip)."""

    is_staff = True

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


class CuratorFactory(StaffWithMfaFactory):
    email = factory.Sequence(lambda n: f"curator{n}@example.org")

    @factory.post_generation
    def curator_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=CURATORS_GROUP))


class AdminFactory(StaffWithMfaFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.org")
    is_superuser = True


def counts_follow(*, cited_ids=(), citing_ids=()) -> None:
    """Recount the counts table (hubs.counts) of the hubs these rows touch: factories write
    around the services, which keep it on every real write."""
    hubs = Hub.objects.filter(
        Q(paper_id__in=list(cited_ids)) | Q(paper__citations__citing_id__in=list(citing_ids))
    )
    hub_counts_rebuild(set(hubs.values_list("pk", flat=True)))


# "Not given": the factory derives the field (a caller may give None, for an undated paper).
_DERIVED = object()


def _arxiv_month_start(arxiv_id: str) -> datetime.date:
    year, month = parse_arxiv_id(arxiv_id).year_month
    return datetime.date(year, month, 1)


class PaperFactory(factory.django.DjangoModelFactory):
    """A paper dated as the services date it (hubs.services.rules.paper_dates), from
    whichever the caller gives: a submission date, an arXiv id, or a year (and month)
    alone. By default an arXiv id of 2025 and the first of its month as the submission
    date; given a year, a paper a source knows only by its year (a DOI, no arXiv id, no
    submission date); `year=None`, an undated one. Dates that disagree (a year outside
    the submission date's) are refused: the site could never hold that paper."""

    class Meta:
        model = Paper

    year = _DERIVED
    month = _DERIVED
    sort_date = _DERIVED
    arxiv_id = factory.LazyAttributeSequence(
        lambda paper, n: f"25{(n % 12) + 1:02d}.{n:05d}" if paper.year is _DERIVED else None
    )
    # A paper needs an identifier: a DOI when it has no arXiv id (unless given another).
    doi = factory.LazyAttributeSequence(
        lambda paper, n: None if paper.arxiv_id or paper.other_ids else f"10.1000/paper.{n}"
    )
    title = factory.Sequence(lambda n: f"A study of citation number {n}")
    authors = factory.LazyFunction(lambda: ["Ada Lovelace", "Alan Turing"])
    primary_category = "cs.LG"
    categories = factory.LazyFunction(lambda: ["cs.LG"])
    submitted = factory.LazyAttribute(
        lambda paper: _arxiv_month_start(paper.arxiv_id) if paper.arxiv_id else None
    )

    class Params:
        other_ids = factory.LazyAttribute(
            lambda paper: any(
                getattr(paper, name, None) for name in ("acl_id", "s2_corpus_id", "openalex_id")
            )
        )

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        given = {name: kwargs.pop(name) for name in PAPER_DATE_FIELDS}
        explicit = {name: value for name, value in given.items() if value is not _DERIVED}
        dates = paper_dates(
            submitted=kwargs["submitted"],
            arxiv_id=kwargs["arxiv_id"],
            year=explicit.get("year"),
            month=explicit.get("month"),
        )
        if any(dates[name] != value for name, value in explicit.items()):
            raise ValueError(
                f"PaperFactory: {explicit} disagree with the dates its submission date "
                f"{kwargs['submitted']} and arXiv id {kwargs['arxiv_id']} give: {dates}"
            )
        return {**kwargs, **dates}


FAKE_MODEL_VERSION = "test-model-1"


def _suggestion_source(c, field: str) -> str:
    return (c.suggestion_source or ClassificationSource.MODEL) if getattr(c, field) else ""


class CitationFactory(factory.django.DjangoModelFactory):
    """A citation in a state the services leave it in (hubs.services.rules).

    Unclassified by default. Give a role or polarity and it is a curator's label, with the
    curator and the time. Give suggested_role or suggested_polarity and it carries a
    suggestion (from a model unless `suggestion_source` says "import"; confidence 0.99,
    above every threshold, unless `confidence` is given). The traits `curated` and
    `suggested` give a labelled citation without naming a label.
    """

    class Meta:
        model = Citation

    class Params:
        curated = factory.Trait(role=Role.BACKGROUND)
        suggested = factory.Trait(suggested_role=Role.BACKGROUND)
        confidence = 0.99  # both suggestions'
        suggestion_source = ClassificationSource.MODEL

    citing = factory.SubFactory(PaperFactory)
    cited = factory.SubFactory(PaperFactory)
    role = ""
    polarity = ""
    classification_source = factory.LazyAttribute(
        lambda c: ClassificationSource.CURATOR if c.role or c.polarity else ""
    )
    classified_by = factory.Maybe(
        factory.LazyAttribute(lambda c: c.classification_source == ClassificationSource.CURATOR),
        yes_declaration=factory.SubFactory(CuratorFactory, mfa=False),
        no_declaration=None,
    )
    classified_at = factory.LazyAttribute(
        lambda c: timezone.now() if c.classification_source else None
    )
    suggested_role = ""
    suggested_polarity = ""
    suggested_role_source = factory.LazyAttribute(
        lambda c: _suggestion_source(c, "suggested_role")
    )
    suggested_polarity_source = factory.LazyAttribute(
        lambda c: _suggestion_source(c, "suggested_polarity")
    )
    suggested_role_confidence = factory.LazyAttribute(
        lambda c: c.confidence if c.suggested_role else None
    )
    suggested_polarity_confidence = factory.LazyAttribute(
        lambda c: c.confidence if c.suggested_polarity else None
    )
    suggestion_version = factory.LazyAttribute(
        lambda c: (
            FAKE_MODEL_VERSION
            if ClassificationSource.MODEL in (c.suggested_role_source, c.suggested_polarity_source)
            else ""
        )
    )
    suggested_at = factory.LazyAttribute(
        lambda c: timezone.now() if c.suggested_role or c.suggested_polarity else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        citation = super()._create(model_class, *args, **kwargs)
        counts_follow(cited_ids=[citation.cited_id])
        return citation


class CitationContextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitationContext

    citation = factory.SubFactory(CitationFactory)
    text = "As surveyed by Zhang et al. (2025), reinforcement learning shapes reasoning."
    section = "1 Introduction"


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review as a curator leaves it (unverdicted unless given a verdict)."""

    class Meta:
        model = Review

    paper = factory.SubFactory(PaperFactory)
    verdict = Verdict.UNVERDICTED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        review = super()._create(model_class, *args, **kwargs)
        counts_follow(citing_ids=[review.paper_id])
        return review


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    paper = factory.SubFactory(PaperFactory)
    slug = factory.Sequence(lambda n: f"hub-{n}")
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        hub = super()._create(model_class, *args, **kwargs)
        hub_counts_rebuild([hub.pk])
        return hub


ROLES = Role.values  # background, builds_on, uses_method, uses_data, compares_with
POLARITIES = Polarity.values  # supporting, neutral, contrasting
VERDICTS = Verdict.values  # unverdicted, accept, conditional, reject, uncertain


def hub_with_citing_papers(count: int, *, slug: str | None = None, published: bool = True) -> Hub:
    """A hub whose paper is cited by `count` papers, made in bulk, with a spread of years,
    categories, labels (every third citation classified by a curator, the next with a
    model's suggestions, half of them confident enough to count), reviews and contexts."""
    hub = HubFactory(is_published=published, **({"slug": slug} if slug else {}))
    curator, now = CuratorFactory(mfa=False), timezone.now()
    start = Paper.objects.count()
    papers = Paper.objects.bulk_create(
        Paper(
            arxiv_id=f"09{n % 12 + 1:02d}.{start + n:05d}",  # apart from PaperFactory ids
            title=f"Citing paper {n}",
            authors=[f"Author {n}", "Grace Hopper"],
            primary_category=["cs.LG", "cs.CL", "cs.AI", ""][n % 4],
            categories=["cs.LG"],
            submitted=submitted,
            **paper_dates(submitted=submitted, arxiv_id=None),
        )
        for n in range(count)
        for submitted in [datetime.date(2023 + n % 3, n % 12 + 1, n % 28 + 1)]
    )
    citations = Citation.objects.bulk_create(
        Citation(
            citing=paper,
            cited=hub.paper,
            refs=1 + n % 4,
            **(
                {
                    "role": ROLES[n % 5],
                    "polarity": POLARITIES[n % 3],
                    "classification_source": ClassificationSource.CURATOR,
                    "classified_by": curator,
                    "classified_at": now,
                }
                if n % 3 == 0
                else {
                    # A model's suggestions, every other one below its threshold.
                    "suggested_role": ROLES[n % 5],
                    "suggested_role_confidence": 0.9 if n % 2 else 0.5,
                    "suggested_role_source": ClassificationSource.MODEL,
                    "suggested_polarity": POLARITIES[n % 3],
                    "suggested_polarity_confidence": 0.99 if n % 2 else 0.5,
                    "suggested_polarity_source": ClassificationSource.MODEL,
                    "suggestion_version": FAKE_MODEL_VERSION,
                    "suggested_at": now,
                }
                if n % 3 == 1
                else {}
            ),
        )
        for n, paper in enumerate(papers)
    )
    Review.objects.bulk_create(
        Review(paper=paper, verdict=VERDICTS[n % 5], novelty=n % 11, summary=f"Summary {n}")
        for n, paper in enumerate(papers)
        if n % 2 == 0
    )
    CitationContext.objects.bulk_create(
        CitationContext(citation=citation, text=f"We build on the survey ({n}).", section="2")
        for n, citation in enumerate(citations)
        if n % 4 == 0
    )
    hub_counts_rebuild([hub.pk])
    return hub
