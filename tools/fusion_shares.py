"""How much of a briefing the model actually fused, from tools/fused_output.py's JSONL.

    PYTHONPATH=. .venv/bin/python tools/fusion_shares.py /tmp/fused_dev12.jsonl [more.jsonl ...]

Prints, over all sentences: the share that shipped as generated (passed verification) rather
than as the fallback source sentence; the share that passed at the first attempt; among
generated sentences of multi-outlet events, the share citing two or more outlets (details fused
across outlets, issue 15) and how many had two or more outlets in their fact group to fuse from
(citations the sentence did not need are dropped, and noted in its checks); and the reasons
attempts were rejected, most frequent first.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter


_DROPPED = re.compile(r"^dropped citation of (\S+?):")


def group_outlets(row: dict) -> set[str]:
    """The outlets of the sentence's fact group: those it cites and those whose citation was
    dropped as not needed (what the model had to fuse from)."""
    dropped = {m.group(1) for c in row["checks"] if (m := _DROPPED.match(c))}
    return {c["article_id"] for c in row["citations"]} | dropped


def shares(rows: list[dict]) -> dict:
    generated = [r for r in rows if r["method"] == "generated"]
    first_try = [r for r in generated if not any("attempt 1 rejected" in c for c in r["checks"])]
    outlets_per_cluster: dict[str, set] = {}
    for r in rows:
        outlets_per_cluster.setdefault(r["cluster"], set()).update(group_outlets(r))
    multi = [r for r in generated if len(outlets_per_cluster[r["cluster"]]) > 1]
    fused = [r for r in multi if len({c["article_id"] for c in r["citations"]}) > 1]
    offered = [r for r in multi if len(group_outlets(r)) > 1]
    reasons = Counter(re.sub(r"\(p=[\d.]+\)|'[^']*'|\d+", "…", c.split(": ", 1)[1])
                      for r in rows for c in r["checks"] if "rejected:" in c)
    return {"sentences": len(rows), "generated": len(generated), "first_attempt": len(first_try),
            "multi_outlet_generated": len(multi), "cite_two_or_more_outlets": len(fused),
            "group_of_two_or_more_outlets": len(offered),
            "rejections": reasons.most_common()}


def main(paths: list[str]) -> int:
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8") if line.strip()]
    result = shares(rows)
    n = max(result["sentences"], 1)
    print(f"{result['sentences']} sentences in {len({r['cluster'] for r in rows})} clusters")
    print(f"generated and verified: {result['generated']} ({100 * result['generated'] / n:.0f}%)")
    print(f"passed at the first attempt: {result['first_attempt']} ({100 * result['first_attempt'] / n:.0f}%)")
    multi = max(result["multi_outlet_generated"], 1)
    print(f"generated sentences of multi-outlet events citing 2+ outlets: {result['cite_two_or_more_outlets']}"
          f" of {result['multi_outlet_generated']} ({100 * result['cite_two_or_more_outlets'] / multi:.0f}%);"
          f" {result['group_of_two_or_more_outlets']} of them had a group of 2+ outlets to fuse from")
    for reason, count in result["rejections"]:
        print(f"  {count:3d} x {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
