"""The default pipeline's briefing sentences on evaluation clusters, one JSON line per sentence.

    PYTHONPATH=. .venv/bin/python tools/fused_output.py /work/shared/eval/multinews_dev200.jsonl \
        --limit 12 --out /tmp/fused_dev12.jsonl [--summaries /tmp/default_dev12.jsonl]

Each cluster is one event (as `summarise eval summarise` runs it). A line holds the cluster id,
the sentence, how it was written ("generated" or "extractive", the fallback), the judge's
support, the checks noted on the way, and each citation's article and evidence sentence: what
the verifier's labelled set (tests/data/verifier_pairs.jsonl) and the review sample
(tools/review_sample.py) are drawn from. Written cluster by cluster, so a cut run keeps its lines.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from summarise import Pipeline
from summarise.config import load_config
from summarise.evaluation.data import load_summary_cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="summarisation set (multinews_dev200.jsonl format)")
    parser.add_argument("--config", default="default")
    parser.add_argument("--limit", type=int, default=12, help="the first K clusters")
    parser.add_argument("--skip", type=int, default=0, help="start after the first K clusters")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for the models (default: 1)")
    parser.add_argument("--out", required=True, help="JSONL of sentences, appended cluster by cluster")
    parser.add_argument("--summaries", help="also append each cluster's summary as {id, summary} here: "
                        "the sentences in order, as `summarise eval summarise` scores a predictions file")
    args = parser.parse_args(argv)

    cases = load_summary_cases(args.data, limit=args.skip + args.limit)[args.skip:]
    pipeline = Pipeline(load_config(args.config, n_threads=args.threads), progress=False)
    summaries = open(args.summaries, "a", encoding="utf-8") if args.summaries else None
    with open(args.out, "a", encoding="utf-8") as out:
        for case in cases:
            start = time.perf_counter()
            briefing = pipeline.run(case.documents, cluster=False)
            for event in briefing.events:
                for n, sentence in enumerate(event.sentences):
                    out.write(json.dumps({
                        "cluster": case.id, "n": n, "text": sentence.text, "method": sentence.method,
                        "support": sentence.support, "checks": sentence.checks,
                        "citations": [{"article_id": c.article_id, "evidence": c.evidence}
                                      for c in sentence.citations]}, ensure_ascii=False) + "\n")
            out.flush()
            if summaries:
                text = " ".join(s.text for event in briefing.events for s in event.sentences)
                summaries.write(json.dumps({"id": case.id, "summary": text}, ensure_ascii=False) + "\n")
                summaries.flush()
            print(f"{case.id}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    if summaries:
        summaries.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
