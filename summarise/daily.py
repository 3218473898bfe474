"""`summarise daily`: one briefing document for one day, remembering stories across days.

    sources (sources.py) -> segment, embed -> cluster into events -> link events to stored
    stories (stories.py) -> order by importance -> summarise (what is new first, for a
    continuing story) -> write DIR/DAY.md, .html, .json atomically -> store the day's events

The per-event summary is `Pipeline.summarise_event` (spin check, duplicates, rank, fuse,
verify) with one change to ranking: for a continuing story, source sentences that restate what was known
at the story's last briefing (that briefing, and the sentences its sources reported) cannot lead;
the facts that are new lead, then at most one sentence of background.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from .cluster import article_vectors, cluster_articles
from .config import Config, load_config
from .daily_render import count, to_html, to_json, to_markdown
from .pipeline import Pipeline
from .rank import rank_event, sentence_budget
from .segment import segment
from .sources import Collected, DailySources, FetchSettings
from .stories import DayEvent, Link, StateError, StoryStore, default_state_path, link_events
from .types import Article, Briefing, Event, Rejection

EXIT_OK, EXIT_NO_ARTICLES, EXIT_USAGE, EXIT_SETUP, EXIT_STATE, EXIT_WRITE = 0, 1, 2, 3, 4, 5
STATE_TIMEOUT = 10.0  # seconds to wait for another run holding the state file's lock
EXIT_CODES = ("0 briefing written and stories stored; 1 no article of that day could be read (nothing "
              "written); 2 bad arguments or config; 3 a model is missing or broken; 4 briefing written but "
              "the story memory could not be read or updated (the message says why); 5 the output folder "
              "cannot be written (nothing written); 130 interrupted (previous files left as they were).")


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


# -- building the day's briefing ------------------------------------------------------------------

class DailyRun:
    def __init__(self, pipeline: Pipeline, day: date, store: StoryStore | None, memory: str = "on",
                 settings: FetchSettings | None = None, verbose: bool = False, progress: bool | None = None):
        self.pipeline = pipeline
        self.config: Config = pipeline.config
        self.day = day
        self.store = store
        self.memory = memory
        self.settings = settings or FetchSettings(self.config.fetch_timeout, self.config.fetch_max_bytes)
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
        articles = collected.articles
        for article in articles:
            article.sentences = segment(article)
        for article in [a for a in articles if not a.sentences]:
            collected.rejected.append(Rejection(article.input, "no sentences found in the text"))
        articles = [a for a in articles if a.sentences]
        vectors = self.pipeline.embed_sentences(articles)
        per_article = article_vectors(vectors)
        groups = cluster_articles(per_article, self.config.cluster_similarity) if articles else []
        centroids = np.stack([_unit(per_article[g].mean(axis=0)) for g in groups]) if groups else np.zeros((0, 1))
        links = self.link(centroids, [[articles[i].id for i in g] for g in groups])
        plans = sorted((self.plan(articles, vectors, *planned) for planned in zip(groups, links, centroids)),
                       key=EventPlan.order)
        events = []
        bar = self._bar("events", len(plans))
        for n, plan in enumerate(plans, 1):
            featured = n <= self.config.max_events
            events.append(self.summarise(plan, articles, vectors, featured))
            events[-1].event.id = f"e{n}"
            bar.update(1)
        bar.close()
        kept_ids = {i for e in events for i in e.event.article_ids}
        briefing = Briefing([a for a in articles if a.id in kept_ids], [e.event for e in events],
                            collected.rejected, self.config.name)
        other = [{"input": o.input, "published": o.published} for o in collected.other_days]
        return DailyBriefing(self.day.isoformat(), briefing, events, len(other), other, self.memory)

    def link(self, centroids: np.ndarray, article_ids: list[list[str]]) -> list[Link]:
        stories = []
        if self.store is not None and len(centroids):
            try:
                stories = self.store.stories(self.day.isoformat(), self.config.story_window_days)
            except StateError as exc:
                self.memory = f"off: {exc}"
                self.store.close()
                self.store = None
        links = link_events(self.day.isoformat(), centroids, article_ids, stories, self.config.story_similarity)
        for link in links:
            if link.continues:
                self.note(f"story {link.story_id} continues (since {link.since}, cosine {link.similarity:.2f})")
        return links

    def plan(self, articles: list[Article], vectors: list[np.ndarray], members: list[int], link: Link,
             centroid: np.ndarray) -> EventPlan:
        """Importance = (outlets + a quarter per article) x (half + half the share of new sentences):
        a story told by more outlets matters more, one that repeats yesterday matters less."""
        matrix = np.concatenate([vectors[i] for i in members])
        known = self.pipeline.embedder.embed(list(link.known)) if link.known else None
        novel = novel_mask(matrix, known, self.config.support_similarity)
        outlets = len({articles[i].source or articles[i].id for i in members})
        novelty = float(novel.mean()) if len(novel) else 0.0
        importance = (outlets + 0.25 * len(members)) * (0.5 + 0.5 * novelty)
        return EventPlan(members, link, centroid, novel, outlets, importance)

    def summarise(self, plan: EventPlan, articles: list[Article], vectors: list[np.ndarray],
                  featured: bool) -> DailyEvent:
        config = self.config if featured else replace(self.config, max_sentences=1)  # "Also today": one line
        event, new = summarise_event(self.pipeline, config, [articles[i] for i in plan.members],
                                     [vectors[i] for i in plan.members], plan.novel if plan.link.continues else None)
        return DailyEvent(event, plan.link, plan.importance, plan.outlets, new, featured, plan.centroid)


def _unit(vector: np.ndarray) -> np.ndarray:
    return (vector / max(float(np.linalg.norm(vector)), 1e-9)).astype(np.float32)


def novel_mask(matrix: np.ndarray, known: np.ndarray | None, same_fact: float) -> np.ndarray:
    """True for each sentence that states no fact of the known sentences (cosine below same_fact)."""
    if known is None or not len(known) or not len(matrix):
        return np.ones(len(matrix), dtype=bool)
    return (matrix @ known.T).max(axis=1) < same_fact


def summarise_event(pipeline: Pipeline, config: Config, articles: list[Article], vectors: list[np.ndarray],
                    novel: np.ndarray | None = None) -> tuple[Event, int]:
    """The event's briefing and how many of its leading sentences are new. With `novel` (one flag
    per sentence, for a continuing story) new facts lead and at most one background sentence follows."""
    new = 0

    def ranker(sentences, matrix, by_id):
        nonlocal new
        if novel is None:
            return rank_event(sentences, matrix, by_id, config)
        groups, new = _new_first(sentences, matrix, by_id, config, novel)
        return groups

    return pipeline.summarise_event(articles, vectors, ranker), new


def _new_first(sentences, matrix, by_id, config: Config, novel: np.ndarray):
    budget = sentence_budget(len({a.duplicate_of or a.id for a in by_id.values()}), config)
    fresh = np.flatnonzero(novel)
    new_groups = rank_event([sentences[i] for i in fresh], matrix[fresh], by_id, config) if len(fresh) else []
    new_groups = new_groups[:max(budget - 1, 1)]
    stale = np.flatnonzero(~novel)
    background = rank_event([sentences[i] for i in stale], matrix[stale], by_id, config)[:1] if len(stale) else []
    return new_groups + background, len(new_groups)


# -- writing the files ------------------------------------------------------------------------------

def check_writable(out_dir: Path) -> None:
    """Fail before any work when the briefing could not be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None
    if not out_dir.is_dir():
        raise OutputError(f"output folder {out_dir} is not a folder")
    try:  # a real write, not os.access: root, read-only mounts and immutable folders all tell the truth here
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".summarise-probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"output folder {out_dir} is not writable ({exc.strerror or exc})") from None


