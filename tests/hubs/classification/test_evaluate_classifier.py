import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.hubs.classification.conftest import write_athar, write_scicite


def evaluate(*args) -> str:
    out = io.StringIO()
    call_command("evaluate_classifier", *map(str, args), stdout=out)
    return out.getvalue()


def test_role_report_ends_with_the_macro_f1_line(tmp_path):
    path = tmp_path / "dev.jsonl"
    write_scicite(path, 4)
    output = evaluate("--task", "role", "--data", path)
    lines = output.strip().splitlines()
    assert lines[-1].startswith("macro_f1=")
    value = float(lines[-1].removeprefix("macro_f1="))
    assert 0 <= value <= 1
    for expected in (
        "accuracy:",
        "precision",
        "recall",
        "confusion matrix",
        "uses_method",
        "compares_with",
        "reliability",
    ):
        assert expected in output
    # Only SciCite's three roles are choices: builds_on is not a column.
    assert "builds_on" not in output


def test_role_file_in_acl_arc_format(tmp_path):
    path = tmp_path / "acl.jsonl"
    rows = [
        {"text": "We use the parser of Collins ( 1997 ) .", "label": "Uses", "metadata": {}},
        {"text": "We extend the model of Brown ( 1993 ) .", "label": "Extends", "metadata": {}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    output = evaluate("--task", "role", "--data", path)
    assert "examples: 2" in output and output.strip().splitlines()[-1].startswith("macro_f1=")


def test_polarity_report_reads_athar_format(tmp_path):
    path = tmp_path / "athar.txt"
    write_athar(path, 3)
    output = evaluate("--task", "polarity", "--data", path)
    assert "examples: 9" in output
    assert "supporting" in output and "contrasting" in output
    assert output.strip().splitlines()[-1].startswith("macro_f1=")


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        evaluate("--task", "role", "--data", tmp_path / "nothing.jsonl")
