"""Themes: light/dark following the system and switched live, one stylesheet of named colours and
sizes (fonts in pt, scaled from the system's size), the bundled icons drawn in the theme's colours
at any pixel ratio, and the window's size and place remembered."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from app.ui import icons
from app.ui.theme import COLOURS, ThemeManager, _qss_path, stylesheet


@pytest.fixture
def theme(qapp):
    font, palette = QFont(qapp.font()), QPalette(qapp.palette())
    for older in qapp.findChildren(ThemeManager):  # other tests' managers must not answer the system too
        older.detach()
    manager = ThemeManager(qapp, "light")
    yield manager
    manager.detach()
    QGuiApplication.styleHints().unsetColorScheme()
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setPalette(palette)
    manager.deleteLater()


def _window_colour(app) -> str:
    return app.palette().color(QPalette.ColorRole.Window).name()


def test_stylesheet_uses_named_colours_and_pt_font_sizes_only():
    raw = re.sub(r"/\*.*?\*/", "", _qss_path().read_text(encoding="utf-8"), flags=re.S)
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\b(white|black)\b", raw), "a raw colour in the qss"
    assert not re.search(r"font-size:\s*[\d.]+px", raw), "a pixel font size does not follow the system's text size"
    for scheme in ("light", "dark"):
        filled = stylesheet(scheme, 10.0)
        assert "@" not in re.sub(r"/\*.*?\*/", "", filled, flags=re.S)
        assert COLOURS[scheme]["accent"] in filled


def test_no_screen_sets_a_pixel_font_size():
    from pathlib import Path

    for py in (Path(__file__).resolve().parents[2] / "app" / "ui").glob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert "setPixelSize" not in text and not re.search(r"font-size:\s*[\d.]+px", text), py.name


def test_sizes_follow_the_text_size():
    small, big = stylesheet("light", 10.0), stylesheet("light", 20.0)
    pt = lambda qss, name: float(re.search(rf"QLabel#{name} \{{\s*font-size: ([\d.]+)pt", qss).group(1))  # noqa: E731
    assert pt(big, "cardText") == 2 * pt(small, "cardText")
    heights = lambda qss: [int(h) for h in re.findall(r"min-height: (\d+)px", qss)]  # noqa: E731
    assert all(b > s for s, b in zip(heights(small), heights(big), strict=True))


def test_base_font_is_the_system_size_times_the_scale(qapp):
    font, palette = QFont(qapp.font()), QPalette(qapp.palette())
    system_pt = qapp.font().pointSizeF()
    try:
        manager = ThemeManager(qapp, "light", 1.5)
        assert qapp.font().pointSizeF() == pytest.approx(system_pt * 1.5)
        manager.zoom(0)
        assert qapp.font().pointSizeF() == pytest.approx(system_pt)
    finally:
        qapp.setStyleSheet("")
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_follows_the_system_colour_scheme_live(qapp, theme, monkeypatch):
    """The system's scheme is read from QStyleHints and a change is applied at once. Offscreen the
    platform has no scheme of its own: the hint's answer is stood in for, the signal is Qt's own."""
    from app.ui import theme as theme_module

    hints = QGuiApplication.styleHints()
    system = {"scheme": "light"}
    monkeypatch.setattr(theme_module, "system_scheme", lambda: system["scheme"])
    theme.set_theme("system")
    seen: list[str] = []
    theme.changed.connect(seen.append)
    system["scheme"] = "dark"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _window_colour(qapp) == COLOURS["dark"]["window"] and seen == ["system"]
    system["scheme"] = "light"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _window_colour(qapp) == COLOURS["light"]["window"]
    theme.set_theme("dark")  # a chosen theme no longer follows the system
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _window_colour(qapp) == COLOURS["dark"]["window"]


def test_system_scheme_reads_the_style_hints(qapp, monkeypatch):
    from app.ui.theme import system_scheme

    hints = QGuiApplication.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Dark)
    assert system_scheme() == "dark"
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Light)
    assert system_scheme() == "light"


def test_view_menu_switches_live_and_recolours_icons(qapp, qtbot, store, theme):
    from app.config import load_settings
    from app.ui.main_window import MainWindow

    w = MainWindow(store, theme, first_run_prompt=False)
    qtbot.addWidget(w)
    w.show()
    settings_action = next(a for a in w.findChildren(type(w._theme_actions["dark"])) if a.text() == "&Settings…")
    light_px = settings_action.icon().pixmap(QSize(24, 24), 1.0).toImage()
    w._theme_actions["dark"].trigger()
    assert _window_colour(qapp) == COLOURS["dark"]["window"]
    assert load_settings()["theme"] == "dark"
    dark_px = settings_action.icon().pixmap(QSize(24, 24), 1.0).toImage()
    assert light_px != dark_px  # redrawn in the dark theme's text colour
    dlg = w.open_settings()  # the settings' theme box previews live, Cancel puts it back
    dlg.theme_box.setCurrentIndex(dlg.theme_box.findData("light"))
    assert _window_colour(qapp) == COLOURS["light"]["window"]
    dlg.reject()
    assert _window_colour(qapp) == COLOURS["dark"]["window"]
    assert w._theme_actions["dark"].isChecked()


def _only_in(image, hex_colour: str) -> bool:
    """Some pixels are opaque, and all of those are the colour (antialiasing rounds a level or two)."""
    want = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    opaque = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
              if image.pixelColor(x, y).alpha() == 255]  # fmt: skip
    return bool(opaque) and all(
        max(abs(c.red() - want[0]), abs(c.green() - want[1]), abs(c.blue() - want[2])) <= 3 for c in opaque
    )


@pytest.mark.parametrize("name", icons.names())
def test_every_icon_renders_sharp_at_high_dpi_in_the_theme_colour(qapp, theme, name):
    one = icons.pixmap(name, 24, ratio=1.0)
    two = icons.pixmap(name, 24, ratio=2.0)
    assert (one.width(), two.width(), two.devicePixelRatio()) == (24, 48, 2.0)
    image = two.toImage()
    assert _only_in(image, COLOURS["light"]["text"])  # drawn, and only in the theme's text colour
    theme.set_theme("dark")
    assert _only_in(icons.pixmap(name, 24, ratio=2.0).toImage(), COLOURS["dark"]["text"])


def test_the_set_has_the_icons_the_screens_use():
    needed = {"study", "learn", "test", "match", "spaced", "call", "mic", "mute", "repeat", "skip", "end",
              "star", "import", "export", "search", "settings", "keyboard", "back", "add", "delete"}  # fmt: skip
    assert needed <= set(icons.names())


def test_buttons_get_the_icon_for_what_they_do(qapp, theme):
    from PySide6.QtWidgets import QPushButton, QWidget

    page = QWidget()
    mute, skip, answer, back = QPushButton("Mute", page), QPushButton("Skip", page), QPushButton("Paris", page), QPushButton("← Back", page)
    answer.setObjectName("choice")
    assert icons.decorate(page) == 2
    assert icons.remembered(mute) == "mute" and icons.remembered(skip) == "skip"
    assert answer.icon().isNull() and back.icon().isNull()  # answers and the screen's own signs stay bare


def test_window_size_and_place_are_remembered(qapp, qtbot, store):
    from app.ui.main_window import MainWindow

    first = MainWindow(store, None, first_run_prompt=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 470)  # inside the offscreen screen (800x600), which clamps what is restored
    first.move(37, 41)
    qapp.processEvents()
    where = first.geometry()
    first.close()
    again = MainWindow(store, None, first_run_prompt=False)
    qtbot.addWidget(again)
    again.show()
    qapp.processEvents()
    assert again.size() == where.size()
    assert again.geometry().topLeft() == where.topLeft()
    again.close()