class OutputError(Exception):
    pass


def write_files(files: dict[Path, str]) -> None:
    """Write every file beside its target first; only when all are complete on disk, rename each
    over its target. A crash or Ctrl-C before that leaves every previous file as it was, and a
    file is never seen half-written (a rename is atomic)."""
    partials = {target: target.with_name(f".{target.name}.partial") for target in files}
    for target in files:  # a rename that fails half-way through would mix old and new files
        if target.exists() and not target.is_file():
            raise OutputError(f"cannot write {target}: something other than a file is in the way")
    try:
        for target, text in files.items():
            with open(partials[target], "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        with signals_held():  # Ctrl-C between two renames would mix old and new files
            for target, partial in partials.items():
                os.replace(partial, target)
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or 'the briefing'}: {exc.strerror or exc}") from None
    finally:
        for partial in partials.values():
            partial.unlink(missing_ok=True)
    _sync_folder(next(iter(files)).parent)


@contextmanager
def signals_held():
    """Defer SIGINT and SIGTERM until the block ends, then deliver them as usual. (Handlers, not a
    signal mask: a mask would only hold them for this thread, and library threads would take them.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: caught.append(signum))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


def _sync_folder(folder: Path) -> None:
    try:  # make the renames themselves durable; not possible on every platform
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def store_day(store: StoryStore, daily: DailyBriefing) -> None:
    store.save_day(daily.day, [
        DayEvent(e.event.id, e.link.story_id, e.event.title, e.centroid,
                 [s.text for s in e.event.sentences], e.event.article_ids,
                 [s.text for i in e.event.article_ids for s in daily.briefing.article(i).sentences])
        for e in daily.events])


# -- the command ------------------------------------------------------------------------------------

def parse_day(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: use YYYY-MM-DD, e.g. 2026-11-22") from None


def add_daily(subparsers) -> None:
    parser = subparsers.add_parser(
        "daily", help="write one day's briefing from folders, files, feeds or OPML, remembering stories",
        description="Read the day's articles from the inputs, group them into events ordered by importance "
                    "(outlets, size, novelty), and write DIR/DAY.md, DAY.html and DAY.json. Events that "
                    "continue a story from earlier days are linked to it and lead with what is new. "
                    "Articles dated another day are left out and counted; sources that fail are listed "
                    "with the reason.",
        epilog=f"Exit codes: {EXIT_CODES}")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a folder, files (.txt .md .html .json .jsonl), an RSS/Atom feed (.rss .atom .xml "
                             "or an http(s) URL) or an OPML list of feeds (.opml or URL)")
    parser.add_argument("--date", required=True, type=parse_day, metavar="YYYY-MM-DD",
                        help="the day to brief: articles published that day (UTC for timestamps with an "
                             "offset; file time when an article has no date)")
    parser.add_argument("--out-dir", required=True, type=Path, metavar="DIR", help="where to write DAY.md/.html/.json")
    parser.add_argument("--state", type=Path, metavar="FILE", default=None,
                        help=f"story memory, an SQLite file (default: {default_state_path()})")
    parser.add_argument("--config", default="default", metavar="NAME_OR_PATH",
                        help="pipeline config: 'default', 'fast' or a path to a .toml file (default: %(default)s)")
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument("--quiet", action="store_true", help="no progress bars or summary line; errors only")
    volume.add_argument("--verbose", action="store_true", help="also tell each rejection and story link as it happens")
    parser.set_defaults(func=run_daily)


def run_daily(args: argparse.Namespace) -> int:
    started = time.monotonic()
    config = load_config(args.config)
    day_text = args.date.isoformat()
    try:
        check_writable(args.out_dir)
    except OutputError as exc:
        print(f"summarise: {exc}; nothing written", file=sys.stderr)
        return EXIT_WRITE
    store, memory = open_store(args.state or default_state_path(), config)
    if store is None:
        print(f"summarise: story memory {memory}; continuing without linking stories", file=sys.stderr)
    pipeline = Pipeline(config, progress=False if args.quiet else None)
    run = DailyRun(pipeline, args.date, store, memory, verbose=args.verbose,
                   progress=False if args.quiet else None)
    try:
        collected = run.collect([str(i) for i in args.inputs])
        if not collected.articles:
            print(f"summarise: no article of {day_text} could be read; nothing written ({no_article_reason(collected)})",
                  file=sys.stderr)
            return EXIT_NO_ARTICLES
        daily = run.build(collected)
        targets = {args.out_dir / f"{day_text}.{ext}": text for ext, text in render_all(daily).items()}
        try:
            write_files(targets)
        except OutputError as exc:
            print(f"summarise: {exc}; previous files left as they were", file=sys.stderr)
            return EXIT_WRITE
        code = EXIT_OK
        if run.store is not None:
            try:
                store_day(run.store, daily)
            except StateError as exc:
                daily.memory = f"off: {exc}"
        if daily.memory != "on":
            if daily.memory != memory:  # it failed during the run, not at the start (told above)
                print(f"summarise: story memory {daily.memory}", file=sys.stderr)
            code = EXIT_STATE
        if not args.quiet:
            print(closing_line(daily, time.monotonic() - started), file=sys.stderr)
        return code
    finally:
        if run.store is not None:
            run.store.close()


def open_store(path: Path, config: Config) -> tuple[StoryStore | None, str]:
    try:
        return StoryStore(path, embedder_signature(config), timeout=STATE_TIMEOUT), "on"
    except StateError as exc:
        return None, f"off: {exc}"


def embedder_signature(config: Config) -> str:
    return f"{config.embedder}:{config.embedder_model or 'packaged'}"


def render_all(daily: DailyBriefing) -> dict[str, str]:
    return {"md": to_markdown(daily), "html": to_html(daily), "json": to_json(daily)}


def no_article_reason(collected: Collected) -> str:
    parts = []
    if collected.other_days:
        parts.append(f"{count(len(collected.other_days), 'article')} of other days left out")
    if collected.rejected:
        parts.append(f"{len(collected.rejected)} rejected: " + rejection_summary(collected))
    return "; ".join(parts) or "the inputs hold no articles"


def rejection_summary(collected_or_rejections) -> str:
    rejected = getattr(collected_or_rejections, "rejected", collected_or_rejections)
    kinds = Counter(reason_kind(r.reason) for r in rejected)
    return "; ".join(f"{n} \u00d7 {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def reason_kind(reason: str) -> str:
    """The reason without its particulars: 'article page: HTTP 404 Not Found' -> 'article page: HTTP 404'."""
    import re

    head = re.split(r" \(|; |, over| after ", reason, maxsplit=1)[0]
    return head[:60]


def closing_line(daily: DailyBriefing, seconds: float) -> str:
    rejected = daily.briefing.rejected
    reasons = f" ({rejection_summary(rejected)})" if rejected else ""
    return (f"{daily.day}: {count(len(daily.briefing.articles), 'article')} read, {len(rejected)} rejected{reasons}, "
            f"{daily.other_days} of other days left out, {count(len(daily.events), 'event')} "
            f"({len(daily.featured)} featured, {len(daily.also_today)} also today), "
            f"{count(daily.continuing, 'continuing story', 'continuing stories')}, {seconds:.1f} s")
