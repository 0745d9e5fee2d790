"""Identifiers as sources write them, made into the site's normalised ids.

The rule itself (kinds, precedence, forms) is hubs.identifiers; this module only says
how the importers use it: an id that does not parse is dropped, not fatal.
"""

from hubs.identifiers import arxiv_id_in_doi, ids_of, normalize_ids, parse_arxiv_id

__all__ = ["arxiv_from_url", "ids_of", "paper_ids", "same_paper"]


def arxiv_from_url(url: str | None) -> str | None:
    """The arXiv id (with its version, if the link names one) in an arxiv.org link."""
    if not url or "arxiv.org/" not in url.lower():
        return None
    try:
        parsed = parse_arxiv_id(url)
    except ValueError:
        return None
    return parsed.id + (f"v{parsed.version}" if parsed.version else "")


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
    ids, rejected = normalize_ids(
        {
            "arxiv_id": arxiv_id,
            "doi": doi,
            "acl_id": acl_id,
            "s2_corpus_id": s2_corpus_id,
            "openalex_id": openalex_id,
        }
    )
    if arxiv_id_in_doi(ids.get("doi", "")):
        # arXiv's own DOI is the arXiv id in disguise: it leaves the DOI free for the
        # published version.
        del ids["doi"]
    version = ids.pop("arxiv_version", None)
    if keep_version and version:
        ids["arxiv_id"] += f"v{version}"
    if not ids:
        detail = f" ({'; '.join(rejected)})" if rejected else ""
        raise ValueError(f"no usable identifier (arXiv id, DOI, ...){detail}")
    return ids


def same_paper(ids: dict, other: dict) -> bool:
    """Whether two dicts of normalised ids (no arXiv version) share an id."""
    return not ids_of(ids).items().isdisjoint(ids_of(other).items())
