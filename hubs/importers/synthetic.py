"""A synthetic corpus for benchmarks, shaped like real hubs and deterministic for a seed.

Papers get DOIs under 10.5555 (the prefix set aside for examples), so a synthetic corpus
can never collide with, or overwrite, a real paper. The same seed gives the same corpus,
so generating it again changes nothing.
"""

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate, permutations

from hubs.services import CitationRecord, PaperRecord, ReviewRecord
from hubs.vocab import Polarity, Role, Verdict

# Hub k is cited by hub_citations * HUB_SHARES[k] papers: one giant and a long tail.
HUB_SHARES = (1.0, 0.25, 0.05, 0.01)
# Citing papers pile up in recent years, as they do on a successful paper.
YEARS = {2019: 1, 2020: 2, 2021: 3, 2022: 5, 2023: 8, 2024: 12, 2025: 18, 2026: 20}
CATEGORIES = {"cs.LG": 35, "cs.CL": 25, "cs.AI": 15, "cs.CV": 10, "stat.ML": 8, "cs.RO": 4}
ROLES = {
    Role.BACKGROUND: 50,
    Role.USES_METHOD: 20,
    Role.COMPARES_WITH: 15,
    Role.BUILDS_ON: 10,
    Role.USES_DATA: 5,
}
POLARITIES = {Polarity.NEUTRAL: 72, Polarity.SUPPORTING: 20, Polarity.CONTRASTING: 8}
VERDICTS = {
    Verdict.ACCEPT: 35,
    Verdict.CONDITIONAL: 20,
    Verdict.UNVERDICTED: 20,
    Verdict.UNCERTAIN: 15,
    Verdict.REJECT: 10,
}
SECTIONS = ("1 Introduction", "2 Related Work", "3 Method", "4 Experiments", "5 Discussion")
REVIEWED_SHARE = 0.3

_ADJECTIVES = [
    "Scalable",
    "Robust",
    "Efficient",
    "Sparse",
    "Contrastive",
    "Causal",
    "Federated",
    "Adaptive",
    "Neural",
]
_METHODS = [
    "Transformers",
    "Pretraining",
    "Distillation",
    "Retrieval",
    "Diffusion",
    "Alignment",
    "Agents",
]
_TASKS = (
    "Machine Translation",
    "Mathematical Reasoning",
    "Code Generation",
    "Question Answering",
    "Image Segmentation",
    "Protein Folding",
    "Robot Grasping",
    "Summarisation",
)
_FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Leslie",
    "Shafi",
    "Judea",
    "Yoshua",
    "Fei-Fei",
]
_LAST = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Lamport",
    "Goldwasser",
    "Pearl",
    "Bengio",
]
_CONTEXTS = (
    "Following {hub}, we treat the problem as sequential decision making.",
    "We build on the training recipe of {hub} and change only the reward.",
    "Unlike {hub}, our method needs no labelled data.",
    "Our results agree with those reported by {hub} on the same benchmark.",
    "{hub} surveys this line of work in depth.",
    "We compare against the strongest baseline in {hub}.",
)


@dataclass(frozen=True)
class CorpusPlan:
    papers: int
    hub_citations: int
    seed: int

    @property
    def hub_count(self) -> int:
        return len(HUB_SHARES)

    @property
    def doi_prefix(self) -> str:
        return f"10.5555/pith-synthetic.{self.seed}."

    def doi(self, number: int) -> str:
        return f"{self.doi_prefix}{number}"

    def hub_slug(self, number: int) -> str:
        return f"synthetic-{self.seed}-hub-{number + 1}"


# The generator is the benchmark's input, not the import path: it draws each field for a
# block of records at once (one `choices(..., k=n)` per field rather than a call per field
# per record) from tables built once, so that a million papers cost seconds, not half a
# minute, of the import's time. Same distributions, same vocabulary, deterministic per seed.
_BLOCK = 1024


class _Draw:
    """Weighted draws of one table, many at a time."""

    def __init__(self, weights: dict | Sequence):
        if isinstance(weights, dict):
            self.values = list(weights)
            self.cum_weights = list(accumulate(weights.values()))
        else:  # uniform
            self.values = list(weights)
            self.cum_weights = None

    def __call__(self, rng: random.Random, k: int) -> list:
        return rng.choices(self.values, cum_weights=self.cum_weights, k=k)


_YEARS = _Draw(YEARS)
_HUB_YEARS = _Draw(range(2012, 2019))
_CATEGORIES = _Draw(CATEGORIES)
# rng.sample(sorted(CATEGORIES), randint(0, 2)): none, one, or an ordered pair of two.
_CROSS = _Draw(
    [
        *[()] * 30,
        *[(code,) for code in sorted(CATEGORIES)] * 5,
        *permutations(sorted(CATEGORIES), 2),
    ]
)
_ROLES = _Draw(ROLES)
_POLARITIES = _Draw(POLARITIES)
_VERDICTS = _Draw(VERDICTS)
# A title is an adjective, a method and a task; an author a first and a last name; each
# drawn uniformly and independently, so one draw from their products is the same draw.
_TITLES = _Draw(
    [
        f"{adj} {method} for {task} ("
        for adj in _ADJECTIVES
        for method in _METHODS
        for task in _TASKS
    ]
)
_ABSTRACTS = _Draw(
    [f"We study {task.lower()} with {method.lower()}." for task in _TASKS for method in _METHODS]
)
_AUTHORS = _Draw([f"{first} {last}" for first in _FIRST for last in _LAST])
_AUTHOR_COUNTS = _Draw(range(1, 9))
_CONTEXT_COUNTS = _Draw(range(1, 4))
# Any day of the year's first 28 of each month (the submission date): 12 x 28 of them.
_DAYS = [(month, day) for month in range(1, 13) for day in range(1, 29)]
_NOVELTIES = {tenths / 10: Decimal(f"{tenths / 10:.1f}") for tenths in range(101)}
_SUMMARY_TASKS = [task.lower() for task in _TASKS]


