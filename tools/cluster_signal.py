"""Where the larger stories' recall is lost (issue 13), over the default clustering's own
neighbour graph of each pool view (--min-gold-size 6, 4, and the whole pool):

- `oracle`: the best B-cubed F1 any linkage over that graph could reach: the gold stories cut
  into the connected parts of their own edges (each article's k nearest, relative similarity
  above t); what is left above the default is the linkage's to win, the rest is the signal's;
- `mutual`: single-link over mutual k-nearest edges, with the share of edges inside a story;
- `attach`: the default's events, then each article alone (or in a pair) moved to the event
  most of its nearest neighbours are in;
- `lengths`: each story size's median document length, and how alike in length two reports of
  one story are (the pool's texts are truncated per story, docs/benchmarks.md);
- `learned`: a gradient-boosted pair classifier (fitted on half the stories, by a hash of the
  story id, scored on the other half) feeding average-link; `--no-lengths` leaves the
  documents' lengths out of its features.

The views are prepared once (ingest, cached vectors, neighbours, the default's events) into
--work, with the `fast` config's clustering (ONNX MiniLM vectors from --vector-cache):

    PYTHONPATH=. python tools/cluster_signal.py prepare /work/shared/eval/clusters_multinews_pool.jsonl \
        --vector-cache /tmp/c13d/vcache --work /tmp/signal
    PYTHONPATH=. python tools/cluster_signal.py oracle --work /tmp/signal
"""
import argparse
import hashlib
import pickle
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from summarise.cli.eval import larger_events
from summarise.config import load_config
from summarise.evaluation.data import load_cluster_docs
from summarise.evaluation.metrics import bcubed
from summarise.evaluation.vector_cache import FileVectorCache
from summarise.pipeline import Pipeline
from summarise.stages.cluster import article_vectors
from summarise.stages.cluster_communities import agreed, communities
from summarise.stages.cluster_graph import ArticleFeatures, background, neighbours, sparse_average_link, term_vectors
from summarise.stages.embed import make_embedder

VIEWS = {"ge6": 6, "ge4": 4, "all": 1}


def prepare(args) -> None:
    config = load_config("fast")
    s = config.cluster
    embedder = FileVectorCache(make_embedder(config.embed, 1), args.vector_cache,
                               f"{config.embed.method}:{config.embed.model}")
    every = load_cluster_docs(args.data)
    for view, min_size in VIEWS.items():
        docs = larger_events(every, min_size)
        pipeline = Pipeline(config.override(ingest={"max_articles": len(docs)}), embedder=embedder, progress=False)
        prepared = pipeline.prepare([{"doc_id": d.doc_id, "text": d.text} for d in docs], lead=pipeline.clusterer.lead)
        articles = prepared.articles
        features = ArticleFeatures(article_vectors(prepared.vectors, s.lead), term_vectors([a.text for a in articles]),
                                   s.vector_weight)
        indices, sims = neighbours(features, max(s.neighbours, s.background_rank), s.index_from)
        backgrounds = background(sims, s.background_rank)
        relative = sims - 0.5 * (backgrounds[:, None] + backgrounds[indices])
        cut = s.consensus_link_similarity
        events = agreed(sparse_average_link(len(articles), indices, relative, [cut])[cut],
                        communities(indices, relative, s.edge_similarity, s.community_penalty))
        gold = {d.doc_id: d.gold_event for d in docs}
        view_data = dict(doc_ids=[d.doc_id for d in docs], doc_gold=[d.gold_event for d in docs],
                         gold=[gold[a.id] for a in articles], ids=[a.id for a in articles], indices=indices,
                         sims=sims, relative=relative, backgrounds=backgrounds, events=events,
                         words=np.array([len(a.text.split()) for a in articles]))
        Path(args.work).mkdir(parents=True, exist_ok=True)
        with open(Path(args.work) / f"{view}.pkl", "wb") as out:
            pickle.dump(view_data, out)
        print(view, len(docs), "documents,", len(articles), "articles", flush=True)


def load(work: str) -> dict[str, dict]:
    return {view: pickle.load(open(Path(work) / f"{view}.pkl", "rb")) for view in VIEWS}


