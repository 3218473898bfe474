"""Deduplicate: mark syndicated copies within an event.

A near-identical copy still counts as coverage (it stays in the event's articles) but adds
nothing, so it is never quoted. The copy kept is the unspun one, then the earliest.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summarise.types import Article


@dataclass(frozen=True)
class DedupSettings:
    """[dedup]: when one article is a copy of another."""

    similarity: float = 0.95  # article cosine at or above which one copies another


def mark_duplicates(articles: list[Article], vectors: np.ndarray, threshold: float) -> None:
    """Each near-identical article points at the copy that is kept: unspun first, then earliest."""
    keep_order = sorted(range(len(articles)), key=lambda i: (articles[i].spun, i))
    kept: list[int] = []
    for i in keep_order:
        original = next((k for k in kept if articles[i].text == articles[k].text
                         or float(vectors[i] @ vectors[k]) >= threshold), None)
        if original is None:
            kept.append(i)
        else:
            articles[i].duplicate_of = articles[original].id
