"""The validation rules several services share: what makes a paper's ids, dates, a
review's novelty and a citation's labels valid, and how a label is applied. The single
services, the bulk services and the importers all call these; none keeps its own copy."""

import datetime
import functools
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from hubs.identifiers import normalize_ids, parse_arxiv_id
from hubs.models import Citation, ClassificationSource, Paper, Polarity, Role


def paper_identity(
    *,
    arxiv_id: str | None,
    doi: str | None,
    acl_id: str | None,
    s2_corpus_id: int | str | None,
    openalex_id: str | None,
) -> dict:
    """A paper's ids, each normalised (hubs.identifiers), plus "arxiv_version" when the
    arXiv id named one; ValidationError if any does not parse or none is given."""
    return paper_identity_of(
        {
            "arxiv_id": arxiv_id,
            "doi": doi,
            "acl_id": acl_id,
            "s2_corpus_id": s2_corpus_id,
            "openalex_id": openalex_id,
        }
    )


def paper_identity_of(ids: Mapping) -> dict:
    """paper_identity of ids given as {id field: any form} (other keys are not read), as the
    bulk services hold them."""
    ids, rejected = normalize_ids(ids)
    if rejected:
        raise ValidationError("; ".join(rejected))
    if not ids:
        raise ValidationError("A paper needs at least one identifier (arXiv id, DOI, ...).")
    return ids


def paper_field_kept(paper: Paper, name: str) -> bool:
    """Did a person set this field of the paper (in the admin)? Then no loader or importer
    writes it again, whatever its source says: they fill only the rest."""
    return name in (paper.edited_fields or ())


def paper_fields_edited(paper: Paper, names) -> None:
    """Remember that a person set these fields of the paper (see paper_field_kept)."""
    paper.edited_fields = sorted({*(paper.edited_fields or ()), *names})


def paper_sort_date(
    *, submitted: datetime.date | None, year: int | None, month: int | None
) -> datetime.date | None:
    """A paper's sort date: the submission date, else the first day of its year and month
    (January without a month), else none. The one definition: a paper's sort date always
    lies in its year and exists exactly when the year does (the constraint
    paper_sort_date_in_year), which lets a hub's year filter read the citation's copy of
    it (hubs.filters)."""
    if submitted:
        return submitted
    if year:
        return datetime.date(year, month or 1, 1)
    return None


def paper_dates(
    *,
    submitted: datetime.date | None,
    arxiv_id: str | None,
    year: int | None = None,
    month: int | None = None,
) -> dict:
    """Year, month and sort date: from the submission date, else from the arXiv id, else
    from `year` (with `month`, if given) when it is a real one, else none. Pure: a write to a
    paper that has a year goes through paper_dates_follow, which keeps it."""
    if submitted:
        year, month = submitted.year, submitted.month
    elif arxiv_id:
        year, month = parse_arxiv_id(arxiv_id).year_month
    elif not (year and datetime.MINYEAR <= year <= datetime.MAXYEAR):
        return {"year": None, "month": None, "sort_date": None}
    return {
        "year": year,
        "month": month,
        "sort_date": paper_sort_date(submitted=submitted, year=year, month=month),
    }


PAPER_DATE_FIELDS = ("year", "month", "sort_date")


def paper_dates_follow(paper: Paper, *, year: int | None = None) -> list[str]:
    """Bring the paper's year, month and sort date in line with its sources as they now
    stand (set its submission date and arXiv id first), and name the fields that changed.

    The one rule every write uses (paper_upsert, paper_update, papers_upsert_bulk): a year
    changes only when its source does. The submission date wins, then the arXiv id, then
    `year` (a source that knows only the year). With none of them the paper keeps the year
    and month it has: a year a source once gave, which an edit of its title must not lose
    (nor move the paper out of its hubs' year counts), or those of a date taken away.
    """
    dates = paper_dates(submitted=paper.submitted, arxiv_id=paper.arxiv_id, year=year)
    if dates["year"] is None:
        dates = paper_dates(submitted=None, arxiv_id=None, year=paper.year, month=paper.month)
    changed = [name for name in PAPER_DATE_FIELDS if getattr(paper, name) != dates[name]]
    for name in changed:
        setattr(paper, name, dates[name])
    return changed


