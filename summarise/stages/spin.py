"""Spin check: mark machine-"spun" rewrites within an event.

A spun copy still counts as coverage (it stays in the event's articles) but is never quoted: its
wording ("attainable invasion" for "possible invasion") must never reach a briefing. Spin shows as
high perplexity under a language model: synonym swaps break the collocations real reporters write.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import ClassVar, Protocol

from summarise.models.base import PerplexityScorer
from summarise.types import Article


@dataclass(frozen=True)
class SpinSettings:
    """[spin]: which articles are machine rewrites of another."""

    METHODS: ClassVar[dict[str, str]] = {"perplexity": "summarise.stages.spin:PerplexitySpinDetector",
                                         "none": "summarise.stages.spin:NoSpinDetector"}
    method: str = "perplexity"  # perplexity (the language model's) | none
    ratio: float = 1.8  # an article this many times the event's median perplexity is spun
    min_perplexity: float = 40.0

    @property
    def needs_model(self) -> bool:
        return self.method != "none"


class SpinDetector(Protocol):
    def mark(self, articles: list[Article]) -> None:
        """Set `spun` on each article of one event."""


class NoSpinDetector:
    def __init__(self, settings: SpinSettings | None = None, model: PerplexityScorer | None = None):
        pass

    def mark(self, articles: list[Article]) -> None:
        pass


class PerplexitySpinDetector:
    def __init__(self, settings: SpinSettings, model: PerplexityScorer):
        self.settings = settings
        self.model = model

    def mark(self, articles: list[Article]) -> None:
        mark_spun(articles, self.model, self.settings)


def mark_spun(articles: list[Article], model: PerplexityScorer, settings: SpinSettings) -> dict[str, float]:
    """Flag articles whose perplexity is high in absolute terms and against the event's median.
    Returns each article's perplexity, for reports."""
    scores = {a.id: model.perplexity(a.text) for a in articles}
    typical = median(scores.values())
    for article in articles:
        score = scores[article.id]
        relative = len(articles) < 3 or score >= settings.ratio * typical
        article.spun = bool(score >= settings.min_perplexity and relative)
    if all(a.spun for a in articles):  # nothing cleaner to quote: keep the least spun
        min(articles, key=lambda a: scores[a.id]).spun = False
    return scores
