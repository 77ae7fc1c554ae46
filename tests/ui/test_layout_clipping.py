"""Every screen, light and dark, at 1280x800 over the sample decks: nothing clipped, nothing on top
of its neighbour, nothing shown at zero size, and the window never forced bigger than 1280x800."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel, QLayout, QStackedLayout, QWidget

from tests.ui.screen_walk import screenshots_module, visible_widgets, walk

SLACK = 1  # px: rounding in Qt's layouts


def _layout_items(layout: QLayout) -> list[tuple[QWidget, QLayout]]:
    """The widgets a layout (and its nested layouts) manages, each with the layout holding it."""
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            out.append((item.widget(), layout))
        elif item.layout() is not None:
            out.extend(_layout_items(item.layout()))
    return out


def layout_problems(root: QWidget) -> list[str]:
    problems: list[str] = []
    shown = set(visible_widgets(root))
    for parent in shown:
        if parent.layout() is None:
            continue
        area = parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK)
        managed = [(w, lay) for w, lay in _layout_items(parent.layout()) if w in shown]
        for w, _lay in managed:
            g = w.geometry()
            if g.width() <= 0 or g.height() <= 0:
                problems.append(f"{_name(w)} is shown at zero size {g.width()}x{g.height()}")
            elif not area.contains(g):
                problems.append(f"{_name(w)} {_rect(g)} sticks out of {_name(parent)} {_rect(parent.rect())}")
            if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
                if not w.wordWrap() and w.width() + SLACK < w.minimumSizeHint().width():
                    problems.append(f"{_name(w)} cuts its text: {w.width()} px wide, needs {w.minimumSizeHint().width()}")
                elif w.wordWrap() and w.height() + SLACK < w.heightForWidth(w.width()):
                    problems.append(f"{_name(w)} cuts its wrapped text: {w.height()} px high, needs {w.heightForWidth(w.width())}")
        flow = [(w, lay) for w, lay in managed if not isinstance(lay, QStackedLayout)]
        for i, (a, _la) in enumerate(flow):
            for b, _lb in flow[i + 1 :]:
                both = a.geometry().intersected(b.geometry())
                if both.width() > SLACK and both.height() > SLACK:
                    problems.append(f"{_name(a)} {_rect(a.geometry())} overlaps {_name(b)} {_rect(b.geometry())}")
    return problems


def _name(w: QWidget) -> str:
    text = getattr(w, "text", None)
    label = text()[:24] if callable(text) and isinstance(text(), str) else ""
    return f"{type(w).__name__}#{w.objectName() or '-'}" + (f"({label!r})" if label else "")


def _rect(r: QRect) -> str:
    return f"[{r.x()},{r.y()} {r.width()}x{r.height()}]"


def _check_all(home, scheme: str) -> tuple[list[str], dict[str, list[str]]]:
    size = screenshots_module().SIZE
    found: dict[str, list[str]] = {}
    names = []
    for shot in walk(home, scheme):
        names.append(shot.name)
        problems = layout_problems(shot.target)
        w = shot.window
        if (w.width(), w.height()) != size:
            problems.insert(0, f"the window needs {w.width()}x{w.height()} (more than {size[0]}x{size[1]})")
        if problems:
            found[shot.name] = problems
    return names, found


def test_light_screens_have_no_clipped_or_overlapping_widgets(qapp, recall_home):
    names, found = _check_all(recall_home, "light")
    assert tuple(names) == screenshots_module().NAMES  # every screen was reached
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_dark_screens_have_no_clipped_or_overlapping_widgets(qapp, recall_home):
    names, found = _check_all(recall_home, "dark")
    assert tuple(names) == screenshots_module().NAMES
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_the_check_sees_overlap_clipping_and_zero_size(qapp):
    """The checks themselves: a hand-placed overlap, a child out of bounds and a 0x0 widget."""
    from PySide6.QtWidgets import QHBoxLayout, QPushButton

    box = QWidget()
    box.resize(300, 100)
    row = QHBoxLayout(box)
    a, b, c = QPushButton("one"), QPushButton("two"), QPushButton("three")
    for w in (a, b, c):
        row.addWidget(w)
    box.show()
    qapp.processEvents()
    assert layout_problems(box) == []
    b.setGeometry(a.geometry().translated(10, 0))  # on top of a
    c.setGeometry(QRect(280, 0, 100, 30))  # out of the box
    problems = layout_problems(box)
    assert any("overlaps" in p for p in problems) and any("sticks out" in p for p in problems)
    c.setGeometry(QRect(0, 0, 0, 0))
    assert any("zero size" in p for p in layout_problems(box))

    cramped = QWidget()
    col = QHBoxLayout(cramped)
    wrapped = QLabel("a long sentence that has to wrap onto several lines in a narrow box " * 3)
    wrapped.setWordWrap(True)
    col.addWidget(wrapped)
    cramped.show()
    qapp.processEvents()
    wrapped.setFixedHeight(12)
    qapp.processEvents()
    assert any("cuts its wrapped text" in p for p in layout_problems(cramped))
