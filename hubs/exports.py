"""Citing-paper lists as CSV, BibTeX, RIS and JSON, written row by row for streaming."""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from hubs.labels import public_labels
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
]


def _review(paper: Paper):
    return getattr(paper, "review", None)


def citation_record(citation: Citation) -> dict:
    """One citing paper as plain data (the JSON export's row, and the CSV's columns)."""
    paper, review = citation.citing, _review(citation.citing)
    role, polarity = public_labels(citation)
    return {
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "title": paper.title,
        "authors": list(paper.authors),
        "primary_category": paper.primary_category,
        "date": paper.date_label,
        # The public labels (hubs.labels): a curator's ("curated") or a suggestion at or
        # above its threshold ("suggested", with its confidence); below it, nothing.
        "role": role.value,
        "role_status": role.state,
        "role_confidence": role.confidence,
        "polarity": polarity.value,
        "polarity_status": polarity.state,
        "polarity_confidence": polarity.confidence,
        "model_version": role.version or polarity.version,
        "classified": citation.is_classified,
        "refs": citation.refs,
        "verdict": citation.citing_verdict,  # CitationQuerySet.with_citing()
        "novelty": str(review.novelty) if review and review.novelty is not None else None,
        "url": paper.abs_url,
    }


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., @SUM(...)); tab and carriage return start them too in some programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell a spreadsheet shows as the text it is: imported text that starts like a
    formula gets a leading apostrophe (OWASP's advice), which spreadsheets do not show."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(citations: Iterable[Citation]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield flush()
    for citation in citations:
        record = citation_record(citation)
        record["authors"] = "; ".join(record["authors"])
        writer.writerow({column: csv_cell(value) for column, value in record.items()})
        yield flush()


def json_stream(citations: Iterable[Citation], *, hub_slug: str) -> Iterator[str]:
    yield '{"hub": ' + json.dumps(hub_slug) + ', "citing_papers": ['
    for index, citation in enumerate(citations):
        yield ("," if index else "") + "\n" + json.dumps(citation_record(citation))
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


EXPORTS = {
    # format: (content type, file extension, stream function)
    "csv": ("text/csv; charset=utf-8", "csv", csv_stream),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib", bibtex_stream),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris", ris_stream),
    "json": ("application/json", "json", json_stream),
}


def export_response(*, hub_slug: str, citations, fmt: str):
    """A streamed download of `citations` (a queryset, already filtered) in `fmt`."""
    content_type, extension, stream = EXPORTS[fmt]
    rows = citations.iterator(chunk_size=2000)
    body = stream(rows, hub_slug=hub_slug) if fmt == "json" else stream(rows)
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{hub_slug}-citing.{extension}"'
    return response
