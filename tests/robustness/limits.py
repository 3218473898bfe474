"""Limits: each has a stated value and a clear error past it; memory stays bounded.

Each check runs the real code at the limit and one past it, and reports the value, what
happened just under it and the rejection reason just over it.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from summarise.config import Config
from summarise.inputs.ingest import load_articles

SENTENCE = "The council said on Tuesday that the new bridge over the river would open next spring. "


def _article(chars: int, n: int = 0) -> str:
    body = (f"Report {n}. " + SENTENCE * (chars // len(SENTENCE) + 1))
    return body[: chars - 1].rsplit(" ", 1)[0] + "."


def _one(inputs: list, config: Config) -> tuple[int, list[str]]:
    ingested = load_articles(inputs, config.ingest)
    return len(ingested.articles), [r.reason for r in ingested.rejected]


def check_article_chars(config: Config) -> dict:
    limit = config.ingest.max_article_chars
    accepted, _ = _one([_article(limit)], config)
    _, reasons = _one([_article(limit + 200)], config)
    return {"value": f"{limit:,} characters per article", "at_limit_accepted": accepted == 1,
            "past_limit_error": reasons[0] if reasons else "(none: accepted)"}


def check_file_bytes(config: Config) -> dict:
    limit = config.ingest.max_file_bytes
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "huge.txt"
        with open(path, "wb") as out:  # sparse: a huge file without writing it
            out.truncate(limit + 1)
        _, reasons = _one([path], config)
    return {"value": f"{limit:,} bytes per file", "past_limit_error": reasons[0] if reasons else "(none)"}


def check_article_count(config: Config) -> dict:
    limit = config.ingest.max_articles
    texts = [_article(400, n) for n in range(limit + 3)]
    accepted, reasons = _one(texts, config)
    return {"value": f"{limit:,} articles per run", "accepted": accepted, "rejected": len(reasons),
            "past_limit_error": reasons[0] if reasons else "(none)"}


def check_total_chars(config: Config) -> dict:
    limit = config.ingest.max_total_chars
    size = min(config.ingest.max_article_chars, limit // 4)
    count = limit // size + 2
    accepted, reasons = _one([_article(size, n) for n in range(count)], config.override(ingest={"max_articles": count + 1}))
    return {"value": f"{limit:,} characters of article text per run", "articles_of_size": size,
            "accepted": accepted, "rejected": len(reasons), "past_limit_error": reasons[0] if reasons else "(none)"}


def check_prompt_size() -> dict:
    """The largest fusion and judge prompts hostile input can produce, in UTF-8 bytes (a byte-level
    BPE tokenizer makes at most one token per byte), from 50 outlets' huge sentences of ASCII
    and of 4-byte emoji."""
    from summarise.models.llama_cpp import CONTEXT_TOKENS
    from summarise.stages.fuse import ADVICE, FUSION_SYSTEM, MAX_SOURCE_BYTES, MAX_SOURCES, fusion_prompt
    from summarise.stages.verify import Verifier

    def size(text: str) -> int:
        return len(text.encode("utf-8"))

    class Recorder:
        largest = 0

        def yes_probability(self, system, user):
            Recorder.largest = max(Recorder.largest, size(system) + size(user))
            return 1.0

    fusion = 0
    for huge in (["word " * 50_000] * 50, ["\U0001f600" * 50_000] * 50):
        fusion = max(fusion, size(FUSION_SYSTEM) + size(fusion_prompt(huge, strict=True, advice=list(ADVICE.values()))))
        Verifier(Recorder()).support("Not verbatim: " + huge[0][:5000], huge)  # a verbatim claim asks no judge
    return {"value": f"{MAX_SOURCES} sources per prompt, each cut to {MAX_SOURCE_BYTES} UTF-8 bytes; "
                     f"model context {CONTEXT_TOKENS:,} tokens, replies up to max_new_tokens (80)",
            "largest_fusion_prompt_bytes": fusion, "largest_judge_prompt_bytes": Recorder.largest,
            "fits_context": max(fusion, Recorder.largest) + 100 + 80 < CONTEXT_TOKENS}


def check_event_sentences(config: Config) -> dict:
    """Ranking one event of many articles: sentences ranked, and the pairwise matrix's size."""
    import numpy as np

    from summarise.stages.rank import rank_event
    from summarise.types import Article, Sentence

    n_articles, per_article = 400, 30
    articles = {f"a{i}": Article(id=f"a{i}", text="") for i in range(n_articles)}
    sentences = [Sentence(f"a{i}", j, 0, 1, f"Sentence {j} of article {i} reports the council vote today.")
                 for i in range(n_articles) for j in range(per_article)]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(sentences), 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = rank_event(sentences, vectors, articles, config.rank)
    kept = min(len(sentences), config.rank.max_event_sentences)
    return {"value": f"{config.rank.max_event_sentences:,} sentences ranked per event, leading sentences first",
            "sentences_in_event": len(sentences), "sentences_ranked": kept,
            "pairwise_matrix_mb": round(kept * kept * 4 / 1e6, 1),
            "without_cap_mb": round(len(sentences) ** 2 * 4 / 1e6, 1), "groups": len(groups)}


def run_limits(config: Config | None = None) -> dict:
    config = config or Config(name="limits").override(ingest={"min_article_words": 5})
    return {
        "max_article_chars": check_article_chars(config),
        "max_file_bytes": check_file_bytes(config),
        "max_articles": check_article_count(config),
        "max_total_chars": check_total_chars(config),
        "model_context": check_prompt_size(),
        "max_event_sentences": check_event_sentences(config),
    }


def measure_peak_memory(n_big: int = 110, big_chars: int = 190_000, n_small: int = 3_000) -> dict:
    """Peak resident memory of `summarise brief` (hashing embeddings, extractive) on a huge input:
    n_big articles of big_chars characters (more than the total-input limit), one file over the
    file-size limit and a JSONL of n_small records (more than the article-count limit)."""
    import json
    import resource
    import subprocess
    import sys
    import time

    from .determinism import OFFLINE_TOML, REPO

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for n in range(n_big):
            (folder / f"big{n:03d}.txt").write_text(_article(big_chars, n), encoding="utf-8")
        with open(folder / "huge.txt", "wb") as out:
            out.truncate(25_000_000)
        records = (json.dumps({"text": _article(600, n)}) for n in range(n_small))
        (folder / "many.jsonl").write_text("\n".join(records), encoding="utf-8")
        config = Path(tmp) / "offline.toml"
        config.write_text(OFFLINE_TOML, encoding="utf-8")
        total_bytes = sum(p.stat().st_size for p in folder.iterdir())
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "summarise", "brief", str(folder), "--format", "json",
                               "--config", str(config), "--quiet", "--out", str(Path(tmp) / "out.json")],
                              cwd=REPO, capture_output=True, timeout=3600)
        briefing = json.loads((Path(tmp) / "out.json").read_text(encoding="utf-8")) if done.returncode == 0 else {}
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    reasons = {}
    for rejection in briefing.get("rejected", []):
        key = rejection["reason"].split(" (")[0]
        reasons[key] = reasons.get(key, 0) + 1
    return {"input_bytes": total_bytes, "exit_code": done.returncode, "articles": len(briefing.get("articles", [])),
            "rejected_by_reason": reasons, "peak_rss_mb": round(peak_kb / 1024), "seconds": round(time.perf_counter() - started),
            "stderr_tail": done.stderr.decode()[-300:]}
