"""Language model backends behind one small interface, used by fuse, verify and spin detection.

- `LlamaCppModel`: any GGUF through llama-cpp-python; by default the packaged Qwen2.5-Coder-1.5B.
- `TransformersModel`: any Hugging Face model name or local path, causal or seq2seq (a path
  ending in .gguf is loaded through transformers' GGUF support).
- `FakeModel`: plain Python callables, for fast tests (like httpx's MockTransport).
All decoding is greedy, so the same prompt gives the same text.
"""
from __future__ import annotations

import math
from typing import Callable, Protocol

import numpy as np

from .model_files import packaged_gguf_path

YES, NO = "Yes", "No"


class LanguageModel(Protocol):
    def chat(self, system: str, user: str, max_tokens: int) -> str:
        """Greedy reply to one system + user turn."""

    def yes_probability(self, system: str, user: str) -> float:
        """P(first reply token is "Yes") / (P("Yes") + P("No"))."""

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        """Perplexity of the first max_tokens tokens of text."""


def _two_way(yes_logit: float, no_logit: float) -> float:
    return 1.0 / (1.0 + math.exp(no_logit - yes_logit))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


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
        return _two_way(float(last[self._yes]), float(last[self._no]))

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
        logprobs = _log_softmax(np.asarray(self._scorer.scores[: len(tokens) - 1], dtype=np.float64))
        picked = logprobs[np.arange(len(tokens) - 1), tokens[1:]]
        return float(np.exp(-picked.mean()))


class TransformersModel:
    def __init__(self, model: str = "", n_threads: int = 0):
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        if n_threads:
            torch.set_num_threads(n_threads)
        name = model or str(packaged_gguf_path())
        kwargs = {}
        if name.endswith(".gguf"):  # "repo-or-folder/file.gguf"
            name, _, gguf_file = name.rpartition("/")
            kwargs["gguf_file"] = gguf_file
        config = AutoConfig.from_pretrained(name, **kwargs)
        self.seq2seq = bool(config.is_encoder_decoder)
        model_class = AutoModelForSeq2SeqLM if self.seq2seq else AutoModelForCausalLM
        self.tokenizer = AutoTokenizer.from_pretrained(name, **kwargs)
        self.model = model_class.from_pretrained(name, torch_dtype=torch.float32, **kwargs).eval()
        self._yes = self.tokenizer.encode(YES, add_special_tokens=False)[0]
        self._no = self.tokenizer.encode(NO, add_special_tokens=False)[0]

    def _encode(self, system: str, user: str):
        if getattr(self.tokenizer, "chat_template", None) and not self.seq2seq:
            messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
            text = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            return self.tokenizer(text, return_tensors="pt", add_special_tokens=False)
        return self.tokenizer(f"{system}\n\n{user}", return_tensors="pt", truncation=True)

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        import torch

        inputs = self._encode(system, user)
        with torch.inference_mode():
            output = self.model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False)
        new = output[0] if self.seq2seq else output[0, inputs["input_ids"].shape[1]:]
        return self.tokenizer.decode(new, skip_special_tokens=True).strip()

    def yes_probability(self, system: str, user: str) -> float:
        import torch

        inputs = self._encode(system, user)
        with torch.inference_mode():
            if self.seq2seq:
                start = torch.tensor([[self.model.config.decoder_start_token_id]])
                logits = self.model(**inputs, decoder_input_ids=start).logits[0, -1]
            else:
                logits = self.model(**inputs).logits[0, -1]
        return _two_way(float(logits[self._yes]), float(logits[self._no]))

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        import torch

        if self.seq2seq:
            raise ValueError("perplexity needs a causal language model; set spin_detector = 'none'")
        ids = self.tokenizer(text, return_tensors="pt", truncation=True, max_length=max_tokens)["input_ids"]
        if ids.shape[1] < 2:
            return float("nan")
        with torch.inference_mode():
            loss = self.model(input_ids=ids, labels=ids).loss
        return float(torch.exp(loss))


class FakeModel:
    """A language model made of callables; defaults echo the first source line and say yes."""

    def __init__(self, chat: Callable[[str, str], str] | None = None,
                 yes: Callable[[str, str], float] | None = None,
                 perplexity: Callable[[str], float] | None = None):
        self._chat = chat or (lambda system, user: user)
        self._yes = yes or (lambda system, user: 0.9)
        self._perplexity = perplexity or (lambda text: 10.0)
        self.calls: list[tuple[str, str]] = []

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        self.calls.append(("chat", user))
        return self._chat(system, user)

    def yes_probability(self, system: str, user: str) -> float:
        self.calls.append(("yes", user))
        return self._yes(system, user)

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        self.calls.append(("perplexity", text))
        return self._perplexity(text)


def make_language_model(backend: str, model: str = "", n_threads: int = 2, seed: int = 0) -> LanguageModel:
    if backend == "llama_cpp":
        return LlamaCppModel(model, n_threads=n_threads, seed=seed)
    if backend == "transformers":
        return TransformersModel(model, n_threads=n_threads)
    raise ValueError(f"unknown generator {backend!r}: use 'llama_cpp', 'transformers' or 'none'")
