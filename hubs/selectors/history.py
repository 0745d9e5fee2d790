"""A citation's public correction trail, from its historical records."""

from dataclasses import dataclass

from hubs.labels import label_source_words
from hubs.models import Citation, Polarity, Role


@dataclass(frozen=True)
class ClassificationChange:
    when: object  # datetime
    who: str
    source: str
    role_from: str
    role_to: str
    polarity_from: str
    polarity_to: str

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
    """Who set the labels in this change, in the words every page uses (hubs.labels)."""
    return label_source_words(
        # Records from before suggestions moved out of the history (migration 0008) may
        # name an import or a model; their confidence is no longer kept.
        source=record.classification_source,
        confidence=None,
        person=record.history_user,
    )


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
                )
            )
        previous = record
    changes.reverse()
    return changes
