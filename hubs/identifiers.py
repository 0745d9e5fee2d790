"""The identifier rule, once: which external ids name a paper, in which order, how each
kind is written in the site's URLs, how any pasted form of it is parsed, and how it is
looked up. Models, selectors, services, the bulk layer, importers, the admin, pages and
the API all come here; none keeps its own list of id fields or its own parser.

The kinds, in precedence order (ID_FIELDS): the first one a paper has names it in URLs
and listings, and an import's ids match an existing paper in the same order.

  arXiv      stored 2509.08827 (no version), URL 2509.08827 (old style: hep-th/9901001);
             also read: 2509.08827v2, arXiv:..., arxiv.org/abs|pdf|html/... links,
             10.48550/arXiv.2509.08827 (the DOI arXiv gives every paper)
  DOI        stored and URL lower case, 10.18653/v1/2020.acl-main.1;
             also read: any case, doi:..., doi.org/... and dx.doi.org/... links
  ACL        stored and URL P02-1040 or 2020.acl-main.1;
             also read: aclanthology.org/<id>/ and .pdf links, aclweb.org/anthology/<id>
  S2         stored 215416146 (an integer), URL CorpusId:215416146;
             also read: S2:..., corpusid:..., api.semanticscholar.org/CorpusID:... links
  OpenAlex   stored and URL W2741809807;
             also read: w..., openalex.org/W... and openalex.org/works/W... links

Why S2 is written `CorpusId:N` and never as the bare number: a bare number could as well
be a PubMed or MAG id or a year typed in the search box, and Semantic Scholar's own API
spells it so (api.semanticscholar.org/graph/v1/paper/CorpusId:N). It cannot collide with
another kind: arXiv, ACL and OpenAlex ids never hold a colon, and a DOI starts with "10.".
In a URL path a colon needs no escaping.

S2 comes before OpenAlex only because the importers have always matched in this order;
ids that name two different papers are refused by the bulk layer whatever the order.

The forms are disjoint, so `parse` can try the kinds in any order. DOIs contain slashes
(and old arXiv ids one): the URL routes take the identifier as a <path:...>.
"""

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Q

from hubs.inputs import whole_number

