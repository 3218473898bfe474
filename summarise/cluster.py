"""Cluster: group articles by the event they report.

Average-link agglomerative clustering over article vectors, cut at a cosine similarity: no
number of events to guess, deterministic, and one article per event when nothing is alike.
"""
from __future__ import annotations

import numpy as np


LEAD_SENTENCES = 12


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
    Built once, it can be cut at many similarities (the evaluation's threshold sweep)."""
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