def f1(view: dict, events: list[list[int]], half: int | None = None) -> float:
    """B-cubed F1 x100 over the view's documents (rejected ones alone), or over one half's stories."""
    label = {view["ids"][i]: n for n, members in enumerate(events) for i in members}
    keep = [k for k, g in enumerate(view["doc_gold"]) if half is None or story_half(g) == half]
    predicted = [label.get(view["doc_ids"][k], "rejected " + view["doc_ids"][k]) for k in keep]
    return 100 * bcubed(predicted, [view["doc_gold"][k] for k in keep])[2]


def components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    rows, cols = zip(*edges) if edges else ((), ())
    _, labels = connected_components(sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)), directed=False)
    groups = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return list(groups.values())


def edges(view: dict, k: int, above: float, mutual: bool = False, inside: bool = False) -> list[tuple[int, int]]:
    indices, relative, gold = view["indices"], view["relative"], view["gold"]
    near = [set(row[:k].tolist()) for row in indices]
    return [(i, j) for i in range(len(indices)) for j, s in zip(indices[i][:k].tolist(), relative[i][:k].tolist())
            if s > above and (not mutual or i in near[j]) and (not inside or gold[i] == gold[j])]


def oracle(args) -> None:
    for view_name, view in load(args.work).items():
        print(f"{view_name}: default {f1(view, view['events']):.1f}")
        for above in (0.0, 0.03, 0.06, 0.1):
            for k in (5, 30):
                print(f"  gold stories cut by their own edges, k {k}, relative > {above}: "
                      f"{f1(view, components(len(view['ids']), edges(view, k, above, inside=True))):.1f}")


def mutual(args) -> None:
    for view_name, view in load(args.work).items():
        for k in (2, 3, 5):
            for above in (0.0, 0.1, 0.15, 0.2):
                found = edges(view, k, above, mutual=True)
                inside = sum(view["gold"][i] == view["gold"][j] for i, j in found) / max(len(found), 1)
                print(f"{view_name}: mutual k {k}, relative > {above}: {len(found)} edges, {inside:.3f} inside a story, "
                      f"F1 {f1(view, components(len(view['ids']), found)):.1f}")


def attached(view: dict, small: int, k: int, above: float, votes: int) -> list[list[int]]:
    """The default's events, with each member of an event of `small` or fewer articles moved to
    the event of at least 2 that `votes` or more (and most) of its k nearest above `above` are in."""
    events = view["events"]
    where = {i: e for e, members in enumerate(events) for i in members}
    moves = {}
    for e, members in enumerate(events):
        if len(members) > small:
            continue
        for i in members:
            near = [where[j] for j, s in zip(view["indices"][i][:k].tolist(), view["relative"][i][:k].tolist())
                    if s > above and where[j] != e]
            if near:
                (target, count), = Counter(near).most_common(1)
                if count >= votes and 2 * count >= len(near) and len(events[target]) >= 2:
                    moves[i] = target
    out = [list(members) for members in events]
    for i, target in moves.items():
        out[where[i]].remove(i)
        out[target].append(i)
    return [members for members in out if members]


def attach(args) -> None:
    views = load(args.work)
    print("default: " + " | ".join(f"{name} {f1(view, view['events']):.1f}" for name, view in views.items()))
    for small, k, above, votes in [(1, 5, 0.0, 2), (1, 5, 0.03, 2), (1, 5, 0.06, 2), (1, 5, 0.03, 3),
                                   (2, 5, 0.03, 3), (2, 5, 0.06, 2), (2, 5, 0.1, 2)]:
        print(f"alone if {small} or fewer, {k} nearest above {above}, {votes} votes: " +
              " | ".join(f"{name} {f1(view, attached(view, small, k, above, votes)):.1f}" for name, view in views.items()))