# New-style arXiv ids (since April 2007): YYMM.NNNN or YYMM.NNNNN, optional version.
_ARXIV_NEW = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5}$")
# Old-style ids: archive(.subject-class)/YYMMNNN, e.g. hep-th/9901001 or math.GT/0309136.
_ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/(?P<yy>\d{2})(?P<mm>\d{2})\d{3}$")
_ARXIV_VERSION = re.compile(r"^(?P<base>.+?)v(?P<version>\d+)$")
# An arXiv id mentioned in running text ("Preprint arXiv:2509.08827", ".../abs/2509.08827").
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv:|abs/)\s*(?P<id>(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)",
    re.IGNORECASE,
)
# A URL's scheme may lose a slash on the way (proxies merge "//" in paths): https:/x.
_URL = r"(?:https?:/+)?(?:www\.)?"
_ARXIV_PREFIX = re.compile(
    rf"^(?:arxiv:\s*|{_URL}(?:export\.)?arxiv\.org/(?:abs|pdf|html)/)", re.IGNORECASE
)
_ARXIV_SUFFIX = re.compile(r"(?:\.pdf)?/?(?:[?#].*)?$", re.IGNORECASE)
_DOI_PREFIX = re.compile(rf"^(?:doi:\s*|urn:doi:|{_URL}(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# arXiv registers a DataCite DOI for every paper (10.48550/arXiv.2509.08827): it is the
# arXiv id in disguise, so pasted it names the arXiv paper, and given alone it is stored
# as the arXiv id.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>.+)$")
_ACL_PREFIX = re.compile(
    rf"^(?:acl:\s*|{_URL}(?:aclanthology\.org|aclweb\.org/anthology)/)", re.IGNORECASE
)
# Old-style ACL ids (P02-1040, J87-1004a) and new-style ones (2020.acl-main.1).
_ACL_OLD = re.compile(r"^(?P<letter>[a-z])(?P<rest>\d{2}-\d{4}[a-z]?)$", re.IGNORECASE)
_ACL_NEW = re.compile(r"^\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+$", re.IGNORECASE)
_S2_PREFIX = re.compile(rf"^(?:corpusid:|s2:|{_URL}api\.semanticscholar\.org/corpusid:)\s*", re.I)
_OPENALEX_PREFIX = re.compile(
    rf"^(?:openalex:\s*|{_URL}(?:api\.)?openalex\.org/(?:works/)?)", re.I
)
_OPENALEX = re.compile(r"^W\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class ArxivId:
    id: str
    version: int | None

    @property
    def year_month(self) -> tuple[int, int]:
        """Year and month of first submission, which every arXiv id encodes."""
        match = _ARXIV_NEW.match(self.id) or _ARXIV_OLD.match(self.id)
        yy, mm = int(match["yy"]), int(match["mm"])
        # Old-style ids start in 1991; new-style ones in 2007.
        return (1900 + yy if yy >= 91 else 2000 + yy), mm


def parse_arxiv_id(value: str) -> ArxivId:
    """Split '2509.08827v2' (or 'arXiv:…', an arxiv.org abs/pdf link) into id and version;
    ValueError if it is not one."""
    text = _ARXIV_PREFIX.sub("", value.strip(), count=1)
    if text != value.strip():
        text = _ARXIV_SUFFIX.sub("", text, count=1)
    version = None
    if match := _ARXIV_VERSION.match(text):
        text, version = match["base"], int(match["version"])
    match = _ARXIV_NEW.match(text) or _ARXIV_OLD.match(text)
    if not match:
        raise ValueError(f"{value!r} is not an arXiv identifier")
    if not 1 <= int(match["mm"]) <= 12:
        raise ValueError(f"{value!r} is not an arXiv identifier (month {match['mm']})")
    return ArxivId(id=text, version=version)


def arxiv_id_in_text(text: str) -> str | None:
    """The arXiv id (as written, version included) that running text cites, if any."""
    match = _ARXIV_IN_TEXT.search(text or "")
    return match["id"] if match else None


def normalize_doi(value: str) -> str:
    """A DOI in its canonical form: no resolver prefix, lower case (DOIs are case-insensitive)."""
    text = _DOI_PREFIX.sub("", value.strip(), count=1).lower()
    if not _DOI.match(text):
        raise ValueError(f"{value!r} is not a DOI")
    return text


def normalize_acl_id(value: str) -> str:
    """An ACL Anthology id as the Anthology writes it (P02-1040, 2020.acl-main.1)."""
    text = _ACL_PREFIX.sub("", value.strip(), count=1)
    if text != value.strip():
        text = re.sub(r"(?:\.pdf|/)$", "", text, flags=re.IGNORECASE)
    if match := _ACL_OLD.match(text):
        return match["letter"].upper() + match["rest"].lower()
    if _ACL_NEW.match(text):
        return text.lower()
    raise ValueError(f"{value!r} is not an ACL Anthology id")


def _s2_corpus_id(value, *, bare: bool) -> int:
    text = str(value).strip()
    stripped = _S2_PREFIX.sub("", text, count=1)
    number = whole_number(stripped, minimum=1, maximum=2**63 - 1)  # a BigIntegerField
    if (stripped != text or bare) and number is not None:
        return number
    raise ValueError(f"{value!r} is not a Semantic Scholar corpus id (CorpusId:123)")


def normalize_openalex_id(value: str) -> str:
    """An OpenAlex work id, short form (W2741809807)."""
    text = _OPENALEX_PREFIX.sub("", value.strip(), count=1).rstrip("/")
    if not _OPENALEX.match(text):
        raise ValueError(f"{value!r} is not an OpenAlex work id")
    return text.upper()


@dataclass(frozen=True)
class Kind:
    field: str  # the Paper column
    label: str  # how pages and JSON-LD name the source
    # Any written form of this kind -> the stored value; ValueError if it is not one.
    # `bare` says whether the caller knows the kind (a field), so that a form which only
    # this kind's context makes unambiguous (a bare corpus id number) is accepted.
    read: Callable[..., object]
    url_form: Callable[[object], str]  # stored value -> how URLs and listings write it
    link: Callable[[object], str]  # stored value -> the source's own page


KINDS = (
    Kind(
        "arxiv_id",
        "arXiv",
        lambda value, bare: parse_arxiv_id(str(value)).id,
        str,
        lambda value: f"https://arxiv.org/abs/{value}",
    ),
    Kind(
        "doi",
        "DOI",
        lambda value, bare: normalize_doi(str(value)),
        str,
        # "?", "#" and "%" would end or bend the resolver's URL: DOIs escape them there.
        lambda value: f"https://doi.org/{quote(value, safe='/:;()<>[]')}",
    ),
    Kind(
        "acl_id",
        "ACL Anthology",
        lambda value, bare: normalize_acl_id(str(value)),
        str,
        lambda value: f"https://aclanthology.org/{value}/",
    ),
    Kind(
        "s2_corpus_id",
        "Semantic Scholar",
        _s2_corpus_id,
        lambda value: f"CorpusId:{value}",
        lambda value: f"https://api.semanticscholar.org/CorpusID:{value}",
    ),
    Kind(
        "openalex_id",
        "OpenAlex",
        lambda value, bare: normalize_openalex_id(str(value)),
        str,
        lambda value: f"https://openalex.org/{value}",
    ),
)
KIND_OF = {kind.field: kind for kind in KINDS}
# The precedence: the one list of id fields, in the order they name and match a paper.
ID_FIELDS = tuple(kind.field for kind in KINDS)


@dataclass(frozen=True)
class PaperId:
    """One id of one paper: its kind (the Paper field), stored value and, for arXiv, the
    version a pasted form named (never part of the stored id or the URL)."""

    field: str
    value: str | int
    version: int | None = None

    def __str__(self) -> str:
        return KIND_OF[self.field].url_form(self.value)

    @property
    def label(self) -> str:
        return KIND_OF[self.field].label

    @property
    def link(self) -> str:
        return KIND_OF[self.field].link(self.value)

    def q(self, path: str = "") -> Q:
        """The lookup of this id, for the paper at `path` (e.g. "citing__")."""
        return Q(**{f"{path}{self.field}": self.value})


def parse_field(field: str, value) -> PaperId:
    """`value` read as an id of the kind `field` names (any pasted form of it); ValueError."""
    return PaperId(field, *_read_field(field, value))


def _read_field(field: str, value) -> tuple[str | int, int | None]:
    """parse_field's stored value and arXiv version, without the PaperId (normalize_ids
    reads every id of a big import through here)."""
    if field == "arxiv_id":
        arxiv = parse_arxiv_id(str(value))
        return arxiv.id, arxiv.version
    return KIND_OF[field].read(value, bare=True), None


def parse(text: str) -> PaperId:
    """Whatever a person pasted (an id, a prefixed id, a source's URL) as the id it names;
    ValueError if it is not a paper identifier."""
    text = str(text).strip()
    if "\x00" not in text:  # PostgreSQL cannot even compare text holding a NUL
        for kind in KINDS:
            try:
                stored = kind.read(text, bare=False)
            except ValueError:
                continue
            if kind.field == "doi" and (arxiv := arxiv_id_in_doi(stored)):
                return parse(arxiv)
            version = parse_arxiv_id(text).version if kind.field == "arxiv_id" else None
            return PaperId(kind.field, stored, version)
    raise ValueError(
        f"{text!r} is not a paper identifier (arXiv id, DOI, ACL Anthology id, "
        "CorpusId:<Semantic Scholar corpus id>, OpenAlex id)"
    )


def parse_or_none(text: str) -> PaperId | None:
    try:
        return parse(text)
    except ValueError:
        return None


def id_items(ids) -> list[tuple[str, object]]:
    """The ids a paper (or a dict of normalised ids) has as (field, value) pairs, first the
    one that names it: the one rule in_precedence, ids_of, first_named and values_by_field
    read. Plain pairs, the keys look-ups use, so that the bulk services' millions of calls
    build no PaperId."""
    if isinstance(ids, (dict, Mapping)):  # dict first: the quick check
        get = ids.get
        return [(field, value) for field in ID_FIELDS if (value := get(field)) not in (None, "")]
    return [
        (field, value)
        for field in ID_FIELDS
        if (value := getattr(ids, field, None)) not in (None, "")
    ]


def in_precedence(ids) -> Iterator[PaperId]:
    """The ids a paper (or a dict of normalised ids) has, first the one that names it."""
    for field, value in id_items(ids):
        yield PaperId(field, value)


def identifier_of(paper) -> str:
    """The identifier a paper (or a dict of its ids) is named by in URLs and listings."""
    return str(next(in_precedence(paper), ""))


def ids_of(paper) -> dict:
    """A paper's ids as a dict {field: value}, the shape records and lookups use."""
    return dict(id_items(paper))


def ids_q(ids: Mapping, path: str = "") -> Q:
    """Papers having any of these normalised ids (pick the one to use with `first_named`)."""
    q = Q(pk__in=[])
    for paper_id in in_precedence(ids):
        q |= paper_id.q(path)
    return q


def first_named(ids: Mapping, found: Mapping[tuple[str, object], object]):
    """Of the things `found` keys by (field, value), the one the first id in precedence
    order finds; None if no id finds one."""
    for key in id_items(ids):
        if (hit := found.get(key)) is not None:
            return hit
    return None


def values_by_field(identities: Iterable[Mapping]) -> dict[str, set]:
    """The ids of many papers grouped by kind, for one `field__in` query per kind."""
    wanted: dict[str, set] = {field: set() for field in ID_FIELDS}
    for ids in identities:
        for field, value in id_items(ids):
            wanted[field].add(value)
    return {field: values for field, values in wanted.items() if values}


def normalize_ids(values: Mapping) -> tuple[dict, list[str]]:
    """Ids as a source or a form gives them ({field: any form}) made into stored values.

    Returns (ids, rejected): ids holds the ones that parse (plus "arxiv_version" when an
    arXiv id named one); rejected says why each other did not ("'x' is not a DOI"). Given
    without an arXiv id, arXiv's own DOI becomes the arXiv id (so a paper is never named
    by it). What to do with a rejection is the caller's choice.
    """
    ids, rejected = {}, []
    arxiv = values.get("arxiv_id")
    for field in ID_FIELDS:
        value = values.get(field)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            continue
        try:
            stored, version = _read_field(field, value)
        except ValueError as exc:
            rejected.append(str(exc))
            continue
        if field == "doi" and not arxiv and (in_doi := arxiv_id_in_doi(stored)):
            with contextlib.suppress(ValueError):  # else it stays a DOI like any other
                ids.update(_arxiv_ids(*_read_field("arxiv_id", in_doi)))
                arxiv = in_doi
                continue
        if field == "arxiv_id":
            ids.update(_arxiv_ids(stored, version))
        else:
            ids[field] = stored
    # In ID_FIELDS order, then "arxiv_version": only the version (added with its arXiv id,
    # which comes first) is out of place.
    if "arxiv_version" in ids:
        ids["arxiv_version"] = ids.pop("arxiv_version")
    return ids, rejected


def arxiv_id_in_doi(doi: str) -> str | None:
    """The arXiv id in arXiv's own DOI (10.48550/arXiv.2509.08827), else None."""
    match = _ARXIV_DOI.match(doi.lower())
    return match["id"] if match else None


def _arxiv_ids(arxiv_id: str, version: int | None) -> dict:
    return {"arxiv_id": arxiv_id} | ({"arxiv_version": version} if version else {})
