"""Where the files shipped with Recall live, from a source checkout and from an installed bundle.

Code that reads a shipped file (grader weights, themes, icons, sample decks, the bundled Whisper
checkpoint) asks here instead of building paths from `__file__`, so the same code works when
PyInstaller has frozen the app: there the files sit under `sys._MEIPASS` (the bundle's internal
folder; on macOS the .app's Frameworks folder, which links to Resources).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def installed_root() -> Path:
    """Where a plain wheel install puts the shipped files (pyproject's data-files)."""
    return Path(sys.prefix) / "share" / "recall"


def bundle_root() -> Path:
    """The folder that holds `resources/` and `data/`: the repository root, the bundle's, or
    <prefix>/share/recall after a non-editable `pip install`."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    if not (_SOURCE_ROOT / "resources").is_dir() and (installed_root() / "resources").is_dir():
        return installed_root()
    return _SOURCE_ROOT


def resource_path(*parts: str) -> Path:
    """A path under `resources/` (it may not exist: callers decide what a missing file means)."""
    return bundle_root().joinpath("resources", *parts)


def sample_data_path(*parts: str) -> Path:
    """A path under `data/`, the sample decks."""
    return bundle_root().joinpath("data", *parts)


@dataclass(frozen=True)
class BundledModel:
    """A Whisper checkpoint converted at build time and shipped inside an installer's bundle."""

    name: str
    checkpoint: Path
    sha256: str  # of the checkpoint file, recorded when it was written
    source_sha256: str  # of the CTranslate2 weights it was converted from
    alignment_heads: tuple[tuple[int, int], ...]


def bundled_whisper_checkpoint(name: str) -> BundledModel | None:
    """The openai-whisper checkpoint for `name` shipped in the bundle, or None (always, from source).

    packaging/build.py writes `resources/models/whisper-<name>.pt` and a `.json` beside it
    ({"sha256", "source_sha256", "alignment_heads"}); a missing or unreadable record means no model.
    """
    folder = resource_path("models")
    ckpt, meta_file = folder / f"whisper-{name}.pt", folder / f"whisper-{name}.json"
    if not ckpt.is_file():
        return None
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        heads = tuple((int(a), int(b)) for a, b in meta.get("alignment_heads", []))
        return BundledModel(name, ckpt, str(meta["sha256"]), str(meta["source_sha256"]), heads)
    except (OSError, ValueError, KeyError, TypeError):
        return None