def _categories(primary: str, cross: tuple) -> list[str]:
    return [primary, *(code for code in cross if code != primary)]


def papers(plan: CorpusPlan) -> Iterator[PaperRecord]:
    """Every paper of the corpus: the hubs first (older), then the citing papers."""
    rng = random.Random(f"{plan.seed}-papers")
    prefix = plan.doi_prefix
    dates: dict[int, list[datetime.date]] = {}
    categories = {}  # (primary, cross) -> the paper's list, built once
    for start in range(0, plan.papers, _BLOCK):
        n = min(_BLOCK, plan.papers - start)
        hubs = max(0, min(n, plan.hub_count - start))
        years = _HUB_YEARS(rng, hubs) + _YEARS(rng, n - hubs)
        days = rng.choices(range(len(_DAYS)), k=n)
        counts = _AUTHOR_COUNTS(rng, n)
        authors = _AUTHORS(rng, sum(counts))
        primaries, crosses = _CATEGORIES(rng, n), _CROSS(rng, n)
        titles, abstracts = _TITLES(rng, n), _ABSTRACTS(rng, n)
        taken = 0
        for i in range(n):
            number, year, primary, cross = start + i, years[i], primaries[i], crosses[i]
            if year not in dates:
                dates[year] = [datetime.date(year, month, day) for month, day in _DAYS]
            key = (primary, cross)
            if key not in categories:
                categories[key] = _categories(primary, cross)
            count = counts[i]
            yield PaperRecord(
                doi=f"{prefix}{number}",
                title=f"{titles[i]}{number})",
                authors=authors[taken : taken + count],
                abstract=abstracts[i],
                primary_category=primary,
                categories=categories[key].copy(),
                submitted=dates[year][days[i]],
            )
            taken += count


def citing_numbers(plan: CorpusPlan, hub: int) -> list[int]:
    """The papers citing hub `hub`: the first hub gets a block, the others a sample."""
    pool = range(plan.hub_count, plan.papers)
    count = min(round(plan.hub_citations * HUB_SHARES[hub]), len(pool))
    if hub == 0:
        return list(pool[:count])
    return sorted(random.Random(f"{plan.seed}-hub-{hub}").sample(pool, count))


def citations(plan: CorpusPlan) -> Iterator[CitationRecord]:
    """Each hub's citations, with 1-3 contexts, refs, and a spread of label sources."""
    rng = random.Random(f"{plan.seed}-citations")
    prefix = plan.doi_prefix
    for hub in range(plan.hub_count):
        name = f"Hub {hub + 1} et al."
        # A context is a sentence and a section, drawn uniformly and independently.
        contexts = _Draw(
            [(text.format(hub=name), section) for text in _CONTEXTS for section in SECTIONS]
        )
        cited = {"doi": plan.doi(hub)}
        numbers = citing_numbers(plan, hub)
        for start in range(0, len(numbers), _BLOCK):
            block = numbers[start : start + _BLOCK]
            n = len(block)
            labels = _labels(rng, n)
            counts = _CONTEXT_COUNTS(rng, n)
            drawn = contexts(rng, sum(counts))
            extra = [int(rng.expovariate(1.0)) for _ in range(n)]
            taken = 0
            for i, number in enumerate(block):
                count = counts[i]
                yield CitationRecord(
                    citing={"doi": f"{prefix}{number}"},
                    cited=cited.copy(),
                    refs=count + extra[i],
                    contexts=drawn[taken : taken + count],
                    **labels[i],
                )
                taken += count


def _labels(rng: random.Random, n: int) -> list[dict]:
    """No label (20%), a curator's (25%), an import's role only (25%) or a model's (30%)."""
    draws = [rng.random() for _ in range(n)]
    roles, polarities = _ROLES(rng, n), _POLARITIES(rng, n)
    labels = []
    for draw, role, polarity in zip(draws, roles, polarities, strict=True):
        if draw < 0.2:
            labels.append({})
        elif draw < 0.45:
            labels.append({"role": role, "polarity": polarity, "source": "curator"})
        elif draw < 0.7:
            labels.append({"role": role, "source": "import", "confidence": 0.9})
        else:
            confidence = round(rng.uniform(0.5, 0.99), 2)
            labels.append(
                {"role": role, "polarity": polarity, "source": "model", "confidence": confidence}
            )
    return labels


def reviews(plan: CorpusPlan) -> Iterator[ReviewRecord]:
    """Reviews of about a third of the citing papers, verdicts and novelty spread."""
    rng = random.Random(f"{plan.seed}-reviews")
    prefix = plan.doi_prefix
    for start in range(plan.hub_count, plan.papers, _BLOCK):
        numbers = range(start, min(start + _BLOCK, plan.papers))
        reviewed = [number for number in numbers if rng.random() < REVIEWED_SHARE]
        n = len(reviewed)
        verdicts = _VERDICTS(rng, n)
        tasks = rng.choices(_SUMMARY_TASKS, k=n)
        for i, number in enumerate(reviewed):
            verdict = verdicts[i]
            novelty = round(min(10.0, max(0.0, rng.gauss(5.5, 1.8))), 1)
            yield ReviewRecord(
                paper={"doi": f"{prefix}{number}"},
                verdict=verdict,
                novelty=None if verdict == Verdict.UNVERDICTED else _NOVELTIES[novelty],
                summary=f"A {verdict} contribution to {tasks[i]}.",
            )
