"""The int8 ONNX MiniLM: close to the PyTorch one on real sentences, exported once per user and
reused, re-exported when the cached copy is damaged, and torch-free once the export exists."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from summarise.stages.embed import MiniLMEmbedder, OnnxMiniLMEmbedder, make_embedder, packaged_minilm_path

pytestmark = pytest.mark.models

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    "Russian troops massed near the border on Tuesday, satellite images show.",
    "The central bank raised interest rates by a quarter of a percentage point.",
    "Officials said the fire had been contained after burning 2,000 acres.",
    "Shares in the company fell 12% after it cut its profit forecast for the year.",
    "The minister resigned hours after the report was published.",
    "Heavy rain is expected across the north of England over the weekend.",
    "A spokesperson declined to comment.",
    "",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cache")
    os.environ["SUMMARISE_CACHE"] = str(folder)
    yield folder
    del os.environ["SUMMARISE_CACHE"]


@pytest.fixture(scope="module")
def onnx_embedder(cache):
    return OnnxMiniLMEmbedder(n_threads=1)


def test_vectors_are_close_to_pytorch_and_rank_neighbours_alike(onnx_embedder):
    texts = SENTENCES + [
        "Satellite pictures show Russian forces gathering close to the frontier.",
        "Interest rates were increased by 0.25 points by the central bank.",
    ]
    expected = MiniLMEmbedder(n_threads=1).embed(texts)
    got = onnx_embedder.embed(texts)
    assert got.dtype == np.float32 and got.shape == expected.shape
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    cosines = (got * expected).sum(1)
    assert cosines.min() > 0.97, cosines
    # paraphrases stay each other's nearest neighbour
    similarity = got @ got.T
    np.fill_diagonal(similarity, -1)
    assert similarity[-2].argmax() == 0 and similarity[-1].argmax() == 1


def test_same_text_same_vector_whatever_the_batch(onnx_embedder):
    alone = onnx_embedder.embed([SENTENCES[0]])
    in_batch = onnx_embedder.embed(SENTENCES)
    assert np.array_equal(onnx_embedder.embed(SENTENCES), in_batch)
    assert np.array_equal(alone[0], in_batch[0])


def test_workers_share_the_sentences_without_changing_a_vector(onnx_embedder):
    texts = SENTENCES * 3
    pooled = OnnxMiniLMEmbedder(n_threads=3)
    assert pooled.workers == 3
    assert np.array_equal(pooled.embed(texts), onnx_embedder.embed(texts))
    assert pooled.embed([]).shape == (0, onnx_embedder.dim)


def test_export_happens_once_and_is_reused(cache, onnx_embedder):
    folders = [p for p in cache.iterdir() if p.name.startswith("onnx-")]
    assert len(folders) == 1 and (folders[0] / "verified").exists()
    before = {p.name: p.stat().st_mtime_ns for p in folders[0].iterdir()}
    make_embedder("minilm_onnx").embed(["reused"])
    assert {p.name: p.stat().st_mtime_ns for p in folders[0].iterdir()} == before
    assert [p.name for p in cache.iterdir()] == [folders[0].name]  # no leftover temporary folder


def test_a_damaged_export_is_made_again(cache, onnx_embedder):
    folder = next(p for p in cache.iterdir() if p.name.startswith("onnx-"))
    model = folder / "model.onnx"
    good = model.read_bytes()
    model.write_bytes(good[: len(good) // 2])  # a partial file, as a crash mid-copy leaves
    again = OnnxMiniLMEmbedder(n_threads=1)
    assert model.read_bytes() == good
    assert np.allclose(again.embed(SENTENCES[:3]), onnx_embedder.embed(SENTENCES[:3]), atol=1e-6)


def test_the_cached_path_does_not_import_torch(cache, onnx_embedder):
    script = ("import sys, json; from summarise.stages.embed import make_embedder;"
              "v = make_embedder('minilm_onnx').embed(['a sentence']);"
              "print(json.dumps([v.shape[1], 'torch' in sys.modules, 'transformers' in sys.modules]))")
    env = dict(os.environ, SUMMARISE_CACHE=str(cache), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [384, False, False]


def test_tokens_match_the_transformers_tokenizer(onnx_embedder):
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(packaged_minilm_path())
    long_text = " ".join(SENTENCES * 10)
    texts = SENTENCES + [long_text, "Café owners in Zürich — “unhappy” about the 3.5% levy."]
    expected = reference(texts, truncation=True, max_length=256)["input_ids"]
    got = [e.ids for e in onnx_embedder.tokenizer.encode_batch(texts)]
    assert got == expected
