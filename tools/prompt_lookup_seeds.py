"""The seeds briefing (default config) at several prompt-lookup draft lengths, interleaved, one model
loaded once: a fresh pipeline per run (no remembered judge answers); wall, generation seconds,
decode passes, and whether the briefings are identical (docs/benchmarks.md, "Prompt lookup on the Xeon").

    PYTHONPATH=. .venv/bin/python tools/prompt_lookup_seeds.py 0 4 8 0 4 8
"""
import json
import sys
import time
from pathlib import Path

from summarise.config import load_config
from summarise.models.llama_cpp import LlamaCppModel
from summarise.pipeline import Pipeline
from summarise import render

CHAT = [0.0]
orig = LlamaCppModel.chat


def chat(self, *a, **k):
    start = time.perf_counter()
    reply = orig(self, *a, **k)
    CHAT[0] += time.perf_counter() - start
    return reply


LlamaCppModel.chat = chat

SEEDS = str(Path(__file__).resolve().parents[1] / "seeds")
config = load_config("default")
model = LlamaCppModel()
Pipeline(config, language_model=model, progress=False).run([SEEDS])  # warm: embedder, cells
outs = {}
order = [int(x) for x in sys.argv[1:]] or [0, 4, 8, 0, 4, 8]
for d in order:
    model.draft_tokens = d
    CHAT[0] = 0.0
    u0 = model.usage.as_dict()
    p = Pipeline(config, language_model=model, progress=False)
    start = time.perf_counter()
    b = p.run([SEEDS])
    wall = time.perf_counter() - start
    u = {k: model.usage.as_dict()[k] - u0[k] for k in u0}
    outs.setdefault(d, set()).add(render(b, "json"))
    print(json.dumps({"draft": d, "wall": round(wall, 1), "chat_s": round(CHAT[0], 1), "gen": u["generated_tokens"],
                      "passes": u["decode_steps"], "chats": u["chat_calls"], "judge": u["judge_calls"],
                      "model_s": round(u["seconds"], 1)}), flush=True)
print({d: len(v) for d, v in outs.items()}, "identical across drafts:", len(set.union(*outs.values())) == 1)
print(render(b, "md"))
