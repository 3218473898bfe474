"""Cold and warm per-stage timings of the default pipeline on seeds/, in one process.

    SUMMARISE_CACHE=$(mktemp -d) .venv/bin/python tools/seeds_cold_warm.py

Cold: a fresh model cache (the GGUF is joined and checked) and models loaded on first use;
warm: the same Pipeline run again. Prints one JSON line per run, then the briefing."""
import json
import resource
import time

from summarise import Pipeline, render

def run(pipeline, label):
    before = dict(pipeline.timings)
    start = time.perf_counter()
    briefing = pipeline.run(["seeds/"])
    wall = time.perf_counter() - start
    stages = {k: round(v - before.get(k, 0.0), 2) for k, v in pipeline.timings.items() if v - before.get(k, 0.0) > 0.005}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"run": label, "wall_s": round(wall, 1), "peak_rss_mb": round(peak), "stages_s": stages}), flush=True)
    return briefing

t0 = time.perf_counter()
pipeline = Pipeline("default", progress=False)
cold = run(pipeline, "cold (fresh model cache: GGUF joined and checked, models loaded)")
warm = run(pipeline, "warm (same process, models loaded)")
print("identical JSON:", render(cold, "json") == render(warm, "json"))
print(render(warm, "md"))
