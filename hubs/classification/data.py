"""Readers for the labelled corpora in the shared data folder, and the Athar dev split.

Each reader returns ``Example`` rows already mapped to our labels (see labels.py); rows
whose label maps to nothing are left out. The corpora themselves are never copied into
the repository: they live in ``../shared/data`` (each folder has a SOURCE.md).
"""

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hubs.classification import labels

SCICITE_DIR = Path("scicite")
ACL_ARC_DIR = Path("acl-arc")
ATHAR_FILE = Path("citation-sentiment-athar2011") / "citation_sentiment_corpus.txt"

# One cited paper in ATHAR_DEV_BUCKETS of ATHAR_BUCKETS goes to the dev split, chosen by a
# hash of its id: every sentence about one paper is on one side only, so dev measures how
# the model does on papers it has never seen (a hub's papers are new to it too).
ATHAR_BUCKETS = 5
ATHAR_DEV_BUCKETS = frozenset({0})


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    group: str = ""  # the cited paper, where the corpus names it
    source: str = ""  # which corpus (or "curator")
    section: str = ""  # the section heading, where the corpus gives it
    weight: float = 1.0  # how much the example counts in training (annotators' agreement)


def clean_text(text: str) -> str:
    """One line of single-spaced text: the form the model is trained and run on."""
    return " ".join(text.split())


def read_scicite(path: Path) -> list[Example]:
    """SciCite JSON Lines (bare NaN tokens allowed) mapped to our roles."""
    out = []
    for record in _json_lines(path):
        role = labels.SCICITE_ROLES.get(record.get("label"))
        if role:
            out.append(
                Example(
                    clean_text(record["string"]),
                    str(role),
                    group=record.get("citedPaperId", ""),
                    source="scicite",
                    section=_text_or_empty(record.get("sectionName")),
                    # Crowd labels with low agreement are noisier: weighting examples by
                    # the square of the label confidence gained ~0.005 macro-F1 on dev.
                    weight=_number_or(record.get("label_confidence"), 1.0) ** 2,
                )
            )
    return out


def read_scicite_polarity(path: Path) -> list[Example]:
    """SciCite's optional label2 (supportive / not_supportive) as polarity examples."""
    out = []
    for record in _json_lines(path):
        polarity = labels.SCICITE_POLARITIES.get(record.get("label2"))
        if polarity:
            out.append(
                Example(
                    clean_text(record["string"]),
                    str(polarity),
                    group=record.get("citedPaperId", ""),
                    source="scicite-label2",
                    section=_text_or_empty(record.get("sectionName")),
                )
            )
    return out


def read_acl_arc(path: Path, *, weight: float = 1.0) -> list[Example]:
    """ACL-ARC (SciBERT's citation_intent release) mapped to our roles."""
    out = []
    for record in _json_lines(path):
        role = labels.ACL_ARC_ROLES.get(record.get("label"))
        if role:
            out.append(
                Example(detokenize(record["text"]), str(role), source="acl-arc", weight=weight)
            )
    return out


_SPACE_BEFORE = re.compile(r" ([,.;:)\]!?%]|'s|n't)")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def detokenize(text: str) -> str:
    """Undo ACL-ARC's tokenisation (``Collins ( 1997 ) ,``) to read like real contexts.

    Without it ACL-ARC's extra examples cost 0.008 macro-F1 on SciCite dev; with it, none.
    """
    text = clean_text(text)
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


def read_athar(path: Path) -> list[Example]:
    """Athar's tab-separated corpus (``citing<TAB>cited<TAB>o|p|n<TAB>text``) as polarity."""
    out = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 4:
                continue
            _citing, cited, code, text = (
                fields[0],
                fields[1],
                fields[2].strip(),
                "\t".join(fields[3:]),
            )
            polarity = labels.ATHAR_POLARITIES.get(code)
            if not polarity:
                continue
            text = text.strip()
            if len(text) >= 2 and text[0] == text[-1] == '"':
                text = text[1:-1]
            out.append(Example(clean_text(text), str(polarity), group=cited, source="athar"))
    return out


def athar_is_dev(cited: str) -> bool:
    """Whether sentences citing this paper belong to the Athar dev split."""
    digest = hashlib.sha256(cited.encode("utf-8")).digest()
    return digest[0] % ATHAR_BUCKETS in ATHAR_DEV_BUCKETS


def split_athar(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    """(train, dev) carved by cited paper."""
    train, dev = [], []
    for example in examples:
        (dev if athar_is_dev(example.group) else train).append(example)
    return train, dev


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _json_lines(path: Path) -> Iterable[dict]:
    # json.loads accepts SciCite's bare NaN tokens (not strict JSON, see its SOURCE.md).
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _text_or_empty(value) -> str:
    return value if isinstance(value, str) and value.lower() != "nan" else ""


def _number_or(value, default: float) -> float:
    if isinstance(value, int | float) and value == value:  # NaN != NaN
        return float(value)
    return default


def read_role_file(path: Path) -> list[Example]:
    """A role-labelled JSON Lines file: SciCite's (``string``) or ACL-ARC's (``text``)."""
    for record in _json_lines(path):
        return (
            read_acl_arc(path)
            if "text" in record and "string" not in record
            else (read_scicite(path))
        )
    return []
