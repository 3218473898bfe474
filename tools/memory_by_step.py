"""Resident memory after each step of loading and using the default models: where the peak comes from.

    PYTHONPATH=. .venv/bin/python tools/memory_by_step.py [EMBED_METHOD]   # minilm_onnx (default) | minilm

Prints VmRSS and VmHWM (the peak so far) after: importing nothing, loading the embedder and
embedding four sentences, loading the language model, one fusion call, one judge call, and the
spin check's perplexity of seed 002 (docs/benchmarks.md, "Night (issue 11)").
"""
from __future__ import annotations

import sys
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "002_942ce97730e0929f.txt"


def report(step: str) -> None:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
                  if line.startswith(("VmRSS", "VmHWM")))
    print(f"{step:<34} rss {int(fields['VmRSS'].split()[0]) // 1024:5d} MB   peak {int(fields['VmHWM'].split()[0]) // 1024:5d} MB",
          flush=True)


def main(argv: list[str]) -> int:
    report("start")
    from summarise.stages.embed import make_embedder

    make_embedder(argv[0] if argv else "minilm_onnx").embed(["Putin met Orban in Moscow on Tuesday."] * 4)
    report(f"embedder {argv[0] if argv else 'minilm_onnx'}")
    from summarise.models.llama_cpp import LlamaCppModel
    from summarise.stages.fuse import FUSION_SYSTEM, fusion_prompt
    from summarise.stages.verify import JUDGE_SYSTEM

    model = LlamaCppModel()
    report("language model loaded")
    text = SEED.read_text()
    model.chat(FUSION_SYSTEM, fusion_prompt([text[:600], text[600:1200]]), 40)
    report("one fusion call")
    model.yes_probability(JUDGE_SYSTEM, f"Premise: {text[:600]}\n\nClaim: Putin spoke.\n\nAnswer Yes or No.")
    report("one judge call")
    model.perplexity(text)
    report("perplexity of 256 tokens")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
