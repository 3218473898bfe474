"""`summarise eval summarise DATA.jsonl` and `summarise eval cluster DATA.jsonl`: print a table of
scores beside peer systems; `--json OUT` writes every figure (and per-cluster rows) for scripts.
`summarise eval verifier PAIRS.jsonl`: the verifier as a classifier on labelled claims."""
from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from summarise.cli.exits import CommandError, require_extra
from summarise.config import load_config
from summarise.evaluation.data import DataError, load_cluster_docs, load_summary_cases
from summarise.evaluation.provenance import provenance
from summarise.evaluation.systems import SystemBuilder, label
from summarise.render.output import write_text

DEFAULT_SYSTEMS = "lead,lexrank,textrank,fast,default"


def add(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="score summaries or clusters on an evaluation set",
                                   description="Score the pipeline on a data set beside peer systems.")
    kinds = parser.add_subparsers(dest="eval_kind", required=True, metavar="KIND")
    add_eval_summarise(kinds)
    add_eval_cluster(kinds)
    add_eval_verifier(kinds)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", type=Path, metavar="DATA.jsonl", help="the evaluation set (JSONL)")
    parser.add_argument("--limit", type=int, metavar="K", help="only the first K records")
    parser.add_argument("--skip-bad", action="store_true",
                        help="skip malformed records with a warning instead of stopping at the first")
    parser.add_argument("--predictions", type=Path, metavar="OUT.jsonl", help="also write the predictions here")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write all results as JSON here")
    parser.add_argument("--plot", type=Path, metavar="OUT.png", help="also plot the scores as a PNG here")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def add_eval_summarise(kinds) -> None:
    parser = kinds.add_parser(
        "summarise", help="ROUGE, citation precision/recall, verification, neutrality, speed",
        description="Summarise each cluster of DATA.jsonl as one event and score every system on the same "
                    "clusters: ROUGE-1/2/L F1 and recall (rouge-score, stemmed), LongBench's ROUGE-L, "
                    "ALCE citation recall/precision and share of verified sentences (judged by the pipeline's "
                    "yes/no judge), subjectivity against the sources, seconds per cluster.",
        epilog="Systems: 'lead', 'lexrank', 'textrank', 'kl', 'sumbasic' (peers, filling the same word budget), "
               "any config name or .toml path, or a predictions file (.jsonl of {id, summary}) to score as it is. "
               "With --predictions OUT.jsonl the --config system's summaries go to OUT.jsonl and each other "
               "system's to OUT.<system>.jsonl.")
    _common(parser)
    parser.add_argument("--config", default="default", metavar="NAME_OR_PATH",
                        help="our system: the one the ratios compare against peers (default: %(default)s)")
    parser.add_argument("--systems", default=DEFAULT_SYSTEMS, metavar="A,B,...",
                        help="systems to run beside --config (default: %(default)s)")
    parser.add_argument("--max-words", type=int, metavar="N", help="cut every summary to its first N words")
    parser.add_argument("--budget-words", type=int, default=230, metavar="N",
                        help="words the peers write (default: --max-words, else %(default)s: about a "
                             "Multi-News reference)")
    parser.add_argument("--judge", choices=("model", "none"), default="model",
                        help="'model': citation scores with the packaged yes/no judge; 'none': skip them "
                             "(default: %(default)s)")
    parser.set_defaults(func=run_eval_summarise)


def add_eval_cluster(kinds) -> None:
    parser = kinds.add_parser(
        "cluster", help="B-cubed, pairwise F1, ARI/AMI, documents per second, peak memory",
        description="Cluster the documents of DATA.jsonl ({doc_id, gold_event, text} lines) and score the "
                    "events against the gold ones, beside singleton and all-in-one baselines.")
    _common(parser)
    parser.add_argument("--config", default="fast", metavar="NAME_OR_PATH",
                        help="config whose embedder and [cluster] settings are used (default: %(default)s)")
    parser.add_argument("--thresholds", metavar="S1,S2,...",
                        help="also cut the same tree at these similarities (a sweep); the first one "
                             "is written to --predictions")
    parser.add_argument("--min-gold-size", type=int, default=1, metavar="N",
                        help="score only the documents of gold events with at least N documents in DATA "
                             "(a view of larger stories; default: all)")
    parser.add_argument("--vector-cache", type=Path, metavar="DIR",
                        help="read sentence vectors embedded by an earlier run from DIR and store new ones "
                             "there (same embedder settings only)")
    parser.set_defaults(func=run_eval_cluster)


