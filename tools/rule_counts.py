"""How many source sentences of a summarisation set each sentence rule marks, with examples.

    PYTHONPATH=. .venv/bin/python tools/rule_counts.py /work/shared/eval/multinews_dev200.jsonl [--examples 5]

The rules are the ranker's and the verifier's readability rules (a dangling pronoun, a photo
caption, a sentence that is one quotation, one that says a thing twice, one that trails off); a rule that marks many
real reporting sentences would cost the ranking what docs/benchmarks.md measures. Sentences are
the pipeline's own (stages/segment.py). "could anchor" counts the sentences of 6-60 words ending
in "." or "!", which the ranker may pick.
"""
from __future__ import annotations

import argparse
import json

from summarise.stages.rank import cut_off, photo_caption
from summarise.stages.segment import split_spans
from summarise.stages.statements import dangling_pronoun, repeats_itself, whole_quote

RULES = {"dangling pronoun": lambda s: dangling_pronoun(s) is not None, "photo caption": photo_caption,
         "one quotation": whole_quote, "says one thing twice": repeats_itself, "trails off": cut_off}


def could_anchor(sentence: str) -> bool:
    return 6 <= len(sentence.split()) <= 60 and sentence.rstrip("\"'\u201d\u2019) ")[-1:] in (".", "!")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="summarisation set (multinews_dev200.jsonl format)")
    parser.add_argument("--examples", type=int, default=5, help="sentences to show per rule")
    args = parser.parse_args(argv)
    sentences = [text[a:b].strip() for line in open(args.data, encoding="utf-8")
                 for text in (d["text"] for d in json.loads(line)["documents"]) for a, b in split_spans(text)]
    print(f"{len(sentences):,} source sentences, {sum(map(could_anchor, sentences)):,} could anchor")
    for name, rule in RULES.items():
        marked = [s for s in sentences if rule(s)]
        print(f"\n{name}: {len(marked):,} ({sum(map(could_anchor, marked)):,} could anchor)")
        for sentence in marked[:args.examples]:
            print(f"  - {sentence[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
