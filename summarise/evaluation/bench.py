"""Benchmarks: seconds and peak memory of each pipeline stage, end to end, on any input, and
generation speed beside this machine's memory-bandwidth limit.

The stages are the pipeline's own (Pipeline.run, timed through its `on_stage` hook), so what is
measured is what `brief` runs. Peak memory per stage is the process's resident-set high-water mark
(VmHWM), reset before each stage where Linux allows it (/proc/self/clear_refs), so each figure is
that stage's own peak; where it cannot be reset the figure is the peak so far and is marked so.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from summarise.config import Config
from summarise.pipeline import Pipeline
from summarise.render import render

STAGES = ("start workers", "ingest", "segment", "embed", "cluster", "spin", "dedup", "rank", "fuse_verify", "title",
          "events", "render")  # start workers, events: the ray engine's (its per-event stages run on the workers)


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM to the current RSS
        return True
    except OSError:
        return False


class Meter:
    """Accumulates seconds and the largest peak RSS per stage name."""

    def __init__(self):
        self.stages: dict[str, dict[str, float]] = {}
        self.peak_is_per_stage = True

    @contextmanager
    def stage(self, name: str):
        self.peak_is_per_stage &= _reset_peak()
        start = time.perf_counter()
        try:
            yield
        finally:
            entry = self.stages.setdefault(name, {"seconds": 0.0, "peak_rss_mb": 0.0})
            entry["seconds"] += time.perf_counter() - start
            entry["peak_rss_mb"] = max(entry["peak_rss_mb"], _status_mb("VmHWM"))


def run_stages(inputs: list, config: Config, embedder, language_model=None, progress: bool | None = None,
               engine="local") -> dict:
    """The whole pipeline on the inputs, each stage metered, models given (loaded beforehand; the
    ray engine's workers load their own, inside its "start workers" stage), and what the language
    model was asked to compute (its `usage`, where the backend counts it; local engine)."""
    meter = Meter()
    pipeline = Pipeline(config, embedder=embedder, language_model=language_model, progress=progress,
                        on_stage=meter.stage, engine=engine)
    usage_before = _usage(language_model)
    start = time.perf_counter()
    try:
        briefing = pipeline.run(inputs)
    finally:
        pipeline.close()
    with meter.stage("render"):
        render(briefing, "md")
    result = {"engine": pipeline.engine.name, "documents": len(inputs), "articles": len(briefing.articles),
              "sentences": sum(len(a.sentences) for a in briefing.articles), "events": len(briefing.events),
              "briefing_sentences": sum(len(e.sentences) for e in briefing.events),
              "generated_sentences": sum(s.method == "generated" for e in briefing.events for s in e.sentences),
              "end_to_end_s": time.perf_counter() - start, "peak_is_per_stage": meter.peak_is_per_stage,
              "stages": {name: meter.stages[name] for name in STAGES if name in meter.stages}}
    if getattr(pipeline.engine, "worker_seconds", None):  # seconds per stage summed over the workers
        result |= {"workers": len(pipeline.engine.worker_pids), "worker_seconds": dict(pipeline.engine.worker_seconds),
                   "worker_cpu_seconds": dict(pipeline.engine.worker_cpu_seconds)}
    if usage_before is not None:
        used = {k: v - usage_before[k] for k, v in _usage(language_model).items()}
        used["model_share_of_wall"] = used["seconds"] / max(result["end_to_end_s"], 1e-9)
        result["model_usage"] = used
    return result


def _usage(model) -> dict | None:
    usage = getattr(model, "usage", None)
    return usage.as_dict() if usage is not None else None


def raw_rate(model, prompt_tokens: int = 1000, new_tokens: int = 100) -> dict:
    """This machine's raw model speed, now: seconds to evaluate `prompt_tokens` fresh prompt tokens and
    to generate `new_tokens`. Their sum is the unit in which the pipeline's cost is stated, so
    that a run on a busy machine compares with one on an idle machine (llama.cpp backend)."""
    llm = model.llm
    words = ("The council met on Tuesday to discuss the budget for the coming year and the roads, "
             "schools and parks it pays for. ").split()
    tokens: list[int] = []
    while len(tokens) < prompt_tokens:
        tokens += llm.tokenize((" ".join(words) + " ").encode(), add_bos=False, special=False)
    llm.reset()
    llm.eval(tokens[:8])  # warm up, untimed: the first pass after loading may page the weights in
    llm.reset()
    start = time.perf_counter()
    llm.eval(tokens[:prompt_tokens])
    prompt_s = time.perf_counter() - start
    llm.reset()
    generation = generation_speed(model, new_tokens)
    generate_s = new_tokens / generation["tokens_per_s"]
    return {"prompt_tokens_per_s": prompt_tokens / prompt_s, "generated_tokens_per_s": generation["tokens_per_s"],
            "unit": f"{prompt_tokens} prompt + {new_tokens} generated tokens", "unit_s": prompt_s + generate_s,
            **{k: generation[k] for k in ("model_bytes", "memory_bandwidth_gbs", "bandwidth_limit_tokens_per_s")}}


# Two raw-rate measurements further apart than this: the machine's speed changed during the run.
UNIT_SPREAD_WARNING = 0.15


def bracketed_rate(before: dict, after: dict) -> dict:
    """The raw rate measured before and after the runs, and their mean as the unit: measured
    once, the unit alone once moved a run's figure by a third. The spread says whether the
    machine held still."""
    low, high = sorted((before["unit_s"], after["unit_s"]))
    return {"unit": after["unit"], "unit_s": (low + high) / 2, "unit_spread": high / low - 1,
            "before": before, "after": after}


def worker_table(runs: dict[str, dict], title: str) -> str:
    """For each stage the workers ran: documents per second per worker (wall time; one worker has
    one core) / per core (CPU time: what the stage costs, however busy the machine)."""
    runs = {name: run for name, run in runs.items() if "worker_seconds" in run}
    stages = list(dict.fromkeys(s for run in runs.values() for s in run["worker_seconds"]))
    lines = [title, "", "| input | workers | " + " | ".join(f"{s} docs/s" for s in stages) + " |",
             "|" + "---|" * (len(stages) + 2)]
    for name, run in runs.items():
        rates = [f"{_rate(run, 'worker_seconds', s)} / {_rate(run, 'worker_cpu_seconds', s)}" for s in stages]
        lines.append(f"| {name} | {run['workers']} | " + " | ".join(rates) + " |")
    return "\n".join(lines) if runs else ""


def _rate(run: dict, field: str, stage: str) -> str:
    seconds = run[field].get(stage)
    return f"{run['documents'] / max(seconds, 1e-9):.1f}" if seconds is not None else "-"


def memory_bandwidth_gbs(megabytes: int = 512, repeats: int = 5) -> float:
    """Best observed copy bandwidth (bytes read + written per second), in GB/s."""
    source = np.ones(megabytes * 1024 * 1024 // 8)
    target = np.empty_like(source)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(target, source)
        best = min(best, time.perf_counter() - start)
    return 2 * source.nbytes / best / 1e9


def generation_speed(model, new_tokens: int = 64) -> dict:
    """Tokens/s of greedy generation (prompt time subtracted) and the bandwidth bound:
    each new token reads every weight once, so tokens/s <= bandwidth / model bytes."""
    from summarise.stages.fuse import SYSTEM_PROMPT

    prompt = "Write a long, plain paragraph about how a city council approves its yearly budget."
    drafts, model.draft_tokens = model.draft_tokens, 0  # the raw rate: one token a model pass
    try:
        model.chat(SYSTEM_PROMPT, prompt, 1)  # warm up
        start = time.perf_counter()
        model.chat(SYSTEM_PROMPT, prompt, 1)
        prompt_s = time.perf_counter() - start
        start = time.perf_counter()
        reply = model.chat(SYSTEM_PROMPT, prompt, new_tokens)
        total_s = time.perf_counter() - start
    finally:
        model.draft_tokens = drafts
    generated = len(model.llm.tokenize(reply.encode(), add_bos=False, special=False))
    model_bytes = Path(model.path).stat().st_size
    bandwidth = memory_bandwidth_gbs()
    return {"generated_tokens": generated, "tokens_per_s": (generated - 1) / max(total_s - prompt_s, 1e-9),
            "model_bytes": model_bytes, "memory_bandwidth_gbs": bandwidth,
            "bandwidth_limit_tokens_per_s": bandwidth * 1e9 / model_bytes}


def stage_table(runs: dict[str, dict], title: str) -> str:
    stages = [s for s in STAGES if any(s in r["stages"] for r in runs.values())]
    head = "| input | articles | sentences | events | " + " | ".join(f"{s} s / MB" for s in stages) + " | end to end s |"
    lines = [title, "", head, "|" + "---|" * (head.count("|") - 1)]
    for name, run in runs.items():
        cells = [name, str(run["articles"]), str(run["sentences"]), str(run["events"])]
        for s in stages:
            entry = run["stages"].get(s)
            cells.append(f"{entry['seconds']:.2f} / {entry['peak_rss_mb']:.0f}" if entry else "-")
        cells.append(f"{run['end_to_end_s']:.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def model_line(name: str, run: dict, rate: dict | None) -> str:
    """What the language model computed in one run, and the run's wall time in raw-rate units."""
    used = run.get("model_usage")
    if not used:
        return f"{name}: no language model call"
    passes = f" in {used['decode_steps']} model passes" if used.get("decode_steps") else ""
    line = (f"{name}: {used['prompt_tokens_evaluated']} prompt tokens evaluated (of {used['prompt_tokens']} sent), "
            f"{used['generated_tokens']} generated{passes}; {used['chat_calls']} generations, {used['judge_calls']} judge "
            f"calls, {used['perplexity_calls']} perplexity scores; model busy {used['model_share_of_wall']:.0%} "
            f"of {run['end_to_end_s']:.1f} s")
    if rate:
        line += f" = {run['end_to_end_s'] / rate['unit_s']:.2f} units of {rate['unit']} ({rate['unit_s']:.1f} s now"
        if "unit_spread" in rate:
            line += f", {rate['before']['unit_s']:.1f} s before and {rate['after']['unit_s']:.1f} s after the runs"
            if rate["unit_spread"] > UNIT_SPREAD_WARNING:
                line += "; the machine's speed changed during the run, so these units are not comparable"
        line += ")"
    return line


def plot_growth(growth: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [int(s) for s in growth]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for stage in STAGES:
        if all(stage in growth[s]["stages"] for s in growth):
            left.plot(sizes, [max(growth[s]["stages"][stage]["seconds"], 1e-4) for s in growth], marker="o", label=stage)
    left.plot(sizes, [growth[s]["end_to_end_s"] for s in growth], marker="s", color="black", label="end to end")
    left.set(xscale="log", yscale="log", xlabel="documents", ylabel="seconds", title="time per stage")
    left.legend(fontsize=8)
    right.plot(sizes, [max(e["peak_rss_mb"] for e in growth[s]["stages"].values()) for s in growth], marker="o")
    right.set(xscale="log", xlabel="documents", ylabel="MB", title="peak resident memory")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
