"""The composer: the one place that knows the order of the stages.

    read -> segment -> embed -> cluster -> per event: spin check, deduplicate, rank, fuse + verify
    -> Briefing

Each step is an object behind a small Protocol (stages/*.py), passed to the constructor or built
from the config's section for it, the way BERTopic takes `hdbscan_model=`. `daily`, `bench` and
`eval` call the steps below (`prepare`, `cluster`, `summarise_event`) instead of chaining stages
themselves, and time them through one hook, `on_stage`.

Models are made on first use and kept, so one Pipeline serves many calls (the web demo keeps one
per config for the life of the process).
"""
from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, ContextManager, Iterable

import numpy as np
from tqdm.auto import tqdm

from summarise.config import Config, ConfigError, load_config
from summarise.engines import Engine, EventJob, make_engine
from summarise.inputs.ingest import Ingested, InputLike, load_articles
from summarise.models import LanguageModel, LazyModel, PerplexityScorer, YesNoJudge, can, make_language_model
from summarise.models.nli import NliJudge
from summarise.registry import UnknownMethod, resolve
from summarise.stages.cluster import Clusterer, article_vectors
from summarise.stages.dedup import mark_duplicates
from summarise.stages.embed import Embedder, make_embedder
from summarise.stages.fuse import ExtractiveFuser, Fuser
from summarise.stages.rank import FactGroup, Ranker
from summarise.stages.segment import segment
from summarise.stages.spin import SpinDetector
from summarise.stages.title import write_title
from summarise.stages.verify import Verifier, write_sentences
from summarise.types import Article, Briefing, BriefingSentence, Event, Rejection

StageHook = Callable[[str], ContextManager]  # called with a stage's name around its work
EMBED_BATCH = 2048  # sentences per call of the embedder (an engine that embeds elsewhere keeps these calls)


@dataclass
class Prepared:
    articles: list[Article]
    rejected: list[Rejection]
    vectors: list[np.ndarray]  # per article: (sentences, dim) unit vectors

    def subset(self, members: list[int]) -> tuple[list[Article], list[np.ndarray]]:
        return [self.articles[i] for i in members], [self.vectors[i] for i in members]


