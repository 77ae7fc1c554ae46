"""Light and dark themes (following the system unless the user picks one) and the text size.

The Fusion style with our own palette looks the same on every platform, and the one
stylesheet in resources/themes/ is filled with the palette's colours and the point sizes for
the user's text scale.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def _qss_path():
    try:  # the bundle-aware lookup, when the packaging module is there
        from app.resources import resource_path

        return resource_path("themes", "recall.qss")
    except ImportError:
        from pathlib import Path

        return Path(__file__).resolve().parents[2] / "resources" / "themes" / "recall.qss"


THEMES = ("system", "light", "dark")
# Named spacing and radii: the stylesheet uses these, never raw numbers of its own.
SPACING = {"space_s": "4px", "space_m": "8px", "space_l": "14px", "space_xl": "20px",
           "radius_s": "6px", "radius_m": "10px", "radius_l": "14px"}  # fmt: skip
MIN_SCALE, MAX_SCALE = 0.7, 2.5

COLOURS = {
    "light": {
        "window": "#f6f7fb",
        "base": "#ffffff",
        "alt": "#eef0f6",
        "text": "#1d2230",
        "muted": "#6b7285",
        "card": "#ffffff",
        "border": "#d3d7e3",
        "accent": "#4255ff",
        "accent_bg": "#e6e9ff",
        "good": "#18794e",
        "good_bg": "#dcf5e7",
        "bad": "#c0362c",
        "bad_bg": "#fde2df",
        "button": "#ffffff",
        "warn": "#9a6700",
        "warn_bg": "#fff4d6",
        "star": "#e0a100",
        "strip": "#e9ecff",
        "on_accent": "#ffffff",
    },
    "dark": {
        "window": "#0f1221",
        "base": "#1a1e33",
        "alt": "#232842",
        "text": "#eef0f8",
        "muted": "#a0a6bf",
        "card": "#2e3856",
        "border": "#3d4566",
        "accent": "#6f7dff",
        "accent_bg": "#2c3470",
        "good": "#5fd39a",
        "good_bg": "#1d4a35",
        "bad": "#ff7a6e",
        "bad_bg": "#5a2320",
        "button": "#2e3856",
        "warn": "#f2c14e",
        "warn_bg": "#4a3b12",
        "star": "#f2c14e",
        "strip": "#1f2546",
        "on_accent": "#ffffff",
    },
}


def scheme_of(palette: QPalette | None = None) -> str:
    """Which of our palettes is in use (light or dark), judged by the application's window
    colour (a view's own palette may be transparent under the stylesheet)."""
    palette = QGuiApplication.palette() if palette is None else palette
    return "dark" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "light"


def colour(_palette: QPalette | None, name: str) -> QColor:
    """A named colour of the theme (e.g. "good", "border") for code that paints by hand."""
    return QColor(COLOURS[scheme_of()][name])


def system_scheme() -> str:
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def resolve(theme: str) -> str:
    return system_scheme() if theme not in ("light", "dark") else theme


def _palette(c: dict[str, str]) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, key in (
        (role.Window, "window"),
        (role.Base, "base"),
        (role.AlternateBase, "alt"),
        (role.WindowText, "text"),
        (role.Text, "text"),
        (role.ButtonText, "text"),
        (role.Button, "button"),
        (role.Highlight, "accent"),
        (role.ToolTipBase, "base"),
        (role.ToolTipText, "text"),
        (role.PlaceholderText, "muted"),
    ):
        p.setColor(r, QColor(c[key]))
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(c["muted"]))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(c["muted"]))
    p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(c["muted"]))
    return p


def stylesheet(scheme: str, base_pt: float) -> str:
    values = dict(COLOURS[scheme])
    values.update(SPACING)
    values.update(
        small_pt=f"{base_pt * 0.9:.1f}", figure_pt=f"{base_pt * 1.8:.1f}", huge_pt=f"{base_pt * 2.6:.1f}"
    )
    values.update(
        card_pt=f"{base_pt * 2.0:.1f}", title_pt=f"{base_pt * 1.6:.1f}", prompt_pt=f"{base_pt * 1.3:.1f}"
    )
    # Heights of big controls follow the text size (pt -> px at 96 dpi; Qt scales px for high DPI).
    px = base_pt * 96 / 72
    pill = round(px * 3.3)
    values.update(tile_h=f"{round(px * 5.25)}px", pill_h=f"{pill}px", radius_pill=f"{pill // 2}px")
    values.update(arrow=f"{round(px * 0.9)}px", arrow_box=f"{round(px * 1.7)}px", group_top=f"{round(px * 1.4)}px")
    from app.ui.icons import themed_file

    for name in ("chevron_down", "chevron_up"):  # combo and spin box arrows: the set's, in the text colour
        values[name] = themed_file(name.replace("_", "-"), COLOURS[scheme]["text"])
    try:
        qss = _qss_path().read_text(encoding="utf-8")
    except OSError:
        return ""  # a broken install still runs, in plain Fusion
    for key, value in values.items():
        qss = qss.replace(f"@{key}@", value)
    return qss


class ThemeManager(QObject):
    """Applies theme and text scale to the application, and re-applies on a system change.

    The base point size is the system's (the application font Qt read from the desktop), so the
    user's system text size carries through; our scale multiplies it."""

    changed = Signal(str)  # the theme setting ("system", "light" or "dark") after each apply

    def __init__(self, app: QApplication, theme: str = "system", scale: float = 1.0) -> None:
        super().__init__(app)
        self.app = app
        self.theme = theme if theme in THEMES else "system"
        self.scale = clamp_scale(scale)
        self._base_pt = app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        self._following = True
        self.apply()

    @property
    def scheme(self) -> str:
        return resolve(self.theme)

    def apply(self) -> None:
        scheme = self.scheme
        self.app.setPalette(_palette(COLOURS[scheme]))
        font = QFont(self.app.font())
        pt = self._base_pt * self.scale
        font.setPointSizeF(pt)
        self.app.setFont(font)
        self.app.setStyleSheet(stylesheet(scheme, pt))
        from app.ui import icons

        icons.refresh()  # the bundled icons are drawn in the theme's colours
        self.changed.emit(self.theme)

    def set_theme(self, theme: str) -> None:
        self.theme = theme if theme in THEMES else "system"
        self.apply()

    def zoom(self, step: int) -> float:
        """+1 bigger, -1 smaller, 0 back to normal. Returns the new scale."""
        self.scale = 1.0 if step == 0 else clamp_scale(self.scale * (1.1 if step > 0 else 1 / 1.1))
        self.apply()
        return self.scale

    def detach(self) -> None:
        """Stop following the system (a manager being replaced, e.g. between tests)."""
        if self._following:
            self._following = False
            with contextlib.suppress(RuntimeError, TypeError):
                QGuiApplication.styleHints().colorSchemeChanged.disconnect(self._system_changed)

    def _system_changed(self, *_args) -> None:
        if self.theme == "system":
            self.apply()


def clamp_scale(scale: float) -> float:
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        return 1.0
    return min(MAX_SCALE, max(MIN_SCALE, scale))
