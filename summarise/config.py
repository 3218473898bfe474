"""Pipeline configuration: one flat dataclass, read from a TOML file in configs/ or a path.

Each model-backed stage is chosen by name (`embedder`, `generator`, `judge`, `spin_detector`),
so a config swaps an implementation without touching code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

CONFIG_DIR = Path(__file__).parent / "configs"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    name: str = "default"
    # models: "" means the packaged model; otherwise a Hugging Face name or a local path
    embedder: str = "minilm"  # minilm | hashing (no model; for tests)
    embedder_model: str = ""
    generator: str = "llama_cpp"  # llama_cpp | transformers | none (extractive)
    generator_model: str = ""
    judge: str = "generator"  # generator (same model as yes/no judge) | none (hard checks only)
    spin_detector: str = "perplexity"  # perplexity (the language model's) | none
    n_threads: int = 2
    seed: int = 0
    # ingest limits
    max_article_chars: int = 200_000
    max_file_bytes: int = 20_000_000
    max_articles: int = 2_000
    max_total_chars: int = 20_000_000  # article text per run, all articles together
    min_article_words: int = 40
    # deduplicate
    duplicate_similarity: float = 0.95  # article cosine at or above which one copies another
    spin_perplexity_ratio: float = 1.8  # an article this many times the median perplexity is spun
    spin_min_perplexity: float = 40.0
    # cluster
    cluster_similarity: float = 0.65  # article cosine for average-link event clustering (docs/benchmarks.md sweep)
    # rank
    max_sentences: int = 6
    min_sentences: int = 4
    budget_words: int = 0  # if > 0, pick sentences until the event's briefing has this many words
    corroborate_from: int = 3  # events with this many outlets brief only facts two of them state; 0: off
    max_citations: int = 5  # per briefing sentence: the anchor and the closest other outlets
    support_similarity: float = 0.72  # sentence cosine at which two outlets state the same fact
    mmr_lambda: float = 0.7
    max_sentence_words: int = 60
    max_event_sentences: int = 4_000  # ranked per event, leading sentences first (bounds memory)
    drop_instructions: bool = True  # source sentences that address the model never rank (guard.py)
    # fuse and verify
    judge_threshold: float = 0.5
    max_new_tokens: int = 80
    regenerate: int = 1  # retries of a sentence that fails verification before falling back
    # daily briefings (summarise daily)
    max_events: int = 8  # events with a full section; the rest get one line under "Also today"
    story_similarity: float = 0.5  # event-centroid cosine at which today's event continues a stored story
    story_window_days: int = 7  # how far back a story may have last appeared and still continue
    fetch_timeout: float = 15.0  # seconds for one whole download (feed or article page)
    fetch_max_bytes: int = 5_000_000  # larger feeds and pages are rejected


def load_config(name_or_path: str | Path = "default", **overrides) -> Config:
    """Read a config by name (configs/NAME.toml) or by path; keyword overrides win."""
    path = Path(name_or_path)
    if not path.suffix:
        path = CONFIG_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in CONFIG_DIR.glob("*.toml")))
        raise ConfigError(f"no config {str(name_or_path)!r}: give a path to a .toml file or one of: {known}")
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from None
    known_keys = {f.name for f in fields(Config)}
    unknown = sorted(set(values) - known_keys)
    if unknown:
        raise ConfigError(f"config {path} has unknown keys: {', '.join(unknown)}")
    values.setdefault("name", path.stem)
    return replace(Config(), **{**values, **overrides})
