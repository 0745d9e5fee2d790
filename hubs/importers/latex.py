"""TeX in bibliographic fields (BibTeX entries, arXiv author names) to plain Unicode."""

from bibtexparser.latexenc import latex_to_unicode

from hubs.importers.text import clean


def untex(text: str) -> str:
    """LaTeX accents and braces to plain Unicode: {\\'E}cole -> École."""
    return clean(latex_to_unicode(text).replace("{", "").replace("}", ""))
