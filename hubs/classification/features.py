"""What the classifier reads in a citing sentence, as one sparse feature row.

Three blocks, each scaled by a weight chosen on dev:
- word uni- and bigrams, TF-IDF (sublinear);
- character 2- to 5-grams within word boundaries, TF-IDF: robust to inflection,
  citation-marker punctuation and the tokenised text of some corpora;
- the kind of section the sentence stands in (introduction, methods, results, ...),
  when known: a citation in "Methods" is usually a use, one in "Discussion" a
  comparison. SciCite and our CitationContext rows both carry a section. (+0.015
  role macro-F1 on SciCite dev.)
- a few counts of hand-written stance cues ("however", "fails", "outperforms", ...):
  the polarity corpus has only ~160 negative sentences to train on, so cue words it
  never saw still count through these. (+0.03 polarity macro-F1 on the Athar dev split.)

Stored as plain arrays (vocabularies, idf weights), not pickles, so a model file
loads under any scikit-learn version and can't run code.
"""

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from hubs.classification.data import clean_text

# First pattern that matches a lower-cased section heading wins; order matters
# ("results and discussion" is a result section, "experimental setup" a method one).
SECTION_KINDS: tuple[tuple[str, str], ...] = (
    ("introduction", r"intro|motivation|overview"),
    ("related", r"related|background|previous|prior|literature|state of the art"),
    (
        "method",
        r"method|material|experimental (design|setup|procedure)|setup|implement|approach"
        r"|procedure|protocol|algorithm|architecture|model|data|design|system",
    ),
    ("result", r"result|experiment|evaluat|finding|analys|performance|comparison"),
    ("discussion", r"discuss"),
    ("conclusion", r"conclu|summary|future|limitation"),
)
SECTION_LABELS: tuple[str, ...] = (*(kind for kind, _ in SECTION_KINDS), "other", "unknown")

# Stance cues, written by hand from what negative and positive citations say in general
# (not mined from the dev split). Counted per sentence, as a few dense features.
CONTRASTING_CUES = re.compile(
    r"\b(?:however|but|although|though|whereas|problems?|fail(?:s|ed|ure)?|suffers?|limited"
    r"|limitations?|unlike|drawbacks?|difficult(?:y)?|poor(?:ly)?|lacks?|inadequate|cannot"
    r"|can't|not|no|unable|restrict(?:ed)?|weak(?:ness)?|errors?|expensive|costly|slow"
    r"|ignored?|ignores|only|neither|nor|without|insufficient|incorrect|wrong|unclear|worse"
    r"|lower|hard|complex|noisy|sparse|unfortunately|instead|contrast|contrary|disadvantages?"
    r"|shortcomings?|criticized?|questionable|overly|too)\b",
    re.IGNORECASE,
)
SUPPORTING_CUES = re.compile(
    r"\b(?:success(?:ful|fully)?|state-of-the-art|state of the art|effective(?:ly)?|good|well"
    r"|improve[sd]?|improvements?|outperform(?:s|ed)?|popular|widely|robust|accurate|accuracy"
    r"|significant(?:ly)?|best|powerful|promising|useful|excellent|efficient|high|higher"
    r"|better|superior|competitive|important|seminal|pioneering|elegant|impressive|strong"
    r"|attractive|reliable|valuable|benefits?|advantages?|gains|boost|achieve[sd]?"
    r"|demonstrated|shown|inspired|following)\b",
    re.IGNORECASE,
)
CUE_FEATURES = 6


def section_kind(section: str | None) -> str:
    """The kind of a section heading: one of SECTION_LABELS ("unknown" when empty)."""
    heading = (section or "").strip().lower()
    if not heading or heading == "nan":
        return "unknown"
    for kind, pattern in SECTION_KINDS:
        if re.search(pattern, heading):
            return kind
    return "other"


class Featurizer:
    """Texts (and optional sections) to a sparse matrix; fit once, then transform."""

    def __init__(
        self, *, word_weight=1.0, char_weight=1.0, section_weight=1.0, cue_weight=0.5, min_df=2
    ):
        self.weights = {
            "word": word_weight,
            "char": char_weight,
            "section": section_weight,
            "cue": cue_weight,
        }
        self.min_df = min_df
        self.word = self._word(vocabulary=None)
        self.char = self._char(vocabulary=None)

    def _word(self, vocabulary):
        return TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=self.min_df,
            sublinear_tf=True,
            vocabulary=vocabulary,
            dtype=np.float32,
        )

    def _char(self, vocabulary):
        return TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=self.min_df,
            sublinear_tf=True,
            vocabulary=vocabulary,
            dtype=np.float32,
        )

    def fit(self, texts: Sequence[str]) -> "Featurizer":
        texts = [clean_text(t) for t in texts]
        self.word.fit(texts)
        self.char.fit(texts)
        return self

    def transform(
        self, texts: Sequence[str], sections: Sequence[str | None] | None = None
    ) -> sparse.csr_matrix:
        texts = [clean_text(t) for t in texts]
        kinds = [section_kind(s) for s in (sections or [None] * len(texts))]
        rows = np.arange(len(texts))
        columns = np.array([SECTION_LABELS.index(k) for k in kinds], dtype=np.int64)
        section = sparse.csr_matrix(
            (np.ones(len(texts), dtype=np.float32), (rows, columns)),
            shape=(len(texts), len(SECTION_LABELS)),
        )
        blocks = [
            self.word.transform(texts) * self.weights["word"],
            self.char.transform(texts) * self.weights["char"],
            section * self.weights["section"],
            sparse.csr_matrix(cue_counts(texts)) * self.weights["cue"],
        ]
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    @property
    def size(self) -> int:
        return (
            len(self.word.vocabulary_)
            + len(self.char.vocabulary_)
            + len(SECTION_LABELS)
            + CUE_FEATURES
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {}
        for name, vectorizer in (("word", self.word), ("char", self.char)):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            arrays[f"{name}_terms"] = np.array(terms, dtype=str)
            arrays[f"{name}_idf"] = vectorizer.idf_.astype(np.float32)
        arrays["block_weights"] = np.array(
            [self.weights[block] for block in ("word", "char", "section", "cue")],
            dtype=np.float32,
        )
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> "Featurizer":
        word, char, section, cue = (float(w) for w in arrays["block_weights"])
        featurizer = cls(
            word_weight=word, char_weight=char, section_weight=section, cue_weight=cue
        )
        for name in ("word", "char"):
            terms = arrays[f"{name}_terms"].tolist()
            vocabulary = {term: i for i, term in enumerate(terms)}
            vectorizer = (featurizer._word if name == "word" else featurizer._char)(vocabulary)
            vectorizer.idf_ = arrays[f"{name}_idf"]
            setattr(featurizer, name, vectorizer)
        return featurizer


def cue_counts(texts: Sequence[str]) -> np.ndarray:
    """Per text: log counts, rates per 10 words and presence of contrasting/supporting cues."""
    out = np.zeros((len(texts), CUE_FEATURES), dtype=np.float32)
    for row, text in enumerate(texts):
        contrasting = len(CONTRASTING_CUES.findall(text))
        supporting = len(SUPPORTING_CUES.findall(text))
        words = max(len(text.split()), 1)
        out[row] = (
            np.log1p(contrasting),
            np.log1p(supporting),
            10 * contrasting / words,
            10 * supporting / words,
            contrasting > 0,
            supporting > 0,
        )
    return out
