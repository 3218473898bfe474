"""A language model made of plain Python callables, for fast tests (like httpx's MockTransport)."""
from __future__ import annotations

from typing import Callable


class FakeModel:
    """A language model made of callables; defaults echo the first source line and say yes."""

    def __init__(self, chat: Callable[[str, str], str] | None = None,
                 yes: Callable[[str, str], float] | None = None,
                 perplexity: Callable[[str], float] | None = None):
        self._chat = chat or (lambda system, user: user)
        self._yes = yes or (lambda system, user: 0.9)
        self._perplexity = perplexity or (lambda text: 10.0)
        self.calls: list[tuple[str, str]] = []

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2, seed: int = 0) -> "FakeModel":
        return cls()  # echoes and says yes: a config can run the whole pipeline with no model

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        self.calls.append(("chat", user))
        return self._chat(system, user)

    def yes_probability(self, system: str, user: str) -> float:
        self.calls.append(("yes", user))
        return self._yes(system, user)

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        self.calls.append(("perplexity", text))
        return self._perplexity(text)
