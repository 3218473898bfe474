"""Cluster: group articles by the event they report.

`CommunityClusterer` (the default, cluster_communities.py): articles share an event where the
average-link below and Louvain communities of the same nearest-neighbour graph agree.
`TextAndVectorClusterer`: average-link agglomerative clustering over a combined
similarity, TF-IDF over each article's text plus the cosine of its lead-sentence vectors
(cluster_graph.py), each pair's taken relative to the two articles' backgrounds (their similarity
to their 20th nearest other article), cut at one value: no number of events to guess,
deterministic, and one article per event when nothing is alike. Up to `exact_limit` articles it
links over the full similarity matrix; above, over each article's nearest neighbours only
(memory n x neighbours), found exactly below `index_from` articles and from an inverted index
of rare terms above (cluster_graph.indexed_neighbours: near-linear time).
`AverageLinkClusterer`: the same linkage over lead vectors alone (the first method).
Another method is one class with the `Clusterer` interface, named in the config as
`[cluster] method = "package.module:ClassName"`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from summarise.stages.cluster_graph import (ArticleFeatures, background, cluster_large, nearest_neighbours,
                                            relative_to_background, term_vectors)
from summarise.types import Article

LEAD_SENTENCES = 12


@dataclass(frozen=True)
class ClusterSettings:
    """[cluster]: how articles are grouped into events."""

    METHODS: ClassVar[dict[str, str]] = {"text_and_vector": "summarise.stages.cluster:TextAndVectorClusterer",
                                         "average_link": "summarise.stages.cluster:AverageLinkClusterer",
                                         "communities": "summarise.stages.cluster_communities:CommunityClusterer"}
    method: str = "communities"
    similarity: float = 0.65  # average_link: lead-vector cosine cut (docs/benchmarks.md sweep)
    link_similarity: float = 0.08  # text_and_vector: cut of the similarity less the backgrounds (docs/benchmarks.md,
    # issue 13); also the communities method's cut for background_rank or fewer articles
    background_rank: int = 20  # text_and_vector: an article's background is its similarity to its n-th nearest
    # other article (well above a story's size: other stories, not its own); 0 = no background (then cut ~0.18)
    few_background: float = 0.10  # text_and_vector: the background of every article when there are
    # background_rank or fewer (a web demo's handful): the cut is then 0.08 + 0.10, the former fixed cut
    vector_weight: float = 0.15  # text_and_vector: share of the lead-vector cosine; the rest is TF-IDF
    lead: int = 3  # text_and_vector: lead sentences in an article's vector
    exact_limit: int = 5000  # text_and_vector: above this many articles, nearest-neighbour linking (no n x n matrix)
    neighbours: int = 30  # candidates per article for nearest-neighbour linking
    index_from: int = 20000  # from this many articles on, neighbours come from an inverted index of each article's
    # rarest terms (near-linear time; 0.1 B-cubed F1 below the exact search on the whole pool, docs/benchmarks.md); 0 = never
    consensus_link_similarity: float = 0.06  # communities: the average-link cut it intersects with communities
    edge_similarity: float = 0.08  # communities: a neighbour pair is an edge above this similarity less the backgrounds
    community_penalty: float = 0.05  # communities: what the null model charges a pair in one community (resolution)


class Clusterer(Protocol):
    def cluster(self, articles: list[Article], vectors: list[np.ndarray]) -> list[list[int]]:
        """Indices of the articles in each event, given each article's (sentences, dim) unit vectors;
        events ordered by their first article."""


class TextAndVectorClusterer:
    def __init__(self, settings: ClusterSettings = ClusterSettings()):
        self.settings = settings
        self.similarity = settings.link_similarity
        self.lead = settings.lead

    def cluster(self, articles: list[Article], vectors: list[np.ndarray]) -> list[list[int]]:
        return self.sweep(articles, vectors, [self.similarity])[self.similarity]

    def sweep(self, articles: list[Article], vectors: list[np.ndarray],
              similarities: list[float]) -> dict[float, list[list[int]]]:
        """Events at each of several cuts of one merge tree (the evaluation's threshold sweep)."""
        settings = self.settings
        features = ArticleFeatures(article_vectors(vectors, settings.lead),
                                   term_vectors([a.text for a in articles]), settings.vector_weight)
        if len(articles) > settings.exact_limit:
            return cluster_large(features, similarities, settings.neighbours, settings.background_rank,
                                 settings.index_from)
        tree = _tree(condensed_distances(features, settings.background_rank, settings.few_background))
        return {s: cut_tree(tree, len(articles), s) for s in similarities}


class AverageLinkClusterer:
    lead = LEAD_SENTENCES

    def __init__(self, settings: ClusterSettings = ClusterSettings()):
        self.similarity = settings.similarity

    def cluster(self, articles: list[Article], vectors: list[np.ndarray]) -> list[list[int]]:
        return cluster_articles(article_vectors(vectors), self.similarity)

    def sweep(self, articles: list[Article], vectors: list[np.ndarray],
              similarities: list[float]) -> dict[float, list[list[int]]]:
        """Events at each of several cuts of one merge tree (the evaluation's threshold sweep)."""
        tree = cluster_tree(article_vectors(vectors))
        return {s: cut_tree(tree, len(vectors), s) for s in similarities}


def condensed_distances(features: ArticleFeatures, background_rank: int = 0, few_background: float = 0.0,
                        block: int = 1024) -> np.ndarray:
    """1 - similarity (less the backgrounds) for every pair i < j, in scipy's condensed order,
    built by blocks of rows."""
    n = len(features)
    out = np.empty(n * (n - 1) // 2, dtype=np.float64)
    backgrounds = np.zeros(n, dtype=np.float32)
    if background_rank > 0 and n > background_rank:
        backgrounds = background(nearest_neighbours(features, background_rank)[1], background_rank)
    elif background_rank > 0:  # too few articles to have a background: measured on small sets, 0 merged stories
        backgrounds = np.full(n, few_background, dtype=np.float32)
    everyone = np.arange(n)
    for start in range(0, n, block):
        stop = min(start + block, n)
        s = relative_to_background(features.similarity(slice(start, stop), slice(start, n)),
                                   everyone[start:stop], everyone[start:], backgrounds)
        for i in range(start, stop):
            row = s[i - start, i - start + 1:]
            offset = i * n - i * (i + 1) // 2
            out[offset:offset + len(row)] = 1.0 - row
    np.clip(out, 0.0, 2.0, out=out)
    return out


def article_vectors(sentence_vectors: list[np.ndarray], lead: int = LEAD_SENTENCES) -> np.ndarray:
    """Each article's vector: the normalised mean of its first `lead` sentence vectors (the lead
    of a news story says what it is about; late paragraphs drift to background)."""
    rows = []
    for matrix in sentence_vectors:
        mean = matrix[:lead].mean(axis=0)
        rows.append(mean / max(float(np.linalg.norm(mean)), 1e-9))
    return np.stack(rows) if rows else np.zeros((0, 1), dtype=np.float32)


def cluster_articles(vectors: np.ndarray, min_similarity: float) -> list[list[int]]:
    """Indices of the articles in each event, events ordered by their first article."""
    return cut_tree(cluster_tree(vectors), len(vectors), min_similarity)


def cluster_tree(vectors: np.ndarray):
    """The average-link merge tree (scipy linkage matrix); None for fewer than two articles.
    Built once, it can be cut at many similarities."""
    if len(vectors) <= 1:
        return None
    from scipy.spatial.distance import pdist

    return _tree(pdist(vectors.astype(np.float64), metric="cosine"))


def _tree(distances: np.ndarray):
    """Average-link merge tree of condensed distances; None for fewer than two items."""
    if len(distances) == 0:
        return None
    from scipy.cluster.hierarchy import linkage

    return linkage(distances, method="average")


def cut_tree(tree, n: int, min_similarity: float) -> list[list[int]]:
    """Events of a merge tree cut where average similarity falls below min_similarity."""
    if tree is None:
        return [list(range(n))] if n else []
    from scipy.cluster.hierarchy import fcluster

    labels = fcluster(tree, t=1.0 - min_similarity, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda members: members[0])
