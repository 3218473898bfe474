"""One day's briefing: the pipeline's steps, plus what a day adds to them.

    sources (sources.py) -> Pipeline.prepare_articles -> Pipeline.cluster -> link events to stored
    stories (stories.py) -> order by importance -> Pipeline.summarise_event (a continuing story
    ranks with NewFirstRanker) -> DailyBriefing, rendered by the formats in render/

For a continuing story, source sentences that restate what was known at the story's last
briefing (that briefing, and the sentences its sources reported) cannot lead: the facts that
are new lead, then at most one sentence of background.
"""
from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
from tqdm.auto import tqdm

from summarise.config import Config
from summarise.daily.sources import Collected, DailySources
from summarise.daily.stories import DayEvent, Link, StateError, StoryStore, link_events
from summarise.engines import EventJob
from summarise.inputs.fetch import FetchSettings
from summarise.pipeline import Pipeline, Prepared
from summarise.stages.cluster import article_vectors
from summarise.stages.rank import FactGroup, RankSettings, Ranker, sentence_budget
from summarise.types import Article, Briefing, Event, Sentence


@dataclass
class EventPlan:
    """One of today's events before it is summarised: who reports it and how much it matters."""

    members: list[int]  # indices into the day's articles
    link: Link
    centroid: np.ndarray
    novel: np.ndarray  # per source sentence: states nothing known at the story's last briefing
    outlets: int
    importance: float

    def order(self) -> tuple:
        """Most important first; ties: more outlets, more articles, then input order."""
        return (-self.importance, -self.outlets, -len(self.members), self.members[0])


@dataclass
class DailyEvent:
    event: Event
    link: Link
    importance: float
    outlets: int
    new_sentences: int = 0  # how many leading sentences are new since the story's last briefing
    featured: bool = True  # a full section; False: one line under "Also today"
    centroid: np.ndarray | None = field(default=None, repr=False)  # stored, not rendered

    def to_dict(self) -> dict:
        return {**asdict(self.event), "story": self.link.to_dict(), "importance": round(self.importance, 3),
                "outlets": self.outlets, "new_sentences": self.new_sentences}


@dataclass
class DailyBriefing:
    day: str
    briefing: Briefing  # all of the day's articles and events (featured first), and the rejections
    events: list[DailyEvent]
    other_days: int = 0  # articles left out because they are of another day
    other_day_inputs: list[dict] = field(default_factory=list)
    memory: str = "on"  # "on", or why stories could not be linked or stored

    @property
    def featured(self) -> list[DailyEvent]:
        return [e for e in self.events if e.featured]

    @property
    def also_today(self) -> list[DailyEvent]:
        return [e for e in self.events if not e.featured]

    @property
    def continuing(self) -> int:
        return sum(e.link.continues for e in self.events)

    def to_dict(self) -> dict:
        base = self.briefing.to_dict()
        return {"date": self.day, "articles": base["articles"],
                "events": [e.to_dict() for e in self.featured],
                "also_today": [e.to_dict() for e in self.also_today],
                "rejected": base["rejected"],
                "other_days": {"count": self.other_days, "inputs": self.other_day_inputs},
                "story_memory": self.memory, "config": base["config"]}

    @classmethod
    def from_dict(cls, data: dict) -> "DailyBriefing":
        """A day's briefing read back from its JSON (to_dict), as the feed of recent days needs it;
        the centroids are not in the JSON."""
        stored = [(e, True) for e in data["events"]] + [(e, False) for e in data["also_today"]]
        briefing = Briefing.from_dict({"articles": data["articles"], "events": [e for e, _ in stored],
                                       "rejected": data["rejected"], "config": data["config"]})
        events = [DailyEvent(event, Link.from_dict(e["story"]), e["importance"], e["outlets"], e["new_sentences"],
                             featured) for event, (e, featured) in zip(briefing.events, stored)]
        return cls(data["date"], briefing, events, data["other_days"]["count"], data["other_days"]["inputs"],
                   data["story_memory"])


# -- building the day's briefing ------------------------------------------------------------------

