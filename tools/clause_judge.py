"""Does the judge see recombinations better clause by clause? An experiment on the labelled set.

    PYTHONPATH=. .venv/bin/python tools/clause_judge.py docs/benchmarks/verifier417_dec06.json \
        tests/data/verifier_pairs.jsonl --threads 2

Takes the pairs that `summarise eval verifier --json` scored (its rows hold the whole claim's
judge support) that pass the hard checks and draw their words from two or more passages
(`lexical_cover`); splits each claim into clauses (at ", and", ", but", ", while", ";", and
"and" before a new subject and verb); asks the judge about each clause on the whole evidence; and
prints, for several thresholds, how many unsupported and supported pairs the whole claim's support
and the lowest clause's support would reject.
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from summarise.config import load_config
from summarise.models import make_language_model
from summarise.stages.verify import Verifier, lexical_cover

_SPLIT = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+|"
                    r"\s+and\s+(?=(?:he|she|they|it|his|her|their|the|a|an|[A-Z]\w+)\s+\w+(?:ed|s)\b)")


def clauses(claim: str) -> list[str]:
    parts = [p.strip(" ,") for p in _SPLIT.split(claim) if len(p.split()) >= 4]
    return [p if p.endswith((".", "!", "?", '"')) else p + "." for p in parts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scored", help="the --json of `summarise eval verifier` (its rows)")
    parser.add_argument("pairs", help="the labelled pairs it scored")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    pairs = {p["id"]: p for p in map(json.loads, open(args.pairs, encoding="utf-8"))}
    rows = [r for r in json.load(open(args.scored, encoding="utf-8"))["rows"]
            if not r["problems"] and r["support"] is not None]
    picked = [(pairs[r["id"]], r["support"]) for r in rows
              if len(lexical_cover(pairs[r["id"]]["claim"], pairs[r["id"]]["evidence"])) > 1]
    config = load_config("default", n_threads=args.threads)
    verifier = Verifier(make_language_model(config.model, config.n_threads, config.seed), config.verify.threshold)
    scored = []
    for pair, whole in picked:
        parts = clauses(pair["claim"])
        lowest = min(verifier.support(c, pair["evidence"]) for c in parts) if len(parts) > 1 else whole
        scored.append((pair["label"] == "supported", whole, lowest))
    n_unsupported = sum(not ok for ok, _, _ in scored)
    print(f"{len(scored)} multi-passage pairs that pass the hard checks: {n_unsupported} unsupported")
    print("| threshold | whole claim: unsupported caught, supported rejected | lowest clause: the same |")
    print("|---|---|---|")
    for threshold in (0.75, 0.8, 0.85, 0.9, 0.95):
        cells = []
        for column in (1, 2):  # the whole claim's support, the lowest clause's
            caught = sum(row[column] < threshold for row in scored if not row[0])
            rejected = sum(row[column] < threshold for row in scored if row[0])
            cells.append(f"{caught} / {rejected}")
        print(f"| {threshold} | {cells[0]} | {cells[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
