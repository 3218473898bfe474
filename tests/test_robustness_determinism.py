"""Determinism: byte-identical JSON across fresh processes with different hash seeds, on the
seed event plus hostile records."""
from robustness.determinism import run_determinism
from robustness.injection import SEEDS


def test_same_input_same_bytes():
    result = run_determinism([str(SEEDS)], runs=2)
    assert result["bytes"] > 1000
    assert result["distinct_outputs"] == 1
