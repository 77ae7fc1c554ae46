"""The bundled line icons (resources/icons/ui/*.svg), drawn in the theme's colours at any DPI.

Each SVG strokes with `currentColor`; `icon(name)` fills that in with the theme's text colour
(or another named colour) and renders every size Qt asks for at the screen's pixel ratio, so the
icons stay sharp on high-DPI screens. Widgets given an icon through `set_icon` are re-coloured
when the theme changes (`refresh`, called by the ThemeManager).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

ICON_PROPERTY = "recallIcon"  # name of the icon a widget shows, so a theme change can redraw it
ROLE_PROPERTY = "recallIconRole"


def icon_dir() -> Path:
    try:
        from app.resources import resource_path

        return Path(resource_path("icons", "ui"))
    except ImportError:  # pragma: no cover - the module is always there in a checkout
        return Path(__file__).resolve().parents[2] / "resources" / "icons" / "ui"


def names() -> list[str]:
    """Every icon in the set."""
    return sorted(p.stem for p in icon_dir().glob("*.svg"))


@lru_cache(maxsize=64)
def _svg(name: str) -> str:
    return (icon_dir() / f"{name}.svg").read_text(encoding="utf-8")


class _SvgEngine(QIconEngine):
    """Renders the recoloured SVG at exactly the requested size and pixel ratio."""

    def __init__(self, data: bytes, disabled: bytes) -> None:
        super().__init__()
        self._data = data
        self._disabled = disabled

    def paint(self, painter: QPainter, rect, mode, state) -> None:
        from PySide6.QtSvg import QSvgRenderer

        data = self._disabled if mode == QIcon.Mode.Disabled else self._data
        QSvgRenderer(QByteArray(data)).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode, state) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode, state, scale: float) -> QPixmap:
        pm = QPixmap(QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale))))
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, pm.rect(), mode, state)
        painter.end()
        pm.setDevicePixelRatio(scale)
        return pm

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._data, self._disabled)


def _colour(role: str) -> tuple[str, str]:
    from app.ui.theme import COLOURS, scheme_of

    palette = COLOURS[scheme_of()]
    if role == "white":  # on the accent or danger fill of primary and End buttons
        return "#ffffff", palette["border"]
    return palette.get(role, palette["text"]), palette["muted"]


def svg_for(name: str, colour: str) -> bytes:
    """The icon's SVG with its strokes in `colour` (a #rrggbb string)."""
    return _svg(name).replace("currentColor", colour).encode("utf-8")


def themed_file(name: str, colour: str) -> str:
    """The icon recoloured, as a file a stylesheet's url() can name (written once per colour)."""
    import os
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"recall-icons-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    path = folder / f"{name}-{colour.lstrip('#')}.svg"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(svg_for(name, colour))
        os.replace(tmp, path)  # atomic: two windows starting at once never read half a file
    return path.as_posix()


def icon(name: str, role: str = "text") -> QIcon:
    """The named icon in the current theme's `role` colour (a COLOURS key: text, accent, bad…)."""
    main, muted = _colour(role)
    return QIcon(_SvgEngine(svg_for(name, main), svg_for(name, muted)))


def pixmap(name: str, px: int, role: str = "text", ratio: float | None = None) -> QPixmap:
    """A pixmap of `px` logical pixels at the screen's pixel ratio (or `ratio`)."""
    if ratio is None:
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
    return icon(name, role).pixmap(QSize(px, px), ratio)


def set_icon(widget: QWidget | QAction, name: str, role: str = "text") -> None:
    """Give a button (or action-like widget) the icon, and remember it for theme changes."""
    widget.setProperty(ICON_PROPERTY, name)
    widget.setProperty(ROLE_PROPERTY, role)
    if hasattr(widget, "setIcon"):
        widget.setIcon(icon(name, role))


def refresh() -> None:
    """Redraw every remembered icon in the current theme's colours."""
    app = QApplication.instance()
    if app is None:
        return
    targets: list = list(app.allWidgets())
    for top in app.topLevelWidgets():
        targets += top.findChildren(QAction)
    for w in targets:
        name = remembered(w)
        if name and hasattr(w, "setIcon"):
            w.setIcon(icon(name, str(w.property(ROLE_PROPERTY) or "text")))


def remembered(obj) -> str | None:
    """The icon `set_icon` gave `obj`, if any. Only objects that have the property are asked for it:
    PySide's property() on a missing name returns None without a reference, and asked for on every
    widget of the app it ends by freeing None (a crash)."""
    if ICON_PROPERTY.encode() not in {bytes(n) for n in obj.dynamicPropertyNames()}:
        return None
    return str(obj.property(ICON_PROPERTY))


# Buttons of the screens get their icon by object name first, then by the start of their text.
BY_OBJECT_NAME = {"endCall": "end", "talk": "mic"}
ON_FILL = ("primary", "endCall")  # white text on a coloured fill: white icons
BY_TEXT = (
    ("← back", "back"), ("back", "back"), ("flashcards", "study"), ("study", "study"),
    ("learn", "learn"), ("test", "test"), ("match", "match"), ("spaced", "spaced"),
    ("stats", "stats"), ("call", "call"), ("mute", "mute"), ("unmute", "speaker"),
    ("repeat", "repeat"), ("skip", "skip"), ("end", "end"), ("import", "import"),
    ("export", "export"), ("settings", "settings"), ("options", "settings"), ("new deck", "add"),
    ("add", "add"), ("delete", "delete"), ("edit", "edit"), ("hands-free", "hands-free"),
    ("push-to-talk", "mic"), ("check the mic", "mic"), ("test the mic", "mic"), ("shuffle", "shuffle"), ("play", "play"),
)  # fmt: skip


def icon_for_button(button: QAbstractButton) -> str | None:
    by_name = BY_OBJECT_NAME.get(button.objectName())
    if by_name is not None:
        return by_name
    text = button.text().replace("&", "").strip().lower()
    if not text or len(text) > 40 or not text[0].isalnum():
        return None  # no text, a long answer, or the screen's own sign ("← Back", "☆ Star")
    return next((ic for prefix, ic in BY_TEXT if text.startswith(prefix)), None)


def decorate(root: QWidget) -> int:
    """Give the push buttons under `root` that have no icon of their own the set's icon for what
    they do (Back, Mute, Repeat, Skip, End…). Returns how many were given one."""
    from PySide6.QtWidgets import QPushButton

    given = 0
    for b in root.findChildren(QPushButton):
        if not b.icon().isNull() and not remembered(b):
            continue  # the screen chose its own icon
        if b.objectName() in ("tile", "choice"):
            continue  # answers, not commands
        name = icon_for_button(b)
        if name is not None:
            set_icon(b, name, "white" if b.objectName() in ON_FILL else "text")
            given += 1
    return given
