"""The Ray engine gives the local engine's answer, byte for byte, on a local Ray instance started
here (one per module: starting Ray takes seconds): on the seeds, on the first 300 documents of the
evaluation pool with a worker killed mid-run, on bad documents, and for two days of `daily`.

Extractive config (no language model): the real MiniLM embedder, spin check off, extractive fusion,
no judge. Select with `-m ray`; they run in the default `python -m pytest` (the ray extra is part
of `./setup.sh`)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
import ray

from summarise.cli import main
from summarise.config import load_config
from summarise.engines.ray import RayEngine, init_local
from summarise.pipeline import Pipeline
from summarise.render import render

pytestmark = pytest.mark.ray

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
POOL = REPO.parent / "shared" / "eval" / "clusters_multinews_pool.jsonl"
EXTRACTIVE = {"spin": {"method": "none"}, "fuse": {"method": "extractive"}, "verify": {"judge": "none"}}


@pytest.fixture(scope="module")
def local_ray():
    # 4 logical CPUs on 2 cores: the shared pipeline's 2 workers leave room for the daily test's own
    init_local(cpus=4, object_store_bytes=256 * 1024 ** 2)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def config():
    return load_config("default", **EXTRACTIVE, ingest={"max_articles": 10_000})


@pytest.fixture(scope="module")
def on_ray(local_ray, config):
    """One Ray pipeline for the module: its two workers load MiniLM once."""
    pipeline = Pipeline(config, progress=False, engine=RayEngine(workers=2))
    yield pipeline
    pipeline.close()


def as_json(pipeline: Pipeline, inputs) -> str:
    return render(pipeline.run(inputs), "json")


def test_seeds_same_json_and_the_stages_are_reported(on_ray, config):
    seen = []

    @contextmanager
    def hook(stage):
        seen.append(stage)
        yield

    on_ray.on_stage = hook
    try:
        ray_json = as_json(on_ray, [SEEDS])
    finally:
        on_ray.on_stage = None
    assert ray_json == as_json(Pipeline(config, progress=False), [SEEDS])
    assert json.loads(ray_json)["events"] and {"ingest", "embed", "cluster", "events"} <= set(seen)
    assert {"ingest", "segment", "embed", "rank", "fuse_verify"} <= set(on_ray.engine.worker_seconds)
    assert set(on_ray.engine.worker_cpu_seconds) == set(on_ray.engine.worker_seconds)


@pytest.mark.skipif(not POOL.exists(), reason=f"evaluation data not found at {POOL}")
def test_300_pool_documents_same_json_with_a_worker_killed_mid_run(on_ray, config):
    records = []
    with POOL.open(encoding="utf-8") as lines:
        for line, _ in zip(lines, range(300)):
            doc = json.loads(line)
            records.append({"doc_id": doc["doc_id"], "text": doc["text"]})
    engine = on_ray.engine
    engine.start(on_ray)
    victim = engine.worker_pids[0]
    killed = threading.Event()
    embedding = threading.Event()

    def kill():
        if embedding.is_set():  # the worker dies in the middle of its embedding calls
            os.kill(victim, signal.SIGKILL)
            killed.set()

    @contextmanager
    def hook(stage):
        if stage != "embed":
            yield
            return
        embedding.set()
        timer = threading.Timer(3.0, kill)
        timer.start()
        try:
            yield
        finally:
            embedding.clear()
            timer.cancel()

    on_ray.on_stage = hook
    try:
        ray_json = as_json(on_ray, records)
    finally:
        on_ray.on_stage = None
    assert killed.is_set(), "the worker was not killed while embedding"
    assert ray.get(engine.actors[0].pid.remote()) != victim  # Ray restarted it
    local_json = as_json(Pipeline(config, progress=False), records)
    data = json.loads(ray_json)
    assert len(data["articles"]) + len(data["rejected"]) == 300  # no article lost
    assert len(data["events"]) > 20
    assert ray_json == local_json


def test_bad_documents_are_rejections_with_the_same_answer(on_ray, config, tmp_path):
    good = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))[:2]]
    lines = [json.dumps(good[0]), "[1, 2, 3]", "42", json.dumps({"text": ""}), json.dumps({"text": 12345}),
             json.dumps({"title": "no text at all"}), "{not json", json.dumps({"text": "<html><body><p>" + "\u0000" * 50}),
             json.dumps({"text": "Le conseil municipal a vote le budget de la ville pour l'annee prochaine. " * 8}),
             json.dumps({"text": "word " * 300_000}), json.dumps(good[1])]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ray_json = as_json(on_ray, [path, b"\xff\xfe raw bytes are not an input"])
    assert ray_json == as_json(Pipeline(config, progress=False), [path, b"\xff\xfe raw bytes are not an input"])
    data = json.loads(ray_json)
    assert len(data["articles"]) == 2 and len(data["rejected"]) == len(lines) - 2 + 1


def test_daily_two_days_same_files(local_ray, tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from daily_support import ARTICLES, DAY1, DAY2, write_config
    from test_daily import outputs, write_jsonl

    config = write_config(tmp_path)
    produced = {}
    for engine in ("local", "ray"):
        out, state = tmp_path / engine, tmp_path / f"{engine}.sqlite"
        for day in (DAY1, DAY2):
            inputs = write_jsonl(tmp_path / f"{day}.jsonl", [k for k in ARTICLES if ARTICLES[k]["day"] == day])
            assert main(["daily", str(inputs), "--date", day, "--out-dir", str(out), "--state", str(state),
                         "--config", str(config), "--quiet", "--engine", engine]) == 0
        produced[engine] = outputs(out, DAY2)
    assert produced["ray"] == produced["local"]
    day2 = json.loads(produced["ray"]["json"])
    assert any(e["story"]["continues"] and e["new_sentences"] for e in day2["events"])  # the NewFirstRanker path


def test_local_engine_imports_no_ray():
    code = ("import sys; sys.modules['ray'] = None\n"  # any import of ray would fail
            "from summarise.config import load_config\nfrom summarise.pipeline import Pipeline\n"
            f"config = load_config('default', embed={{'method': 'hashing'}}, **{EXTRACTIVE!r})\n"
            f"briefing = Pipeline(config, progress=False).run([{str(SEEDS)!r}])\n"
            "assert briefing.events\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr


def test_engine_names_and_options_are_checked(capsys):
    from summarise.config import ConfigError

    with pytest.raises(ConfigError, match="unknown engine 'spark'"):
        Pipeline("fast", engine="spark")
    assert main(["brief", str(SEEDS), "--ray-address", "auto", "--quiet"]) == 2
    assert "--ray-address needs --engine ray" in capsys.readouterr().err
