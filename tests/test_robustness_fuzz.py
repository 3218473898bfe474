"""Hypothesis fuzzing of ingest, cleaning, splitting and the whole pipeline (bounded for CI).

Each target runs a fixed number of derandomised examples; any crash, broken property or
input that ends up neither an article nor a rejection fails the test with the example.
"""
import pytest

from robustness.fuzz import run_target, targets

EXAMPLES = 60


@pytest.mark.parametrize("target", targets(), ids=lambda t: t.name.split("(")[0])
def test_fuzz_target_holds(target):
    result = run_target(target, EXAMPLES)
    assert result.failure == "", result.failure
    assert result.examples_run >= EXAMPLES


def test_a_broken_property_is_reported_not_hidden():
    """The harness can fail: a target whose check always raises reports a failure."""
    from robustness.fuzz import Target
    from hypothesis import strategies as st

    def always_fails(value):
        raise ValueError("boom")

    result = run_target(Target("always fails", always_fails, (st.integers(),)), 5)
    assert "ValueError: boom" in result.failure