def add_eval_verifier(kinds) -> None:
    parser = kinds.add_parser(
        "verifier", help="the verifier as a classifier: confusion matrix, catch and false-reject rates",
        description="Run the hard checks and the judge on labelled (claim, evidence, supported?) pairs and "
                    "report how many unsupported claims they reject (catch rate) and how many supported ones "
                    "(false-reject rate), before and after the statement checks, per split and failure kind, "
                    "with a sweep of the judge's threshold.")
    parser.add_argument("data", type=Path, metavar="PAIRS.jsonl", help="labelled pairs (tests/data/verifier_pairs.jsonl)")
    parser.add_argument("--config", default="default", metavar="NAME_OR_PATH",
                        help="config whose model, judge and threshold are measured (default: %(default)s)")
    parser.add_argument("--threshold", type=float, metavar="P", help="judge threshold (default: the config's)")
    parser.add_argument("--judge-cache", type=Path, metavar="FILE",
                        help="remember the judge's answers in FILE and reuse them (same model and prompt only)")
    parser.add_argument("--threads", type=int, metavar="N", help="CPU threads for the model (default: the config's)")
    parser.add_argument("--judge-hard-passes-only", action="store_true",
                        help="ask the judge only about pairs the hard checks pass, as the pipeline does: the 'after' "
                             "figures stay exact and cost fewer calls; 'before' rows count the rest as unjudged")
    parser.add_argument("--judge-cache-only", action="store_true",
                        help="load no model: use the answers in --judge-cache, counting pairs it lacks as unjudged")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write all results, with per-pair rows, here")
    parser.add_argument("--show", choices=("errors", "none"), default="errors",
                        help="list the pairs the verifier gets wrong at the threshold (default: %(default)s)")
    parser.set_defaults(func=run_eval_verifier)


def run_eval_verifier(args: argparse.Namespace) -> int:
    from summarise.evaluation.verifier import CachedEntailmentJudge, CachedJudge, evaluate, load_pairs, score_pairs
    from summarise.models import make_language_model
    from summarise.models.nli import NliJudge
    from summarise.stages.verify import Verifier

    config = load_config(args.config) if args.threads is None else load_config(args.config, n_threads=args.threads)
    threshold = config.verify.threshold if args.threshold is None else args.threshold
    try:
        pairs = load_pairs(args.data)
    except DataError as exc:
        raise CommandError(str(exc)) from None
    if args.judge_cache_only and not args.judge_cache:
        raise CommandError("--judge-cache-only needs --judge-cache FILE")
    judge = None
    if config.verify.judge == "nli":
        judge = None if args.judge_cache_only else NliJudge.from_settings(config.verify, config.n_threads)
        if args.judge_cache:
            judge = CachedEntailmentJudge(judge, args.judge_cache, f"nli:{config.verify.nli_model}")
    elif config.verify.needs_model:
        judge = None if args.judge_cache_only else make_language_model(config.model, config.n_threads, config.seed)
        if args.judge_cache:
            judge = CachedJudge(judge, args.judge_cache, f"{config.model.backend}:{config.model.name}")
    rows = score_pairs(pairs, Verifier(judge, threshold, config.verify.max_sentence_words),
                       config.verify.max_sentence_words, judge_rejected=not args.judge_hard_passes_only)
    results = evaluate(rows, threshold)
    results.update(provenance(getattr(args, "argv", None)), data=str(args.data), rows=rows)
    print(verifier_table(results, rows if args.show == "errors" else []))
    if args.json:
        write_text(json.dumps(results, indent=2, default=_json_default) + "\n", args.json)
    return 0


def _rate(value: float) -> str:
    return _fmt(100 * value) + "%"