def novelty_clean(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        novelty = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(f"novelty {value!r} is not a number.") from exc
    if not novelty.is_finite() or not Decimal(0) <= novelty <= Decimal(10):
        raise ValidationError(f"novelty must be between 0.0 and 10.0 (got {value}).")
    if novelty != novelty.quantize(Decimal("0.1")):
        raise ValidationError(f"novelty takes one decimal place (got {value}).")
    return novelty.quantize(Decimal("0.1"))


@functools.cache
def _allowed(choices: type) -> frozenset:
    # Choices' .values builds a new list on every call; importers check millions of labels.
    return frozenset(choices.values)


# A review's summary is one paragraph: the API, the queue, the admin and the commands all
# stop at this length, here, in the service (forms show it as their maxlength).
REVIEW_SUMMARY_MAX_LENGTH = 5000


def review_summary_clean(value: str) -> str:
    """A review summary as stored: stripped; ValidationError if it holds a NUL character
    (PostgreSQL cannot store one) or is longer than REVIEW_SUMMARY_MAX_LENGTH."""
    summary = (value or "").strip()
    if "\x00" in summary:
        raise ValidationError("summary must not contain NUL (\\x00) characters.")
    if len(summary) > REVIEW_SUMMARY_MAX_LENGTH:
        raise ValidationError(
            f"summary is limited to {REVIEW_SUMMARY_MAX_LENGTH:,} characters "
            f"(got {len(summary):,})."
        )
    return summary


def label_check(value: str, choices: type, what: str) -> None:
    if value != "" and value not in _allowed(choices):
        raise ValidationError(
            f"Unknown {what} {value!r}; expected one of {', '.join(choices.values)} or empty."
        )


def classification_apply(
    citation: Citation,
    *,
    role: str | None,
    polarity: str | None,
    by: User | None,
    now: datetime.datetime,
) -> None:
    """Set a citation's curator labels (None leaves one as it is). Only people and
    curator-grade data loads (by None) call this: suggestions go through suggestion_apply
    into their own fields, so nothing here can be overwritten by a model."""
    if role is not None:
        citation.role = role
    if polarity is not None:
        citation.polarity = polarity
    if not citation.role and not citation.polarity:
        # Nothing left to vouch for: a citation with no curator label has no source.
        citation.classification_source = ""
        citation.classified_by, citation.classified_at = None, None
        return
    citation.classification_source = ClassificationSource.CURATOR
    citation.classified_by = by
    citation.classified_at = now


_LABEL_STATE = ("role", "polarity", "classification_source", "classified_by_id")


def classification_changes(
    citation: Citation, *, role: str | None, polarity: str | None, by: User | None
) -> bool:
    """Would classifying `citation` with these labels change what it records?"""
    before = tuple(getattr(citation, field) for field in _LABEL_STATE)
    trial = Citation(
        role=citation.role,
        polarity=citation.polarity,
        classification_source=citation.classification_source,
        classified_by_id=citation.classified_by_id,
    )
    classification_apply(trial, role=role, polarity=polarity, by=by, now=timezone.now())
    return tuple(getattr(trial, field) for field in _LABEL_STATE) != before


def classification_check(
    *,
    role: str | None,
    polarity: str | None,
    source: str = ClassificationSource.CURATOR,
    confidence: float | None = None,
) -> None:
    if role is not None:
        label_check(role, Role, "role")
    if polarity is not None:
        label_check(polarity, Polarity, "polarity")
    if source not in _allowed(ClassificationSource):
        raise ValidationError(f"Unknown classification source {source!r}.")
    if confidence is not None and not 0 <= confidence <= 1:
        raise ValidationError("confidence must be between 0 and 1.")


CLASSIFICATION_FIELDS = [
    "role",
    "polarity",
    "classification_source",
    "classified_by",
    "classified_at",
]


# Which source's suggestion may replace which: an import replaces a model's suggestion (a
# source's label beats a guess) and an older import's; a model run replaces only model
# suggestions. Nothing replaces a curator's label: it is not in these fields at all.
_MAY_REPLACE = {
    ClassificationSource.IMPORT: {"", ClassificationSource.IMPORT, ClassificationSource.MODEL},
    ClassificationSource.MODEL: {"", ClassificationSource.MODEL},
}


def suggestion_apply(
    citation: Citation,
    *,
    field: str,
    value: str,
    confidence: float | None,
    source: str,
    now: datetime.datetime,
    version: str = "",
) -> str:
    """Store a suggested `value` for `field` (role or polarity) from `source`, unless a
    suggestion its source may not replace stands there. How it fared: "created",
    "updated", "unchanged" or "skipped" (kept the standing one). A model suggestion
    also sets the citation's suggestion_version."""
    current_source = getattr(citation, f"suggested_{field}_source")
    if current_source not in _MAY_REPLACE[source]:
        return "skipped"
    current = (
        getattr(citation, f"suggested_{field}"),
        getattr(citation, f"suggested_{field}_confidence"),
        current_source,
    )
    new_version = version if source == ClassificationSource.MODEL else ""
    if current == (value, confidence, source) and (
        source != ClassificationSource.MODEL or citation.suggestion_version == new_version
    ):
        return "unchanged"
    setattr(citation, f"suggested_{field}", value)
    setattr(citation, f"suggested_{field}_confidence", confidence)
    setattr(citation, f"suggested_{field}_source", source)
    if source == ClassificationSource.MODEL:
        citation.suggestion_version = new_version
    citation.suggested_at = now
    return "updated" if current[0] else "created"


class ItemsInvalid(ValidationError):
    """Some items of an all-or-nothing batch are bad, so nothing was written. `items` lists
    each bad one as {"index": position in the batch, "id": its id, "errors": {field:
    [messages]}}, for the API's 400 and any other caller to report."""

    def __init__(self, items: list[dict], *, what: str = "changed"):
        self.items = items
        super().__init__(f"{len(items)} item(s) are invalid; nothing was {what}.")
