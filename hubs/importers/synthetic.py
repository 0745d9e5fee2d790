"""A synthetic corpus for benchmarks, shaped like real hubs and deterministic for a seed.

Papers get DOIs under 10.5555 (the prefix set aside for examples), so a synthetic corpus
can never collide with, or overwrite, a real paper. The same seed gives the same corpus,
so generating it again changes nothing.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

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

    def doi(self, number: int) -> str:
        return f"10.5555/pith-synthetic.{self.seed}.{number}"

    def hub_slug(self, number: int) -> str:
        return f"synthetic-{self.seed}-hub-{number + 1}"


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def papers(plan: CorpusPlan) -> Iterator[PaperRecord]:
    """Every paper of the corpus: the hubs first (older), then the citing papers."""
    rng = random.Random(f"{plan.seed}-papers")
    for number in range(plan.papers):
        hub = number < plan.hub_count
        year = rng.randint(2012, 2018) if hub else _pick(rng, YEARS)
        primary = _pick(rng, CATEGORIES)
        cross = rng.sample(sorted(CATEGORIES), rng.randint(0, 2))
        yield PaperRecord(
            doi=plan.doi(number),
            title=(
                f"{rng.choice(_ADJECTIVES)} {rng.choice(_METHODS)} for {rng.choice(_TASKS)}"
                f" ({number})"
            ),
            authors=[
                f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(1, 8))
            ],
            abstract=f"We study {rng.choice(_TASKS).lower()} with {rng.choice(_METHODS).lower()}.",
            primary_category=primary,
            categories=[primary, *(code for code in cross if code != primary)],
            submitted=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        )


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
    for hub in range(plan.hub_count):
        name = f"Hub {hub + 1} et al."
        for number in citing_numbers(plan, hub):
            label = _label(rng)
            contexts = [
                (rng.choice(_CONTEXTS).format(hub=name), rng.choice(SECTIONS))
                for _ in range(rng.randint(1, 3))
            ]
            yield CitationRecord(
                citing={"doi": plan.doi(number)},
                cited={"doi": plan.doi(hub)},
                refs=len(contexts) + int(rng.expovariate(1.0)),
                contexts=contexts,
                **label,
            )


def _label(rng: random.Random) -> dict:
    """No label (20%), a curator's (25%), an import's role only (25%) or a model's (30%)."""
    draw = rng.random()
    if draw < 0.2:
        return {}
    role, polarity = _pick(rng, ROLES), _pick(rng, POLARITIES)
    if draw < 0.45:
        return {"role": role, "polarity": polarity, "source": "curator"}
    if draw < 0.7:
        return {"role": role, "source": "import", "confidence": 0.9}
    confidence = round(rng.uniform(0.5, 0.99), 2)
    return {"role": role, "polarity": polarity, "source": "model", "confidence": confidence}


def reviews(plan: CorpusPlan) -> Iterator[ReviewRecord]:
    """Reviews of about a third of the citing papers, verdicts and novelty spread."""
    rng = random.Random(f"{plan.seed}-reviews")
    for number in range(plan.hub_count, plan.papers):
        if rng.random() >= REVIEWED_SHARE:
            continue
        verdict = _pick(rng, VERDICTS)
        novelty = min(10.0, max(0.0, rng.gauss(5.5, 1.8)))
        yield ReviewRecord(
            paper={"doi": plan.doi(number)},
            verdict=verdict,
            novelty=None if verdict == Verdict.UNVERDICTED else Decimal(f"{novelty:.1f}"),
            summary=f"A {verdict} contribution to {rng.choice(_TASKS).lower()}.",
        )
