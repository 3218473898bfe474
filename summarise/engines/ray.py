"""The Ray engine: the pipeline's per-article and per-event steps on Ray workers, the rest on the
driver, and the same briefing as the local engine.

    driver: read inputs (files, feeds) ─► workers: clean + segment (batches of READ_BATCH records)
    driver: limits and unique ids, in input order (ingest.Admission, as the local engine)
    workers: embed (the local engine's calls of the encoder, EMBED_BATCH sentences each)
    driver: cluster with the configured clusterer (Pipeline.cluster)
    workers: per event, Pipeline.summarise_event (spin check, dedup, rank, fuse + verify)
    driver: one Briefing, written by the caller (atomically, as today)

Each worker is a Ray actor holding its own Pipeline, so it loads the embedder and the language
model once. Actors are restarted when their process dies and their tasks retried (max_restarts,
max_task_retries): a killed worker loses no article. Memory is bounded per worker by the batch
sizes (READ_BATCH records, EMBED_BATCH sentences, one event per task) and on the driver by the
number of tasks in flight (IN_FLIGHT per worker); a local instance gets OBJECT_STORE_BYTES of
object store.

Same answer: the encoder's output depends (in the last bits) on which texts share its call, so
the workers get exactly the calls the local engine makes, and each event's worker is given the
vectors of the event's sentences, as the local engine's cache would give them.
"""
from __future__ import annotations

import os
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from summarise.config import ConfigError
from summarise.inputs.ingest import Admission, context_for, read_inputs, read_record
from summarise.pipeline import EMBED_BATCH, Pipeline, split_rows
from summarise.stages.embed import CachedEmbedder, make_embedder
from summarise.types import Rejection

READ_BATCH = 64  # records per task: at most 64 x 1 MB of raw text (MARKUP_FACTOR x the article limit)
IN_FLIGHT = 4  # tasks queued per worker: enough to keep it busy, few results waiting on the driver
OBJECT_STORE_BYTES = 512 * 1024 ** 2  # a local instance's shared-memory object store
MAX_TASK_RETRIES = 3  # a task on a worker that died is run again this many times
WARM_UP_TEXT = " ".join(["The council met on Monday and agreed the budget for the coming year."] * 8)


def import_ray():
    try:
        import ray
    except ImportError:
        raise ConfigError("the ray engine needs Ray: pip install 'summarise[ray]'") from None
    return ray


