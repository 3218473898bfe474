"""Robustness and security measurements: fuzzing, prompt injection, output safety, limits,
nothing lost, determinism. `python -m summarise.robustness --help` prints the figures that
docs/robustness.md reports; tests/test_robustness_*.py run the same code on small samples."""
