"""Semantic Scholar, in the two shapes researchers have.

- Graph API citation records (`/paper/{id}/citations`, saved as JSON Lines, or as the
  API's pages with a `data` list): each line is one citing paper of the paper given by
  --cited (or --hub), with its citing sentences and intents.
- S2AG bulk dataset files (`papers`, `abstracts`, `citations`; gzip JSON Lines), joined on
  corpus id. Abstracts only update papers the site has; citations whose papers are not in
  the site are counted and skipped.

Intents become import labels of the role (S2 gives no polarity): see ROLE_BY_INTENT.
"""

import datetime
from collections.abc import Iterator, Sequence
from pathlib import Path

from hubs.importers.ids import paper_ids
from hubs.importers.jsonlines import read_objects
from hubs.importers.runner import ImportConfigError, ImportOptions, Item
from hubs.importers.sources import Bad, Skip
from hubs.importers.text import clean
from hubs.models import Role
from hubs.services import CitationRecord, PaperRecord

# S2's intents, most specific first: a citation that is both background and methodology
# is labelled by what it does with the cited work, its method.
ROLE_BY_INTENT = {
    "methodology": Role.USES_METHOD,
    "result": Role.COMPARES_WITH,
    "background": Role.BACKGROUND,
}
# S2 gives no confidence with its intents. They come from a classifier (SciCite, about
# 0.84 macro-F1), so they are trusted a little above the site's default threshold (0.8):
# shown as classified, and below any curator's word, which always wins.
S2_INTENT_CONFIDENCE = 0.9


def read(paths: Sequence[Path], options: ImportOptions) -> Iterator[Item]:
    for path, line, value in read_objects(paths, progress=options.progress):
        if isinstance(value, Bad):
            yield path, line, value
            continue
        records = value["data"] if isinstance(value.get("data"), list) else [value]
        for record in records:
            try:
                yield from ((path, line, item) for item in _items(record, options))
            except ValueError as exc:
                yield path, line, Bad(str(exc))
            except (TypeError, AttributeError, KeyError) as exc:
                yield (
                    path,
                    line,
                    Bad(f"not a Semantic Scholar record ({type(exc).__name__}: {exc})"),
                )


def _items(record: dict, options: ImportOptions):
    if "citingPaper" in record:
        yield from _graph_citation(record, options)
    elif "citingcorpusid" in record:
        yield _bulk_citation(record)
    elif "corpusid" in record and "title" in record:
        yield _bulk_paper(record)
    elif "corpusid" in record and "abstract" in record:
        yield _bulk_abstract(record)
    else:
        yield Bad("not a Semantic Scholar record (no citingPaper, corpusid or citingcorpusid)")


def _graph_citation(record: dict, options: ImportOptions):
    if options.cited_ids is None:
        raise ImportConfigError(
            "Graph API citation records do not say which paper they cite: "
            "give --cited ID or --hub SLUG."
        )
    citing = record["citingPaper"]
    external = citing.get("externalIds") or {}
    ids = paper_ids(
        arxiv_id=external.get("ArXiv"),
        doi=external.get("DOI"),
        acl_id=external.get("ACL"),
        s2_corpus_id=external.get("CorpusId"),
    )
    published = citing.get("publicationDate")
    yield PaperRecord(
        **ids,
        title=clean(citing.get("title")),
        authors=_names(citing.get("authors")),
        submitted=datetime.date.fromisoformat(published) if published else None,
        year=citing.get("year"),
    )
    with_intent = record.get("contextsWithIntent") or ()
    contexts = list(record.get("contexts") or ()) + [
        item["context"] for item in with_intent if item.get("context")
    ]
    intents = list(record.get("intents") or ()) + [
        intent for item in with_intent for intent in item.get("intents") or ()
    ]
    yield _citation(ids, options.cited_ids, contexts, intents)


def _bulk_paper(record: dict) -> PaperRecord:
    external = record.get("externalids") or {}
    published = record.get("publicationdate")
    return PaperRecord(
        **paper_ids(
            arxiv_id=external.get("ArXiv"),
            doi=external.get("DOI"),
            acl_id=external.get("ACL"),
            s2_corpus_id=record["corpusid"],
        ),
        title=clean(record.get("title")),
        authors=_names(record.get("authors")),
        submitted=datetime.date.fromisoformat(published) if published else None,
        year=record.get("year"),
    )


def _bulk_abstract(record: dict) -> PaperRecord:
    external = (record.get("openaccessinfo") or {}).get("externalids") or {}
    return PaperRecord(
        **paper_ids(
            arxiv_id=external.get("ArXiv"),
            doi=external.get("DOI"),
            acl_id=external.get("ACL"),
            s2_corpus_id=record["corpusid"],
        ),
        abstract=clean(record.get("abstract")),
        create=False,
    )


def _bulk_citation(record: dict) -> CitationRecord | Skip:
    if not record.get("citedcorpusid") or not record.get("citingcorpusid"):
        # S2 keeps references it could not match to a paper, with a null corpus id.
        return Skip("citations", "a paper unknown to Semantic Scholar")
    intents = record.get("intents") or ()
    # Older releases give one list of intents per context.
    flat = [name for item in intents for name in (item if isinstance(item, list) else [item])]
    return _citation(
        paper_ids(s2_corpus_id=record["citingcorpusid"]),
        paper_ids(s2_corpus_id=record["citedcorpusid"]),
        record.get("contexts") or (),
        flat,
    )


def _citation(citing: dict, cited: dict, contexts, intents) -> CitationRecord:
    texts = list(dict.fromkeys(clean(text) for text in contexts if text and text.strip()))
    role = next((role for intent, role in ROLE_BY_INTENT.items() if intent in intents), None)
    return CitationRecord(
        citing=citing,
        cited=cited,
        # Each distinct citing sentence is one mention; without sentences S2 says nothing.
        refs=len(texts) or None,
        contexts=[(text, "") for text in texts] or None,
        role=role,
        confidence=S2_INTENT_CONFIDENCE if role else None,
    )


def _names(authors) -> list[str]:
    return [clean(author["name"]) for author in authors or () if author.get("name")]
