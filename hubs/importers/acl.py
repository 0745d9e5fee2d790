"""The ACL Anthology Network metadata with the Athar (2011) citation sentiment corpus.

Give both files (in any order; each is recognised by its first line):
- `acl-metadata.txt`: blocks of `key = {value}` lines (id, author, title, venue, year),
  mostly cp1252 with a few UTF-8 names;
- `citation_sentiment_corpus.txt`: `citing<TAB>cited<TAB>o|p|n<TAB>sentence`, one line per
  citing sentence, a pair's sentences together.

With the corpus, only the papers it mentions are imported (about 3,200 of the 18,041);
the metadata alone imports every paper. Each citing pair becomes one citation whose
contexts are its sentences. The polarity labels were set by hand by the corpus's
authors, so they are curator labels (with no site user behind them); roles: none.
"""

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import groupby
from pathlib import Path

from hubs.importers.runner import ImportOptions, Item
from hubs.importers.sources import Bad, read_lines
from hubs.importers.text import clean, first_last
from hubs.inputs import whole_number
from hubs.models import ClassificationSource, Polarity
from hubs.services import CitationRecord, PaperRecord

POLARITY_BY_CODE = {"o": Polarity.NEUTRAL, "p": Polarity.SUPPORTING, "n": Polarity.CONTRASTING}
_METADATA_ENCODINGS = ("utf-8", "cp1252")


def read(paths: Sequence[Path], options: ImportOptions) -> Iterator[Item]:
    metadata = [path for path in paths if _is_metadata(path)]
    corpora = [path for path in paths if path not in metadata]
    mentioned = _mentioned(corpora, options) if corpora else None
    for path in metadata:
        yield from _papers(path, mentioned, options)
    for path in corpora:
        yield from _citations(path, options)


def polarity_of(codes: Sequence[str]) -> str:
    """One polarity for a pair from its sentences' labels.

    Objective sentences say nothing about the stance, so the signed ones decide: the more
    frequent of positive and negative wins, a tie is neutral, and none at all is neutral.
    """
    counts = Counter(codes)
    if counts["p"] > counts["n"]:
        return Polarity.SUPPORTING
    if counts["n"] > counts["p"]:
        return Polarity.CONTRASTING
    return Polarity.NEUTRAL


def _is_metadata(path: Path) -> bool:
    with open(path, "rb") as file:
        for raw in file:
            if raw.strip():
                return raw.lstrip().startswith(b"id = {")
    return False


def _rows(path: Path, options: ImportOptions) -> Iterator[tuple[int, list[str] | Bad]]:
    """(line, [citing, cited, code, sentence]) for each data line of the corpus."""
    for number, text in read_lines(path, progress=options.progress):
        if isinstance(text, Bad):
            yield number, text
            continue
        if not text.strip() or text.startswith("#"):
            continue
        fields = text.rstrip("\r\n").split("\t", 3)
        if len(fields) != 4:
            yield number, Bad(f"expected 4 tab-separated fields, found {len(fields)}")
        elif fields[2] not in POLARITY_BY_CODE:
            yield number, Bad(f"sentiment {fields[2]!r} is not o, p or n")
        elif not fields[0].strip() or not fields[1].strip():
            yield number, Bad("missing citing or cited paper id")
        else:
            yield number, [fields[0].strip(), fields[1].strip(), fields[2], _unquote(fields[3])]


def _mentioned(corpora: Sequence[Path], options: ImportOptions) -> set[str]:
    # A first pass for the ids the corpus uses: a few thousand strings, so the papers can be
    # written before their citations while the metadata file streams.
    return {
        paper_id
        for path in corpora
        for _, row in _rows(path, options)
        if not isinstance(row, Bad)
        for paper_id in row[:2]
    }


def _papers(path: Path, mentioned: set[str] | None, options: ImportOptions) -> Iterator[Item]:
    block: dict[str, str] = {}
    start = 0
    lines = read_lines(path, progress=options.progress, encodings=_METADATA_ENCODINGS)
    for number, text in _with_end(lines):
        if isinstance(text, Bad):
            yield path, number, text
            continue
        if text.strip():
            key, equals, value = text.partition("=")
            value = value.strip()
            if not equals or not (value.startswith("{") and value.endswith("}")):
                yield path, number, Bad("expected a `key = {value}` line")
                continue
            if not block:
                start = number
            block[key.strip()] = value[1:-1].strip()
        elif block:
            if mentioned is None or block.get("id") in mentioned:
                yield path, start, _paper(block)
            block = {}


def _with_end(lines):
    """The lines, then one blank line, so the last block (with no blank after it) ends."""
    yield from lines
    yield 0, ""


def _paper(block: dict[str, str]) -> PaperRecord | Bad:
    if not block.get("id"):
        return Bad("record without an id")
    year = block.get("year", "")
    # Decoded before the split: an entity (`Jos&eacute;`) ends with the separator.
    names = clean(block.get("author")).split(";")
    return PaperRecord(
        acl_id=block["id"],
        title=clean(block.get("title")),
        authors=[first_last(name) for name in names if name.strip()],
        year=whole_number(year),
    )


def _citations(path: Path, options: ImportOptions) -> Iterator[Item]:
    rows = _rows(path, options)
    pairs = groupby(rows, key=lambda item: None if isinstance(item[1], Bad) else item[1][:2])
    for pair, group in pairs:
        group = list(group)
        if pair is None:
            yield from ((path, number, bad) for number, bad in group)
            continue
        citing, cited = pair
        yield (
            path,
            group[0][0],
            CitationRecord(
                citing={"acl_id": citing},
                cited={"acl_id": cited},
                refs=len(group),
                contexts=[(row[3], "") for _, row in group],
                polarity=polarity_of([row[2] for _, row in group]),
                source=ClassificationSource.CURATOR,
            ),
        )


def _unquote(sentence: str) -> str:
    text = sentence.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return clean(text)
