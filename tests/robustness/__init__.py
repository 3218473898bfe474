"""Robustness and security measurements: fuzzing, prompt injection, output safety, limits,
nothing lost, determinism. `python -m tests.robustness --help` prints the figures that
docs/robustness.md reports; tests/test_robustness_*.py run the same code on small samples."""
from summarise.config import Config

NO_MODELS = {"embed": {"method": "hashing"}, "spin": {"method": "none"}, "fuse": {"method": "extractive"},
             "verify": {"judge": "none"}}


def offline_config(name: str, **sections) -> Config:
    """No model at all (hashing embeddings, extractive, no judge, no spin check), plus `sections`."""
    return Config(name=name).override(**{**NO_MODELS, **sections})