def lengths(args) -> None:
    view = load(args.work)["all"]
    stories = defaultdict(list)
    for i, g in enumerate(view["gold"]):
        stories[g].append(i)
    words = view["words"]
    for size in (1, 2, 3, 4, 5, 6, 8):
        docs = [words[i] for m in stories.values() if len(m) == size or (size == 8 and len(m) >= 8) for i in m]
        print(f"stories of {size}{'+' if size == 8 else ''} documents: {len(docs)} documents, median {np.median(docs):.0f} words")
    gap = lambda i, j: abs(np.log(words[i]) - np.log(words[j]))
    mates = [gap(i, j) for m in stories.values() for i in m for j in m if i < j]
    others = [gap(i, j) for i in range(len(words)) for j in view["indices"][i][:5].tolist() if view["gold"][i] != view["gold"][j]]
    print(f"mean |log length gap|: two reports of one story {np.mean(mates):.3f}, "
          f"an article and a near neighbour from another story {np.mean(others):.3f}")


def story_half(story: str) -> int:
    return int(hashlib.md5(story.encode()).hexdigest(), 16) % 2


def pair_features(view: dict, with_lengths: bool, k: int = 30) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Per candidate pair: best relative and raw similarity, both ranks, shared top-10 neighbours,
    both backgrounds, each side's similarity over its own nearest's, and (optionally) both lengths."""
    indices, sims, relative, backgrounds = view["indices"], view["sims"], view["relative"], view["backgrounds"]
    rank = [{j: r for r, j in enumerate(row[:k].tolist())} for row in indices]
    top10 = [set(row[:10].tolist()) for row in indices]
    pairs, rows = [], []
    for a, b in sorted({(min(i, j), max(i, j)) for i in range(len(indices)) for j in indices[i][:k].tolist()}):
        ra, rb = rank[a].get(b, k), rank[b].get(a, k)
        raw = max(sims[a][ra] if ra < k else 0.0, sims[b][rb] if rb < k else 0.0)
        rel = max(relative[a][ra] if ra < k else -1.0, relative[b][rb] if rb < k else -1.0)
        row = [rel, raw, min(ra, rb), max(ra, rb), len(top10[a] & top10[b]), *sorted((backgrounds[a], backgrounds[b])),
               raw / max(sims[a][0], 1e-6), raw / max(sims[b][0], 1e-6)]
        if with_lengths:
            row += sorted(np.log1p([view["words"][a], view["words"][b]]))
        pairs.append((a, b))
        rows.append(row)
    return pairs, np.array(rows)


def learned(args) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    views = load(args.work)
    data = {name: pair_features(view, not args.no_lengths) for name, view in views.items()}
    x, y = [], []
    for name, (pairs, rows) in data.items():
        gold = views[name]["gold"]
        train = [n for n, (a, b) in enumerate(pairs) if story_half(gold[a]) == 0 and story_half(gold[b]) == 0]
        x.append(rows[train])
        y.append(np.array([gold[pairs[n][0]] == gold[pairs[n][1]] for n in train]))
    model = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(np.concatenate(x), np.concatenate(y))
    for name, (pairs, rows) in data.items():
        view, n = views[name], len(views[name]["ids"])
        linked = defaultdict(list)
        for (a, b), p in zip(pairs, model.predict_proba(rows)[:, 1]):
            linked[a].append((b, p))
            linked[b].append((a, p))
        width = max(len(v) for v in linked.values())
        indices, probabilities = np.tile(np.arange(n)[:, None], (1, width)), np.zeros((n, width))
        for i, near in linked.items():
            for t, (j, p) in enumerate(near):
                indices[i, t], probabilities[i, t] = j, p
        cuts = (0.2, 0.3, 0.5)
        events = sparse_average_link(n, indices, probabilities, list(cuts))
        print(f"{name}, the held-out half's stories: default {f1(view, view['events'], 1):.1f}; learned, average-link at "
              + ", ".join(f"{cut}: {f1(view, events[cut], 1):.1f}" for cut in cuts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["prepare", "oracle", "mutual", "attach", "lengths", "learned"])
    parser.add_argument("data", nargs="?", help="the pool JSONL (prepare only)")
    parser.add_argument("--vector-cache", help="the sentence-vector cache folder (prepare only)")
    parser.add_argument("--work", required=True, help="where the prepared views are kept")
    parser.add_argument("--no-lengths", action="store_true", help="learned: no document lengths among the features")
    args = parser.parse_args()
    {"prepare": prepare, "oracle": oracle, "mutual": mutual, "attach": attach, "lengths": lengths,
     "learned": learned}[args.step](args)


if __name__ == "__main__":
    main()
