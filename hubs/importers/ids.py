"""Identifiers as sources write them, made into the site's normalised ids."""

import re

from hubs.identifiers import normalize_doi, parse_arxiv_id
from hubs.services import PAPER_ID_FIELDS

# arXiv registers a DataCite DOI for every paper (10.48550/arXiv.2509.08827): it is the
# arXiv id in disguise, so it becomes the arXiv id and leaves the DOI free for the
# published version.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>[^?#\s]+?)(?:\.pdf)?/?$", re.IGNORECASE)
_OPENALEX = re.compile(r"^W\d+$")


def arxiv_from_url(url: str | None) -> str | None:
    """The arXiv id in an arxiv.org/abs or /pdf link, if it is one."""
    match = _ARXIV_URL.search(url or "")
    return match["id"] if match else None


def paper_ids(
    *,
    arxiv_id: str | None = None,
    doi: str | None = None,
    acl_id: str | None = None,
    s2_corpus_id: int | str | None = None,
    openalex_id: str | None = None,
    keep_version: bool = False,
) -> dict:
    """Normalised ids of one paper; ones that do not parse are dropped, ValueError if none is left.

    With keep_version the arXiv id keeps its version (v2), for the paper record to store.
    """
    ids, rejected = {}, []
    if doi:
        try:
            normalised = normalize_doi(str(doi))
        except ValueError:
            rejected.append(f"DOI {doi!r}")
        else:
            if match := _ARXIV_DOI.match(normalised):
                arxiv_id = arxiv_id or match["id"]
            else:
                ids["doi"] = normalised
    if arxiv_id:
        try:
            parsed = parse_arxiv_id(str(arxiv_id))
        except ValueError:
            rejected.append(f"arXiv id {arxiv_id!r}")
        else:
            version = f"v{parsed.version}" if keep_version and parsed.version else ""
            ids["arxiv_id"] = parsed.id + version
    if acl_id and str(acl_id).strip():
        ids["acl_id"] = str(acl_id).strip()
    if s2_corpus_id not in (None, ""):
        if str(s2_corpus_id).strip().isdigit():
            ids["s2_corpus_id"] = int(s2_corpus_id)
        else:
            rejected.append(f"corpus id {s2_corpus_id!r}")
    if openalex_id:
        short = str(openalex_id).strip().rsplit("/", 1)[-1]
        if _OPENALEX.match(short):
            ids["openalex_id"] = short
        else:
            rejected.append(f"OpenAlex id {openalex_id!r}")
    if not ids:
        detail = f" ({', '.join(rejected)} not understood)" if rejected else ""
        raise ValueError(f"no usable identifier (arXiv id, DOI, ...){detail}")
    return ids


def same_paper(ids: dict, other: dict) -> bool:
    """Whether two dicts of normalised ids (no arXiv version) share an id."""
    return any(other.get(name) == value for name, value in ids.items())


def ids_of(paper) -> dict:
    """A paper's ids as a dict, the shape records use."""
    return {name: getattr(paper, name) for name in PAPER_ID_FIELDS if getattr(paper, name)}
