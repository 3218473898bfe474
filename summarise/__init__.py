"""summarise: cluster news articles by event and write one neutral, fully cited briefing each.

    >>> from summarise import summarise
    >>> briefing = summarise(["seeds/"], config="fast")
    >>> print(briefing.events[0].sentences[0].citations[0].evidence)

The library is this package; the command line (summarise.cli) and the web demo (app.py) are
layers over it, and it never imports them. docs/architecture.md maps the rooms.
"""
__version__ = "0.1.0"  # before the imports: summarise.inputs.fetch reads it while the package loads

from summarise.config import Config, ConfigError, load_config  # noqa: E402
from summarise.inputs.ingest import load_articles  # noqa: E402
from summarise.models.fake import FakeModel  # noqa: E402
from summarise.models.llama_cpp import LlamaCppModel  # noqa: E402
from summarise.models.transformers import TransformersModel  # noqa: E402
from summarise.pipeline import Pipeline, summarise  # noqa: E402
from summarise.render import render  # noqa: E402
from summarise.types import Article, Briefing, BriefingSentence, Citation, Event, Rejection, Sentence  # noqa: E402

__all__ = [
    "Article", "Briefing", "BriefingSentence", "Citation", "Config", "ConfigError", "Event",
    "FakeModel", "LlamaCppModel", "Pipeline", "Rejection", "Sentence", "TransformersModel",
    "load_articles", "load_config", "render", "summarise",
]
