"""Turn the 200 Multi-News dev clusters into a clustering set: one JSONL line per document that is
not marked boilerplate, {doc_id, gold_event, text}, the cluster's id as the gold event (full,
original-case texts; 546 documents). Usage: python tools/dev200_clusters.py DEV200.jsonl OUT.jsonl"""
import json
import sys


def main(source: str, out: str) -> None:
    with open(source) as lines, open(out, "w") as writer:
        for line in lines:
            cluster = json.loads(line)
            for doc in cluster["documents"]:
                if not doc["likely_boilerplate"]:
                    writer.write(json.dumps({"doc_id": f"{cluster['id']}-{doc['doc_id']}",
                                             "gold_event": cluster["id"], "text": doc["text"]}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
