"""What a decode of k tokens costs against k decodes of one: whether prompt-lookup (speculative)
decoding can pay on this CPU.

    PYTHONPATH=. .venv/bin/python tools/decode_batch_cost.py [THREADS ...]

Prompt lookup checks a drafted run of k tokens in one batch; it pays only if a batch of k costs
clearly less than k single-token steps. docs/benchmarks.md ("Prompt-lookup decoding") has the
figures and the patch that was measured (docs/benchmarks/prompt_lookup.patch).
"""
from __future__ import annotations

import sys
import time

from summarise.models.llama_cpp import LlamaCppModel

REPEATS = 6


def batch_cost(model: LlamaCppModel, tokens: list[int], size: int) -> float:
    """Mean seconds to decode `size` tokens (all logits) after a 200-token prefix."""
    llm = model.llm
    base = llm.n_tokens
    start = time.perf_counter()
    for _ in range(REPEATS):
        llm._batch.set_batch(batch=tokens[200:200 + size], n_past=base, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm._ctx.kv_cache_seq_rm(-1, base, -1)
    return (time.perf_counter() - start) / REPEATS


def main(argv: list[str]) -> int:
    for threads in [int(a) for a in argv] or [2, 1]:
        model = LlamaCppModel(n_threads=threads)
        tokens = model.llm.tokenize(("The quick brown fox jumps over the lazy dog. " * 40).encode(), add_bos=False)
        model.llm.eval(tokens[:200])
        for size in (1, 2, 4, 8, 16):
            seconds = batch_cost(model, tokens, size)
            print(f"{threads} threads, batch of {size:2d}: {seconds * 1000:4.0f} ms, "
                  f"{seconds * 1000 / size:3.0f} ms a token", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
