"""Cluster by consensus of two views of the same neighbour graph (each article's nearest
neighbours, similarities less the backgrounds, cluster_graph.py): two articles share an event only
if both average-link (at a cut a little looser than the default's) and Louvain communities put
them together. Average-link asks a large story's every pair to be alike on average; a community
only needs more links inside than the null model expects. Each alone trades the larger stories
against a dense collection; where they agree, both gain (docs/benchmarks.md, issue 13, third step).

Louvain modularity runs over the graph with an edge for every neighbour pair above
`edge_similarity`, weighted by the pair's similarity.

Modularity's resolution depends on the graph's size (Fortunato and Barthelemy 2007): the best
fixed resolution was 16 on 393 articles and above 128 on 2,253 (docs/benchmarks.md, issue 13,
third step). So it is set to penalty x n^2 / 2m, n the articles with at least one edge: the null
model then charges a pair of articles of the mean degree about `penalty`, whatever the graph's
size. (n over all articles instead scored a little better on the whole Multi-News pool, but an
input of many unrelated articles then has a tiny mean degree, and a clear story of ten among
them was split into singletons.) Deterministic: edges in index order and a fixed seed.
Inputs of `background_rank` or fewer articles are cut by average-link alone, as text_and_vector cuts them.
"""
from __future__ import annotations

import numpy as np

from summarise.stages.cluster import ClusterSettings, TextAndVectorClusterer, article_vectors
from summarise.stages.cluster_graph import (ArticleFeatures, background, neighbours, sparse_average_link,
                                            term_vectors)
from summarise.types import Article


class CommunityClusterer(TextAndVectorClusterer):
    def __init__(self, settings: ClusterSettings = ClusterSettings()):
        super().__init__(settings)
        self.similarity = settings.consensus_link_similarity

    def cluster(self, articles: list[Article], vectors: list[np.ndarray]) -> list[list[int]]:
        cut = self.settings.link_similarity if self.few(articles) else self.similarity
        return self.sweep(articles, vectors, [cut])[cut]

    def few(self, articles: list[Article]) -> bool:
        """No backgrounds (background_rank or fewer articles): average-link alone, at link_similarity
        by default, as text_and_vector cuts a handful."""
        return len(articles) <= max(self.settings.background_rank, 1)

    def sweep(self, articles: list[Article], vectors: list[np.ndarray],
              similarities: list[float]) -> dict[float, list[list[int]]]:
        """Events at each of several average-link cuts (the evaluation's threshold sweep)."""
        settings = self.settings
        if self.few(articles):
            return super().sweep(articles, vectors, similarities)
        features = ArticleFeatures(article_vectors(vectors, settings.lead),
                                   term_vectors([a.text for a in articles]), settings.vector_weight)
        indices, sims = neighbours(features, max(settings.neighbours, settings.background_rank), settings.index_from)
        backgrounds = background(sims, settings.background_rank)
        relative = sims - 0.5 * (backgrounds[:, None] + backgrounds[indices])
        found = communities(indices, relative, settings.edge_similarity, settings.community_penalty)
        linked = sparse_average_link(len(articles), indices, relative, similarities)
        return {cut: agreed(linked[cut], found) for cut in similarities}


def agreed(first: list[list[int]], second: list[list[int]]) -> list[list[int]]:
    """The events two partitions agree on: articles together in both; ordered by their first article."""
    where = {i: g for g, members in enumerate(second) for i in members}
    events: dict[tuple[int, int], list[int]] = {}
    for g, members in enumerate(first):
        for i in members:
            events.setdefault((g, where[i]), []).append(i)
    return sorted((sorted(m) for m in events.values()), key=lambda members: members[0])


def communities(indices: np.ndarray, sims: np.ndarray, min_similarity: float, penalty: float,
                seed: int = 0) -> list[list[int]]:
    """Louvain communities of the graph with an edge for each candidate pair above min_similarity
    (weight: the pair's similarity, the larger of its two directions); events ordered by their
    first article, an article with no edge alone."""
    import networkx as nx

    n = indices.shape[0]
    weights: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j, s in zip(indices[i].tolist(), sims[i].tolist()):
            if i != j and s > min_similarity:
                pair = (min(i, j), max(i, j))
                weights[pair] = max(weights.get(pair, s), s)
    if not weights:
        return [[i] for i in range(n)]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    linked = len({i for pair in weights for i in pair})
    resolution = penalty * linked * linked / (2.0 * sum(weights.values()))
    found = nx.algorithms.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    return sorted((sorted(c) for c in found), key=lambda members: members[0])