def verifier_table(results: dict, rows: list[dict]) -> str:
    t = results["threshold"]
    lines = [f"{results['pairs']} labelled pairs; judge threshold {t:.2f}; positive = unsupported (rejected)", "",
             "| split | verifier | caught | missed | false rejects | passed | unjudged | catch rate | false-reject rate |",
             "|---|---|---|---|---|---|---|---|---|"]
    for split, figures in results["splits"].items():
        for name in ("hard_checks_before", "hard_checks_after", "before", "after"):
            c = figures[name]
            label = {"hard_checks_before": "hard checks, before", "hard_checks_after": "hard checks, after",
                     "before": "hard checks before + judge", "after": "hard checks after + judge"}[name]
            lines.append(f"| {split} ({figures['pairs']}) | {label} | {c['caught']} | {c['missed']} | "
                         f"{c['false_rejects']} | {c['passed']} | {c['unjudged']} | {_rate(c['catch_rate'])} | "
                         f"{_rate(c['false_reject_rate'])} |")
    lines += ["", "threshold sweep (hard checks after + judge), all pairs:", "",
              "| threshold | catch rate | false-reject rate |", "|---|---|---|"]
    for threshold, c in results["splits"]["all"]["sweep"].items():
        lines.append(f"| {threshold} | {_rate(c['catch_rate'])} | {_rate(c['false_reject_rate'])} |")
    lines += ["", "by kind (rejected / n; for 'supported' that is false rejects):", "",
              "| kind | n | rejected before (unjudged) | rejected after (unjudged) | by the hard checks after |",
              "|---|---|---|---|---|"]
    for kind, k in results["kinds"].items():
        lines.append(f"| {kind} | {k['n']} | {k['rejected_before']} ({k['unjudged_before']}) | {k['rejected']} "
                     f"({k['unjudged']}) | {k['hard_after']} |")
    lines += ["", "statement checks: pairs each flags", "", "| check | unsupported | supported |", "|---|---|---|"]
    for note, e in results["checks"].items():
        lines.append(f"| {note} | {e['unsupported']} | {e['supported']} |")
    dangling = results["dangling_pronoun"]
    lines += ["", f"readability (not in the figures above): a dangling pronoun in {dangling['unsupported']} "
                  f"unsupported and {dangling['supported']} supported claims"]
    wrong = [r for r in rows if r["problems"] or r["support"] is not None]
    wrong = [r for r in wrong if (r["label"] == "unsupported") != (bool(r["problems"]) or r["support"] < t)]
    if wrong:
        lines += ["", "pairs the verifier gets wrong:"]
        for r in wrong:
            why = "; ".join(r["problems"]) or f"judge p={r['support']:.2f}"
            lines.append(f"  {r['id']} [{r['label']}, {r['kind']}] {r['claim']}  -> {why}")
    return "\n".join(lines)


# -- summarise ----------------------------------------------------------------------------

def run_eval_summarise(args: argparse.Namespace) -> int:
    require_extra("eval", "rouge_score", "rouge", "sumy")
    from summarise.evaluation.scoring import Judge, evaluate_summaries
    from summarise.stages.verify import Verifier

    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit must be at least 1")
    if args.max_words is not None and args.max_words < 1:
        raise CommandError("--max-words must be at least 1")
    names = _system_names(args.systems, args.config)
    cases = _load(load_summary_cases, args)
    builder = SystemBuilder(args.max_words or args.budget_words, progress=False)
    systems = {label(name): builder.system(name) for name in names}
    judge = None
    if args.judge == "model":
        main_config = builder.config(args.config)
        judge = Judge(Verifier(builder.language_model(main_config), main_config.verify.threshold,
                               main_config.verify.max_sentence_words))
    predictions: dict[str, list[dict]] = {}
    results = evaluate_summaries(cases, systems, main=label(args.config), max_words=args.max_words,
                                 judge=judge, progress=not args.quiet, predictions=predictions,
                                 max_sentence_words=builder.config(args.config).verify.max_sentence_words)
    results.update(provenance(getattr(args, "argv", None)), data=str(args.data), model_load_s=builder.load_seconds)
    print(summary_table(results))
    _plot(results, args.plot)
    if args.predictions:
        _write_summary_predictions(args.predictions, predictions, results["main"])
    if args.json:
        write_text(json.dumps(results, indent=2, default=_json_default) + "\n", args.json)
    return 0


def _plot(results: dict, path: Path | None) -> None:
    if path is not None:
        from summarise.evaluation.plots import plot_results

        plot_results(results, path)


def _system_names(systems: str, main: str) -> list[str]:
    names = [s.strip() for s in systems.split(",") if s.strip()]
    if label(main) not in [label(n) for n in names]:
        names.append(main)
    return names


def _load(loader, args):
    try:
        return loader(args.data, skip_bad=args.skip_bad, limit=args.limit)
    except DataError as exc:
        raise CommandError(str(exc)) from None