class DailyRun:
    def __init__(self, pipeline: Pipeline, day: date, store: StoryStore | None, memory: str = "on",
                 settings: FetchSettings | None = None, verbose: bool = False, progress: bool | None = None):
        self.pipeline = pipeline
        self.config: Config = pipeline.config
        self.day = day
        self.store = store
        self.memory = memory
        self.settings = settings or self.config.fetch
        self.verbose = verbose
        self.progress = progress

    def note(self, line: str) -> None:
        if self.verbose:
            tqdm.write(f"summarise: {line}", file=sys.stderr)

    def _bar(self, what: str, total: int | None):
        return tqdm(total=total, desc=what, unit="", leave=True,
                    disable=None if self.progress is None else not self.progress)

    def collect(self, inputs: list[str]) -> Collected:
        sources = DailySources(self.day, self.config, self.settings, note=self.note, progress=self._bar)
        return sources.collect(inputs)

    def build(self, collected: Collected) -> DailyBriefing:
        prepared = self.pipeline.prepare_articles(collected.articles, collected.rejected)
        groups = self.pipeline.cluster(prepared)
        per_article = article_vectors(prepared.vectors)
        centroids = np.stack([_unit(per_article[g].mean(axis=0)) for g in groups]) if groups else np.zeros((0, 1))
        links = self.link(centroids, [[prepared.articles[i].id for i in g] for g in groups])
        plans = sorted((self.plan(prepared, *planned) for planned in zip(groups, links, centroids)),
                       key=EventPlan.order)
        featured = [n <= self.config.daily.max_events for n in range(1, len(plans) + 1)]
        jobs = [self.job(plan, is_featured) for plan, is_featured in zip(plans, featured)]
        summaries = self.pipeline.summarise_events(prepared, jobs)  # where: the pipeline's engine
        events = [self.daily_event(*planned) for planned in zip(plans, summaries, featured)]
        for n, event in enumerate(events, 1):
            event.event.id = f"e{n}"
        kept_ids = {i for e in events for i in e.event.article_ids}
        briefing = Briefing([a for a in prepared.articles if a.id in kept_ids], [e.event for e in events],
                            prepared.rejected, self.config.name)
        other = [{"input": o.input, "published": o.published} for o in collected.other_days]
        return DailyBriefing(self.day.isoformat(), briefing, events, len(other), other, self.memory)

    def link(self, centroids: np.ndarray, article_ids: list[list[str]]) -> list[Link]:
        stories = []
        if self.store is not None and len(centroids):
            try:
                stories = self.store.stories(self.day.isoformat(), self.config.daily.story_window_days)
            except StateError as exc:
                self.memory = f"off: {exc}"
                self.store.close()
                self.store = None
        links = link_events(self.day.isoformat(), centroids, article_ids, stories, self.config.daily.story_similarity)
        for link in links:
            if link.continues:
                self.note(f"story {link.story_id} continues (since {link.since}, cosine {link.similarity:.2f})")
        return links

    def plan(self, prepared: Prepared, members: list[int], link: Link, centroid: np.ndarray) -> EventPlan:
        """Importance = (outlets + a quarter per article) x (half + half the share of new sentences):
        a story told by more outlets matters more, one that repeats yesterday matters less."""
        matrix = np.concatenate([prepared.vectors[i] for i in members])
        known = self.pipeline.embedder.embed(list(link.known)) if link.known else None
        novel = novel_mask(matrix, known, self.config.rank.support_similarity)
        outlets = len({prepared.articles[i].source or prepared.articles[i].id for i in members})
        novelty = float(novel.mean()) if len(novel) else 0.0
        importance = (outlets + 0.25 * len(members)) * (0.5 + 0.5 * novelty)
        return EventPlan(members, link, centroid, novel, outlets, importance)

    def job(self, plan: EventPlan, featured: bool) -> EventJob:
        """A featured event gets the full briefing, an "Also today" one a single line; a continuing
        story ranks its new facts first."""
        ranker = NewFirstRanker(self.pipeline.ranker, plan.novel, self.config.rank) if plan.link.continues else None
        return EventJob(plan.members, ranker, None if featured else 1, quote=not featured)

    def daily_event(self, plan: EventPlan, summary: tuple[Event, list[FactGroup]], featured: bool) -> DailyEvent:
        event, groups = summary
        new = sum(group.new for group in groups)
        return DailyEvent(event, plan.link, plan.importance, plan.outlets, new, featured, plan.centroid)


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / max(float(np.linalg.norm(vector)), 1e-9)).astype(np.float32)


def novel_mask(matrix: np.ndarray, known: np.ndarray | None, same_fact: float) -> np.ndarray:
    """True for each sentence that states no fact of the known sentences (cosine below same_fact)."""
    if known is None or not len(known) or not len(matrix):
        return np.ones(len(matrix), dtype=bool)
    return (matrix @ known.T).max(axis=1) < same_fact


class NewFirstRanker:
    """Ranks a continuing story: the new facts (one flag per source sentence in `novel`) lead,
    ranked by the configured ranker, then at most one fact of background."""

    def __init__(self, ranker: Ranker, novel: np.ndarray, settings: RankSettings):
        self.ranker = ranker
        self.novel = novel
        self.settings = settings

    def rank(self, sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
             max_facts: int | None = None) -> list[FactGroup]:
        budget = sentence_budget(len({a.duplicate_of or a.id for a in articles.values()}), self.settings)
        budget = min(budget, max_facts or budget)
        fresh, stale = np.flatnonzero(self.novel), np.flatnonzero(~self.novel)
        new = self._rank(fresh, sentences, vectors, articles, max(budget - 1, 1))
        for group in new:
            group.new = True
        return new + self._rank(stale, sentences, vectors, articles, 1)

    def _rank(self, rows: np.ndarray, sentences, vectors, articles, max_facts: int) -> list[FactGroup]:
        if not len(rows):
            return []
        return self.ranker.rank([sentences[i] for i in rows], vectors[rows], articles, max_facts)


def store_day(store: StoryStore, daily: DailyBriefing) -> None:
    store.save_day(daily.day, [
        DayEvent(e.event.id, e.link.story_id, e.event.title, e.centroid,
                 [s.text for s in e.event.sentences], e.event.article_ids,
                 [s.text for i in e.event.article_ids for s in daily.briefing.article(i).sentences])
        for e in daily.events])
