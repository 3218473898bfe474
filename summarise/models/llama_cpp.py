"""Any GGUF model through llama-cpp-python; by default the packaged Qwen2.5-Coder-1.5B-Instruct.
Greedy decoding, so the same prompt gives the same text.

One context serves chat, the judge and perplexity. Consecutive prompts keep the constant system
prompt in the context, so only the user part is evaluated: on a CPU prompt evaluation, not
generation, is most of the cost. The cache cells of each system prompt are also kept aside once
evaluated, in memory and in the per-user cache, so switching between fusing and judging, or a new
process, copies them back instead of evaluating the prompt again. Nothing past the system prompt
is kept from one call to the next, so an answer depends on its prompt alone (`_reuse`).
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from summarise.models.base import NO, YES, ModelUsage, two_way
from summarise.models.files import cache_dir, packaged_gguf_path

# the fusion prompt (rules and worked examples, ~2 KB, plus 4 sources of at most 700 bytes each)
# stays under 5,200 tokens even if every byte were a token (tests/robustness/limits.py)
CONTEXT_TOKENS = 6144
LOGITS_CHUNK = 64  # tokens whose logits the spin check reads at once (_decode_all)
DRAFT_TOKENS = 4  # prompt-lookup draft length (_greedy) where drafting pays; 0 decodes token by token
# Drafting pays where one pass of 1 + DRAFT_TOKENS tokens costs less than about as many one-token
# passes as it keeps tokens: 2.4 on the seeds' fusion prompts; a little below that, to be safe
# (docs/benchmarks.md, "Drafts only where a batched pass is cheap").
DRAFT_PAYS_BELOW = 2.2
MAX_SAVED_PROMPTS = 4  # system prompts whose cells are kept (fusion, judge: a few MB each)


class LlamaCppModel:
    # prompts here are a few source sentences; a small context and batch keep memory down
    def __init__(self, model_path: str = "", n_threads: int = 2, seed: int = 0, n_ctx: int = CONTEXT_TOKENS,
                 draft_tokens: int | str = "auto"):
        import llama_cpp
        from llama_cpp import Llama

        self.path = str(model_path or packaged_gguf_path())
        self.n_threads, self.seed = n_threads, seed
        self.llm = Llama(model_path=self.path, n_ctx=n_ctx, n_batch=256, n_threads=n_threads, seed=seed,
                         verbose=False)
        self.usage = ModelUsage()
        self._lib = llama_cpp  # the C API, for the cache cells of one sequence
        self._system_cells: dict[tuple[int, ...], bytes] = {}  # a system prompt's tokens -> its KV cells
        self._yes = self._first_token(YES)
        self._no = self._first_token(NO)
        self.draft_tokens = self._draft_length() if draft_tokens == "auto" else checked_draft_tokens(draft_tokens)

    @classmethod
    def from_settings(cls, settings, n_threads: int = 2, seed: int = 0) -> LlamaCppModel:
        return cls(settings.name, n_threads=n_threads, seed=seed, draft_tokens=settings.draft_tokens)

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

    def _reuse(self, tokens: list[int]) -> int:
        """Make the context hold the system prompt of `tokens`, and no more; returns its length.
        The user part is always evaluated whole, in one go: llama.cpp's logits move with how the
        tokens before were batched (a judge answer 0.888 asked fresh, 0.871 asked again with all
        but its last token kept), so keeping more of the previous prompt would make an answer,
        and a briefing, depend on what the process was asked before. The system prompt's cells
        come back from memory or the disk cache when the context lost them to another prompt (or
        is new); they are always evaluated from position 0 alone."""
        system_len = _system_length(tokens)
        if self._kept_prefix(tokens) >= system_len:
            self.llm.n_tokens = system_len
            return system_len
        key = tuple(tokens[:system_len])
        if not self._restore(key):
            # from position 0, so that the cells depend on the prompt alone, not on what came before
            self.llm.n_tokens = 0
            self.llm.eval(tokens[:system_len])
            self.usage.prompt_tokens_evaluated += system_len
            self._remember(key, self._save_cells())
        return system_len

    def _restore(self, key: tuple[int, ...]) -> bool:
        data = self._system_cells.get(key) or self._read_cells_file(key)
        if data is None:
            return False
        self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        self.llm.n_tokens = 0
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if self._lib.llama_state_seq_set_data(self.llm._ctx.ctx, buffer, len(data), 0) != len(data):
            self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)  # a stale or damaged file: evaluate instead
            self._system_cells.pop(key, None)
            return False
        self.llm.input_ids[: len(key)] = key
        self.llm.n_tokens = len(key)
        self._remember(key, data, write=False)
        return True

    def _remember(self, key: tuple[int, ...], data: bytes, write: bool = True) -> None:
        if key not in self._system_cells and len(self._system_cells) >= MAX_SAVED_PROMPTS:
            self._system_cells.pop(next(iter(self._system_cells)))
        self._system_cells[key] = data
        if write:
            self._write_cells_file(key, data)

    def _save_cells(self) -> bytes:
        ctx = self.llm._ctx.ctx
        size = self._lib.llama_state_seq_get_size(ctx, 0)
        buffer = (ctypes.c_uint8 * size)()
        written = self._lib.llama_state_seq_get_data(ctx, buffer, size, 0)
        return bytes(buffer[:written])

    def _cache_file(self, folder: str, identity: str, key: bytes = b"") -> Path:
        """One file per (model file, llama.cpp version, context size, `identity`, `key`)."""
        info = Path(self.path).stat()
        identity = f"{self.path}|{info.st_size}|{info.st_mtime_ns}|{self._lib.__version__}|{self.llm.n_ctx()}|{identity}"
        return cache_dir() / folder / hashlib.sha256(identity.encode() + key).hexdigest()[:32]

    def _cells_file(self, key: tuple[int, ...]) -> Path:
        """Cells are only valid for the model file and llama.cpp version that made them."""
        return self._cache_file("prompt-cells", "", np.asarray(key, dtype=np.int64).tobytes()).with_suffix(".cells")

    def _draft_length(self) -> int:
        """DRAFT_TOKENS where this CPU checks a draft cheaply, else 0. A draft of k tokens is
        checked in one pass of k + 1; that pays only if such a pass costs less than the single
        steps it saves (an Intel Xeon's pass of 4 cost 1.6 steps; an AMD EPYC's of 5, 4). Measured
        once per CPU, thread count, model and llama.cpp version, then kept in the per-user cache:
        the draft length can flip a near tie, so a fresh measurement must not change a briefing."""
        cpu = _cpu_name()
        path = self._cache_file("draft-length", f"{cpu}|{self.n_threads}").with_suffix(".json")
        try:
            return checked_draft_tokens(json.loads(path.read_text(encoding="utf-8"))["draft_tokens"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        # Decided on the cost as recorded, so the record explains the choice (2.196 pays; 2.20 not).
        cost = round(self._pass_cost_in_single_steps(1 + DRAFT_TOKENS), 2)
        length = DRAFT_TOKENS if cost < DRAFT_PAYS_BELOW else 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"draft_tokens": length, "pass_cost_in_single_steps": cost,
                                        "cpu": cpu, "threads": self.n_threads}), encoding="utf-8")
        except OSError:
            pass  # measured again next time: costs a second, never a briefing
        return length

    def _pass_cost_in_single_steps(self, size: int, repeats: int = 5) -> float:
        """What a pass of `size` tokens costs in one-token passes (the fastest of `repeats` each,
        after a short prompt, as in generation); the context is left empty."""
        text = "The council met on Tuesday to discuss the budget, the roads and the schools it pays for. " * 8
        tokens = self.llm.tokenize(text.encode(), add_bos=False, special=False)
        self.llm.n_tokens = 0
        self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        self.llm.eval(tokens[:64])
        best = {1: float("inf"), size: float("inf")}
        for _ in range(repeats):
            for length in best:
                start = time.perf_counter()
                self._decode_all(tokens[64:64 + length])
                best[length] = min(best[length], time.perf_counter() - start)
                self.llm._ctx.kv_cache_seq_rm(-1, 64, -1)
                self.llm.n_tokens = 64
        self.llm.n_tokens = 0
        self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        return best[size] / best[1]

    def _read_cells_file(self, key: tuple[int, ...]) -> bytes | None:
        """The saved cells, or None when missing or damaged (the file ends with their sha256)."""
        try:
            stored = self._cells_file(key).read_bytes()
        except OSError:
            return None
        data, digest = stored[:-32], stored[-32:]
        return data if len(stored) > 32 and hashlib.sha256(data).digest() == digest else None

    def _write_cells_file(self, key: tuple[int, ...], data: bytes) -> None:
        """Best effort: a cache that cannot be written costs time, never a briefing."""
        try:
            target = self._cells_file(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".cells-", delete=False) as out:
                out.write(data + hashlib.sha256(data).digest())
            os.replace(out.name, target)  # whole files only, whatever runs beside
        except OSError:
            pass

    @contextmanager
    def _metered(self, tokens: list[int], reuse: bool = True):
        """Counts and times one call; yields how many leading tokens need no evaluation."""
        start = time.perf_counter()
        try:
            kept = self._reuse(tokens) if reuse else 0
            self.usage.prompt_tokens += len(tokens)
            self.usage.prompt_tokens_evaluated += len(tokens) - kept
            yield kept
        finally:
            self.usage.seconds += time.perf_counter() - start

    def chat(self, system: str, user: str, max_tokens: int) -> str:
        tokens = self._prompt(system, user)
        self.usage.chat_calls += 1
        with self._metered(tokens) as kept:
            self.llm.n_tokens = kept  # eval drops the rest of the cache from here
            self.llm.eval(tokens[kept:])
            reply = self._greedy(tokens, max_tokens)
        self.usage.generated_tokens += len(reply)
        return self.llm.detokenize(reply).decode("utf-8", errors="ignore").strip()

    def _greedy(self, prompt: list[int], max_tokens: int) -> list[int]:
        """Greedy decoding with prompt lookup: where the reply repeats a run of the prompt (a fused
        sentence copies much of its sources), the run's continuation is drafted and checked in one
        batch, and kept as far as the model's own choice agrees. It pays only where a batched pass is
        cheap (`_draft_length`); with `draft_tokens` 0 it decodes one token a pass."""
        llm, vocab, reply = self.llm, self.llm._model.vocab, []
        token = int(np.argmax(np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(llm.n_vocab(),))))
        while len(reply) < max_tokens and not self._lib.llama_vocab_is_eog(vocab, token):
            reply.append(token)
            draft = lookup_continuation(prompt + reply, self.draft_tokens)[: max_tokens - len(reply)]
            predicted = self._decode_all([token, *draft]).argmax(axis=1)
            self.usage.decode_steps += 1
            accepted = 0
            while accepted < len(draft) and predicted[accepted] == draft[accepted]:
                accepted += 1
            for drafted in draft[:accepted]:
                if self._lib.llama_vocab_is_eog(vocab, drafted):
                    return reply
                reply.append(drafted)
            keep = llm.n_tokens - len(draft) + accepted  # the cache holds the whole batch: drop what was refused
            llm._ctx.kv_cache_seq_rm(-1, keep, -1)
            llm.n_tokens = keep
            token = int(predicted[accepted])
        return reply

    def yes_probability(self, system: str, user: str) -> float:
        # read the logits directly: create_chat_completion(logprobs=...) gave wrong values (DESIGN.md)
        tokens = self._prompt(system, user)
        self.usage.judge_calls += 1
        with self._metered(tokens) as kept:
            self.llm.n_tokens = kept  # eval drops the rest of the cache from here
            self.llm.eval(tokens[kept:])
            last = self.llm._ctx.get_logits_ith(-1)
            return two_way(float(last[self._yes]), float(last[self._no]))

    def perplexity(self, text: str, max_tokens: int = 256) -> float:
        tokens = self.llm.tokenize(text.encode(), add_bos=False, special=False)[:max_tokens]
        if len(tokens) < 2:
            return float("nan")
        self.usage.perplexity_calls += 1
        picked: list[float] = []  # log-probability of each token after the first
        with self._metered(tokens, reuse=False):
            self.llm.n_tokens = 0
            self.llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            for start in range(0, len(tokens), LOGITS_CHUNK):
                chunk = tokens[start:start + LOGITS_CHUNK]
                logits = self._decode_all(chunk)
                following = tokens[start + 1:start + 1 + len(chunk)]
                # row by row: a float64 softmax of a whole (tokens x 151,936) matrix at once took 1 GB
                picked += [float(row[token]) - _log_sum_exp(row) for row, token in zip(logits, following)]
        return float(np.exp(-np.mean(picked)))

    def _decode_all(self, tokens: list[int]) -> np.ndarray:
        """Evaluate `tokens` after what the context holds; the logits of each (a view of the
        context's buffer: read it before the next call). `perplexity` asks it for LOGITS_CHUNK
        tokens at a time, so that the buffer stays LOGITS_CHUNK x vocabulary floats (39 MB)."""
        llm = self.llm
        llm._batch.set_batch(batch=tokens, n_past=llm.n_tokens, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm.input_ids[llm.n_tokens: llm.n_tokens + len(tokens)] = tokens
        llm.n_tokens += len(tokens)
        vocab = llm.n_vocab()
        return np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(len(tokens) * vocab,)).reshape(len(tokens), vocab)


def lookup_continuation(history: list[int], length: int, longest: int = 3) -> list[int]:
    """The `length` tokens that followed the latest earlier occurrence of the history's last
    `longest` (else fewer) tokens: prompt-lookup decoding's draft (Saxena 2023)."""
    if length <= 0:
        return []
    for n in range(min(longest, len(history) - 1), 0, -1):
        tail = history[-n:]
        for start in range(len(history) - n - 1, -1, -1):
            if history[start:start + n] == tail:
                return history[start + n: start + n + length]
    return []


def checked_draft_tokens(value: int | str, auto: bool = False) -> int | str:
    """A draft length, 0 or more ("auto" too where `auto`); a clear error for anything else."""
    if auto and value == "auto":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f'draft_tokens must be "auto" or a number of tokens, 0 or more; got {value!r}')
    return value


def _cpu_name() -> str:
    """The CPU's model name (a draft's cost depends on it); "" where the system does not say."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            return next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    except OSError:
        return ""


def _system_length(tokens: list[int]) -> int:
    """Tokens of the system turn: a ChatML prompt's second <|im_start|> opens the user turn."""
    try:
        return tokens.index(tokens[0], 1) if tokens else 0
    except ValueError:
        return 0


def _log_sum_exp(row: np.ndarray) -> float:
    top = float(row.max())
    return top + float(np.log(np.exp(row - top, dtype=np.float64).sum()))
