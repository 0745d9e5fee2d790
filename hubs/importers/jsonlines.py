"""JSON Lines input: one object per line, each bad line reported with its reason."""

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from hubs.importers.progress import Progress
from hubs.importers.sources import Bad, read_lines


def read_objects(
    paths: Sequence[Path], *, progress: Progress
) -> Iterator[tuple[Path, int, dict | Bad]]:
    """(file, line, object) for every non-blank line of every file, or Bad with the reason."""
    for path in paths:
        for number, text in read_lines(path, progress=progress):
            if isinstance(text, Bad):
                yield path, number, text
            elif text.strip():
                yield path, number, _parse(text)


def _parse(text: str) -> dict | Bad:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Bad(f"broken JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(value, dict):
        return Bad(f"expected a JSON object, got {type(value).__name__}")
    return value
