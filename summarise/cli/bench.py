"""`summarise bench`: time and peak memory per stage, on the seeds and on growing inputs."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from summarise.cli.brief import add_engine_options, engine_from
from summarise.cli.exits import CommandError
from summarise.config import load_config
from summarise.evaluation.bench import (bracketed_rate, generation_speed, model_line, plot_growth, raw_rate, run_stages,
                                         stage_table, worker_table)
from summarise.evaluation.data import DataError, load_cluster_docs
from summarise.evaluation.provenance import provenance
from summarise.models import make_language_model
from summarise.render.output import write_text
from summarise.stages.embed import make_embedder


def add(subparsers) -> None:
    parser = subparsers.add_parser(
        "bench", help="time and peak memory per stage, on the seeds and on growing inputs",
        description="Run the pipeline stage by stage on the seeds and on the first N documents of a pool, "
                    "reporting seconds and peak resident memory per stage and end to end, and the language "
                    "model's generation speed beside the limit set by memory bandwidth. With a llama.cpp model "
                    "the seeds' time is also given in units of this machine's raw rate (1,000 prompt tokens "
                    "evaluated plus 100 generated), measured before and after the runs, so that runs on "
                    "busy and idle machines compare.",
        epilog="Growing inputs run with generator, judge and spin check off (those cost per article or per "
               "sentence written and are measured on the seeds), so they show how the corpus-wide stages "
               "scale.")
    parser.add_argument("--config", default="fast", metavar="NAME_OR_PATH",
                        help="config for the seeds run (default: %(default)s)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="(default: %(default)s)")
    parser.add_argument("--pool", type=Path, metavar="DATA.jsonl",
                        help="documents for the growing inputs, clustering format ({doc_id, gold_event, text} "
                             "lines, e.g. the Multi-News pool of the evaluation data)")
    parser.add_argument("--sizes", default="", metavar="N,N,...",
                        help="numbers of --pool documents to run, e.g. 100,1000,10000 (default: none)")
    parser.add_argument("--warm", action="store_true",
                        help="run the seeds a second time in the same process (models and caches warm) and report both")
    parser.add_argument("--generation", action="store_true",
                        help="also measure the language model's tokens/s and the bandwidth limit")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON here")
    parser.add_argument("--plot", type=Path, metavar="OUT.png", help="plot time and memory against input size")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    add_engine_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    sizes = _sizes(args)
    if not args.seeds.is_dir():
        raise CommandError(f"--seeds {args.seeds}: not a folder")
    config = load_config(args.config)
    results, embedder, language_model = _load_models(config, args.generation)
    measures_rate = language_model is not None and hasattr(language_model, "llm")
    rate_before = raw_rate(language_model) if measures_rate else None
    runs = {"seeds": run_stages([args.seeds], config, embedder, language_model, not args.quiet, engine_from(args))}
    if args.warm:
        runs["seeds, warm"] = run_stages([args.seeds], config, embedder, language_model, not args.quiet,
                                         engine_from(args))
    if measures_rate:
        results["raw_rate"] = bracketed_rate(rate_before, raw_rate(language_model))
    results.update(runs)
    print(stage_table(runs, f"seeds ({config.name} config, {args.engine} engine)"))
    for name, run in runs.items():
        print(model_line(name, run, results.get("raw_rate")))
    if sizes:
        results["growth"] = _growth(args.pool, sizes, config, embedder, not args.quiet, args)
        print()
        print(stage_table(results["growth"], f"growing inputs (generator, judge, spin check off; {args.engine} engine)"))
    workers = worker_table({"seeds": results["seeds"], **results.get("growth", {})}, "\nper worker (ray engine): docs/s per worker (wall) / per core (CPU time)")
    if workers:
        print(workers)
    if args.generation:
        results["generation"] = g = generation_speed(language_model)
        print(f"\ngeneration: {g['tokens_per_s']:.1f} tokens/s; bound {g['bandwidth_limit_tokens_per_s']:.1f} tokens/s "
              f"= {g['memory_bandwidth_gbs']:.1f} GB/s copy bandwidth / {g['model_bytes'] / 1e9:.2f} GB of weights")
    results.update(provenance(getattr(args, "argv", None)))
    if args.plot and "growth" in results:
        plot_growth(results["growth"], args.plot)
    if args.json:
        write_text(json.dumps(results, indent=2) + "\n", args.json)
    return 0


def _sizes(args: argparse.Namespace) -> list[int]:
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        raise CommandError(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}") from None
    if sizes and args.pool is None:
        raise CommandError("--sizes needs --pool DATA.jsonl: documents in the clustering format "
                           "({doc_id, gold_event, text} lines) to grow the input from; --sizes '' for the seeds only")
    return sizes


def _load_models(config, generation: bool) -> tuple[dict, object, object]:
    """The models, loaded (and timed) before any stage is, so stage figures exclude loading."""
    start = time.perf_counter()
    embedder = make_embedder(config.embed, config.n_threads)
    embedder.embed(["warm up"])
    results = {"config": config.name, "embedder_load_s": time.perf_counter() - start}
    language_model = None
    if config.uses_language_model or generation:
        start = time.perf_counter()
        language_model = make_language_model(config.model, config.n_threads, config.seed)
        results["language_model_load_s"] = time.perf_counter() - start
    return results, embedder, language_model


def _growth(pool: Path, sizes: list[int], config, embedder, progress: bool, args: argparse.Namespace) -> dict:
    """The corpus-wide stages on the first N pool documents, for each N: no model but the embedder."""
    try:
        docs = load_cluster_docs(pool, limit=max(sizes))
    except DataError as exc:
        raise CommandError(str(exc)) from None
    growth_config = config.override(fuse={"method": "extractive"}, verify={"judge": "none"}, spin={"method": "none"},
                                     ingest={"max_articles": max(config.ingest.max_articles, max(sizes))})
    growth = {}
    for size in sizes:
        records = [{"doc_id": d.doc_id, "text": d.text} for d in docs[:size]]
        growth[str(len(records))] = run_stages(records, growth_config, embedder, None, progress, engine_from(args))
    return growth
