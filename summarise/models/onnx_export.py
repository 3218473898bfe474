"""A sentence encoder exported once to ONNX (pooling and normalisation included) and quantised to
int8, cached per user beside the GGUF (`files.cache_dir()`), so that later runs load onnxruntime
and the tokenizer only, not torch.

The export needs torch, transformers and onnx; it runs the first time a model is asked for and
again only when the cached file is missing, unverified or made by another recipe.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from summarise.models.files import cache_dir

# bump when the export or quantisation recipe changes, so that old cached files are not reused
RECIPE = ("minilm-onnx-2: torch.onnx opset 17, eager attention, mean pooling + L2 norm, BERT fusions (QAttention), "
          "dynamic int8 per channel")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def exported_model_dir(model_path: str) -> Path:
    """The cache folder of `model_path`'s export (model.onnx + tokenizer.json), exporting on first use."""
    target = cache_dir() / f"onnx-{_source_key(model_path)}"
    if _verified(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # build beside the target and rename, so a crash or a concurrent run never sees half an export
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".onnx-"))
    root_logger = logging.getLogger()
    level = root_logger.level
    try:
        # the tracer's and the quantiser's advice is for people writing models, not for readers
        root_logger.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _export(model_path, work)
        (work / "verified").write_text(_stamp(work))
        shutil.rmtree(target, ignore_errors=True)  # an unverified (partial, damaged) copy
        try:
            os.replace(work, target)
        except OSError:  # another process got there first
            if not _verified(target):
                raise
    finally:
        root_logger.setLevel(level)
        shutil.rmtree(work, ignore_errors=True)
    return target


def _source_key(model_path: str) -> str:
    """Names the recipe and the source model: a local folder by its weight files' sizes and times."""
    parts = [RECIPE, str(model_path)]
    folder = Path(model_path)
    if folder.is_dir():
        for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
            info = weights.stat()
            parts.append(f"{weights.name} {info.st_size} {info.st_mtime_ns}")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _stamp(folder: Path) -> str:
    """sha256 of the two files: a truncated or overwritten copy no longer matches."""
    digest = hashlib.sha256()
    for name in ("model.onnx", "tokenizer.json"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def _verified(folder: Path) -> bool:
    try:
        return (folder / "verified").read_text() == _stamp(folder)
    except OSError:
        return False


def _export(model_path: str, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    if not tokenizer.is_fast:
        raise RuntimeError(f"{model_path} has no fast tokenizer (tokenizer.json), which the ONNX embedder needs")
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    # eager attention: the SDPA graph (IsNaN, Where, ...) is not one the BERT optimiser can fuse, so
    # each layer's attention stayed some 50 small nodes; fused into QAttention, a short sentence
    # takes about 0.9x the time (docs/benchmarks.md)
    model = AutoModel.from_pretrained(model_path, attn_implementation="eager").eval()
    example = tokenizer(["an example", "a slightly longer example sentence"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"embedding": {0: "batch"}}
    with torch.inference_mode():
        torch.onnx.export(_pooled(model), tuple(example[name] for name in INPUTS), str(out / "fp32.onnx"),
                          input_names=list(INPUTS), output_names=["embedding"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
    # fused attention and layer norms first: fewer, larger int8 matrix products
    fused = optimize_model(str(out / "fp32.onnx"), model_type="bert", num_heads=model.config.num_attention_heads,
                           hidden_size=model.config.hidden_size)
    fused.save_model_to_file(str(out / "fused.onnx"))
    # per-channel scales: per-tensor ones cost 0.01 in mean cosine to PyTorch (docs/benchmarks.md)
    quantize_dynamic(str(out / "fused.onnx"), str(out / "model.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, extra_options={"DefaultTensorType": 1})
    for name in ("fp32.onnx", "fused.onnx"):
        (out / name).unlink()


def _pooled(model):
    """The encoder plus mean pooling over real tokens and L2 normalisation, as one graph."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return Pooled()
