"""OpenAlex works, JSON Lines (one work per line, as the API and the snapshot give them).

Ids: the OpenAlex id, the DOI, and the arXiv id when a location is an arxiv.org page or
the DOI is arXiv's own. `referenced_works` become citations, written only between papers
the site has once every work of the run is in (others are counted as skipped).
"""

import datetime
from collections.abc import Iterator, Sequence
from pathlib import Path

from hubs.importers.categories import category_for_subject
from hubs.importers.ids import arxiv_from_url, paper_ids
from hubs.importers.jsonlines import read_objects
from hubs.importers.runner import ImportOptions, Item
from hubs.importers.sources import Bad
from hubs.importers.text import clean
from hubs.services import CitationRecord, PaperRecord


def read(paths: Sequence[Path], options: ImportOptions) -> Iterator[Item]:
    for path, line, work in read_objects(paths, progress=options.progress):
        if isinstance(work, Bad):
            yield path, line, work
            continue
        try:
            paper = _paper(work)
        except ValueError as exc:
            yield path, line, Bad(str(exc))
            continue
        except (TypeError, AttributeError, KeyError) as exc:
            yield path, line, Bad(f"not an OpenAlex work ({type(exc).__name__}: {exc})")
            continue
        yield path, line, paper
        citing = paper.ids()
        for reference in work.get("referenced_works") or ():
            try:
                cited = paper_ids(openalex_id=reference)
            except ValueError:
                yield path, line, Bad(f"referenced work {reference!r} is not an OpenAlex id")
                continue
            yield path, line, CitationRecord(citing=citing, cited=cited)


def _paper(work: dict) -> PaperRecord:
    locations = [work.get("primary_location") or {}, *(work.get("locations") or ())]
    arxiv_id = next(
        (
            found
            for location in locations
            for url in (location.get("landing_page_url"), location.get("pdf_url"))
            if (found := arxiv_from_url(url))
        ),
        None,
    )
    ids = paper_ids(openalex_id=work.get("id"), doi=work.get("doi"), arxiv_id=arxiv_id)
    category = _category(work)
    published = work.get("publication_date")
    return PaperRecord(
        **ids,
        title=clean(work.get("title") or work.get("display_name")),
        authors=[
            clean(authorship["author"]["display_name"])
            for authorship in work.get("authorships") or ()
            if (authorship.get("author") or {}).get("display_name")
        ],
        abstract=_abstract(work.get("abstract_inverted_index")),
        primary_category=category,
        categories=[category] if category else None,
        submitted=datetime.date.fromisoformat(published) if published else None,
        year=work.get("publication_year"),
    )


def _category(work: dict) -> str | None:
    """The arXiv category OpenAlex's topic, subfield or best concept stands for, if any."""
    topic = work.get("primary_topic") or {}
    names = [topic.get("display_name"), (topic.get("subfield") or {}).get("display_name")]
    concepts = sorted(work.get("concepts") or (), key=lambda concept: -concept.get("score", 0))
    names += [concept.get("display_name") for concept in concepts if concept.get("level", 0) >= 1]
    return next((category for name in names if (category := category_for_subject(name))), None)


def _abstract(inverted: dict | None) -> str:
    """OpenAlex ships abstracts as {word: [positions]}; put the words back in order."""
    if not inverted:
        return ""
    placed = sorted(
        (position, word) for word, positions in inverted.items() for position in positions
    )
    return clean(" ".join(word for _, word in placed))
