"""Many citations at once, with their contexts and imported labels."""

import copy
from collections.abc import Iterable, Iterator, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from hubs.counts import counts_kept
from hubs.models import SUGGESTION_FIELDS, Citation, CitationContext, ClassificationSource
from hubs.numbers_cache import numbers_changed
from hubs.services.bulk.records import (
    BulkResult,
    CitationRecord,
    Outcome,
    normalised_ids,
    reason,
)
from hubs.services.bulk.rows import (
    Blank,
    history_many,
    insert_returning,
    insert_rows,
    one_bulk_write_at_a_time,
    paper_pks,
    resolve,
    update_many,
    update_many_with_history,
)
from hubs.services.left_alone import LABEL
from hubs.services.rules import (
    CLASSIFICATION_FIELDS,
    classification_apply,
    classification_check,
    suggestion_apply,
)

# Cited papers per query when looking citations up by pair; keeps each statement small.
_PAIR_GROUPS_PER_QUERY = 500


def _pair_conditions(pairs: Iterable[tuple[int, int]]) -> Iterator[Q]:
    """Conditions matching exactly these (citing, cited) pairs, a few queries' worth.

    Grouped by cited paper, each group is `cited = X AND citing IN (...)`, which both
    databases answer from the unique (citing, cited) index. A plain `citing IN (...) AND
    cited IN (...)` lets SQLite walk every citation of a big hub instead, for every batch.
    """
    groups: dict[int, list[int]] = {}
    for citing, cited in pairs:
        groups.setdefault(cited, []).append(citing)
    items = list(groups.items())
    for start in range(0, len(items), _PAIR_GROUPS_PER_QUERY):
        condition = Q()
        for cited, citing in items[start : start + _PAIR_GROUPS_PER_QUERY]:
            condition |= Q(cited_id=cited, citing_id__any_of=citing)
        yield condition


