"""What a language model backend can do, split by capability, so a backend implements only what
it can: every backend chats; most can answer a yes/no question with a probability (the judge);
only those that expose token probabilities of a whole text can score perplexity (the spin check).

    ChatModel          chat(system, user, max_tokens) -> str
    YesNoJudge         yes_probability(system, user) -> float
    PerplexityScorer   perplexity(text, max_tokens) -> float
    EntailmentJudge    entailment_probability(premise, hypothesis) -> float  (an NLI classifier, models/nli.py)

A stage asks for the capability it needs (fuse: ChatModel; verify: YesNoJudge or EntailmentJudge;
spin check: PerplexityScorer) and `can(model, Capability)` tells whether a backend has it.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable, Protocol, runtime_checkable


YES, NO = "Yes", "No"


@runtime_checkable
class ChatModel(Protocol):
    def chat(self, system: str, user: str, max_tokens: int) -> str:
        """Greedy reply to one system + user turn."""


@runtime_checkable
class YesNoJudge(Protocol):
    def yes_probability(self, system: str, user: str) -> float:
        """P(first reply token is "Yes") / (P("Yes") + P("No"))."""


@runtime_checkable
class EntailmentJudge(Protocol):
    def entailment_probability(self, premise: str, hypothesis: str) -> float:
        """P(the premise entails the hypothesis), from a classifier rather than a prompt."""


@runtime_checkable
class PerplexityScorer(Protocol):
    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        """Perplexity of the first max_tokens tokens of text."""


class LanguageModel(ChatModel, YesNoJudge, PerplexityScorer, Protocol):
    """A backend with every capability (llama.cpp, transformers, fake)."""


def can(model: object, capability: type) -> bool:
    """Does the model have this capability? A backend may also say no at run time through a
    `capabilities` attribute (an HTTP server that gives no logprobs cannot judge)."""
    declared = getattr(model, "capabilities", None)
    if declared is not None:
        return capability in declared
    return isinstance(model, capability)


class LazyModel:
    """A model handle that loads on first use (via `load`), so a step that may never need the model
    (the spin check, when no article is a suspect rewrite) costs nothing."""

    def __init__(self, load: Callable[[], object]):
        self._load = load

    def __getattr__(self, name: str):
        return getattr(self._load(), name)


@dataclass
class ModelUsage:
    """What a backend was asked to compute, for the bench: tokens are the real cost on a CPU, and a
    prompt prefix the backend kept from the previous call is not evaluated again."""

    chat_calls: int = 0
    judge_calls: int = 0
    perplexity_calls: int = 0
    prompt_tokens: int = 0  # in all prompts sent
    prompt_tokens_evaluated: int = 0  # of those, not served from the kept prefix
    generated_tokens: int = 0
    decode_steps: int = 0  # model passes that generated them (prompt lookup checks several tokens in one)
    seconds: float = 0.0  # wall time inside the backend's calls

    def as_dict(self) -> dict:
        return asdict(self)


def two_way(yes_logit: float, no_logit: float) -> float:
    return 1.0 / (1.0 + math.exp(no_logit - yes_logit))
