"""Importers: fill the site from the files researchers already have, never from the network.

Each format module turns files into a stream of records (`read(paths, options)`), and
`runner.run_import` writes them in batches through the bulk services in hubs.services.
"""

import importlib
from types import ModuleType

FORMATS = ("openalex", "s2", "acl", "arxiv", "bibtex")


def format_reader(name: str) -> ModuleType:
    """The module that reads format `name` (imported on use: each has its own needs)."""
    if name not in FORMATS:
        raise ValueError(f"Unknown format {name!r}; expected one of {', '.join(FORMATS)}.")
    return importlib.import_module(f"hubs.importers.{name}")
