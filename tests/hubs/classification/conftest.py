import json
from pathlib import Path

import pytest

# The shared data folder sits beside the repository (in CI too); it is never copied in.
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"

USES = [
    "We used the {} toolkit of {} to tokenise every document.",
    "Following the protocol described in {} we applied the {} procedure.",
    "Samples were processed with the {} method as described previously {}.",
]
BACKGROUND = [
    "{} has been studied extensively in recent years {}.",
    "Many approaches to {} have been proposed {}.",
    "The problem of {} is well known in the literature {}.",
]
COMPARES = [
    "Our results on {} are consistent with those reported by {}.",
    "Unlike {}, we observe a higher accuracy on {}.",
    "These findings agree with the previous {} results of {}.",
]
SUPPORTING = [
    "The excellent {} model of {} achieves state-of-the-art results.",
    "{} proposed a very successful and robust approach to {}.",
]
CONTRASTING = [
    "However, the {} method of {} fails on long sentences.",
    "The approach of {} suffers from poor coverage of {}.",
]
NEUTRAL = [
    "{} describe a {} system.",
    "A {} corpus was compiled by {}.",
    "{} report experiments on {}.",
]
WORDS = [
    "parsing",
    "tagging",
    "alignment",
    "translation",
    "sequencing",
    "imaging",
    "staining",
    "clustering",
    "retrieval",
    "summarisation",
    "segmentation",
    "assembly",
]
CITES = ["(Smith et al., 2010)", "[12]", "(Lee and Park, 2003)", "[4, 5]", "Brown (1999)"]


def sentences(templates: list[str], count: int, offset: int = 0) -> list[str]:
    return [
        templates[i % len(templates)].format(
            WORDS[(i + offset) % len(WORDS)], CITES[(i + offset) % len(CITES)]
        )
        for i in range(count)
    ]


def write_scicite(path: Path, count: int, offset: int = 0) -> None:
    rows = []
    for label, templates in (("method", USES), ("background", BACKGROUND), ("result", COMPARES)):
        for text in sentences(templates, count, offset):
            rows.append(
                {
                    "string": text,
                    "label": label,
                    "sectionName": "",
                    "citedPaperId": "x" * 40,
                    "label_confidence": 1.0,
                }
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def write_athar(path: Path, count: int) -> None:
    lines = ["# a header line, as in the real corpus", ""]
    # Cited ids on both sides of the by-cited-paper dev split.
    cited = [f"P0{n}-1001" for n in range(10)]
    for code, templates in (("p", SUPPORTING), ("n", CONTRASTING), ("o", NEUTRAL)):
        for i, text in enumerate(sentences(templates, count)):
            lines.append(f'A00-{i:04d}\t{cited[i % len(cited)]}\t{code}\t"{text}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"the shared data folder is absent ({SHARED_DATA.resolve()}): dev scores need "
            "SciCite, ACL-ARC and the Athar corpus, which are never copied into the repository"
        )
    return SHARED_DATA.resolve()


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    """A synthetic data folder in the shared layout, small enough to train on in seconds."""
    root = tmp_path / "data"
    write_scicite(root / "scicite" / "train.jsonl", 24)
    write_scicite(root / "scicite" / "dev.jsonl", 6, offset=5)
    write_athar(root / "citation-sentiment-athar2011" / "citation_sentiment_corpus.txt", 20)
    return root
