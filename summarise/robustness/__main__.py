"""python -m summarise.robustness [SUITE...] [--real] [--examples N]: print the robustness figures."""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import datetime, timezone

from ..config import Config
from ..llm import FakeModel

SUITES = ("fuzz", "injection", "xss", "limits", "lost", "determinism")


def test_config(**overrides) -> Config:
    """No model downloads, no heavy models: hashing embeddings; fusion through the given model."""
    return Config(name="robustness", embedder="hashing", generator="llama_cpp", judge="generator",
                  spin_detector="none", **overrides)


def run_injection_suite(args) -> dict:
    from ..embed import HashingEmbedder
    from ..pipeline import Pipeline
    from .injection import ObedientModel, RecordingModel, build_corpus, run_injection

    corpus = build_corpus(args.injections)

    def make_pipeline():
        if args.real:
            if not hasattr(make_pipeline, "pipeline"):
                from ..config import load_config
                make_pipeline.pipeline = Pipeline(load_config("default", drop_instructions=not args.no_guard),
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m summarise.robustness", description=__doc__)
    parser.add_argument("suites", nargs="*", choices=SUITES + ((),), default=[], metavar="SUITE",
                        help=f"which measurements to run (default: all): {', '.join(SUITES)}")
    parser.add_argument("--examples", type=int, default=300, help="Hypothesis examples per fuzz target")
    parser.add_argument("--injections", type=int, default=63, help="injected articles in the corpus")
    parser.add_argument("--per-trial", type=int, default=9, help="injected articles mixed into each trial")
    parser.add_argument("--real", action="store_true", help="injection: use the real default models (slow)")
    parser.add_argument("--no-guard", action="store_true", help="injection: switch the instruction filter off")
    parser.add_argument("--details", action="store_true", help="print per-item details too")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    suites = args.suites or list(SUITES)
    report = {"machine": f"{platform.node()} {platform.machine()} {platform.python_version()}",
              "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    runners = {"injection": run_injection_suite}
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
