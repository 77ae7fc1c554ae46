"""Finding, checking, converting and caching Whisper weights, fully offline.

The weights ship in pip packages as CTranslate2 (faster-whisper) folders of float16 tensors.
openai-whisper needs its own checkpoint layout, so the first load converts the CT2 `model.bin`
to a `{"dims", "model_state_dict"}` checkpoint and caches it under `paths().models`.

Every byte loaded is checked: the packaged weights against SHA-256 sums pinned in
`model_lookup` (measured on the pinned package versions), the cached checkpoint against the sum
recorded when it was written. A user-picked model (a CT2 folder, a CT2 `model.bin` or an
openai-whisper `.pt`) has no pin; its sum is reported so the user can see what was loaded.

This module is the cache and `prepare`, and the one import path for callers. The seams:
`model_lookup` (which weights, where: `resolve`), `model_checks` (hashing and pinned sums),
`model_convert` (CT2 to an openai-whisper checkpoint). Only numpy and torch are needed;
torch is imported when a conversion is written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from app.config import paths
from app.voice.model_checks import check_sha256, file_sha256, read_parts
from app.voice.model_convert import alignment_heads, ct2_to_checkpoint, read_ct2
from app.voice.model_lookup import (
    DEFAULT_MODEL,
    PACKAGED,
    ModelError,
    ModelIntegrityError,
    PackagedModel,
    Progress,
    WeightSource,
    packaged_source,
    resolve,
)

__all__ = [
    "CONVERTER_VERSION",
    "DEFAULT_MODEL",
    "PACKAGED",
    "ModelError",
    "ModelIntegrityError",
    "PackagedModel",
    "PreparedModel",
    "Progress",
    "WeightSource",
    "ct2_to_checkpoint",
    "file_sha256",
    "packaged_source",
    "prepare",
    "read_ct2",
    "resolve",
]

CONVERTER_VERSION = 1  # bump when the conversion changes, so old caches are rebuilt


@dataclass(frozen=True)
class PreparedModel:
    """A checkpoint openai-whisper can load, plus what the UI reports about it."""

    name: str
    checkpoint: Path
    source_sha256: str
    pinned: bool
    alignment_heads: tuple[tuple[int, int], ...] = ()
    from_cache: bool = False


def _cache_paths(name: str, source_sha: str) -> tuple[Path, Path]:
    safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in name)
    stem = f"whisper-{safe}-{source_sha[:16]}-v{CONVERTER_VERSION}"
    folder = paths().models
    return folder / f"{stem}.pt", folder / f"{stem}.json"


def _find_cached(source: WeightSource, progress: Progress | None) -> PreparedModel | None:
    """A cached conversion whose recorded sums still hold, or None."""
    if source.sha256 is None:
        return None  # unpinned: its sum is only known after reading it, so convert (cheap)
    ckpt, meta_file = _cache_paths(source.name, source.sha256)
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not ckpt.is_file() or meta.get("source_sha256") != source.sha256:
        return None
    if progress:
        progress(f"Checking cached {source.name} model", None)
    if file_sha256(ckpt) != meta.get("sha256"):
        return None  # damaged cache: rebuild it from the checked source
    heads = tuple(tuple(h) for h in meta.get("alignment_heads", []))
    return PreparedModel(source.name, ckpt, source.sha256, True, heads, from_cache=True)


def _write_atomic(checkpoint: dict, target: Path) -> str:
    import torch

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        torch.save(checkpoint, tmp)
        sha = file_sha256(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return sha


def prepare(source: WeightSource, progress: Progress | None = None) -> PreparedModel:
    """Check the weights and return a checkpoint openai-whisper can load, converting once."""
    if source.kind == "openai":
        if progress:
            progress(f"Checking {source.name} model", None)
        actual = file_sha256(source.parts[0])
        check_sha256(source, actual)
        return PreparedModel(source.name, source.parts[0], actual, source.pinned)
    cached = _find_cached(source, progress)
    if cached is not None:
        return cached
    try:
        data, actual = read_parts(source.parts, progress, f"Checking {source.name} model")
    except OSError as exc:
        raise ModelError(f"cannot read Whisper model {source.name!r}: {exc}") from exc
    check_sha256(source, actual)
    if progress:
        progress(f"Converting {source.name} model", None)
    spec, arrays = read_ct2(data)
    if spec != "WhisperSpec":
        raise ModelError(f"{source.parts[0]} is a CTranslate2 {spec}, not a Whisper model")
    checkpoint = ct2_to_checkpoint(arrays)
    del arrays, data
    heads = alignment_heads(source.config)
    ckpt_path, meta_path = _cache_paths(source.name, actual)
    try:
        sha = _write_atomic(checkpoint, ckpt_path)
        meta = {
            "sha256": sha,
            "source_sha256": actual,
            "source": [str(p) for p in source.parts],
            "converter": CONVERTER_VERSION,
            "dims": checkpoint["dims"],
            "alignment_heads": [list(h) for h in heads],
        }
        tmp = meta_path.with_name(meta_path.name + ".tmp")
        tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(tmp, meta_path)
    except OSError as exc:
        raise ModelError(f"cannot write the converted model to {ckpt_path.parent}: {exc}") from exc
    return PreparedModel(source.name, ckpt_path, actual, source.pinned, heads)
