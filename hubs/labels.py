"""Who set a citation's labels, in words: the one place that decides what a page, the
curation queue or the API says about a label's source (and the correction trail too).

A curator's label names the curator; a curator-grade label with no person behind it came
from a data load (the demo, an annotated corpus); an import's or a model's suggestion
says so, with its confidence.
"""

from hubs.vocab import ClassificationSource


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


def label_source(citation) -> str:
    """Who set this citation's current labels (load it with `classified_by`)."""
    if not citation.classification_source:
        return "nobody yet"
    person = citation.classified_by if citation.classified_by_id else None
    return label_source_words(
        source=citation.classification_source, confidence=citation.confidence, person=person
    )
