"""Guessing a file's format from its name and first line, when --format is not given."""

import gzip
import json
from pathlib import Path

from hubs.importers.sources import GZIP_MAGIC


def detect_format(path: Path) -> str | None:
    """The format name the file looks like, or None when it is not clear."""
    if path.name.lower().endswith((".bib", ".bib.gz")):
        return "bibtex"
    first = _first_line(path)
    if first.startswith("id = {") or first.startswith("#"):
        return "acl"
    try:
        record = json.loads(first)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    if {"citingPaper", "corpusid", "citingcorpusid"} & record.keys() or "data" in record:
        return "s2"
    if str(record.get("id", "")).startswith("https://openalex.org/"):
        return "openalex"
    if "versions" in record or "categories" in record:
        return "arxiv"
    return None


def _first_line(path: Path) -> str:
    with open(path, "rb") as raw:
        compressed = raw.peek(2)[:2] == GZIP_MAGIC
        stream = gzip.GzipFile(fileobj=raw) if compressed else raw
        # Only the start of the line: enough to tell formats apart, whatever its length.
        while line := stream.readline(1 << 20):
            if line.strip():
                return line.decode("utf-8", errors="replace").strip()
    return ""
