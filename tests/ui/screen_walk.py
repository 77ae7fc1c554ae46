"""Every screen of the app, built by packaging/screenshots.py (the same walk the pictures take),
and the checks the accessibility and layout tests run on each."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget

ROOT = Path(__file__).resolve().parents[2]


def screenshots_module():
    name = "recall_screenshots"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / "screenshots.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def visible_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in [root, *root.findChildren(QWidget)] if w.isVisible() and w.window() is root.window()]


def walk(home: Path, scheme: str = "light"):
    """Yield (shot, root widget) for every screen; the windows are closed afterwards."""
    shots = screenshots_module()
    from app.config import save_settings

    save_settings({"samples_offered": True, "call_check_done": True, "theme": scheme})
    _theme, window, empty, ids = shots.make_windows(home, scheme)
    try:
        yield from shots.Screens(window, ids, empty).all()
    finally:
        shots.close_windows(window, empty)
