import io
import json

import pytest
from django.core.management import CommandError, call_command

from hubs.classification import load_model
from hubs.classification.data import file_sha256
from hubs.models import ClassificationSource, Role
from tests.factories import CitationContextFactory, CitationFactory
from tests.hubs.classification.conftest import write_scicite


def train(*args) -> str:
    out = io.StringIO()
    call_command("train_classifier", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_writes_model_and_metadata_with_data_hashes(tiny_data, tmp_path):
    out = tmp_path / "model"
    output = train("--data", tiny_data, "--out", out)
    assert "written to" in output
    metadata = json.loads((out / "metadata.json").read_text())
    hashed = {f["path"]: f["sha256"] for f in metadata["data_files"]}
    assert hashed["scicite/train.jsonl"] == file_sha256(tiny_data / "scicite" / "train.jsonl")
    assert len(hashed) == 3  # no ACL-ARC here: it is optional
    for key in ("version", "trained_at", "dev", "libraries", "curated_labels_used", "seed"):
        assert key in metadata
    scicite = metadata["dev"]["scicite-dev"]
    assert {c["label"] for c in scicite["per_class"]} == {
        "background",
        "uses_method",
        "compares_with",
    }
    assert scicite["confusion"] and scicite["reliability"]
    assert metadata["curated_labels_used"] == {"role": 0, "polarity": 0}
    assert load_model(out).version == metadata["version"]


@pytest.mark.django_db
def test_a_small_slice_beats_the_majority_class(tiny_data, tmp_path):
    out = tmp_path / "model"
    train("--data", tiny_data, "--out", out)
    held_out = tmp_path / "held-out.jsonl"
    write_scicite(held_out, 6, offset=7)  # classes are balanced: majority = 1/3
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["dev"]["scicite-dev"]["accuracy"] > 0.5
    model = load_model(out)
    rows = [json.loads(line) for line in held_out.read_text().splitlines()]
    predictions = model.predict_task("role", [r["string"] for r in rows])
    truth = {"method": "uses_method", "background": "background", "result": "compares_with"}
    correct = sum(p.label == truth[r["label"]] for p, r in zip(predictions, rows, strict=True))
    assert correct / len(rows) > 0.5


@pytest.mark.django_db
def test_same_seed_same_model(tiny_data, tmp_path):
    train("--data", tiny_data, "--out", tmp_path / "a")
    train("--data", tiny_data, "--out", tmp_path / "b")
    versions = [
        json.loads((tmp_path / name / "metadata.json").read_text())["version"]
        for name in ("a", "b")
    ]
    assert versions[0] == versions[1]


@pytest.mark.django_db
def test_with_curated_adds_curators_labels(tiny_data, tmp_path):
    for n in range(6):
        citation = CitationFactory(
            role=Role.USES_DATA,
            polarity="neutral",
            classification_source=ClassificationSource.CURATOR,
        )
        CitationContextFactory(citation=citation, text=f"We use the corpus number {n} of [2].")
    citation = CitationFactory(suggested_role=Role.BACKGROUND)  # a model's suggestion
    CitationContextFactory(citation=citation)  # is not training data
    out = tmp_path / "model"
    output = train("--data", tiny_data, "--out", out, "--with-curated")
    assert "6 curated role and 6 curated polarity labels used" in output
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["curated_labels_used"] == {"role": 6, "polarity": 6}
    assert "uses_data" in metadata["heads"]["role"]["labels"]


@pytest.mark.django_db
def test_with_curated_skips_sentences_the_corpora_already_have(tiny_data, tmp_path):
    # The ACL demo imports Athar's labels as curator labels: they must not leak the dev
    # split into training.
    athar = tiny_data / "citation-sentiment-athar2011" / "citation_sentiment_corpus.txt"
    corpus_sentence = athar.read_text().splitlines()[2].split("\t")[3].strip('"')
    citation = CitationFactory(polarity="supporting", classification_source="curator")
    CitationContextFactory(citation=citation, text=corpus_sentence)
    out = tmp_path / "model"
    train("--data", tiny_data, "--out", out, "--with-curated")
    metadata = json.loads((out / "metadata.json").read_text())
    assert metadata["curated_labels_used"] == {"role": 0, "polarity": 0}
    assert metadata["curated_labels_skipped_as_corpus_sentences"]["polarity"] == 1


def test_missing_data_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="missing"):
        train("--data", tmp_path / "nowhere", "--out", tmp_path / "model")
