"""summarise: cluster news articles by event and write one neutral, fully cited briefing each.

    >>> from summarise import summarise
    >>> briefing = summarise(["seeds/"], config="fast")
    >>> print(briefing.events[0].sentences[0].citations[0].evidence)
"""
from .config import Config, ConfigError, load_config
from .ingest import load_articles
from .llm import FakeModel, LlamaCppModel, TransformersModel
from .pipeline import Pipeline, summarise
from .render import render
from .types import Article, Briefing, BriefingSentence, Citation, Event, Rejection, Sentence

__all__ = [
    "Article", "Briefing", "BriefingSentence", "Citation", "Config", "ConfigError", "Event",
    "FakeModel", "LlamaCppModel", "Pipeline", "Rejection", "Sentence", "TransformersModel",
    "load_articles", "load_config", "render", "summarise",
]
__version__ = "0.1.0"
