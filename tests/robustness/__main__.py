"""Print the robustness figures: python -m tests.robustness [SUITE...] [--real] [--examples N].

Suites: fuzz (Hypothesis over ingest, cleaning, splitting, the pipeline), injection (prompt
injection corpus; --real for the packaged models), xss (payloads in every rendered field),
limits, lost (1,000 inputs, 10% broken), determinism (byte-identical JSON across processes),
memory (peak RSS of a brief run on input past every limit), patterns (every regular expression on
text built to make backtracking blow up).
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import datetime, timezone

from summarise.config import Config

from . import offline_config

SUITES = ("fuzz", "injection", "xss", "limits", "lost", "determinism", "memory", "patterns")


def test_config(**overrides) -> Config:
    """No model downloads, no heavy models: hashing embeddings; fusion through the given model."""
    return Config(name="robustness").override(embed={"method": "hashing"}, spin={"method": "none"}, **overrides)


def run_injection_suite(args) -> dict:
    from summarise.stages.embed import HashingEmbedder
    from summarise.pipeline import Pipeline
    from .injection import ObedientModel, RecordingModel, build_corpus, run_injection

    corpus = build_corpus(args.injections)

    def make_pipeline():
        if args.real:
            if not hasattr(make_pipeline, "pipeline"):
                from summarise.config import load_config
                make_pipeline.pipeline = Pipeline(load_config("default", rank={"drop_instructions": not args.no_guard}),
                                                  progress=False)
                make_pipeline.recorder = RecordingModel(make_pipeline.pipeline.language_model)
                make_pipeline.pipeline.__dict__["language_model"] = make_pipeline.recorder
            make_pipeline.recorder.prompts = []
            return make_pipeline.recorder, make_pipeline.pipeline
        recorder = RecordingModel(ObedientModel())
        config = test_config(drop_instructions=not args.no_guard)
        return recorder, Pipeline(config, embedder=HashingEmbedder(), language_model=recorder, progress=False)

    def progress(result):
        print(f"  trial: {result.injected} injected, exposed {result.exposed}, cited {result.cited}, "
              f"followed {result.followed}", file=sys.stderr, flush=True)

    model = "real default model (Qwen2.5-Coder-1.5B, MiniLM)" if args.real else "ObedientModel (worst case)"
    figures = run_injection(make_pipeline, corpus, args.per_trial, progress)
    return {"model": model, "guard": not args.no_guard, **figures}


def guard_false_positives() -> dict:
    """How many real news sentences the instruction filter would drop (shared eval data)."""
    import json as _json

    from summarise.inputs.clean import clean_text
    from summarise.stages.guard import injection_reason
    from summarise.stages.segment import split_spans
    from .lost import eval_dir

    folder = eval_dir()
    if folder is None or not (folder / "multinews_dev200.jsonl").is_file():
        return {"skipped": "no shared eval data"}
    total, flagged = 0, []
    with open(folder / "multinews_dev200.jsonl", encoding="utf-8") as data:
        for line in data:
            for document in _json.loads(line)["documents"]:
                text = clean_text(document["text"])
                for start, end in split_spans(text):
                    total += 1
                    if injection_reason(text[start:end]):
                        flagged.append(text[start:end][:200])
    return {"data": "multinews_dev200.jsonl (all documents)", "sentences": total, "flagged": len(flagged),
            "examples": flagged[:5]}


def run_probe(args) -> dict:
    from .injection import ObedientModel, build_corpus, probe_model_layer

    one_per_style = {item.style: item for item in reversed(build_corpus(args.injections))
                     if item.style != "plain-claim"}
    items = [one_per_style[s] for s in sorted(one_per_style, key=[i.style for i in build_corpus()].index)]
    if args.real:
        from summarise.models.llama_cpp import LlamaCppModel
        model, name = LlamaCppModel(), "real default model (Qwen2.5-Coder-1.5B)"
    else:
        model, name = ObedientModel(), "ObedientModel (worst case)"
    return {"model": name, **probe_model_layer(model, items)}


def run_injection_figures(args) -> dict:
    if args.probe:
        return run_probe(args)
    figures = run_injection_suite(args)
    from .injection import filter_generalisation

    figures["guard_false_positives"] = guard_false_positives()
    figures["filter_on_held_out_phrasings"] = filter_generalisation()
    return figures


def run_fuzz_suite(args) -> dict:
    from .fuzz import run_fuzz

    return run_fuzz(args.examples).as_dict()


def run_xss_suite(args) -> dict:
    from dataclasses import asdict

    from summarise.stages.embed import HashingEmbedder
    from summarise.pipeline import Pipeline
    from .xss import check_all_fields, check_briefing, payload_records

    config = offline_config("xss")
    briefing = Pipeline(config, embedder=HashingEmbedder(), progress=False).run(payload_records())
    through_pipeline = asdict(check_briefing(briefing))
    through_pipeline["briefing_sentences"] = sum(len(e.sentences) for e in briefing.events)
    return {"all_fields_rendered_directly": asdict(check_all_fields()), "through_pipeline": through_pipeline}


def run_limits_suite(args) -> dict:
    from .limits import run_limits

    return run_limits()


def run_memory_suite(args) -> dict:
    from .limits import measure_peak_memory

    return measure_peak_memory()


def run_lost_suite(args) -> dict:
    from dataclasses import asdict

    from .lost import run_lost

    return asdict(run_lost())


def run_patterns_suite(args) -> dict:
    from .patterns import slowest_patterns
    return slowest_patterns()


def run_determinism_suite(args) -> dict:
    import tempfile
    from pathlib import Path

    from .determinism import run_determinism
    from .injection import SEEDS, build_corpus
    from .xss import payload_records

    with tempfile.TemporaryDirectory() as folder:
        hostile = Path(folder) / "hostile.jsonl"
        records = [item.record for item in build_corpus(args.injections)] + payload_records()
        hostile.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
        inputs = [str(SEEDS), str(hostile)]
        results = {"inputs": f"seeds/ + {len(records)} injected and XSS records",
                   "offline": run_determinism(inputs, runs=3)}
        if args.real:
            results["fast"] = run_determinism(inputs, "fast", runs=2)
            results["default"] = run_determinism([str(SEEDS)], "default", runs=2)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.robustness", description=__doc__)
    parser.add_argument("suites", nargs="*", default=[], metavar="SUITE",
                        help=f"which measurements to run (default: all): {', '.join(SUITES)}")
    parser.add_argument("--examples", type=int, default=300, help="Hypothesis examples per fuzz target")
    parser.add_argument("--injections", type=int, default=63, help="injected articles in the corpus")
    parser.add_argument("--per-trial", type=int, default=9, help="injected articles mixed into each trial")
    parser.add_argument("--real", action="store_true", help="injection and determinism: also use the real default models (slow)")
    parser.add_argument("--no-guard", action="store_true", help="injection: switch the instruction filter off")
    parser.add_argument("--probe", action="store_true",
                        help="injection: put one injection per style straight into a fusion prompt as source 1 "
                             "and measure the model and verification alone (no filter, no ranking)")
    parser.add_argument("--details", action="store_true", help="print per-item details too")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    suites = args.suites or list(SUITES)
    unknown = [s for s in suites if s not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}: choose from {', '.join(SUITES)}")
    report = {"machine": f"{platform.node()} {platform.machine()} {platform.python_version()}",
              "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    runners = {"fuzz": run_fuzz_suite, "injection": run_injection_figures, "xss": run_xss_suite,
               "limits": run_limits_suite, "lost": run_lost_suite, "determinism": run_determinism_suite,
               "memory": run_memory_suite, "patterns": run_patterns_suite}
    for suite in suites:
        started = time.perf_counter()
        figures = runners[suite](args)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        if not args.details:
            figures.pop("details", None)
        report[suite] = figures
        print(json.dumps({suite: figures}, indent=2, ensure_ascii=False), flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
