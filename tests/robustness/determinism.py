"""Determinism: the same input and config give byte-identical JSON, run after run.

Each run is a fresh `python -m summarise brief ... --format json` process with a different
PYTHONHASHSEED (so set and dict ordering that leaked into the output would show), and the
outputs are compared by SHA-256.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OFFLINE_TOML = 'name = "offline"\nembedder = "hashing"\ngenerator = "none"\njudge = "none"\nspin_detector = "none"\n'


def brief_json(inputs: list[str], config: str, hash_seed: int) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed),
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "summarise", "brief", *inputs, "--format", "json",
                           "--config", config, "--quiet"], capture_output=True, env=env, cwd=REPO, timeout=1800)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"summarise brief failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return done.stdout


def run_determinism(inputs: list[str], config: str = "", runs: int = 3) -> dict:
    """SHA-256 of each run's JSON; identical means deterministic. config "" = hashing, extractive."""
    with tempfile.TemporaryDirectory() as folder:
        if not config:
            config = str(Path(folder) / "offline.toml")
            Path(config).write_text(OFFLINE_TOML, encoding="utf-8")
        outputs = [brief_json(inputs, config, seed) for seed in range(runs)]
    digests = [hashlib.sha256(out).hexdigest()[:16] for out in outputs]
    return {"config": Path(config).stem if config.endswith(".toml") else config, "runs": runs,
            "bytes": len(outputs[0]), "distinct_outputs": len(set(digests)), "sha256": digests[0]}
