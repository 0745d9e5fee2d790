"""Citing-paper lists as CSV, BibTeX, RIS and JSON, streamed in large chunks.

CSV and JSON read plain rows (one query, values_list through the read layer: no model
instances), so a hub of a million citing papers streams at close to the speed of
psycopg and csv alone; BibTeX and RIS format papers."""

import csv
import json
import re
from collections.abc import Iterable, Iterator

from django.db import connections, transaction
from django.db.models import F
from django.http import StreamingHttpResponse

from hubs.identifiers import ID_FIELDS
from hubs.labels import public_value
from hubs.models import Citation, Paper

CSV_COLUMNS = [
    "arxiv_id",
    "doi",
    "title",
    "authors",
    "primary_category",
    "date",
    "role",
    "role_status",
    "role_confidence",
    "polarity",
    "polarity_status",
    "polarity_confidence",
    "model_version",
    "classified",
    "refs",
    "verdict",
    "novelty",
    "url",
    "contexts",
]

# The citing paper's fields an export row carries, under the Paper's own names, so the
# Paper's definitions of its date and link apply to the row as they are.
_PAPER_FIELDS = (*ID_FIELDS, "title", "authors", "primary_category", "submitted", "year", "month")
# What hubs.labels.public_value reads of a row (CitationQuerySet.with_public_labels()).
_LABEL_FIELDS = (
    "role",
    "role_state",
    "suggested_role",
    "suggested_role_confidence",
    "suggested_role_source",
    "polarity",
    "polarity_state",
    "suggested_polarity",
    "suggested_polarity_confidence",
    "suggested_polarity_source",
    "suggestion_version",
)
ROW_FIELDS = (
    *_PAPER_FIELDS,
    *_LABEL_FIELDS,
    "is_classified",
    "refs",
    "citing_verdict",
    "novelty",
    "context_list",
)


def export_rows(citations) -> Iterable:
    """The tabular exports' rows of `citations` (hub_citations_in_order: filtered, sorted,
    labels annotated), as named tuples read in one query from a server-side cursor."""
    paper_fields = {field: F(f"citing__{field}") for field in _PAPER_FIELDS}
    return (
        citations.with_contexts()
        .annotate(**paper_fields, novelty=F("citing__review__novelty"))
        .values_list(*ROW_FIELDS, named=True)
        .iterator(chunk_size=ROWS_PER_FETCH)
    )


def citation_record(row) -> dict:
    """One citing paper as plain data (the JSON export's row, and the CSV's columns)."""
    role, role_state, role_confidence, role_version = public_value(row, "role")
    polarity, polarity_state, polarity_confidence, polarity_version = public_value(row, "polarity")
    return {
        "arxiv_id": row.arxiv_id,
        "doi": row.doi,
        "title": row.title,
        "authors": list(row.authors),
        "primary_category": row.primary_category,
        "date": Paper.date_label.fget(row),
        # The public labels (hubs.labels): a curator's ("curated") or a suggestion at or
        # above its threshold ("suggested", with its confidence); below it, nothing.
        "role": role,
        "role_status": role_state,
        "role_confidence": role_confidence,
        "polarity": polarity,
        "polarity_status": polarity_state,
        "polarity_confidence": polarity_confidence,
        "model_version": role_version or polarity_version,
        "classified": row.is_classified,
        "refs": row.refs,
        "verdict": row.citing_verdict,  # CitationQuerySet.with_citing()
        "novelty": str(row.novelty) if row.novelty is not None else None,
        "url": Paper.abs_url.fget(row),
        # The citing sentences in the paper's order, each with its section ("" unknown).
        "contexts": [
            {"text": context["text"], "section": context["section"]}
            for context in row.context_list
        ],
    }


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., @SUM(...)); tab and carriage return start them too in some programs.
_FORMULA_STARTS = frozenset("=+-@\t\r")


def csv_cells(values: Iterable) -> list:
    """CSV cells a spreadsheet shows as the text they are: imported text that starts like
    a formula gets a leading apostrophe (OWASP's advice), which spreadsheets do not show.
    (One expression over the row, not a call per cell: it runs for every cell exported.)"""
    return [
        "'" + value if value.__class__ is str and value and value[0] in _FORMULA_STARTS else value
        for value in values
    ]


def csv_contexts(contexts: list[dict]) -> str:
    """The contexts in one CSV cell: one a line, each led by its section in square
    brackets when it has one ("[Introduction] We build on ..."); a line break inside a
    sentence becomes a space, so every line is one context."""
    return "\n".join(
        (f"[{context['section']}] " if context["section"] else "")
        + " ".join(context["text"].splitlines())
        for context in contexts
    )


def csv_stream(rows: Iterable) -> Iterator[str]:
    line: list[str] = []
    writer = csv.writer(_Sink(line))
    writer.writerow(CSV_COLUMNS)
    yield line.pop()
    for row in rows:
        record = citation_record(row)
        record["authors"] = "; ".join(record["authors"])
        record["contexts"] = csv_contexts(record["contexts"])
        writer.writerow(csv_cells(record.values()))
        yield line.pop()


class _Sink:
    """What csv.writer writes each row to: the list the stream takes it from."""

    def __init__(self, lines: list[str]):
        self.write = lines.append


