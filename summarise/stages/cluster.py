"""Cluster: group articles by the event they report.

`AverageLinkClusterer` (the default): average-link agglomerative clustering over article vectors,
cut at a cosine similarity: no number of events to guess, deterministic, and one article per
event when nothing is alike. Another method is one class with the `Clusterer` interface, named in
the config as `[cluster] method = "package.module:ClassName"`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from summarise.types import Article

LEAD_SENTENCES = 12


@dataclass(frozen=True)
class ClusterSettings:
    """[cluster]: how articles are grouped into events."""

    METHODS: ClassVar[dict[str, str]] = {"average_link": "summarise.stages.cluster:AverageLinkClusterer"}
    method: str = "average_link"
    similarity: float = 0.65  # article cosine for average-link clustering (docs/benchmarks.md sweep)


class Clusterer(Protocol):
    def cluster(self, articles: list[Article], vectors: list[np.ndarray]) -> list[list[int]]:
        """Indices of the articles in each event, given each article's (sentences, dim) unit vectors;
        events ordered by their first article."""


class AverageLinkClusterer:
    def __init__(self, settings: ClusterSettings = ClusterSettings()):
        self.similarity = settings.similarity

    def cluster(self, articles: list[Article], vectors: list[np.ndarray]) -> list[list[int]]:
        return cluster_articles(article_vectors(vectors), self.similarity)

    def sweep(self, vectors: list[np.ndarray], similarities: list[float]) -> dict[float, list[list[int]]]:
        """Events at each of several cuts of one merge tree (the evaluation's threshold sweep)."""
        tree = cluster_tree(article_vectors(vectors))
        return {s: cut_tree(tree, len(vectors), s) for s in similarities}


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
    from scipy.cluster.hierarchy import linkage

    return linkage(vectors.astype(np.float64), method="average", metric="cosine")


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
