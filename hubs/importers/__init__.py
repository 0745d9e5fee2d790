"""Importers: fill the site from the files researchers already have, never from the network.

Each format module turns files into a stream of records (`read(paths, options)`), and
`runner.run_import` writes them in batches through the bulk services in hubs.services.
"""

from hubs.importers import acl, arxiv, bibtex, openalex, s2

FORMATS = {
    "openalex": openalex,
    "s2": s2,
    "acl": acl,
    "arxiv": arxiv,
    "bibtex": bibtex,
}