def json_stream(rows: Iterable, *, hub_slug: str) -> Iterator[str]:
    yield '{"hub": ' + json.dumps(hub_slug) + ', "citing_papers": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(citation_record(row))
    yield "\n]}\n"


_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in text)


def bibtex_key(paper: Paper) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", f"{paper.identifier}").strip("_")


def bibtex_entry(paper: Paper) -> str:
    """A BibTeX entry for a paper (@misc with eprint fields for arXiv papers)."""
    fields = [("title", "{" + bibtex_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_escape(name) for name in paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.month:
        fields.append(("month", str(paper.month)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", paper.primary_category))
    if paper.doi:
        # doi (like url) is a verbatim field in biblatex and natbib: escaping it would put
        # the backslashes into the DOI itself (10.1007/..._13 is a real Springer form).
        fields.append(("doi", paper.doi))
    if paper.abs_url:
        fields.append(("url", paper.abs_url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(paper)},\n{body}\n}}\n"


def hub_bibtex_entry(hub, *, url: str, accessed: str) -> str:
    """A BibTeX entry citing the hub page itself (the curated record, not the paper)."""
    body = ",\n".join(
        f"  {name} = {{{value}}}"
        for name, value in [
            ("title", "{Citation hub: " + bibtex_escape(hub.paper.title) + "}"),
            ("howpublished", "pithsite"),
            ("url", url),
            ("urldate", accessed),
            ("note", f"Citing papers of {bibtex_escape(hub.paper.identifier)}, curated"),
        ]
    )
    return f"@misc{{pithsite_{bibtex_key(hub.paper)},\n{body}\n}}\n"


def bibtex_stream(citations: Iterable[Citation]) -> Iterator[str]:
    for citation in citations:
        yield bibtex_entry(citation.citing) + "\n"


def _ris_line(tag: str, value) -> str:
    return f"{tag}  - {str(value).replace(chr(10), ' ')}\r\n"


def ris_record(paper: Paper) -> str:
    lines = [_ris_line("TY", "JOUR" if paper.doi and not paper.arxiv_id else "UNPB")]
    lines += [_ris_line("AU", name) for name in paper.authors]
    lines.append(_ris_line("TI", paper.title))
    if paper.year:
        lines.append(_ris_line("PY", paper.year))
    if paper.submitted:
        lines.append(_ris_line("DA", paper.submitted.strftime("%Y/%m/%d")))
    if paper.doi:
        lines.append(_ris_line("DO", paper.doi))
    if paper.abs_url:
        lines.append(_ris_line("UR", paper.abs_url))
    if paper.abstract:
        lines.append(_ris_line("AB", paper.abstract))
    lines.append("ER  - \r\n")
    return "".join(lines)


def ris_stream(citations: Iterable[Citation]) -> Iterator[str]:
    for citation in citations:
        yield ris_record(citation.citing)


# Rows fetched from the database at a time, and the size of each chunk sent: big enough
# that neither a round trip nor a write per row sets the pace, small enough to keep the
# memory flat whatever the hub's size.
ROWS_PER_FETCH = 5000
CHUNK_CHARACTERS = 256 * 1024


def in_chunks(pieces: Iterable[str]) -> Iterator[str]:
    """`pieces` (a record each) joined into chunks of about CHUNK_CHARACTERS."""
    chunk: list[str] = []
    size = 0
    for piece in pieces:
        chunk.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARACTERS:
            yield "".join(chunk)
            chunk.clear()
            size = 0
    if chunk:
        yield "".join(chunk)


EXPORTS = {
    # format: (content type, file extension, stream function, reads rows or citations)
    "csv": ("text/csv; charset=utf-8", "csv", csv_stream, True),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib", bibtex_stream, False),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris", ris_stream, False),
    "json": ("application/json", "json", json_stream, True),
}


def streamed(citations, *, reads_rows: bool) -> Iterator:
    """The export's rows (or citations), read inside one transaction while they stream.
    Outside a transaction Django's server-side cursor is declared WITH HOLD, and
    PostgreSQL then runs the whole query before the first row leaves (measured at 100,000
    rows: 4.3-8.7 s before the first byte, against 0.4 s inside one)."""
    database = citations.db
    with transaction.atomic(using=database):
        if connections[database].vendor == "postgresql":
            with connections[database].cursor() as cursor:
                # The plan's cost makes PostgreSQL compile it first (JIT: 1-2 s before the
                # first row, measured), for no gain on rows that stream as they are read.
                cursor.execute("SET LOCAL jit = off")
        if reads_rows:
            yield from export_rows(citations)
        else:
            yield from citations.iterator(chunk_size=ROWS_PER_FETCH)


def export_response(*, hub_slug: str, citations, fmt: str):
    """A streamed download of `citations` (hub_citations_in_order) in `fmt`."""
    content_type, extension, stream, reads_rows = EXPORTS[fmt]
    rows = streamed(citations, reads_rows=reads_rows)
    body = stream(rows, hub_slug=hub_slug) if fmt == "json" else stream(rows)
    response = StreamingHttpResponse(in_chunks(body), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{hub_slug}-citing.{extension}"'
    return response
