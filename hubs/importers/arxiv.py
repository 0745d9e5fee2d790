"""arXiv metadata, in the OAI snapshot's JSON Lines form (Kaggle's arxiv-metadata-oai-snapshot).

Fields used: id, title, authors_parsed (or authors), abstract, categories (the first is
the primary one), versions (the first one's date is the submission date; the count is
the latest version) and doi. There are no citations in it: with --hub, every paper in
the file is taken to cite the hub's paper.
"""

import re
from collections.abc import Iterator, Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path

from hubs.importers.categories import arxiv_category
from hubs.importers.ids import paper_ids
from hubs.importers.jsonlines import read_objects
from hubs.importers.latex import untex
from hubs.importers.runner import ImportOptions, Item
from hubs.importers.sources import Bad
from hubs.importers.text import clean
from hubs.services import PaperRecord

CITES_HUB = True


def read(paths: Sequence[Path], options: ImportOptions) -> Iterator[Item]:
    for path, line, record in read_objects(paths, progress=options.progress):
        if isinstance(record, Bad):
            yield path, line, record
            continue
        try:
            yield path, line, _paper(record)
        except ValueError as exc:
            yield path, line, Bad(str(exc))
        except (TypeError, AttributeError, KeyError, IndexError) as exc:
            yield path, line, Bad(f"not an arXiv metadata record ({type(exc).__name__}: {exc})")


def _paper(record: dict) -> PaperRecord:
    versions = record.get("versions") or []
    arxiv_id = str(record.get("id") or "")
    if arxiv_id and versions:
        arxiv_id = f"{arxiv_id}v{len(versions)}"
    # Several DOIs (journal and erratum) come space-separated: the first is the paper's.
    doi = (record.get("doi") or "").split()
    ids = paper_ids(arxiv_id=arxiv_id, doi=doi[0] if doi else None, keep_version=True)
    categories = [
        category
        for code in (record.get("categories") or "").split()
        if (category := arxiv_category(code))
    ]
    return PaperRecord(
        **ids,
        title=clean(record.get("title")),
        authors=_authors(record),
        abstract=clean(record.get("abstract")),
        primary_category=categories[0] if categories else None,
        categories=categories,
        submitted=parsedate_to_datetime(versions[0]["created"]).date() if versions else None,
    )


def _authors(record: dict) -> list[str]:
    if parsed := record.get("authors_parsed"):
        # [last, first, suffix], with TeX accents: ["Bal\\'azs", "C.", ""].
        return [
            untex(" ".join(part for part in (first, last, *rest) if part))
            for last, first, *rest in parsed
        ]
    text = untex(record.get("authors") or "")
    return [name.strip() for name in re.split(r",\s*|\s+and\s+", text) if name.strip()]
