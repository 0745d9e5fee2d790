"""A citation's labels in words: the one place that decides what a page, the curation
queue, an export or the API says about a label and where it came from (and the
correction trail too).

Each label (role, polarity) is public on its own terms (hubs.querysets): a curator's
label names the curator (a curator-grade label with no person behind it came from a data
load: the demo, an annotated corpus); a suggestion counted as classified is always said
to be one, with its source, confidence and model version.
"""

from dataclasses import dataclass

from hubs.querysets import CURATED, LABEL_FIELDS, SUGGESTED
from hubs.vocab import ClassificationSource, Polarity, Role, Verdict

LABEL_NAMES = {"role": dict(Role.choices), "polarity": dict(Polarity.choices)}
# Every recorded field a page names in words (the curator's history), with its values'
# words where it has a vocabulary.
FIELD_NAMES = {"is_published": "published", "curator_note": "curator note"}
VALUE_NAMES = {**LABEL_NAMES, "verdict": dict(Verdict.choices)}


def label_name(field: str, value: str) -> str:
    """ "uses method" for ("role", "uses_method"); "" for no value."""
    return LABEL_NAMES[field].get(value, value)


def field_name(field: str) -> str:
    """ "published" for "is_published", "curator note" for "curator_note"."""
    return FIELD_NAMES.get(field, field.replace("_", " "))


def value_words(field: str, value) -> str:
    """A recorded value as a person reads it: "uses data", "yes", "—" for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(VALUE_NAMES.get(field, {}).get(value, value))


def label_source_words(*, source: str, confidence: float | None, person) -> str:
    """The words for a label set from `source`, by `person` (a user, or None)."""
    named = person and (person.name or "a curator")
    if source in (ClassificationSource.IMPORT, ClassificationSource.MODEL):
        words = "an import" if source == ClassificationSource.IMPORT else "a model"
        if confidence is not None:
            words += f" (confidence {confidence:.2f})"
        return f"{words}, restored by {named}" if named else words
    # A curator's label, or a change with no source (labels cleared): whoever made it.
    return named or "a data load"


def suggestion_source_words(*, source: str, confidence: float | None, version: str) -> str:
    """ "a model (version 2026-11-30, confidence 0.91)", "an import (confidence 0.90)"."""
    if source == ClassificationSource.MODEL:
        words, details = "a model", [f"version {version}"] if version else []
    else:
        words, details = "an import", []
    if confidence is not None:
        details.append(f"confidence {confidence:.2f}")
    return f"{words} ({', '.join(details)})" if details else words


def label_source(citation) -> str:
    """Who set this citation's curator labels (load it with `classified_by`); where a
    person set none, what its public suggestions came from."""
    if citation.classification_source == ClassificationSource.CURATOR:
        person = citation.classified_by if citation.classified_by_id else None
        return label_source_words(
            source=ClassificationSource.CURATOR, confidence=None, person=person
        )
    suggested = [label for label in public_labels(citation) if label.state == SUGGESTED]
    if suggested:
        return "suggested by " + " and ".join(dict.fromkeys(label.source for label in suggested))
    return "nobody yet"


@dataclass(frozen=True)
class PublicLabel:
    """One label as public pages show it."""

    field: str  # role or polarity
    value: str  # "" when unclassified
    name: str  # the value in words
    state: str  # "curated", "suggested" or "" (unclassified)
    source: str  # who set it, in words ("Ada Lovelace", "a model (version …)")
    confidence: float | None  # a suggestion's
    version: str  # a model suggestion's model version

    @property
    def suggested(self) -> bool:
        return self.state == SUGGESTED


def _suggestion(citation, field: str) -> tuple[str, float | None, str, str]:
    value = getattr(citation, f"suggested_{field}")
    confidence = getattr(citation, f"suggested_{field}_confidence")
    source = getattr(citation, f"suggested_{field}_source")
    version = citation.suggestion_version if source == ClassificationSource.MODEL else ""
    return value, confidence, source, version


def public_value(citation, field: str) -> tuple[str, str, float | None, str]:
    """The public `field` of a citation (or of any row carrying the same names, such as
    the exports' rows) annotated by CitationQuerySet.with_public_labels(): its value,
    state ("curated", "suggested" or ""), and a suggestion's confidence and model version."""
    state = getattr(citation, f"{field}_state")
    if state == CURATED:
        return getattr(citation, field), state, None, ""
    if state == SUGGESTED:
        value, confidence, _, version = _suggestion(citation, field)
        return value, state, confidence, version
    return "", "", None, ""


def public_label(citation, field: str) -> PublicLabel:
    """The citation's public `field`, as annotated by CitationQuerySet.with_public_labels()."""
    value, state, confidence, version = public_value(citation, field)
    if state == CURATED:
        person = citation.classified_by if citation.classified_by_id else None
        words = label_source_words(
            source=ClassificationSource.CURATOR, confidence=None, person=person
        )
    elif state == SUGGESTED:
        source = getattr(citation, f"suggested_{field}_source")
        words = suggestion_source_words(source=source, confidence=confidence, version=version)
    else:
        words = ""
    return PublicLabel(field, value, label_name(field, value), state, words, confidence, version)


def public_labels(citation) -> list[PublicLabel]:
    """Role and polarity as public pages show them (see public_label)."""
    return [public_label(citation, field) for field in LABEL_FIELDS]


def suggestions(citation) -> list[PublicLabel]:
    """Every suggestion the citation carries, whatever its confidence (curators see these
    in the queue and the admin): state "suggested" if it counts publicly, else "". Load
    the citation with CitationQuerySet.with_public_labels()."""
    shown = []
    for field in LABEL_FIELDS:
        value, confidence, source, version = _suggestion(citation, field)
        if not value:
            continue
        # Whether it counts publicly is the read layer's rule (with_public_labels).
        counts = getattr(citation, f"{field}_state") == SUGGESTED
        words = suggestion_source_words(source=source, confidence=confidence, version=version)
        shown.append(
            PublicLabel(
                field,
                value,
                label_name(field, value),
                SUGGESTED if counts else "",
                words,
                confidence,
                version,
            )
        )
    return shown


def suggestion_words(citation) -> str:
    """All of a citation's suggestions in one line, for the admin's list."""
    return "; ".join(f"{label.name}: {label.source}" for label in suggestions(citation))
