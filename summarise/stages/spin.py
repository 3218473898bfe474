"""Spin check: mark machine-"spun" rewrites within an event.

A spun copy still counts as coverage (it stays in the event's articles) but is never quoted: its
wording ("attainable invasion" for "possible invasion") must never reach a briefing. Spin shows as
high perplexity under a language model: synonym swaps break the collocations real reporters write.

Perplexity costs a model pass over each article, so it is asked only of suspects: pairs of
articles in which many sentences match by meaning but not word for word, as a rewrite of the
other does. Of such a pair, the copy reading far worse than its partner is the spun one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from summarise.models.base import PerplexityScorer
from summarise.types import Article


@dataclass(frozen=True)
class SpinSettings:
    """[spin]: which articles are machine rewrites of another."""

    METHODS: ClassVar[dict[str, str]] = {"perplexity": "summarise.stages.spin:PerplexitySpinDetector",
                                         "none": "summarise.stages.spin:NoSpinDetector"}
    method: str = "perplexity"  # perplexity (the language model's) | none
    # a suspect this many times its partner's perplexity is spun: the pair says the same things, so
    # the ratio measures wording alone (seeds: the spun copy 51.4 against its original's 29.9)
    ratio: float = 1.4
    min_perplexity: float = 40.0
    align_similarity: float = 0.8  # sentences of two articles this close in meaning are aligned
    reworded_share: float = 0.25  # a rewrite: this share of the shorter article aligned but reworded

    @property
    def needs_model(self) -> bool:
        return self.method != "none"


class SpinDetector(Protocol):
    def mark(self, articles: list[Article], vectors: list[np.ndarray]) -> None:
        """Set `spun` on each article of one event (vectors: each article's sentence vectors)."""


class NoSpinDetector:
    def __init__(self, settings: SpinSettings | None = None, model: PerplexityScorer | None = None):
        pass

    def mark(self, articles: list[Article], vectors: list[np.ndarray]) -> None:
        pass


class PerplexitySpinDetector:
    def __init__(self, settings: SpinSettings, model: PerplexityScorer):
        self.settings = settings
        self.model = model  # may be a lazy handle: nothing is loaded unless a suspect is found

    def mark(self, articles: list[Article], vectors: list[np.ndarray]) -> None:
        pairs = rewrite_pairs(articles, vectors, self.settings)
        if pairs:
            mark_spun(articles, pairs, self.model, self.settings)


_WORD = re.compile(r"[a-z0-9]+")
COPIED = 0.9  # word overlap (Jaccard) from which an aligned sentence is a copy, not a rewording


def rewrite_pairs(articles: list[Article], vectors: list[np.ndarray], settings: SpinSettings) -> list[tuple[int, int]]:
    """Index pairs (i, j), i < j, of articles where one reads as a reworded copy of the other."""
    words = [[set(_WORD.findall(s.text.lower())) for s in a.sentences] for a in articles]
    pairs = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if not len(vectors[i]) or not len(vectors[j]):
                continue
            similar = vectors[i] @ vectors[j].T
            best = similar.argmax(axis=1)
            reworded = sum(1 for k, m in enumerate(best) if similar[k, m] >= settings.align_similarity
                           and _jaccard(words[i][k], words[j][m]) < COPIED)
            if reworded >= max(3, settings.reworded_share * min(len(vectors[i]), len(vectors[j]))):
                pairs.append((i, j))
    return pairs


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def mark_spun(articles: list[Article], pairs: list[tuple[int, int]], model: PerplexityScorer,
              settings: SpinSettings) -> dict[str, float]:
    """Of each suspect pair, flag the copy whose perplexity is high in absolute terms and against
    its partner's. Returns the perplexity of each suspect, for reports."""
    suspects = sorted({i for pair in pairs for i in pair})
    scores = {i: model.perplexity(articles[i].text) for i in suspects}
    for i, j in pairs:
        for copy, partner in ((i, j), (j, i)):
            if scores[copy] >= settings.min_perplexity and scores[copy] >= settings.ratio * scores[partner]:
                articles[copy].spun = True
    if all(a.spun for a in articles):  # nothing cleaner to quote: keep the least spun
        articles[min(suspects, key=lambda i: scores[i])].spun = False
    return {articles[i].id: scores[i] for i in suspects}
