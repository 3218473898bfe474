"""Pipeline configuration: one section per stage, each a small dataclass that lives beside the
stage it configures (`RankSettings` in stages/rank.py, ...). A config file is TOML with the same
sections; a name means configs/NAME.toml.

    name = "fast"
    [fuse]
    method = "extractive"
    [cluster]
    similarity = 0.65

Unknown sections and keys are refused with a message that names them. Files in the flat layout
of version 0.1 (`cluster_similarity = 0.65` at the top) still load, with a warning that shows
the sectioned form to write instead.
"""
from __future__ import annotations

import tomllib
import warnings
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from summarise.daily import DailySettings
from summarise.inputs.fetch import FetchSettings
from summarise.inputs.ingest import IngestSettings
from summarise.models import ModelSettings
from summarise.registry import UnknownMethod, check
from summarise.stages.cluster import ClusterSettings
from summarise.stages.dedup import DedupSettings
from summarise.stages.embed import EmbedSettings
from summarise.stages.fuse import FuseSettings
from summarise.stages.rank import RankSettings
from summarise.stages.spin import SpinSettings
from summarise.stages.verify import VerifySettings

CONFIG_DIR = Path(__file__).parent / "configs"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    name: str = "default"
    n_threads: int = 2  # CPU threads for the embedder and the language model
    seed: int = 0
    ingest: IngestSettings = field(default_factory=IngestSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    spin: SpinSettings = field(default_factory=SpinSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    rank: RankSettings = field(default_factory=RankSettings)
    fuse: FuseSettings = field(default_factory=FuseSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)
    daily: DailySettings = field(default_factory=DailySettings)

    def override(self, **changes: Any) -> "Config":
        """A copy with some values changed: `config.override(rank={"max_sentences": 1}, name="x")`;
        a section's table changes only the keys it names."""
        return from_dict(changes, where="override", base=self)

    @property
    def uses_language_model(self) -> bool:
        """Does any step need the language model (fusion, the judge or the spin check)?"""
        return self.fuse.method == "model" or self.verify.judge == "model" or self.spin.method == "perplexity"


SECTIONS = {f.name: f.default_factory for f in fields(Config) if f.default_factory is not MISSING}
TOP_LEVEL = {f.name for f in fields(Config)} - set(SECTIONS)


def from_dict(values: dict[str, Any], where: str = "config", base: Config | None = None) -> Config:
    """`base` (default: Config()) with TOML-shaped values: top-level keys and one table per section."""
    base = base or Config()
    unknown = sorted(set(values) - TOP_LEVEL - set(SECTIONS))
    if unknown:
        raise ConfigError(f"{where} has unknown keys: {', '.join(unknown)} (sections: {', '.join(SECTIONS)})")
    changes: dict[str, Any] = {k: v for k, v in values.items() if k in TOP_LEVEL}
    for name, table in values.items():
        if name not in SECTIONS:
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{name}] must be a table of settings, not {table!r}")
        current = getattr(base, name)
        allowed = {f.name for f in fields(current)}
        wrong = sorted(set(table) - allowed)
        if wrong:
            raise ConfigError(f"{where}: [{name}] has unknown keys: {', '.join(wrong)} "
                              f"(known: {', '.join(sorted(allowed))})")
        try:
            changes[name] = replace(current, **table)
        except (TypeError, ValueError) as exc:  # a section that checks its own values
            raise ConfigError(f"{where}: [{name}] {exc}") from None
    config = replace(base, **changes)
    _check_methods(config, where)
    return config


def _check_methods(config: Config, where: str) -> None:
    for name in SECTIONS:
        section = getattr(config, name)
        methods = getattr(section, "METHODS", None)
        if methods is not None:
            try:
                check(f"{name} method", section.method, methods)
            except UnknownMethod as exc:
                raise ConfigError(f"{where}: [{name}] {exc}") from None


def load_config(name_or_path: str | Path = "default", **overrides: Any) -> Config:
    """Read a config by name (configs/NAME.toml) or by path; `overrides` as in Config.override."""
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
    if set(values) & set(FLAT_KEYS):
        values = _from_flat(values, path)
    values.setdefault("name", path.stem)
    config = from_dict(values, where=f"config {path}")
    return config.override(**overrides) if overrides else config


# -- the flat layout of version 0.1 ---------------------------------------------------------

FLAT_KEYS = {
    "embedder": ("embed", "method"), "embedder_model": ("embed", "model"),
    "generator_model": ("model", "name"), "spin_detector": ("spin", "method"),
    "max_article_chars": ("ingest", "max_article_chars"), "max_file_bytes": ("ingest", "max_file_bytes"),
    "max_articles": ("ingest", "max_articles"), "max_total_chars": ("ingest", "max_total_chars"),
    "min_article_words": ("ingest", "min_article_words"),
    "duplicate_similarity": ("dedup", "similarity"), "spin_perplexity_ratio": ("spin", "ratio"),
    "spin_min_perplexity": ("spin", "min_perplexity"), "cluster_similarity": ("cluster", "similarity"),
    **{key: ("rank", key) for key in ("max_sentences", "min_sentences", "budget_words", "corroborate_from",
                                      "max_citations", "support_similarity", "mmr_lambda", "max_event_sentences",
                                      "drop_instructions")},
    "judge_threshold": ("verify", "threshold"), "max_new_tokens": ("fuse", "max_new_tokens"),
    "regenerate": ("verify", "retries"), "max_events": ("daily", "max_events"),
    "story_similarity": ("daily", "story_similarity"), "story_window_days": ("daily", "story_window_days"),
    "fetch_timeout": ("fetch", "timeout"), "fetch_max_bytes": ("fetch", "max_bytes"),
    # these three changed meaning, not only place (see _from_flat)
    "generator": ("fuse", "method"), "judge": ("verify", "judge"), "max_sentence_words": ("rank", "max_sentence_words"),
}


def _from_flat(values: dict[str, Any], path: Path) -> dict[str, Any]:
    """Sectioned values for a flat config, with a warning that shows what to write instead."""
    out: dict[str, Any] = {k: v for k, v in values.items() if k not in FLAT_KEYS}
    for key, value in values.items():
        if key not in FLAT_KEYS:
            continue
        section, name = FLAT_KEYS[key]
        if key == "generator":  # "none" meant extractive; a backend name meant fused by that backend
            if value != "none":
                out.setdefault("model", {})["backend"] = value
            value = "extractive" if value == "none" else "model"
        elif key == "judge":
            value = "model" if value == "generator" else value
        elif key == "max_sentence_words":  # one knob then; ranking and verification each own one now
            out.setdefault("verify", {})["max_sentence_words"] = value
        out.setdefault(section, {})[name] = value
    warnings.warn(f"config {path} uses the flat layout of summarise 0.1; it still loads, but write it in "
                  f"sections instead:\n{to_toml(out)}", FutureWarning, stacklevel=3)
    return out


def to_toml(values: dict[str, Any]) -> str:
    """Sectioned values as TOML text (for the conversion message and `summarise config`)."""
    def literal(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(value)

    lines = [f"{k} = {literal(v)}" for k, v in values.items() if not isinstance(v, dict)]
    for section, table in values.items():
        if isinstance(table, dict) and table:
            lines += ["", f"[{section}]"] + [f"{k} = {literal(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"
