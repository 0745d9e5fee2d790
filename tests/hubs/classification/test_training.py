"""How training holds data out to fit the calibration."""

import numpy as np

from hubs.classification.data import Example
from hubs.classification.training import held_out_folds


def examples(groups_and_labels):
    return [
        Example(f"sentence {i}", label, group=group)
        for i, (group, label) in enumerate(groups_and_labels)
    ]


def test_sentences_about_one_cited_paper_are_held_out_together():
    # The temperature and confidence maps are fitted on out-of-fold predictions: a cited
    # paper on both sides of a fold lets the model see how it is cited, which the dev split
    # (carved by cited paper) and a new hub never do, and confidences come out too high.
    rows = examples(
        (f"paper-{i % 12}", ["neutral", "supporting", "contrasting"][i % 3]) for i in range(120)
    )
    folds = list(held_out_folds(rows, folds=3, seed=0))
    assert len(folds) == 3
    groups = np.array([e.group for e in rows])
    for train, held in folds:
        assert not set(groups[train]) & set(groups[held])
    assert sorted(np.concatenate([held for _, held in folds]).tolist()) == list(range(120))


def test_examples_without_a_group_are_each_their_own():
    # ACL-ARC names no cited paper: its examples must not be lumped into one "" group.
    rows = examples(("", ["background", "uses_method"][i % 2]) for i in range(30))
    folds = list(held_out_folds(rows, folds=3, seed=0))
    assert len(folds) == 3
    assert all(len(held) == 10 for _, held in folds)