def _contexts_wanted(contexts: Sequence[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """Non-empty contexts, stripped, each once, in the source's order."""
    seen = {}
    for text, section in contexts or ():
        if text and text.strip():
            seen.setdefault((text.strip(), (section or "").strip()[:255]), None)
    return list(seen)


_LABEL_STATE = ("role", "polarity", "classification_source", "classified_by_id")


def _label_apply(citation: Citation, record: CitationRecord, *, by, now) -> str:
    """Apply a curator-grade label unless a curator owns the citation's; how it fared."""
    if record.role is None and record.polarity is None:
        return ""
    before = tuple(getattr(citation, name) for name in _LABEL_STATE)
    curated = citation.classification_source == ClassificationSource.CURATOR
    # A curator's label is tried on a copy: the same label again is "unchanged", any
    # other is "skipped" and the curator's stays.
    target = copy.copy(citation) if curated else citation
    classified_at = citation.classified_at
    classification_apply(target, role=record.role, polarity=record.polarity, by=by, now=now)
    if tuple(getattr(target, name) for name in _LABEL_STATE) == before:
        citation.classified_at = classified_at
        return "unchanged"
    if curated:
        return "skipped"
    return "updated" if before[0] or before[1] else "created"


def _suggestion_apply(citation: Citation, record: CitationRecord, *, now) -> str:
    """Store an import's (or a model's) labels as suggestions; a label a curator has set
    gets none (as with the classifier: hubs.services.suggestions), and is "skipped". How
    they fared: the most telling outcome of the two labels."""
    outcomes = [
        "skipped"
        if getattr(citation, name)
        else suggestion_apply(
            citation,
            field=name,
            value=value,
            confidence=record.confidence,
            source=record.source,
            now=now,
        )
        for name, value in (("role", record.role), ("polarity", record.polarity))
        if value  # a source that does not say leaves the standing suggestion
    ]
    for outcome in ("created", "updated", "skipped", "unchanged"):
        if outcome in outcomes:
            return outcome
    return ""


def _citation_check(record: CitationRecord, identity) -> tuple[dict, dict]:
    """The record's two normalised ends; ValidationError/ValueError when it is unusable."""
    if record.refs is not None and record.refs < 1:
        raise ValidationError("refs must be at least 1.")
    classification_check(
        role=record.role,
        polarity=record.polarity,
        source=record.source,
        confidence=record.confidence,
    )
    return identity(record.citing), identity(record.cited)


@one_bulk_write_at_a_time
def citations_add_bulk(*, records: Sequence[CitationRecord], by: User | None = None) -> BulkResult:
    """Record many citations with their contexts and labels; a curator's label is never touched.

    Like citation_add, given contexts replace a citation's contexts and refs are updated;
    ends that are not in the site make the record "skipped". New citations that carry a
    label get a historical record (the public correction trail starts from it); new
    unlabelled ones do not, since their first classification will be recorded then and
    the trail reads a missing record as "unclassified", which is what they were.
    """
    known: dict[tuple, dict] = {}

    def identity(ids: dict) -> dict:
        # A hub's id comes once per citing paper: normalise it once per batch.
        key = tuple(sorted(ids.items()))
        if key not in known:
            known[key] = normalised_ids(ids)
        return known[key]

    ends: list[tuple[dict, dict] | str] = []
    for record in records:
        try:
            ends.append(_citation_check(record, identity))
        except (ValueError, ValidationError) as exc:
            ends.append(reason(exc))
    pks = paper_pks(ids for pair in ends if not isinstance(pair, str) for ids in pair)
    pairs: list[tuple[int, int] | Outcome] = []
    for pair in ends:
        if isinstance(pair, str):
            pairs.append(Outcome("invalid", pair))
            continue
        citing, cited = resolve(pair[0], pks), resolve(pair[1], pks)
        if citing is None or cited is None:
            which = "citing" if citing is None else "cited"
            pairs.append(Outcome("skipped", f"{which} paper not in the site"))
        elif citing == cited:
            pairs.append(Outcome("invalid", "a paper cannot cite itself"))
        else:
            pairs.append((citing, cited))
    wanted = {pair for pair in pairs if not isinstance(pair, Outcome)}
    existing = {
        (citation.citing_id, citation.cited_id): citation
        for condition in _pair_conditions(wanted)
        for citation in Citation.objects.filter(condition).order_by()
    }
    current_contexts: dict[int, list[tuple[str, str]]] = {c.pk: [] for c in existing.values()}
    rows = CitationContext.objects.filter(
        citation_id__any_of=[
            existing[pair].pk
            for pair, record in zip(pairs, records, strict=True)
            if pair in existing and record.contexts
        ]
    ).order_by("citation_id", "position", "id")
    for citation_id, text, section in rows.values_list("citation_id", "text", "section"):
        current_contexts[citation_id].append((text, section))

    now = timezone.now()
    blank = Blank(Citation)
    result = BulkResult(outcomes=[])
    state: dict[tuple[int, int], Citation] = {}
    new_pairs: set[tuple[int, int]] = set()
    labelled, suggested, refs_changed = set(), set(), set()
    contexts_pending: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for pair, record in zip(pairs, records, strict=True):
        if isinstance(pair, Outcome):
            result.outcomes.append(pair)
            result.contexts["skipped"] += len(_contexts_wanted(record.contexts))
            continue
        citation = state.get(pair) or existing.get(pair)
        is_new = citation is None
        if is_new:
            citation = blank(citing_id=pair[0], cited_id=pair[1], refs=record.refs or 1)
            new_pairs.add(pair)
        state[pair] = citation
        changed = False
        if record.refs and citation.refs != record.refs:
            citation.refs = record.refs
            refs_changed.add(pair)
            changed = True
        contexts = _contexts_wanted(record.contexts)
        if contexts:
            before = contexts_pending.get(pair)
            if before is None:
                before = current_contexts.get(citation.pk, []) if citation.pk else []
            if contexts != before:
                contexts_pending[pair] = contexts
                result.contexts["updated" if before else "created"] += len(contexts)
                changed = True
            else:
                result.contexts["unchanged"] += len(contexts)
        if record.source == ClassificationSource.CURATOR:
            if label := _label_apply(citation, record, by=by, now=now):
                result.labels[label] += 1
                if label == "skipped":
                    result.left_alone[LABEL] += 1
                if label in ("created", "updated"):
                    labelled.add(pair)
                    changed = True
        elif label := _suggestion_apply(citation, record, now=now):
            result.labels[label] += 1
            if label == "skipped" and citation.classification_source:
                result.left_alone[LABEL] += 1
            if label in ("created", "updated"):
                suggested.add(pair)
                changed = True
        result.outcomes.append(
            Outcome("created" if is_new else "updated" if changed else "unchanged")
        )

    fresh = [state[pair] for pair in new_pairs]
    # Every citation of the citing papers whose citations are added, relabelled or given
    # suggestions: a superset, selected by the citing paper alone so that it walks the
    # index of pairs (with the cited papers too, PostgreSQL reads a big hub's every
    # citation per batch).
    touched = new_pairs | labelled | suggested
    with counts_kept(Q(citing_id__any_of={citing for citing, _ in touched})):
        for pair, pk in insert_returning(fresh, unique=["citing", "cited"]).items():
            state[pair].pk = pk
            state[pair]._state.adding = False
        relabelled = [state[pair] for pair in labelled - new_pairs]
        update_many_with_history(
            relabelled, [*CLASSIFICATION_FIELDS, "refs", *SUGGESTION_FIELDS], by=by, now=now
        )
        # Suggestions and a change of refs are bookkeeping, not a person's classification:
        # no history record (suggestions are not in history at all: hubs.models).
        update_many(
            [state[pair] for pair in (refs_changed | suggested) - new_pairs - labelled],
            ["refs", *SUGGESTION_FIELDS],
        )
    history_many(
        [citation for citation in fresh if citation.role or citation.polarity],
        update=False,
        by=by,
        now=now,
    )
    CitationContext.objects.filter(
        citation_id__any_of=[state[pair].pk for pair in contexts_pending if pair not in new_pairs]
    ).delete()
    insert_rows(
        CitationContext,
        ["citation", "text", "section", "position"],
        [
            (state[pair].pk, text, section, position)
            for pair, contexts in contexts_pending.items()
            for position, (text, section) in enumerate(contexts)
        ],
    )
    numbers_changed(paper_ids={cited for _, cited in new_pairs | labelled | suggested})
    return result
