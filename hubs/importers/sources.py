"""Reading input files line by line, plain or gzip-compressed, never whole."""

import gzip
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hubs.importers.progress import Progress

GZIP_MAGIC = b"\x1f\x8b"
# A longer line is reported and skipped without ever being held in memory. Real records are
# far smaller (an OpenAlex work with 5,000 authors is about 2 MB); 64 MiB still admits
# monsters such as a 10 MB line, which import like any other.
MAX_LINE_BYTES = 64 * 1024 * 1024
_DRAIN_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Bad:
    """A record that cannot be imported, and why."""

    reason: str


@dataclass(frozen=True)
class Skip:
    """A record that is fine but has nothing for the site (e.g. a citation of an unknown
    paper), counted under `kind` with its reason."""

    kind: str
    reason: str


def read_lines(
    path: Path,
    *,
    progress: Progress,
    encodings: Sequence[str] = ("utf-8",),
) -> Iterator[tuple[int, str | Bad]]:
    """(line number, text) for each line; gzip when the name ends in .gz or the magic says so.

    Each line is decoded with the first of `encodings` that fits it, so a mostly-cp1252
    file with a few UTF-8 names reads right.
    """
    with open(path, "rb") as raw:
        compressed = path.name.endswith(".gz") or raw.peek(2)[:2] == GZIP_MAGIC
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        progress.start(path.name, path.stat().st_size)
        number = 0
        while chunk := stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            # Compressed bytes read so far: the share of the file done, gzip or not.
            progress.position = raw.tell()
            if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
                del chunk
                while (rest := stream.readline(_DRAIN_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield number, Bad(f"line longer than {MAX_LINE_BYTES:,} bytes; skipped")
                continue
            yield number, _decode(chunk, encodings)


def _decode(chunk: bytes, encodings: Sequence[str]) -> str | Bad:
    for encoding in encodings:
        try:
            return chunk.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    return Bad(f"not valid {' or '.join(encodings)} ({error.reason} at byte {error.start})")