def init_local(cpus: int, object_store_bytes: int = OBJECT_STORE_BYTES) -> None:
    """A Ray instance on this machine: `cpus` logical CPUs, no dashboard, quiet workers."""
    ray = import_ray()
    package_root = str(Path(__file__).resolve().parents[2])  # workers import this package as the driver does
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    ray.init(num_cpus=cpus, object_store_memory=object_store_bytes, include_dashboard=False, logging_level="ERROR",
             log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": path}})


class StageWorker:
    """One Ray actor: a Pipeline of its own (models loaded once), running the steps it is sent."""

    def __init__(self, config):
        self.cpu_seconds: dict[str, float] = {}
        self.pipeline = Pipeline(config, progress=False, on_stage=self._cpu_meter)

    @contextmanager
    def _cpu_meter(self, stage: str):
        """CPU seconds per stage: what a stage costs a core, however busy the machine is."""
        start = time.process_time()
        try:
            yield
        finally:
            self.cpu_seconds[stage] = self.cpu_seconds.get(stage, 0.0) + time.process_time() - start

    def warm(self) -> int:
        """Load the models now (not in the first task) and say which process this is."""
        self.read([("warm up", {"text": WARM_UP_TEXT})])  # the language identifier and the sentence splitter
        self.pipeline.embedder.embed(["warm up"])
        if self.pipeline.config.uses_language_model:
            _ = self.pipeline.spin_detector, self.pipeline.fuser, self.pipeline.verifier
        self._timings()
        return os.getpid()

    def pid(self) -> int:
        return os.getpid()

    def read(self, records: list[tuple[str, Any]]) -> tuple[list, dict]:
        """Each record as a cleaned, segmented Article (its id is set on the driver) or a Rejection."""
        settings = self.pipeline.config.ingest
        with self.pipeline.timed("ingest"):
            outcomes = [read_record(label, raw, settings) for label, raw in records]
        self.pipeline.segment_articles([o for o in outcomes if not isinstance(o, Rejection)])
        return outcomes, self._timings()

    def segment(self, articles: list) -> tuple[list, dict]:
        self.pipeline.segment_articles(articles)
        return [a.sentences for a in articles], self._timings()

    def embed(self, texts: list[str]) -> tuple[np.ndarray, dict]:
        """One call of the encoder itself (no cache: the driver chose the texts of this call)."""
        with self.pipeline.timed("embed"):
            vectors = self.pipeline.embedder.inner.embed(texts)
        return vectors, self._timings()

    def summarise(self, articles: list, vectors: list[np.ndarray], ranker, max_facts, quote) -> tuple:
        """Pipeline.summarise_event, with the event's sentence vectors as its embedder's cache;
        returns the articles' spun/duplicate flags too, which the driver's copies must get."""
        inner = self.pipeline.embedder.inner if isinstance(self.pipeline.embedder, CachedEmbedder) else None
        if inner is not None:
            seeded = CachedEmbedder(inner)
            seeded.remember([s.text for a in articles for s in a.sentences], np.concatenate(vectors))
            self.pipeline.embedder = seeded
        try:
            event, groups = self.pipeline.summarise_event(articles, vectors, ranker=ranker, max_facts=max_facts,
                                                          quote=quote)
        finally:
            if inner is not None:
                self.pipeline.embedder = CachedEmbedder(inner)
        flags = [(a.spun, a.duplicate_of) for a in articles]
        return event, groups, flags, self._timings()

    def _timings(self) -> dict[str, dict[str, float]]:
        """Wall and CPU seconds per stage since the last call."""
        timings = {"wall": dict(self.pipeline.timings), "cpu": dict(self.cpu_seconds)}
        self.pipeline.timings.clear()
        self.cpu_seconds.clear()
        return timings


class RayEngine:
    """`address`: a running cluster ("auto", "ray://host:10001"); None: $RAY_ADDRESS, else a local
    instance with this machine's cores. `workers`: actors to start (default: one per free CPU of
    the cluster); `threads_per_worker`: CPU threads (and Ray CPUs) of each."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, threads_per_worker: int = 1,
                 object_store_bytes: int = OBJECT_STORE_BYTES):
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.workers = workers
        self.threads_per_worker = threads_per_worker
        self.object_store_bytes = object_store_bytes
        self.actors: list = []
        self.worker_pids: list[int] = []
        self.worker_seconds: dict[str, float] = {}  # seconds per stage summed over the workers
        self.worker_cpu_seconds: dict[str, float] = {}  # the same in CPU time
        self._started_ray = False

    # -- workers ---------------------------------------------------------------------------

    def start(self, pipeline: Pipeline) -> None:
        if self.actors:
            return
        ray = import_ray()
        with pipeline.timed("start workers"):  # Ray itself, the actors, and their models
            if not ray.is_initialized():
                self._init(ray)
            free_cpus = int(ray.available_resources().get("CPU", 0))  # others' actors keep theirs
            count = self.workers or max(1, free_cpus // self.threads_per_worker)
            config = replace(pipeline.config, n_threads=self.threads_per_worker)
            worker = ray.remote(StageWorker).options(num_cpus=self.threads_per_worker, max_restarts=-1,
                                                     max_task_retries=MAX_TASK_RETRIES)
            self.actors = [worker.remote(config) for _ in range(count)]
            self.worker_pids = ray.get([actor.warm.remote() for actor in self.actors])

    def _init(self, ray) -> None:
        if self.address:
            ray.init(address=self.address, logging_level="ERROR", log_to_driver=False)
        else:
            init_local(os.cpu_count() or 1, self.object_store_bytes)
            self._started_ray = True

    def close(self) -> None:
        if not self.actors and not self._started_ray:
            return
        ray = import_ray()
        for actor in self.actors:
            ray.kill(actor)
        self.actors = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def map(self, method: str, payloads: Iterable[tuple]) -> Iterator:
        """Each payload's result, in order; each task goes to the least busy worker, and at most
        IN_FLIGHT per worker are out at once (the payloads are read lazily)."""
        ray = import_ray()
        pending: deque = deque()  # (ref, actor), oldest first
        for args in payloads:
            while len(pending) >= IN_FLIGHT * len(self.actors):
                yield self._result(ray, pending.popleft()[0])
            actor = self._least_busy(ray, pending)
            pending.append((getattr(actor, method).remote(*args), actor))
        while pending:
            yield self._result(ray, pending.popleft()[0])

    def _least_busy(self, ray, pending: deque):
        refs = [ref for ref, _ in pending]
        done = set(ray.wait(refs, num_returns=len(refs), timeout=0)[0]) if refs else set()
        load = Counter(id(actor) for ref, actor in pending if ref not in done)
        return min(self.actors, key=lambda actor: load[id(actor)])

    def _result(self, ray, ref):
        *result, timings = ray.get(ref)
        for totals, seconds in ((self.worker_seconds, timings["wall"]), (self.worker_cpu_seconds, timings["cpu"])):
            for stage, value in seconds.items():
                totals[stage] = totals.get(stage, 0.0) + value
        return result[0] if len(result) == 1 else tuple(result)

    # -- the engine's steps ----------------------------------------------------------------

    def prepare(self, pipeline: Pipeline, inputs, lead: int | None = None):
        self.start(pipeline)
        settings = pipeline.config.ingest
        admission = Admission(settings)
        labels: deque = deque()  # per batch sent: each item's label, or its Rejection from reading

        def batches():
            items = read_inputs(inputs, context_for(settings, pipeline.config.fetch))
            for batch in _chunks(items, READ_BATCH):
                labels.append([item if isinstance(item, Rejection) else item[0] for item in batch])
                # once the article limit is reached, later records are rejected unread, as locally
                yield ([] if admission.full else [item for item in batch if not isinstance(item, Rejection)],)

        with pipeline.timed("ingest"):  # cleaning and segmenting on the workers
            for outcomes in pipeline._bar(self.map("read", batches()), "reading batches", leave=False):
                outcomes = iter(outcomes)
                for item in labels.popleft():
                    if isinstance(item, Rejection):
                        admission.result.rejected.append(item)
                    else:
                        admission.admit(item, next(outcomes, None))
        articles = admission.result.articles
        if lead is not None:
            for article in articles:
                article.sentences = article.sentences[:lead]
        return pipeline.prepare_segmented(articles, admission.result.rejected,
                                          embed=lambda kept: self.embed(pipeline, kept))

    def prepare_articles(self, pipeline: Pipeline, articles, rejected, lead: int | None = None):
        self.start(pipeline)
        with pipeline.timed("segment"):
            chunks = list(_chunks(iter(articles), READ_BATCH))
            for chunk, sentences in zip(chunks, self.map("segment", ((chunk,) for chunk in chunks))):
                for article, found in zip(chunk, sentences):
                    article.sentences = found[:lead]
        return pipeline.prepare_segmented(articles, rejected, embed=lambda kept: self.embed(pipeline, kept))

    def embed(self, pipeline: Pipeline, articles) -> list[np.ndarray]:
        """The local engine's encoder calls (EMBED_BATCH sentences, each distinct text once, texts
        the driver's cache holds skipped), run on the workers; the driver's cache keeps the vectors
        (daily embeds the stories it links against with it)."""
        cache = driver_cache(pipeline)
        texts = [s.text for a in articles for s in a.sentences]
        calls, seen = [], set()
        for start in range(0, len(texts), EMBED_BATCH):
            missing = [t for t in cache.missing(texts[start:start + EMBED_BATCH]) if t not in seen]
            seen.update(missing)
            if missing:
                calls.append(missing)
        with pipeline.timed("embed"):
            results = self.map("embed", ((call,) for call in calls))
            for call, vectors in zip(calls, pipeline._bar(results, "embedding batches", leave=False, total=len(calls))):
                cache.remember(call, vectors)
            flat = cache.embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        return split_rows(flat, articles)

    def summarise_events(self, pipeline: Pipeline, prepared, jobs):
        self.start(pipeline)
        payloads = ((*prepared.subset(job.members), job.ranker, job.max_facts, job.quote) for job in jobs)
        results = []
        with pipeline.timed("events"):  # spin, dedup, rank, fuse + verify on the workers
            done = pipeline._bar(self.map("summarise", payloads), "events", total=len(jobs))
            for job, (event, groups, flags) in zip(jobs, done):
                for index, (spun, duplicate_of) in zip(job.members, flags):
                    prepared.articles[index].spun, prepared.articles[index].duplicate_of = spun, duplicate_of
                results.append((event, groups))
        return results


class _LoadedOnFirstUse:
    """The configured encoder, loaded on the driver only if something misses the cache."""

    def __init__(self, pipeline: Pipeline):
        self.settings, self.n_threads = pipeline.config.embed, pipeline.config.n_threads
        self.encoder = None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self.encoder is None:
            self.encoder = make_embedder(self.settings, self.n_threads).inner
        return self.encoder.embed(texts)


def driver_cache(pipeline: Pipeline) -> CachedEmbedder:
    """The pipeline's embedder cache (the one the local engine would fill), made if there is none."""
    embedder = pipeline.__dict__.get("embedder")
    if not isinstance(embedder, CachedEmbedder):
        if embedder is not None:
            raise ConfigError("the ray engine needs the pipeline's embedder built from the config, or a "
                              "CachedEmbedder (stages/embed.py make_embedder)")
        embedder = pipeline.__dict__["embedder"] = CachedEmbedder(_LoadedOnFirstUse(pipeline))
    return embedder


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