class Pipeline:
    def __init__(self, config: Config | str | Path = "default", *, embedder: Embedder | None = None,
                 clusterer: Clusterer | None = None, spin_detector: SpinDetector | None = None,
                 ranker: Ranker | None = None, fuser: Fuser | None = None, verifier: Verifier | None = None,
                 language_model: LanguageModel | None = None, progress: bool | None = None,
                 on_stage: StageHook | None = None, engine: Engine | str = "local"):
        self.config = config if isinstance(config, Config) else load_config(config)
        self.engine = make_engine(engine)  # where the steps run: this process, or Ray workers
        given = {"embedder": embedder, "clusterer": clusterer, "spin_detector": spin_detector, "ranker": ranker,
                 "fuser": fuser, "verifier": verifier, "language_model": language_model}
        # a given step takes the place of the cached property that would build it from the config
        self.__dict__.update({name: step for name, step in given.items() if step is not None})
        self.progress = progress  # None: show bars only on a terminal
        self.on_stage = on_stage
        self.timings: dict[str, float] = {}  # seconds per stage, summed over runs

    @contextmanager
    def timed(self, stage: str):
        start = time.perf_counter()
        with ExitStack() as stack:
            if self.on_stage is not None:
                stack.enter_context(self.on_stage(stage))
            try:
                yield
            finally:
                self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start

    # -- steps, built from the config unless given -----------------------------------------

    @cached_property
    def embedder(self) -> Embedder:
        with self.timed("load embedder"):
            return make_embedder(self.config.embed, self.config.n_threads)

    @cached_property
    def language_model(self) -> LanguageModel:
        with self.timed("load language model"):
            return make_language_model(self.config.model, self.config.n_threads, self.config.seed)

    @cached_property
    def clusterer(self) -> Clusterer:
        return self._build("cluster")

    @cached_property
    def spin_detector(self) -> SpinDetector:
        if not self.config.spin.needs_model:
            return self._build("spin")
        if "language_model" in self.__dict__:  # given or loaded already: check it now
            self._perplexity_scorer()
        # the model loads only if a suspect rewrite is found: most events have none
        return self._build("spin", model=LazyModel(self._perplexity_scorer))

    def _perplexity_scorer(self) -> PerplexityScorer:
        if not can(self.language_model, PerplexityScorer):
            raise ConfigError(f"the {self.config.model.backend} model backend cannot score perplexity, which the "
                              "spin check needs: set [spin] method = \"none\"")
        return self.language_model

    @cached_property
    def ranker(self) -> Ranker:
        return self._build("rank")

    @cached_property
    def fuser(self) -> Fuser:
        return self._build("fuse", model=self.language_model if self.config.fuse.needs_model else None)

    @cached_property
    def verifier(self) -> Verifier:
        settings = self.config.verify
        judge, missing = None, ""
        if settings.judge == "nli":
            with self.timed("load judge"):
                judge = NliJudge.from_settings(settings, self.config.n_threads)
        elif settings.needs_model:
            if can(self.language_model, YesNoJudge):
                judge = self.language_model
            else:
                missing = (f"not judged: the {self.config.model.backend} backend gives no token probabilities, "
                           "so only the hard checks ran")
        return Verifier(judge, settings.threshold, settings.max_sentence_words, missing_judge=missing)

    def _build(self, section: str, **resources):
        settings = getattr(self.config, section)
        try:
            step = resolve(f"{section} method", settings.method, settings.METHODS)
        except UnknownMethod as exc:
            raise ConfigError(str(exc)) from None
        return step(settings, **resources)

    # -- the stages in order ---------------------------------------------------------------

    def __call__(self, inputs: Iterable[InputLike]) -> Briefing:
        return self.run(inputs)

    def run(self, inputs: Iterable[InputLike], cluster: bool = True) -> Briefing:
        """Briefing for the inputs; cluster=False treats them all as one event (evaluation sets)."""
        prepared = self.prepare(inputs)
        if cluster:
            groups = self.cluster(prepared)
        else:
            groups = [list(range(len(prepared.articles)))] if prepared.articles else []
        events = [event for event, _ in self.summarise_events(prepared, [EventJob(members) for members in groups])]
        events = order_events(events, {a.id: a for a in prepared.articles})
        for n, event in enumerate(events, 1):
            event.id = f"e{n}"
        return Briefing(prepared.articles, events, prepared.rejected, self.config.name)

    def close(self) -> None:
        """Let the engine's workers go (the local engine has none)."""
        self.engine.close()

    # -- steps whose place the engine decides --------------------------------------------------

    def prepare(self, inputs: Iterable[InputLike], lead: int | None = None) -> Prepared:
        """Read, segment and embed: articles with sentences, one vector matrix per article."""
        return self.engine.prepare(self, inputs, lead)

    def prepare_articles(self, articles: list[Article], rejected: list[Rejection] | None = None,
                         lead: int | None = None) -> Prepared:
        """Segment and embed articles read elsewhere (daily's sources); `lead` keeps only each
        article's first sentences (clustering reads no more)."""
        return self.engine.prepare_articles(self, articles, list(rejected or []), lead)

    def summarise_events(self, prepared: Prepared, jobs: list[EventJob]) -> list[tuple[Event, list[FactGroup]]]:
        """summarise_event for each job's articles, in the jobs' order."""
        return self.engine.summarise_events(self, prepared, jobs)

    # -- the steps themselves, in this process ---------------------------------------------------

    def read(self, inputs: Iterable[InputLike]) -> Ingested:
        with self.timed("ingest"):
            return load_articles(inputs, self.config.ingest, self.config.fetch)

    def segment_articles(self, articles: list[Article], lead: int | None = None) -> None:
        with self.timed("segment"):
            for article in articles:
                article.sentences = segment(article)[:lead]

    def prepare_segmented(self, articles: list[Article], rejected: list[Rejection],
                          embed: Callable[[list[Article]], list[np.ndarray]] | None = None) -> Prepared:
        """Articles with sentences (and the rejections so far) -> Prepared; `embed` replaces
        embed_sentences (an engine that embeds elsewhere)."""
        rejected = rejected + [Rejection(a.input, "no sentences found in the text") for a in articles if not a.sentences]
        articles = [a for a in articles if a.sentences]
        return Prepared(articles, rejected, (embed or self.embed_sentences)(articles))

    def embed_sentences(self, articles: list[Article], batch: int = EMBED_BATCH) -> list[np.ndarray]:
        texts = [s.text for a in articles for s in a.sentences]
        embedder = self.embedder
        with self.timed("embed"):  # in batches, so that a long input shows its progress
            parts = [embedder.embed(texts[i:i + batch]) for i in
                     self._bar(range(0, len(texts), batch), "embedding batches", leave=False)]
            flat = np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)
        return split_rows(flat, articles)

    def cluster(self, prepared: Prepared) -> list[list[int]]:
        """Indices of the articles of each event."""
        if not prepared.articles:
            return []
        clusterer = self.clusterer
        with self.timed("cluster"):
            return clusterer.cluster(prepared.articles, prepared.vectors)

    def summarise_event(self, articles: list[Article], vectors: list[np.ndarray], ranker: Ranker | None = None,
                        max_facts: int | None = None, quote: bool = False) -> tuple[Event, list[FactGroup]]:
        """One event's briefing and the fact groups it was written from; `ranker` replaces the
        configured one (daily briefings put new facts first), `max_facts` caps the sentences, and
        `quote` writes each fact as its source sentence, with no model call (daily's one-line
        "Also today" events: a briefing's model time goes to the events it features)."""
        ranker = ranker or self.ranker
        spin_detector = self.spin_detector
        with self.timed("spin"):
            spin_detector.mark(articles, vectors)
        with self.timed("dedup"):
            mark_duplicates(articles, article_vectors(vectors), self.config.dedup.similarity)
        by_id = {a.id: a for a in articles}
        with self.timed("rank"):
            sentences = [s for a in articles for s in a.sentences]
            groups = ranker.rank(sentences, np.concatenate(vectors), by_id, max_facts)
        fuser, verifier = (ExtractiveFuser(), Verifier()) if quote else (self.fuser, self.verifier)
        with self.timed("fuse_verify"):
            written = write_sentences(groups, fuser, verifier, by_id, self.config.verify.retries)
            written = without_repeats(written, self.embedder)
        with self.timed("title"):
            title = write_title(articles, written, fuser, verifier)
        event = Event(id="", title=title, article_ids=[a.id for a in articles], sentences=written)
        return event, groups

    def _bar(self, items, what: str, leave: bool = True, total: int | None = None):
        disable = None if self.progress is None else not self.progress
        return tqdm(items, desc=what, unit="", leave=leave, disable=disable, total=total)


