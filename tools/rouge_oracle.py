"""How far extraction could go: the greedy ROUGE oracle's first N words on a summarisation set.

    PYTHONPATH=. .venv/bin/python tools/rouge_oracle.py /work/shared/eval/multinews_dev200.jsonl \
        --max-words 100 [--within PREDICTIONS.jsonl]

For each cluster it picks, one at a time, the source sentence that most raises ROUGE-1 + ROUGE-2 F
of the summary cut to --max-words against the reference, until that many words (it reads the
reference, so it is a ceiling, not a system). With --within, it picks only among the sentences of
each prediction ({id, summary} lines, as `eval summarise --predictions` writes) and also scores the
prediction as it is: how much the order and choice among those sentences alone could gain.
"""
from __future__ import annotations

import argparse
import json
import statistics

from summarise.evaluation.data import load_summary_cases
from summarise.evaluation.metrics import rouge, truncate_words
from summarise.evaluation.peers import sentences_of


def oracle(sentences: list[str], references: list[str], max_words: int) -> str:
    chosen: list[str] = []
    best = -1.0
    while len(" ".join(chosen).split()) < max_words:
        scored = [(scores["rouge1_f"] + scores["rouge2_f"], s) for s in sentences if s not in chosen
                  for scores in [rouge(truncate_words(" ".join(chosen + [s]), max_words), references)]]
        gain, pick = max(scored, default=(best, None), key=lambda pair: pair[0])
        if pick is None or gain <= best:
            break
        best = gain
        chosen.append(pick)
    return " ".join(chosen)


def mean_rouge(summaries: list[str], cases, max_words: int) -> str:
    rows = [rouge(truncate_words(summary, max_words), case.references) for summary, case in zip(summaries, cases)]
    return " / ".join(f"{statistics.mean(r[key] for r in rows):.2f}" for key in ("rouge1_f", "rouge2_f"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="summarisation set (multinews_dev200.jsonl format)")
    parser.add_argument("--max-words", type=int, default=100)
    parser.add_argument("--limit", type=int, help="the first K clusters")
    parser.add_argument("--within", help="predictions JSONL: pick only among each prediction's sentences")
    args = parser.parse_args(argv)
    cases = load_summary_cases(args.data, limit=args.limit)
    if args.within:
        with open(args.within, encoding="utf-8") as lines:
            predicted = {row["id"]: row["summary"] for row in map(json.loads, lines)}
        pools = [sentences_of([predicted[case.id]])[0] for case in cases]
        print(f"predictions as they are, R-1 / R-2 F: {mean_rouge([predicted[c.id] for c in cases], cases, args.max_words)}")
    else:
        pools = [[s for document in sentences_of([d["text"] for d in case.documents]) for s in document]
                 for case in cases]
    summaries = [oracle(pool, case.references, args.max_words) for pool, case in zip(pools, cases)]
    print(f"greedy oracle, R-1 / R-2 F of the first {args.max_words} words: {mean_rouge(summaries, cases, args.max_words)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
