"""Deduplicate: mark syndicated copies and machine-spun rewrites within an event.

Both still count as coverage (they stay in the event's articles) but neither is quoted: a
duplicate adds nothing, and a spun copy's wording ("attainable invasion" for "possible
invasion") must never reach a briefing. Spin shows as high perplexity under a language model:
synonym swaps break the collocations real reporters write.
"""
from __future__ import annotations

from statistics import median

import numpy as np

from .config import Config
from .llm import LanguageModel
from .types import Article


def mark_spun(articles: list[Article], model: LanguageModel, config: Config) -> dict[str, float]:
    """Flag articles whose perplexity is high in absolute terms and against the event's median.
    Returns each article's perplexity, for reports."""
    scores = {a.id: model.perplexity(a.text) for a in articles}
    typical = median(scores.values())
    for article in articles:
        score = scores[article.id]
        relative = len(articles) < 3 or score >= config.spin_perplexity_ratio * typical
        article.spun = bool(score >= config.spin_min_perplexity and relative)
    if all(a.spun for a in articles):  # nothing cleaner to quote: keep the least spun
        min(articles, key=lambda a: scores[a.id]).spun = False
    return scores


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
