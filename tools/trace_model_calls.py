"""Every language-model call of one briefing, with its tokens: where the model's work goes.

    PYTHONPATH=. .venv/bin/python tools/trace_model_calls.py [CONFIG] [INPUT ...]

Runs CONFIG (default: default) on the inputs (default: ../shared/seeds) with one thread, prints
the briefing, the model's usage totals, then one line per call: kind, prompt tokens sent,
prompt tokens evaluated, tokens generated, seconds, the prompt's end and the answer
(docs/benchmarks.md, "Evening (issues 11 and 15)").
"""
from __future__ import annotations

import sys
import time

from summarise.config import load_config
from summarise.models.llama_cpp import LlamaCppModel
from summarise.pipeline import Pipeline

CALLS: list[tuple] = []


def traced(name: str):
    original = getattr(LlamaCppModel, name)

    def call(self, *args, **kwargs):
        before, start = self.usage.as_dict(), time.perf_counter()
        answer = original(self, *args, **kwargs)
        after = self.usage.as_dict()
        prompt = args[0] if name == "perplexity" else args[1]
        CALLS.append((name, *(after[k] - before[k] for k in ("prompt_tokens", "prompt_tokens_evaluated",
                                                               "generated_tokens")),
                      round(time.perf_counter() - start, 2), prompt[-70:].replace("\n", " "),
                      answer[:90] if isinstance(answer, str) else answer))
        return answer
    setattr(LlamaCppModel, name, call)


def main(argv: list[str]) -> int:
    for name in ("chat", "yes_probability", "perplexity"):
        traced(name)
    pipeline = Pipeline(load_config(argv[0] if argv else "default").override(n_threads=1), progress=False)
    briefing = pipeline.run(argv[1:] or ["../shared/seeds"])
    for event in briefing.events:
        print("TITLE", event.title)
        for s in event.sentences:
            print(s.method, [c.article_id[:3] for c in s.citations], s.text)
    print("usage", pipeline.language_model.usage.as_dict())
    for row in CALLS:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