def split_rows(flat: np.ndarray, articles: list[Article]) -> list[np.ndarray]:
    """One matrix per article from the rows of all their sentences, in order."""
    out, start = [], 0
    for article in articles:
        out.append(flat[start:start + len(article.sentences)])
        start += len(article.sentences)
    return out


def without_repeats(sentences: list[BriefingSentence], embedder: Embedder,
                    threshold: float = 0.92) -> list[BriefingSentence]:
    """Two fact groups can be fused into the same sentence: keep the first of near-identical ones."""
    if len(sentences) < 2:
        return sentences
    vectors = embedder.embed([s.text for s in sentences])
    kept: list[int] = []
    for i in range(len(sentences)):
        if all(float(vectors[i] @ vectors[k]) < threshold for k in kept):
            kept.append(i)
    return [sentences[i] for i in kept]


def order_events(events: list[Event], articles: dict[str, Article]) -> list[Event]:
    """Most outlets first, then most articles; ties keep input order."""
    def outlets(event: Event) -> int:
        return len({articles[i].duplicate_of or i for i in event.article_ids})
    return sorted(events, key=lambda e: (-outlets(e), -len(e.article_ids)))


def summarise(inputs: Iterable[InputLike], config: Config | str | Path = "default", **options) -> Briefing:
    """One call: inputs (paths, texts, records) in, a cited Briefing out."""
    return Pipeline(config, **options).run(inputs)
