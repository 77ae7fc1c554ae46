"""Download-free integrity checks: stream weights off disk while hashing them, and hold the
SHA-256 found against the one pinned for the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from app.voice.model_lookup import ModelError, ModelIntegrityError, Progress, WeightSource

_CHUNK = 4 << 20


def read_parts(parts: Sequence[Path], progress: Progress | None, label: str) -> tuple[bytearray, str]:
    """Read the parts joined in order, hashing as they stream in."""
    total = sum(p.stat().st_size for p in parts)
    buf = bytearray(total)
    view = memoryview(buf)
    digest = hashlib.sha256()
    pos = 0
    for part in parts:
        with open(part, "rb") as fh:
            while True:
                n = fh.readinto(view[pos : pos + _CHUNK])
                if not n:
                    break
                digest.update(view[pos : pos + n])
                pos += n
                if progress:
                    progress(label, pos / total)
    if pos != total:
        raise ModelError(f"{parts[-1]} changed while it was being read")
    return buf, digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def check_sha256(source: WeightSource, actual: str) -> None:
    if source.sha256 is not None and actual != source.sha256:
        where = ", ".join(str(p) for p in source.parts)
        raise ModelIntegrityError(
            f"Whisper model {source.name!r} failed its SHA-256 check ({where}: expected "
            f"{source.sha256[:16]}…, found {actual[:16]}…); the file is damaged or was replaced — "
            "reinstall the model package"
        )
