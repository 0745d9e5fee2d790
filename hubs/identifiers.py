"""Parsing and normalising the external identifiers a paper is known by."""

import re
from dataclasses import dataclass

# New-style arXiv ids (since April 2007): YYMM.NNNN or YYMM.NNNNN, optional version.
_ARXIV_NEW = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5}$")
# Old-style ids: archive(.subject-class)/YYMMNNN, e.g. hep-th/9901001 or math.GT/0309136.
_ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/(?P<yy>\d{2})(?P<mm>\d{2})\d{3}$")
_ARXIV_VERSION = re.compile(r"^(?P<base>.+?)v(?P<version>\d+)$")
_ARXIV_PREFIXES = ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv:")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


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
    """Split '2509.08827v2' (or 'arXiv:2509.08827') into id and version; ValueError if not one."""
    text = value.strip()
    for prefix in _ARXIV_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    version = None
    if match := _ARXIV_VERSION.match(text):
        text, version = match["base"], int(match["version"])
    if not (_ARXIV_NEW.match(text) or _ARXIV_OLD.match(text)):
        raise ValueError(f"{value!r} is not an arXiv identifier")
    month = int((_ARXIV_NEW.match(text) or _ARXIV_OLD.match(text))["mm"])
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} is not an arXiv identifier (month {month:02d})")
    return ArxivId(id=text, version=version)


def normalize_doi(value: str) -> str:
    """A DOI in its canonical form: no resolver prefix, lower case (DOIs are case-insensitive)."""
    text = value.strip()
    for prefix in _DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    text = text.lower()
    if not _DOI.match(text):
        raise ValueError(f"{value!r} is not a DOI")
    return text
