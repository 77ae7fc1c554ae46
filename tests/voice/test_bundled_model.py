"""An installer's pre-converted checkpoint is used first, and its SHA-256 is still checked."""

from __future__ import annotations

import hashlib
import json

import pytest

from app import resources
from app.voice import models


@pytest.fixture
def fake_bundle(tmp_path, monkeypatch):
    folder = tmp_path / "resources" / "models"
    folder.mkdir(parents=True)
    ckpt = folder / "whisper-tiny.en.pt"
    ckpt.write_bytes(b"stand-in checkpoint bytes")
    meta = {"sha256": hashlib.sha256(ckpt.read_bytes()).hexdigest(), "source_sha256": "0" * 64, "alignment_heads": []}
    (folder / "whisper-tiny.en.json").write_text(json.dumps(meta))
    monkeypatch.setattr(resources, "bundle_root", lambda: tmp_path)
    return ckpt


def test_bundled_checkpoint_wins_over_conversion(fake_bundle):
    source = models.resolve("tiny.en")
    assert source.kind == "openai" and source.parts == (fake_bundle,) and source.pinned
    prepared = models.prepare(source)
    assert prepared.checkpoint == fake_bundle


def test_tampered_bundled_checkpoint_is_refused(fake_bundle):
    fake_bundle.write_bytes(b"something else")
    with pytest.raises(models.ModelIntegrityError, match="SHA-256"):
        models.prepare(models.resolve("tiny.en"))


def test_from_source_the_packaged_weights_are_used():
    assert models.resolve("tiny.en").kind == "ct2"
