"""Clustering time after embedding: the first N texts of a {doc_id, gold_event, text} JSONL set,
clustered by the default [cluster] settings (`communities`), by `text_and_vector` (the default
before issue 13's third step) and by the same without the background (before its second step),
whole `cluster` call, one thread. The lead vectors are seeded random unit vectors (3 per article): the time is the TF-IDF,
the neighbour search and the linking, not the embedder's.

    OMP_NUM_THREADS=1 PYTHONPATH=. python tools/cluster_time.py /work/shared/eval/clusters_multinews_pool.jsonl 10000
"""
import json
import resource
import sys
import time

import numpy as np

from summarise.stages.cluster import ClusterSettings, TextAndVectorClusterer
from summarise.stages.cluster_communities import CommunityClusterer
from summarise.types import Article


def main(path: str, n: int) -> None:
    with open(path) as lines:
        docs = [json.loads(line) for _, line in zip(range(n), lines)]
    rng = np.random.default_rng(0)
    vectors = []
    for _ in docs:
        lead = rng.normal(size=(3, 384)).astype(np.float32)
        vectors.append(lead / np.linalg.norm(lead, axis=1, keepdims=True))
    articles = [Article(id=d["doc_id"], text=d["text"]) for d in docs]
    for name, clusterer in [("default (communities)", CommunityClusterer()),
                            ("text_and_vector", TextAndVectorClusterer()),
                            ("no background, cut 0.18",
                             TextAndVectorClusterer(ClusterSettings(background_rank=0, link_similarity=0.18)))]:
        start = time.perf_counter()
        events = clusterer.cluster(articles, vectors)
        print(f"{name}: {len(articles)} articles, {len(events)} events, {time.perf_counter() - start:.1f} s", flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
