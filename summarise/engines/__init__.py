"""Engines: where the pipeline's steps run. The pipeline (pipeline.py) says what is done in
which order; an engine says where: `local` runs every step in this process, `ray` runs the
per-article and per-event steps on Ray workers and gathers the results on the driver.

An engine is chosen by name (`Pipeline(engine="ray")`, `--engine ray`) or passed as an object
with the `Engine` interface; the same input and config give the same briefing on every engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Protocol

from summarise.registry import UnknownMethod, resolve

if TYPE_CHECKING:  # the pipeline imports this module
    from summarise.pipeline import Pipeline, Prepared
    from summarise.stages.rank import FactGroup, Ranker
    from summarise.types import Article, Event, Rejection

ENGINES: dict[str, str] = {"local": "summarise.engines.local:LocalEngine",
                           "ray": "summarise.engines.ray:RayEngine"}


@dataclass
class EventJob:
    """One event to summarise: its articles (indices into Prepared), and how (Pipeline.summarise_event)."""

    members: list[int]
    ranker: Ranker | None = None
    max_facts: int | None = None
    quote: bool = False  # each fact as its source sentence, no model call ("Also today" lines)


class Engine(Protocol):
    def prepare(self, pipeline: Pipeline, inputs: Iterable[Any], lead: int | None) -> Prepared:
        """Read, segment and embed (Pipeline.prepare)."""

    def prepare_articles(self, pipeline: Pipeline, articles: list[Article], rejected: list[Rejection],
                         lead: int | None) -> Prepared:
        """Segment and embed articles read elsewhere (Pipeline.prepare_articles)."""

    def summarise_events(self, pipeline: Pipeline, prepared: Prepared,
                         jobs: list[EventJob]) -> list[tuple[Event, list[FactGroup]]]:
        """Pipeline.summarise_event for each job, results in the jobs' order; the articles'
        spun and duplicate_of flags set as the local engine sets them."""

    def close(self) -> None:
        """Release workers, if any."""


def make_engine(engine: Engine | str = "local", **options) -> Engine:
    """An engine by name (built-in or package.module:Class, with `options`), or the one given."""
    if not isinstance(engine, str):
        return engine
    try:
        return resolve("engine", engine, ENGINES)(**options)
    except UnknownMethod as exc:
        from summarise.config import ConfigError

        raise ConfigError(str(exc)) from None
