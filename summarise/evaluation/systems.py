"""The systems an evaluation compares: the pipeline under any config, the peers (Lead, LexRank,
TextRank), and summaries written earlier. Pipelines share one embedder and one language model."""
from __future__ import annotations

import time
from pathlib import Path

from summarise.config import Config, load_config
from summarise.evaluation.data import DataError, read_jsonl
from summarise.evaluation.peers import PEERS
from summarise.evaluation.scoring import Output, peer_system, pipeline_system
from summarise.models import make_language_model
from summarise.pipeline import Pipeline
from summarise.stages.embed import make_embedder
from summarise.stages.segment import split_spans


def predictions_system(path: Path):
    """Summaries written earlier ({"id", "summary"} lines), scored like a system's output: how
    outside systems are compared, and how a run is rescored at another --max-words."""
    summaries: dict[str, str] = {}
    for number, row in read_jsonl(path):
        if not isinstance(row, dict) or not isinstance(row.get("summary"), str) or "id" not in row:
            raise DataError(f"{path}:{number}: expected {{\"id\": ..., \"summary\": \"...\"}}")
        summaries[str(row["id"])] = row["summary"]

    def run(case) -> Output:
        if case.id not in summaries:
            raise DataError(f"{path}: no summary for cluster {case.id!r}")
        text = summaries[case.id]
        return Output(text, [(text[a:b], []) for a, b in split_spans(text)])

    return run


def label(name: str) -> str:
    return Path(name).stem if name.endswith((".toml", ".jsonl")) else name


class SystemBuilder:
    """Makes each system once; pipelines share one embedder and one language model, which are
    loaded (and timed) before any cluster is, so seconds per cluster exclude loading."""

    def __init__(self, budget_words: int, progress: bool = False):
        self.budget_words = budget_words
        self.progress = progress
        self._embedders: dict = {}
        self._models: dict = {}
        self.load_seconds = 0.0

    def config(self, name: str) -> Config:
        return Config() if name.endswith(".jsonl") else load_config(name)

    def embedder(self, config: Config):
        key = config.embed
        if key not in self._embedders:
            start = time.perf_counter()
            self._embedders[key] = make_embedder(config.embed, config.n_threads)
            self._embedders[key].embed(["warm up"])
            self.load_seconds += time.perf_counter() - start
        return self._embedders[key]

    def language_model(self, config: Config):
        key = config.model
        if key not in self._models:
            start = time.perf_counter()
            self._models[key] = PerplexityCache(make_language_model(config.model, config.n_threads, config.seed))
            self.load_seconds += time.perf_counter() - start
        return self._models[key]

    def system(self, name: str):
        if name in PEERS:
            return peer_system(name, self.budget_words)
        if name.endswith(".jsonl"):
            return predictions_system(Path(name))
        config = self.config(name)
        model = self.language_model(config) if config.uses_language_model else None
        return pipeline_system(Pipeline(config, embedder=self.embedder(config), language_model=model,
                                        progress=self.progress))


class PerplexityCache:
    """A language model that remembers perplexities: every config that checks for spin scores
    the same articles, and the answer does not depend on the config."""

    def __init__(self, model):
        self.model = model
        self._perplexity: dict[tuple[str, int], float] = {}

    def __getattr__(self, name):
        return getattr(self.model, name)

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        key = (text, max_tokens)
        if key not in self._perplexity:
            self._perplexity[key] = self.model.perplexity(text, max_tokens)
        return self._perplexity[key]


