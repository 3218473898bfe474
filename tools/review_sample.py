"""Draw the independent review's sample: generated (fused, not fallback) briefing sentences, each with
its cited evidence, as a Markdown table for a human reader to mark supported or not.

    PYTHONPATH=. .venv/bin/python tools/review_sample.py /tmp/fused_dev12.jsonl /tmp/fused_dev12b.jsonl \
        --n 40 --seed 15

The input is what tools/fused_output.py writes. The sample is `random.Random(seed).sample` of the
generated sentences in a fixed order (cluster id, then position), so the same files and seed give
the same sample; fewer than --n generated sentences means all of them.
"""
from __future__ import annotations

import argparse
import json
import random
import sys


def generated_sentences(paths: list[str]) -> list[dict]:
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8") if line.strip()]
    return sorted((r for r in rows if r["method"] == "generated"), key=lambda r: (r["cluster"], r["n"]))


def sample(rows: list[dict], n: int, seed: int) -> list[dict]:
    picked = random.Random(seed).sample(range(len(rows)), min(n, len(rows)))
    return [rows[i] for i in sorted(picked)]


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict]) -> str:
    lines = ["| # | cluster | sentence | cited evidence | judge | supported? | reason |", "|---|---|---|---|---|---|---|"]
    for k, r in enumerate(rows, 1):
        evidence = "<br>".join(f"[{c['article_id']}] {cell(c['evidence'])}" for c in r["citations"])
        lines.append(f"| {k} | {r['cluster'][:8]}#{r['n']} | {cell(r['text'])} | {evidence} | {r['support']:.2f} |  |  |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("fused", nargs="+", help="JSONL files written by tools/fused_output.py")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    rows = generated_sentences(args.fused)
    picked = sample(rows, args.n, args.seed)
    print(f"{len(picked)} of {len(rows)} generated sentences (seed {args.seed})\n")
    print(table(picked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
