from hubs.classification.metrics import format_report, score


def test_score_counts_per_class_and_macro_f1():
    report = score(["a", "a", "b", "b"], ["a", "b", "b", "b"], labels=["a", "b"])
    assert report.accuracy == 0.75
    assert report.confusion == [[1, 1], [0, 2]]
    a, b = report.per_class
    assert (a.precision, a.recall) == (1.0, 0.5)
    assert round(b.f1, 4) == 0.8
    assert round(report.macro_f1, 4) == round((2 / 3 + 0.8) / 2, 4)


def test_reliability_bins_by_confidence():
    report = score(
        ["a", "a", "b", "b"],
        ["a", "b", "b", "a"],
        labels=["a", "b"],
        confidences=[0.95, 0.85, 0.55, 1.0],
    )
    by_low = {b.low: b for b in report.reliability}
    assert by_low[0.95].count == 2 and by_low[0.95].accuracy == 0.5
    assert by_low[0.8].count == 1 and by_low[0.8].accuracy == 0.0
    assert report.high_confidence_share == 0.75
    assert "confidence >= 0.8" in format_report(report)
    at = {(r.label, r.threshold): r for r in report.precision_at_thresholds}
    assert (at["a", 0.8].count, at["a", 0.8].precision) == (2, 0.5)
    assert at["a", 0.95].count == 2 and at["b", 0.95].count == 0
