"""The orchestrator: composes the stages, owns no logic of its own.

    ingest -> segment -> embed -> cluster -> (per event) spin check, deduplicate, rank,
    fuse + verify -> Briefing

Models are made on first use and kept, so one Pipeline serves many calls (the web demo keeps one
per config for the life of the process).
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from tqdm.auto import tqdm

from .cluster import article_vectors, cluster_articles
from .config import Config, load_config
from .dedup import mark_duplicates, mark_spun
from .embed import Embedder, make_embedder
from .fuse import ExtractiveFuser, Fuser, ModelFuser
from .ingest import InputLike, load_articles
from .llm import LanguageModel, make_language_model
from .rank import FactGroup, rank_event
from .segment import segment
from .types import Article, Briefing, BriefingSentence, Event, Rejection, Sentence
from .verify import Verifier, write_sentence


Ranker = Callable[[list[Sentence], np.ndarray, dict[str, Article]], list[FactGroup]]


@dataclass
class Prepared:
    articles: list[Article]
    rejected: list[Rejection]
    vectors: list[np.ndarray]  # per article: (sentences, dim) unit vectors


class Pipeline:
    def __init__(self, config: Config | str | Path = "default", *, embedder: Embedder | None = None,
                 language_model: LanguageModel | None = None, progress: bool | None = None):
        self.config = config if isinstance(config, Config) else load_config(config)
        if embedder is not None:
            self.__dict__["embedder"] = embedder
        if language_model is not None:
            self.__dict__["language_model"] = language_model
        self.progress = progress  # None: show bars only on a terminal
        self.timings: dict[str, float] = {}  # seconds per stage, summed over runs (for bench)

    @contextmanager
    def timed(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start

    @cached_property
    def embedder(self) -> Embedder:
        with self.timed("load embedder"):
            return make_embedder(self.config.embedder, self.config.embedder_model, self.config.n_threads)

    @cached_property
    def language_model(self) -> LanguageModel:
        backend = self.config.generator if self.config.generator != "none" else "llama_cpp"
        with self.timed("load language model"):
            return make_language_model(backend, self.config.generator_model, self.config.n_threads, self.config.seed)

    @property
    def fuser(self) -> Fuser:
        if self.config.generator == "none":
            return ExtractiveFuser()
        return ModelFuser(self.language_model, self.config.max_new_tokens)

    @property
    def verifier(self) -> Verifier:
        judge = self.language_model if self.config.judge == "generator" else None
        return Verifier(judge, self.config.judge_threshold, self.config.max_sentence_words)

    def __call__(self, inputs: Iterable[InputLike]) -> Briefing:
        return self.run(inputs)

    def run(self, inputs: Iterable[InputLike], cluster: bool = True) -> Briefing:
        """Briefing for the inputs; cluster=False treats them all as one event (evaluation sets)."""
        prepared = self.prepare(inputs)
        articles, vectors = prepared.articles, prepared.vectors
        if not articles:
            groups = []
        elif cluster:
            with self.timed("cluster"):
                groups = cluster_articles(article_vectors(vectors), self.config.cluster_similarity)
        else:
            groups = [list(range(len(articles)))]
        events = [self.summarise_event([articles[i] for i in members], [vectors[i] for i in members])
                  for members in self._bar(groups, "events")]
        events = order_events(events, {a.id: a for a in articles})
        for n, event in enumerate(events, 1):
            event.id = f"e{n}"
        return Briefing(articles, events, prepared.rejected, self.config.name)

    def prepare(self, inputs: Iterable[InputLike]) -> Prepared:
        """Ingest, segment and embed: articles with sentences, one vector matrix per article."""
        with self.timed("ingest"):
            ingested = load_articles(inputs, self.config)
        with self.timed("segment"):
            for article in ingested.articles:
                article.sentences = segment(article)
        vectors = self.embed_sentences(ingested.articles)
        return Prepared(ingested.articles, ingested.rejected, vectors)

    def embed_sentences(self, articles: list[Article]) -> list[np.ndarray]:
        texts = [s.text for a in articles for s in a.sentences]
        embedder = self.embedder
        with self.timed("embed"):
            flat = embedder.embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        out, start = [], 0
        for article in articles:
            out.append(flat[start:start + len(article.sentences)])
            start += len(article.sentences)
        return out

    def summarise_event(self, articles: list[Article], vectors: list[np.ndarray],
                        ranker: Ranker | None = None) -> Event:
        """One event's briefing; `ranker` replaces rank_event (daily briefings put new facts first)."""
        ranker = ranker or (lambda sentences, matrix, by_id: rank_event(sentences, matrix, by_id, self.config))
        by_id = {a.id: a for a in articles}
        if self.config.spin_detector == "perplexity":
            model = self.language_model
            with self.timed("spin check"):
                mark_spun(articles, model, self.config)
        with self.timed("deduplicate"):
            mark_duplicates(articles, article_vectors(vectors), self.config.duplicate_similarity)
        with self.timed("rank"):
            sentences = [s for a in articles for s in a.sentences]
            groups = ranker(sentences, np.concatenate(vectors), by_id)
        fuser, verifier = self.fuser, self.verifier
        with self.timed("fuse and verify"):
            written = [write_sentence(g, fuser, verifier, by_id, self.config.regenerate)
                       for g in self._bar(groups, "sentences", leave=False)]
            written = without_repeats(written, self.embedder)
        return Event(id="", title=event_title(articles, groups), article_ids=[a.id for a in articles],
                     sentences=written)

    def _bar(self, items, what: str, leave: bool = True):
        disable = None if self.progress is None else not self.progress
        return tqdm(items, desc=what, unit="", leave=leave, disable=disable)


def event_title(articles: list[Article], groups) -> str:
    """A headline from the event's articles: the lead sentence's article first, then any clean one;
    titles that are only the opening words of the text (no headline was given) come last."""
    lead = [g.sentences[0].article_id for g in groups[:1]]
    clean = sorted((a for a in articles if not a.spun and not a.duplicate_of),
                   key=lambda a: a.id not in lead) or articles
    headlines = [a for a in clean if a.title and not a.text.startswith(a.title.removesuffix(" ..."))]
    return (headlines or clean)[0].title


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
