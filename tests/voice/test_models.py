from __future__ import annotations

import dataclasses
import json
import shutil
import struct

import numpy as np
import pytest

from app.voice import models
from app.voice.models import ModelError, ModelIntegrityError, prepare, read_ct2, resolve


def _ct2_string(s: str) -> bytes:
    raw = s.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def _ct2_file(tensors: dict[str, np.ndarray], aliases: dict[str, str]) -> bytes:
    """A CTranslate2 model.bin (version 6) written by hand, to check the reader field by field."""
    codes = {np.dtype(np.float32): 0, np.dtype(np.int8): 1, np.dtype(np.int32): 3, np.dtype(np.float16): 4}
    out = struct.pack("<I", 6) + _ct2_string("WhisperSpec") + struct.pack("<I", 3)
    out += struct.pack("<I", len(tensors))
    for name, arr in tensors.items():
        out += _ct2_string(name) + struct.pack("<B", arr.ndim)
        out += b"".join(struct.pack("<I", d) for d in arr.shape)
        out += struct.pack("<BI", codes[arr.dtype], arr.nbytes) + arr.tobytes()
    out += struct.pack("<I", len(aliases))
    for alias, target in aliases.items():
        out += _ct2_string(alias) + _ct2_string(target)
    return out


def test_read_ct2_reads_every_tensor_and_alias():
    w = np.arange(6, dtype=np.float16).reshape(2, 3)
    heads = np.array(6, dtype=np.int32)
    spec, arrays = read_ct2(_ct2_file({"enc/w": w, "enc/num_heads": heads}, {"dec/w": "enc/w"}))
    assert spec == "WhisperSpec"
    assert arrays["enc/w"].dtype == np.float16 and arrays["enc/w"].tolist() == w.tolist()
    assert int(arrays["enc/num_heads"]) == 6
    assert arrays["dec/w"] is arrays["enc/w"]


def test_read_ct2_refuses_other_files_plainly():
    with pytest.raises(ModelError, match="version"):
        read_ct2(b"\x07\0\0\0rest")
    with pytest.raises(ModelError, match="not a readable"):
        read_ct2(struct.pack("<I", 6) + b"\x40")


def test_packaged_tiny_is_checked_converted_cached_and_rebuilt_when_damaged(recall_home):
    import torch
    from whisper.model import ModelDimensions, Whisper

    source = resolve("tiny.en")
    assert source.pinned and source.kind == "ct2"
    messages = []
    first = prepare(source, lambda msg, frac: messages.append(msg))
    assert not first.from_cache and first.pinned
    assert first.checkpoint.parent == recall_home / "cache" / "models"
    assert any("Checking" in m for m in messages) and any("Converting" in m for m in messages)
    assert first.alignment_heads  # read from the package's config.json

    ckpt = torch.load(first.checkpoint, weights_only=True)
    dims = ckpt["dims"]
    assert dims["n_vocab"] == 51864 and dims["n_audio_layer"] == 4 and dims["n_text_layer"] == 4
    expected = Whisper(ModelDimensions(**dims)).state_dict()
    assert set(ckpt["model_state_dict"]) == set(expected)
    assert all(ckpt["model_state_dict"][k].shape == v.shape for k, v in expected.items())

    again = prepare(source)
    assert again.from_cache and again.checkpoint == first.checkpoint

    meta = json.loads(first.checkpoint.with_suffix(".json").read_text())
    with open(first.checkpoint, "r+b") as fh:  # damage the cached copy
        fh.seek(1000)
        fh.write(b"\xff" * 16)
    rebuilt = prepare(source)
    assert not rebuilt.from_cache
    assert models.file_sha256(rebuilt.checkpoint) == meta["sha256"]


def test_a_tampered_model_is_refused_with_a_clear_error(tmp_path):
    source = resolve("tiny.en")
    tampered = tmp_path / "model.bin"
    shutil.copyfile(source.parts[0], tampered)
    with open(tampered, "r+b") as fh:
        fh.seek(5_000_000)
        byte = fh.read(1)
        fh.seek(5_000_000)
        fh.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(ModelIntegrityError) as err:
        prepare(dataclasses.replace(source, parts=(tampered,)))
    message = str(err.value)
    assert "SHA-256" in message and "tiny.en" in message and "reinstall" in message
    cache = models.paths().models
    assert not cache.exists() or not any(cache.glob("*.pt"))  # nothing converted from bad weights


def test_user_picked_models_and_wrong_paths(tmp_path):
    folder = resolve("tiny.en").parts[0].parent
    picked = resolve(str(folder))
    assert picked.kind == "ct2" and not picked.pinned and "unpinned" in picked.describe()
    pt = tmp_path / "my-model.pt"
    pt.write_bytes(b"x")
    assert resolve(str(pt)).kind == "openai"
    (tmp_path / "notes.txt").write_text("hi")
    with pytest.raises(ModelError, match="not a Whisper model"):
        resolve(str(tmp_path / "notes.txt"))
    with pytest.raises(ModelError, match="no model.bin"):
        resolve(str(tmp_path))
    with pytest.raises(ModelError, match="tiny.en"):
        resolve("large-v9")


def test_a_missing_weight_package_names_the_extra(monkeypatch):
    gone = dataclasses.replace(models.PACKAGED["base"], parts=(("no_such_weights_pkg", "data/model.bin"),))
    monkeypatch.setitem(models.PACKAGED, "base", gone)
    with pytest.raises(ModelError, match="base-model"):
        resolve("base")
