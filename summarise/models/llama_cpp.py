"""Any GGUF model through llama-cpp-python; by default the packaged Qwen2.5-Coder-1.5B-Instruct.
Greedy decoding, so the same prompt gives the same text.

One context serves chat, the judge and perplexity. Consecutive prompts keep their common token
prefix in the context (the constant system prompt, the claim being judged), so only what differs
is evaluated: on a CPU prompt evaluation, not generation, is most of the cost.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

import numpy as np

from summarise.models.base import NO, YES, ModelUsage, two_way
from summarise.models.files import packaged_gguf_path


class LlamaCppModel:
    # prompts here are a few source sentences; a small context and batch keep memory down
    def __init__(self, model_path: str = "", n_threads: int = 2, seed: int = 0, n_ctx: int = 4096):
        from llama_cpp import Llama

        self.path = str(model_path or packaged_gguf_path())
        self.n_threads, self.seed = n_threads, seed
        self.llm = Llama(model_path=self.path, n_ctx=n_ctx, n_batch=256, n_threads=n_threads, seed=seed,
                         verbose=False)
        self.usage = ModelUsage()
        self._yes = self._first_token(YES)
        self._no = self._first_token(NO)

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2, seed: int = 0) -> "LlamaCppModel":
        return cls(settings.name, n_threads=n_threads, seed=seed)

    def _first_token(self, word: str) -> int:
        return self.llm.tokenize(word.encode(), add_bos=False, special=False)[0]

    def _prompt(self, system: str, user: str) -> list[int]:
        # ChatML, the template of Qwen2.5 (and of most GGUF chat models) as a plain string
        text = (f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
                "<|im_start|>assistant\n")
        return self.llm.tokenize(text.encode(), add_bos=False, special=True)

    def _kept_prefix(self, tokens: list[int]) -> int:
        """How many leading tokens the context already holds (at least one is always evaluated)."""
        held = self.llm.input_ids[: self.llm.n_tokens]
        return min(self.llm.longest_token_prefix(held, tokens), len(tokens) - 1)

    @contextmanager
    def _metered(self, tokens: list[int], kept: int):
        self.usage.prompt_tokens += len(tokens)
        self.usage.prompt_tokens_evaluated += len(tokens) - kept
        start = time.perf_counter()
        try:
            yield
        finally:
            self.usage.seconds += time.perf_counter() - start

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        tokens = self._prompt(system, user)
        self.usage.chat_calls += 1
        # create_completion keeps the longest common prefix itself (Llama.generate)
        with self._metered(tokens, self._kept_prefix(tokens)):
            reply = self.llm.create_completion(tokens, temperature=0.0, max_tokens=max_tokens, seed=self.seed)
        self.usage.generated_tokens += reply["usage"]["completion_tokens"]
        return (reply["choices"][0]["text"] or "").strip()

    def yes_probability(self, system: str, user: str) -> float:
        # read the logits directly: create_chat_completion(logprobs=...) gave wrong values (DESIGN.md)
        tokens = self._prompt(system, user)
        self.usage.judge_calls += 1
        kept = self._kept_prefix(tokens)
        with self._metered(tokens, kept):
            self.llm.n_tokens = kept  # eval drops the rest of the cache from here
            self.llm.eval(tokens[kept:])
            last = self.llm._ctx.get_logits_ith(-1)
            return two_way(float(last[self._yes]), float(last[self._no]))

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        tokens = self.llm.tokenize(text.encode(), add_bos=False, special=False)[: min(max_tokens, self.llm.n_batch)]
        if len(tokens) < 2:
            return float("nan")
        self.usage.perplexity_calls += 1
        with self._metered(tokens, 0):
            logits = self._all_logits(tokens)
        # row by row: a float64 softmax of the whole (tokens x 151,936) matrix at once took 1 GB
        picked = [float(row[token]) - _log_sum_exp(row) for row, token in zip(logits[:-1], tokens[1:])]
        return float(np.exp(-np.mean(picked)))

    def _all_logits(self, tokens: list[int]) -> np.ndarray:
        """Logits of every position of one batch (a view of the context's buffer: read it before the
        next call), in the one shared context: a context that keeps
        all logits for its whole window costs n_ctx x vocabulary floats (1.2 GB at 2,048 tokens)."""
        llm = self.llm
        llm.n_tokens = 0
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        llm._batch.set_batch(batch=tokens, n_past=0, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm.input_ids[: len(tokens)] = tokens
        llm.n_tokens = len(tokens)
        vocab = llm.n_vocab()
        return np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(len(tokens) * vocab,)).reshape(len(tokens), vocab)


def _log_sum_exp(row: np.ndarray) -> float:
    top = float(row.max())
    return top + float(np.log(np.exp(row - top, dtype=np.float64).sum()))
