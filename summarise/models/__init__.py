"""Language model backends, one per file, behind the capabilities of models/base.py.

    llama_cpp.py      any GGUF through llama-cpp-python (default: the packaged Qwen2.5-Coder-1.5B)
    transformers.py   any Hugging Face model name or local path
    openai.py         any OpenAI-compatible HTTP server (vLLM, Ollama, llama.cpp's server, hosted)
    fake.py           plain Python callables, for tests
    nli.py            not a language model: an NLI classifier as the verifier's judge ([verify] judge = "nli")

`[model] backend` names one of them, or `package.module:ClassName` for one's own; a backend
class is built with `from_settings(settings, n_threads=..., seed=...)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from summarise.models.base import (ChatModel, EntailmentJudge, LanguageModel, LazyModel, ModelUsage, PerplexityScorer,
                                   YesNoJudge, can)
from summarise.registry import resolve

__all__ = ["ChatModel", "EntailmentJudge", "LanguageModel", "LazyModel", "ModelSettings", "ModelUsage",
           "PerplexityScorer", "YesNoJudge", "can", "make_language_model"]


@dataclass(frozen=True)
class ModelSettings:
    """[model]: the one language model that fusion, the judge and the spin check share."""

    METHODS: ClassVar[dict[str, str]] = {
        "llama_cpp": "summarise.models.llama_cpp:LlamaCppModel",
        "transformers": "summarise.models.transformers:TransformersModel",
        "openai": "summarise.models.openai:OpenAIModel",
        "fake": "summarise.models.fake:FakeModel",
    }
    backend: str = "llama_cpp"
    name: str = ""  # "" is the packaged GGUF; else a path, a Hugging Face name, or the server's model name
    base_url: str = ""  # openai: the server, e.g. http://127.0.0.1:8000/v1
    api_key_env: str = "OPENAI_API_KEY"  # openai: the environment variable holding the key, if any
    timeout: float = 120.0  # openai: seconds for one request
    # llama_cpp: prompt-lookup draft, tokens checked in one pass; 0 = one token a pass; "auto" = 4
    # where this CPU's batched pass is cheap enough to pay, else 0 (measured once, then cached)
    draft_tokens: int | str = "auto"

    def __post_init__(self):
        from summarise.models.llama_cpp import checked_draft_tokens  # here: llama_cpp imports this package
        checked_draft_tokens(self.draft_tokens, auto=True)

    @property
    def method(self) -> str:  # the field the config checks against METHODS
        return self.backend


def make_language_model(settings: ModelSettings = ModelSettings(), n_threads: int = 2, seed: int = 0) -> LanguageModel:
    backend = resolve("model backend", settings.backend, ModelSettings.METHODS)
    return backend.from_settings(settings, n_threads=n_threads, seed=seed)
