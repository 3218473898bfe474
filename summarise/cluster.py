"""Cluster: group articles by the event they report.

Average-link agglomerative clustering over article vectors, cut at a cosine similarity: no
number of events to guess, deterministic, and one article per event when nothing is alike.
"""
from __future__ import annotations

import numpy as np


def article_vectors(sentence_vectors: list[np.ndarray], lead: int = 12) -> np.ndarray:
    """Each article's vector: the normalised mean of its first `lead` sentence vectors (the lead
    of a news story says what it is about; late paragraphs drift to background)."""
    rows = []
    for matrix in sentence_vectors:
        mean = matrix[:lead].mean(axis=0)
        rows.append(mean / max(float(np.linalg.norm(mean)), 1e-9))
    return np.stack(rows) if rows else np.zeros((0, 1), dtype=np.float32)


def cluster_articles(vectors: np.ndarray, min_similarity: float) -> list[list[int]]:
    """Indices of the articles in each event, events ordered by their first article."""
    n = len(vectors)
    if n <= 1:
        return [list(range(n))] if n else []
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(vectors.astype(np.float64), method="average", metric="cosine")
    labels = fcluster(tree, t=1.0 - min_similarity, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda members: members[0])
