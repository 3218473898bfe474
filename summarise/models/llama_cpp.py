"""Any GGUF model through llama-cpp-python; by default the packaged Qwen2.5-Coder-1.5B-Instruct.
Greedy decoding, so the same prompt gives the same text."""
from __future__ import annotations

import numpy as np

from summarise.models.base import NO, YES, log_softmax, two_way
from summarise.models.files import packaged_gguf_path


class LlamaCppModel:
    # prompts here are a few source sentences; a small context and batch keep memory down
    def __init__(self, model_path: str = "", n_threads: int = 2, seed: int = 0, n_ctx: int = 2048):
        from llama_cpp import Llama

        self.path = str(model_path or packaged_gguf_path())
        self.n_threads, self.seed = n_threads, seed
        self.llm = Llama(model_path=self.path, n_ctx=n_ctx, n_batch=256, n_threads=n_threads, seed=seed,
                         verbose=False)
        self._scorer = None  # a second context keeping all logits, made on first perplexity call
        self._yes = self._first_token(YES)
        self._no = self._first_token(NO)

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2, seed: int = 0) -> "LlamaCppModel":
        return cls(settings.name, n_threads=n_threads, seed=seed)

    def _first_token(self, word: str) -> int:
        return self.llm.tokenize(word.encode(), add_bos=False, special=False)[0]

    def _messages(self, system: str, user: str) -> list[dict]:
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        reply = self.llm.create_chat_completion(self._messages(system, user), temperature=0.0,
                                                max_tokens=max_tokens, seed=self.seed)
        return (reply["choices"][0]["message"]["content"] or "").strip()

    def _prompt(self, system: str, user: str) -> list[int]:
        # ChatML, the template of Qwen2.5 (and of most GGUF chat models) as a plain string
        text = (f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
                "<|im_start|>assistant\n")
        return self.llm.tokenize(text.encode(), add_bos=False, special=True)

    def yes_probability(self, system: str, user: str) -> float:
        # read the logits directly: create_chat_completion(logprobs=...) gave wrong values (DESIGN.md)
        tokens = self._prompt(system, user)
        self.llm.reset()
        self.llm.eval(tokens)
        # without logits_all, llama-cpp-python keeps no scores: read the last row from the context
        last = self.llm._ctx.get_logits_ith(-1)
        return two_way(float(last[self._yes]), float(last[self._no]))

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        from llama_cpp import Llama

        if self._scorer is None:
            self._scorer = Llama(model_path=self.path, n_ctx=max_tokens, n_batch=max_tokens,
                                 n_threads=self.n_threads, seed=self.seed, logits_all=True, verbose=False)
        tokens = self._scorer.tokenize(text.encode(), add_bos=False, special=False)[:max_tokens]
        if len(tokens) < 2:
            return float("nan")
        self._scorer.reset()
        self._scorer.eval(tokens)
        logprobs = log_softmax(np.asarray(self._scorer.scores[: len(tokens) - 1], dtype=np.float64))
        picked = logprobs[np.arange(len(tokens) - 1), tokens[1:]]
        return float(np.exp(-picked.mean()))
