"""Dev scores of the shipped model on the shared data (skipped where it is absent).

The floors pin what the shipped model reaches, so a worse model can't ship silently;
the issue's targets are marked as expected failures until a model reaches them.
"""

import pytest

from hubs.classification import data, labels, load_model
from hubs.classification.training import evaluate

ROLE_FLOOR = 0.82
POLARITY_FLOOR = 0.54
ROLE_TARGET = 0.84
POLARITY_TARGET = 0.70
SCICITE_ROLES = sorted({r for r in labels.SCICITE_ROLES.values() if r})


def scicite_dev_f1(shared_data):
    examples = data.read_scicite(shared_data / "scicite" / "dev.jsonl")
    return evaluate(load_model(), "role", examples, SCICITE_ROLES)


def athar_dev_report(shared_data):
    _, dev = data.split_athar(data.read_athar(shared_data / data.ATHAR_FILE))
    return evaluate(load_model(), "polarity", dev, list(labels.POLARITIES))


def test_role_macro_f1_on_scicite_dev(shared_data):
    report = scicite_dev_f1(shared_data)
    assert report.macro_f1 >= ROLE_FLOOR
    assert report.high_confidence_accuracy >= 0.8  # calibration: confident means right


def test_polarity_macro_f1_on_athar_dev(shared_data):
    report = athar_dev_report(shared_data)
    assert report.macro_f1 >= POLARITY_FLOOR
    assert report.high_confidence_accuracy >= 0.8


@pytest.mark.parametrize("task", ["role", "polarity"])
def test_confident_predictions_of_each_label_are_mostly_right(shared_data, task):
    # The overall figure can hide a rare label that is confidently wrong (polarity is 87%
    # neutral): check each label that the model predicts at >= 0.8 at least 20 times.
    report = scicite_dev_f1(shared_data) if task == "role" else athar_dev_report(shared_data)
    for row in report.precision_at_thresholds:
        if row.threshold == 0.8 and row.count >= 20:
            assert row.precision >= 0.75, row


@pytest.mark.xfail(strict=True, reason="issue 10's targets are not reached yet (see metadata)")
def test_issue_targets(shared_data):
    assert scicite_dev_f1(shared_data).macro_f1 >= ROLE_TARGET
    assert athar_dev_report(shared_data).macro_f1 >= POLARITY_TARGET