def _write_summary_predictions(path: Path, predictions: dict[str, list[dict]], main: str) -> None:
    for name, rows in predictions.items():
        target = path if name == main else path.with_name(f"{path.stem}.{label(name)}{path.suffix or '.jsonl'}")
        write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), target)


def _fmt(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def summary_table(results: dict) -> str:
    head = ("| system | R-1 F | R-2 F | R-L F | R-1 R | R-2 R | R-L R | LongBench R-L | cite P | cite R "
            "| verified % | subjectivity | words | s/cluster |")
    lines = [f"{results['clusters']} clusters" + (f", summaries cut to {results['max_words']} words"
                                                 if results["max_words"] else ""),
             "", head, "|" + "---|" * (head.count("|") - 1)]
    for name, s in results["systems"].items():
        cells = [name] + [_fmt(s[k]) for k in ("rouge1_f", "rouge2_f", "rougeL_f", "rouge1_r", "rouge2_r",
                                                "rougeL_r", "longbench_rougeL")]
        cells += [_fmt(s.get("citation_precision")), _fmt(s.get("citation_recall")), _fmt(s.get("verified_pct")),
                  _fmt(s["subjectivity"], 3), _fmt(s["words"], 0), _fmt(s["seconds"], 2)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"\nsources' subjectivity: {results['source_subjectivity']:.3f}")
    if results["ratios"]:
        lines.append(f"\n{results['main']} / peer (R-1 F, R-2 F, R-L F, LongBench R-L):")
        for name, r in results["ratios"].items():
            lines.append(f"  vs {name}: " + ", ".join(_fmt(r[k], 2) for k in
                                                       ("rouge1_f", "rouge2_f", "rougeL_f", "longbench_rougeL")))
    return "\n".join(lines)


def _json_default(value):
    if isinstance(value, float):
        return None
    return str(value)


# -- cluster ------------------------------------------------------------------------------

def run_eval_cluster(args: argparse.Namespace) -> int:
    require_extra("eval", "sklearn")
    from summarise.stages.embed import make_embedder
    from summarise.evaluation.scoring import evaluate_clustering

    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit must be at least 1")
    config = load_config(args.config)
    thresholds = None
    if args.thresholds:
        try:
            thresholds = [float(t) for t in args.thresholds.split(",")]
        except ValueError:
            raise CommandError(f"--thresholds must be numbers separated by commas, not {args.thresholds!r}") from None
    docs = larger_events(_load(load_cluster_docs, args), args.min_gold_size)
    embedder = make_embedder(config.embed, config.n_threads)
    if args.vector_cache:
        from summarise.evaluation.vector_cache import FileVectorCache

        embedder = FileVectorCache(embedder, args.vector_cache, f"{config.embed.method}:{config.embed.model}")
    results = evaluate_clustering(docs, config, embedder, progress=not args.quiet,
                                  thresholds=thresholds)
    predictions = results.pop("predictions")
    results.update(provenance(getattr(args, "argv", None)), data=str(args.data))
    print(cluster_table(results))
    _plot(results, args.plot)
    if args.predictions:
        first = next(iter(predictions.values()))
        write_text("".join(json.dumps({"doc_id": d.doc_id, "event": e}) + "\n" for d, e in zip(docs, first)),
                     args.predictions)
    if args.json:
        write_text(json.dumps(results, indent=2, default=_json_default) + "\n", args.json)
    return 0


def larger_events(docs: list, min_gold_size: int) -> list:
    """The documents whose gold event has at least `min_gold_size` documents, in their order."""
    if min_gold_size < 1:
        raise CommandError("--min-gold-size must be at least 1")
    sizes = Counter(d.gold_event for d in docs)
    return [d for d in docs if sizes[d.gold_event] >= min_gold_size]


def cluster_table(results: dict) -> str:
    head = "| system | events | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 | ARI | AMI |"
    lines = [f"{results['documents']} documents, {results['gold_events']} gold events; "
             f"{results['documents_per_second']:.1f} documents/s, peak RSS {results['peak_rss_mb']:.0f} MB "
             f"({results['rejected_documents']} documents rejected by ingest, kept as singletons)",
             "", head, "|" + "---|" * (head.count("|") - 1)]
    for name, s in results["systems"].items():
        cells = [name, str(s["n_clusters"])] + [_fmt(100 * s[k]) for k in
                                                ("bcubed_p", "bcubed_r", "bcubed_f1", "pairwise_p", "pairwise_r",
                                                 "pairwise_f1", "ari", "ami")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
