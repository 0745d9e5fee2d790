"""arXiv categories: which codes are real, and what other sources' subjects map to."""

import re

# The arXiv archives, current and retired (https://arxiv.org/category_taxonomy); a
# category is an archive, optionally with a subject class (cs.LG, math.GT, hep-th).
ARXIV_ARCHIVES = frozenset(
    (
        *("astro-ph", "cond-mat", "cs", "econ", "eess", "gr-qc", "hep-ex", "hep-lat"),
        *("hep-ph", "hep-th", "math", "math-ph", "nlin", "nucl-ex", "nucl-th", "physics"),
        *("q-bio", "q-fin", "quant-ph", "stat"),
        # Retired archives, still found on old papers.
        *("acc-phys", "adap-org", "alg-geom", "ao-sci", "atom-ph", "bayes-an", "chao-dyn"),
        *("chem-ph", "cmp-lg", "comp-gas", "dg-ga", "funct-an", "mtrl-th", "patt-sol"),
        *("plasm-ph", "q-alg", "solv-int", "supr-con"),
    )
)
_CATEGORY = re.compile(r"^(?P<archive>[a-z-]+)(\.[A-Za-z-]{2,})?$")

# OpenAlex topics, subfields and concepts that name an arXiv category closely enough.
# Lower case; anything not here leaves the paper's category unknown rather than guessed.
SUBJECT_CATEGORIES = {
    "artificial intelligence": "cs.AI",
    "machine learning": "cs.LG",
    "deep learning": "cs.LG",
    "reinforcement learning": "cs.LG",
    "natural language processing": "cs.CL",
    "computational linguistics": "cs.CL",
    "computer vision": "cs.CV",
    "computer vision and pattern recognition": "cs.CV",
    "information retrieval": "cs.IR",
    "robotics": "cs.RO",
    "human-computer interaction": "cs.HC",
    "software": "cs.SE",
    "computer networks and communications": "cs.NI",
    "computational theory and mathematics": "cs.CC",
    "hardware and architecture": "cs.AR",
    "computer graphics and computer-aided design": "cs.GR",
    "cryptography": "cs.CR",
    "signal processing": "eess.SP",
    "statistics and probability": "math.ST",
    "control and optimization": "math.OC",
    "astronomy and astrophysics": "astro-ph",
    "nuclear and high energy physics": "hep-ph",
}


def arxiv_category(code: str | None) -> str | None:
    """The code if it is an arXiv category (cs.LG, hep-th), else None."""
    match = _CATEGORY.match((code or "").strip())
    known = match and match["archive"] in ARXIV_ARCHIVES and len(match[0]) <= 32
    return match[0] if known else None


def category_for_subject(name: str | None) -> str | None:
    """The arXiv category a subject name (OpenAlex topic, subfield, concept) stands for."""
    return SUBJECT_CATEGORIES.get((name or "").strip().lower())
