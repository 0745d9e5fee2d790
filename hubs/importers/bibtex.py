"""BibTeX (.bib), parsed with bibtexparser 1.x one entry at a time.

An entry needs an arXiv id (eprint with archivePrefix arXiv, an arxiv.org url, or a
"arXiv:ID" / DBLP "CoRR abs/ID" journal) or a DOI. @string macros apply to the entries
after them, as in BibTeX. A .bib file has no citations of its own: with --hub, every
entry is taken to cite the hub's paper (a curator's "cited by" export, say).
"""

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode

from hubs.identifiers import arxiv_id_in_text
from hubs.importers.categories import arxiv_category
from hubs.importers.ids import arxiv_from_url, paper_ids
from hubs.importers.latex import untex
from hubs.importers.runner import ImportOptions, Item
from hubs.importers.sources import Bad, read_lines
from hubs.importers.text import first_last
from hubs.inputs import whole_number
from hubs.services import PaperRecord

CITES_HUB = True

_NOT_ENTRIES = ("@string", "@comment", "@preamble")


def read(paths: Sequence[Path], options: ImportOptions) -> Iterator[Item]:
    for path in paths:
        macros: dict[str, str] = {}
        for line, text in _entries(path, options):
            if isinstance(text, Bad):
                yield path, line, text
            elif text.lstrip().lower().startswith(_NOT_ENTRIES):
                macros.update(_parse(text, macros).strings)
            else:
                entries = _parse(text, macros).entries
                if not entries:
                    yield path, line, Bad("could not parse this BibTeX entry")
                for entry in entries:
                    yield path, line, _paper(entry)


def _entries(path: Path, options: ImportOptions) -> Iterator[tuple[int, str | Bad]]:
    """The text of each @-block with the line it starts on; a block ends where the next begins."""
    block: list[str] = []
    start = 0
    for number, text in read_lines(path, progress=options.progress):
        if isinstance(text, Bad):
            yield number, text
            continue
        if text.lstrip().startswith("@"):
            if block:
                yield start, "".join(block)
            block, start = [text], number
        elif block:
            block.append(text)
    if block:
        yield start, "".join(block)


def _parse(text: str, macros: dict[str, str]):
    parser = BibTexParser(
        common_strings=True, interpolate_strings=True, ignore_nonstandard_types=False
    )
    parser.bib_database.strings.update(macros)
    parser.customization = convert_to_unicode
    return bibtexparser.loads(text, parser)


def _paper(entry: dict) -> PaperRecord | Bad:
    try:
        ids = paper_ids(arxiv_id=_arxiv_id(entry), doi=entry.get("doi"))
    except ValueError as exc:
        return Bad(f"entry {entry.get('ID')!r}: {exc}")
    year = entry.get("year", "").strip()
    category = arxiv_category(entry.get("primaryclass"))
    return PaperRecord(
        **ids,
        title=untex(entry.get("title", "")),
        authors=[
            first_last(untex(name))
            for name in re.split(r"\s+and\s+", entry.get("author", ""))
            if name.strip()
        ],
        abstract=untex(entry.get("abstract", "")),
        primary_category=category,
        categories=[category] if category else None,
        year=whole_number(year),
    )


def _arxiv_id(entry: dict) -> str | None:
    prefix = entry.get("archiveprefix", "arxiv").lower()
    if entry.get("eprint") and prefix == "arxiv":
        return entry["eprint"]
    if found := arxiv_from_url(entry.get("url")):
        return found
    for name in ("journal", "volume", "note"):
        if found := arxiv_id_in_text(entry.get(name, "")):
            return found
    return None
