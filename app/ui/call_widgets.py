"""The Call screen's own widgets: the microphone level meter and the verdict with its terms.

The verdict never relies on colour alone: each kind of term has a text label ("You said",
"Missing", "Said instead") and its own typography (bold, underlined, struck through) as well as
the theme's good / warn / bad colour.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.theme import COLOURS

VERDICT_HEADINGS = {"correct": "✔ Correct", "partial": "◐ Partly right", "wrong": "✘ Not quite"}


def palette_colours(widget: QWidget) -> dict[str, str]:
    """The theme's named colours for the palette the widget is drawn with (light or dark)."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return COLOURS["dark" if window.lightness() < 128 else "light"]


def verdict_heading(verdict: str | None, score: float | None) -> str:
    if verdict is None:
        return ""
    text = VERDICT_HEADINGS.get(verdict, verdict)
    return text + (f" · score {score:.2f}" if score is not None else "")


def terms_html(matched: list[str], missing: list[str], wrong: list[str], colours: dict[str, str]) -> str:
    """The graded terms as rich text: one labelled line per kind, each term styled by its kind."""

    def line(label: str, terms: list[str], colour: str, style: str, mark: str) -> str:
        items = ", ".join(
            f'<span style="color:{colour}; {style}">{mark}&nbsp;{escape(t)}</span>' for t in terms
        )
        return f"<b>{label}:</b> {items}"

    lines = []
    if matched:
        lines.append(line("You said", matched, colours["good"], "font-weight:bold;", "✔"))
    if missing:
        lines.append(line("Missing", missing, colours["warn"], "text-decoration:underline; font-weight:bold;", "+"))
    if wrong:
        lines.append(line("Said instead", wrong, colours["bad"], "text-decoration:line-through;", "✘"))
    return "<br>".join(lines)


class LevelMeter(QWidget):
    """A horizontal microphone level bar; its accessible description carries the value in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self._peak = 0.0
        self.setMinimumSize(120, 14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")
        self.setToolTip("Microphone level: the bar moves while you speak")

    @property
    def value(self) -> float:
        return self._value

    @property
    def peak(self) -> float:
        """The loudest level since `reset_peak()`: the check dialog shows it, tests read it."""
        return self._peak

    def reset_peak(self) -> None:
        self._peak = 0.0

    def set_value(self, value: float) -> None:
        value = min(1.0, max(0.0, float(value)))
        if abs(value - self._value) < 0.01:
            return
        self._value = value
        self._peak = max(self._peak, value)
        self.setAccessibleDescription(f"{round(value * 100)} percent")
        self.update()

    def paintEvent(self, _event) -> None:
        c = palette_colours(self)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = r.height() / 2
        p.setPen(QColor(c["border"]))
        p.setBrush(QColor(c["alt"]))
        p.drawRoundedRect(r, radius, radius)
        if self._value > 0:
            fill = QRectF(r.left(), r.top(), max(r.height(), r.width() * self._value), r.height())
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(c["good"] if self._value < 0.85 else c["warn"]))
            p.drawRoundedRect(fill, radius, radius)
        p.end()
