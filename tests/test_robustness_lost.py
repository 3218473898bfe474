"""Nothing lost: 1,000 inputs, 10% broken; good ones in the briefing, broken ones rejected with
their specific reason."""
from robustness.lost import run_lost


def test_nothing_is_lost_in_1000_inputs():
    report = run_lost(1000, 0.1)
    assert (report.inputs, report.good, report.broken) == (1000, 900, 100)
    assert report.lost == []
    assert report.wrong == []
    assert report.good_in_briefing == 900
    assert report.broken_rejected_with_reason == 100
