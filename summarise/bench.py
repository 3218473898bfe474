"""`summarise bench`: time and peak memory of each pipeline stage, end to end, on the seeds and on
growing inputs, and generation speed beside this machine's memory-bandwidth limit.

Peak memory per stage is the process's resident-set high-water mark (VmHWM), reset before each
stage where Linux allows it (/proc/self/clear_refs), so each figure is that stage's own peak;
where it cannot be reset the figure is the peak so far and is marked as such.
"""
from __future__ import annotations

import argparse
import json
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from .config import Config, load_config

POOL = Path("/work/shared/eval/clusters_multinews_pool.jsonl")
STAGES = ("ingest", "segment", "embed", "cluster", "spin", "dedup", "rank", "fuse_verify", "render")


def add_bench(subparsers) -> None:
    parser = subparsers.add_parser(
        "bench", help="time and peak memory per stage, on the seeds and on growing inputs",
        description="Run the pipeline stage by stage on the seeds and on the first N documents of a pool, "
                    "reporting seconds and peak resident memory per stage and end to end, and the language "
                    "model's generation speed beside the limit set by memory bandwidth.",
        epilog="Growing inputs run with generator, judge and spin check off (those cost per article or per "
               "sentence written and are measured on the seeds), so they show how the corpus-wide stages "
               "scale.")
    parser.add_argument("--config", default="fast", metavar="NAME_OR_PATH",
                        help="config for the seeds run (default: %(default)s)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="(default: %(default)s)")
    parser.add_argument("--pool", type=Path, default=POOL, metavar="DATA.jsonl",
                        help="documents for the growing inputs, clustering format (default: %(default)s)")
    parser.add_argument("--sizes", default="100,1000,10000", metavar="N,N,...",
                        help="numbers of pool documents; empty for none (default: %(default)s)")
    parser.add_argument("--generation", action="store_true",
                        help="also measure the language model's tokens/s and the bandwidth limit")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON here")
    parser.add_argument("--plot", type=Path, metavar="OUT.png", help="plot time and memory against input size")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(func=run_bench)


# -- measuring -----------------------------------------------------------------------------

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


def run_stages(inputs: list, config: Config, embedder, language_model=None, progress: bool | None = None) -> dict:
    """The pipeline, stage by stage, as Pipeline.run composes it, with each stage metered."""
    from .cluster import article_vectors, cluster_articles
    from .dedup import mark_duplicates, mark_spun
    from .ingest import load_articles
    from .pipeline import Pipeline, event_title
    from .rank import rank_event
    from .render import render
    from .segment import segment
    from .types import Briefing, Event
    from .verify import write_sentence

    pipeline = Pipeline(config, embedder=embedder, language_model=language_model, progress=False)
    meter = Meter()
    start = time.perf_counter()
    with meter.stage("ingest"):
        articles = load_articles(inputs, config).articles
    with meter.stage("segment"):
        for article in articles:
            article.sentences = segment(article)
    with meter.stage("embed"):
        vectors = pipeline.embed_sentences(articles)
    with meter.stage("cluster"):
        groups = cluster_articles(article_vectors(vectors), config.cluster_similarity) if articles else []
    events = []
    disable = None if progress is None else not progress
    for members in tqdm(groups, desc="events", unit="event", disable=disable, leave=False):
        chosen, chosen_vectors = [articles[i] for i in members], [vectors[i] for i in members]
        by_id = {a.id: a for a in chosen}
        if config.spin_detector == "perplexity":
            with meter.stage("spin"):
                mark_spun(chosen, pipeline.language_model, config)
        with meter.stage("dedup"):
            mark_duplicates(chosen, article_vectors(chosen_vectors), config.duplicate_similarity)
        with meter.stage("rank"):
            fact_groups = rank_event([s for a in chosen for s in a.sentences], np.concatenate(chosen_vectors),
                                     by_id, config)
        with meter.stage("fuse_verify"):
            fuser, verifier = pipeline.fuser, pipeline.verifier
            written = [write_sentence(g, fuser, verifier, by_id, config.regenerate) for g in fact_groups]
        events.append(Event("", event_title(chosen, fact_groups), [a.id for a in chosen], written))
    with meter.stage("render"):
        render(Briefing(articles, events, [], config.name), "md")
    return {"documents": len(inputs), "articles": len(articles), "sentences": sum(len(a.sentences) for a in articles),
            "events": len(events), "end_to_end_s": time.perf_counter() - start,
            "peak_is_per_stage": meter.peak_is_per_stage, "stages": meter.stages}


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
    from .fuse import SYSTEM_PROMPT

    prompt = "Write a long, plain paragraph about how a city council approves its yearly budget."
    model.chat(SYSTEM_PROMPT, prompt, 1)  # warm up
    start = time.perf_counter()
    model.chat(SYSTEM_PROMPT, prompt, 1)
    prompt_s = time.perf_counter() - start
    start = time.perf_counter()
    reply = model.chat(SYSTEM_PROMPT, prompt, new_tokens)
    total_s = time.perf_counter() - start
    generated = len(model.llm.tokenize(reply.encode(), add_bos=False, special=False))
    model_bytes = Path(model.path).stat().st_size
    bandwidth = memory_bandwidth_gbs()
    return {"generated_tokens": generated, "tokens_per_s": (generated - 1) / max(total_s - prompt_s, 1e-9),
            "model_bytes": model_bytes, "memory_bandwidth_gbs": bandwidth,
            "bandwidth_limit_tokens_per_s": bandwidth * 1e9 / model_bytes}


# -- command -------------------------------------------------------------------------------

def run_bench(args: argparse.Namespace) -> int:
    from .cli import CommandError, write_output
    from .embed import make_embedder
    from .eval_cli import provenance
    from .evaldata import DataError, load_cluster_docs

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        raise CommandError(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}") from None
    if not args.seeds.is_dir():
        raise CommandError(f"--seeds {args.seeds}: not a folder")
    progress = not args.quiet
    config = load_config(args.config)
    start = time.perf_counter()
    embedder = make_embedder(config.embedder, config.embedder_model, config.n_threads)
    embedder.embed(["warm up"])
    results = {"config": config.name, "embedder_load_s": time.perf_counter() - start}
    language_model = None
    if config.generator != "none" or config.judge != "none" or config.spin_detector != "none" or args.generation:
        from .llm import make_language_model

        start = time.perf_counter()
        backend = config.generator if config.generator != "none" else "llama_cpp"
        language_model = make_language_model(backend, config.generator_model, config.n_threads, config.seed)
        results["language_model_load_s"] = time.perf_counter() - start
    results["seeds"] = run_stages([args.seeds], config, embedder, language_model, progress)
    print(stage_table({"seeds": results["seeds"]}, f"seeds ({config.name} config)"))
    if sizes:
        try:
            docs = load_cluster_docs(args.pool, limit=max(sizes))
        except DataError as exc:
            raise CommandError(str(exc)) from None
        growth_config = replace(config, generator="none", judge="none", spin_detector="none",
                                max_articles=max(config.max_articles, max(sizes)))
        results["growth"] = {}
        for size in sizes:
            records = [{"doc_id": d.doc_id, "text": d.text} for d in docs[:size]]
            results["growth"][str(len(records))] = run_stages(records, growth_config, embedder, None, progress)
        print()
        print(stage_table(results["growth"], "growing inputs (generator, judge, spin check off)"))
    if args.generation:
        results["generation"] = generation_speed(language_model)
        g = results["generation"]
        print(f"\ngeneration: {g['tokens_per_s']:.1f} tokens/s; bound {g['bandwidth_limit_tokens_per_s']:.1f} tokens/s "
              f"= {g['memory_bandwidth_gbs']:.1f} GB/s copy bandwidth / {g['model_bytes'] / 1e9:.2f} GB of weights")
    results.update(provenance(getattr(args, "argv", None)))
    if args.plot and "growth" in results:
        plot_growth(results["growth"], args.plot)
    if args.json:
        write_output(json.dumps(results, indent=2) + "\n", args.json)
    return 0


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
