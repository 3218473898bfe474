"""The term index against the exact neighbour search (issue 13's path for 100,000+ articles):
how many of each article's exact 30 nearest the index finds, the backgrounds (20th neighbour)
both give, the time of each, and with --cluster the whole default clustering's time (the
index from 20,000 articles), over the first N texts of a {doc_id, gold_event, text} JSONL
set. Larger sizes than the set holds are made of its texts again, each copy with a seeded third
of its words dropped (a load test: the copies are other texts, not other stories). The lead
vectors are seeded random unit vectors (3 per article), as in tools/cluster_time.py: the time is
the TF-IDF and the search, not the embedder's. The exact search is skipped above --exact-up-to.

    OMP_NUM_THREADS=1 PYTHONPATH=. python tools/neighbour_index.py /work/shared/eval/clusters_multinews_pool.jsonl \
        12703,25000,50000,100000 --exact-up-to 25000 --cluster
"""
import argparse
import json
import resource
import time

import numpy as np

from summarise.stages.cluster import article_vectors
from summarise.stages.cluster_communities import CommunityClusterer
from summarise.stages.cluster_graph import (ArticleFeatures, background, indexed_neighbours, nearest_neighbours,
                                            term_vectors)
from summarise.types import Article


def texts_of_size(texts: list[str], n: int, rng: np.random.Generator) -> list[str]:
    out = list(texts[:n])
    while len(out) < n:
        words = texts[len(out) % len(texts)].split()
        keep = rng.random(len(words)) >= 1 / 3
        out.append(" ".join(w for w, k in zip(words, keep) if k))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("sizes", help="comma-separated numbers of articles")
    parser.add_argument("--exact-up-to", type=int, default=25000)
    parser.add_argument("--k", type=int, default=30)
    parser.add_argument("--cluster", action="store_true", help="also time the default clusterer's whole call")
    args = parser.parse_args()
    with open(args.path) as lines:
        texts = [json.loads(line)["text"] for line in lines]
    for n in (int(size) for size in args.sizes.split(",")):
        rng = np.random.default_rng(0)
        sample = texts_of_size(texts, n, rng)
        leads = [v / np.linalg.norm(v, axis=1, keepdims=True) for v in rng.normal(size=(n, 3, 384)).astype(np.float32)]
        start = time.perf_counter()
        features = ArticleFeatures(article_vectors(leads, 3), term_vectors(sample), 0.15)
        row = {"articles": n, "tfidf_s": round(time.perf_counter() - start, 1)}
        start = time.perf_counter()
        found, found_sims = indexed_neighbours(features, args.k)
        row["index_s"] = round(time.perf_counter() - start, 1)
        if n <= args.exact_up_to:
            start = time.perf_counter()
            exact, exact_sims = nearest_neighbours(features, args.k)
            row["exact_s"] = round(time.perf_counter() - start, 1)
            row["recall_of_exact_30"] = round(float(np.mean([len(set(a) & set(b)) / args.k
                                                             for a, b in zip(found, exact)])), 4)
            row["recall_of_exact_10"] = round(float(np.mean([len(set(a[:10]) & set(b[:10])) / 10
                                                             for a, b in zip(found, exact)])), 4)
            gap = background(exact_sims, 20) - background(found_sims, 20)
            row["background_gap_mean"] = round(float(gap.mean()), 4)
            row["background_gap_p99"] = round(float(np.quantile(gap, 0.99)), 4)
        if args.cluster:
            start = time.perf_counter()
            events = CommunityClusterer().cluster([Article(id=str(i), text=t) for i, t in enumerate(sample)], leads)
            row["cluster_s"] = round(time.perf_counter() - start, 1)
            row["events"] = len(events)
        row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
