"""Loaders (the demos, every import format, generate_corpus) write only through the
fill-only services, never through the ones that set what a person decides."""

import re
from pathlib import Path

import pytest

HUBS = Path(__file__).resolve().parents[2] / "hubs"
LOADERS = sorted(
    [
        *(HUBS / "demo").glob("*.py"),
        *(HUBS / "importers").glob("*.py"),
        HUBS / "management" / "commands" / "load_demo.py",
        HUBS / "management" / "commands" / "import_papers.py",
        HUBS / "management" / "commands" / "generate_corpus.py",
    ]
)
# These overwrite: they are for people (admin, API, queue), who mean to change the record.
PERSON_WRITES = (
    "review_set",
    "citation_classify",
    "citations_classify",
    "hub_create",
    "hub_update",
    "hub_publish",
    "hub_set_representatives",
    "hub_revert",
    "paper_update",
    "change_revert",
)


@pytest.mark.parametrize("path", LOADERS, ids=lambda path: path.name)
def test_a_loader_uses_no_service_that_overwrites(path):
    source = path.read_text(encoding="utf-8")
    used = [name for name in PERSON_WRITES if re.search(rf"\b{name}\(", source)]
    assert not used, f"{path.name} calls {', '.join(used)}: use the fill-only services"
