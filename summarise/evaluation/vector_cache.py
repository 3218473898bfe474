"""A file-backed sentence-vector cache for evaluation runs: embedding a 12,000-document pool costs
tens of minutes on a CPU, and a rerun of `summarise eval cluster` on the same texts with the same
embedder should not pay that again. Not used by the product pipeline."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


class FileVectorCache:
    """Wraps an embedder: each text's vector is read from `folder` when an earlier run stored it
    under the same `model_key`, else embedded and appended there (one file per call, so a run that
    is stopped keeps what it embedded)."""

    def __init__(self, inner, folder: str | Path, model_key: str):
        self.inner = inner
        self.folder = Path(folder)
        self.model_key = model_key
        self.folder.mkdir(parents=True, exist_ok=True)
        self._vectors: dict[str, np.ndarray] = {}
        for part in sorted(self.folder.glob("part-*.npz")):
            with np.load(part) as data:
                self._vectors.update(zip(data["keys"].tolist(), data["vectors"]))

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_key}\0{text}".encode("utf-8")).hexdigest()

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = list(dict.fromkeys(k_t for k_t in zip(keys, texts) if k_t[0] not in self._vectors))
        if missing:
            vectors = self.inner.embed([t for _, t in missing])
            new_keys = [k for k, _ in missing]
            self._vectors.update(zip(new_keys, vectors))
            part = self.folder / f"part-{len(list(self.folder.glob('part-*.npz'))):05d}.npz"
            np.savez(part, keys=np.array(new_keys), vectors=np.asarray(vectors, dtype=np.float32))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])
