"""Flip and fade animations that respect "reduce motion".

Qt has no reduce-motion hint of its own; the platform's animation switch reaches it as the UI
effects (GNOME's enable-animations, Windows' client-area animation), so the system default is
`QApplication.isEffectEnabled(UI_General)`. The setting `reduce_motion` ("system", "on", "off")
and the environment variable RECALL_REDUCE_MOTION (1/0) override it. With motion reduced every
change happens at once, so nothing waits on an animation (the tests run that way).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEasingCurve, QPropertyAnimation, QSequentialAnimationGroup, Qt
from PySide6.QtWidgets import QApplication, QGraphicsOpacityEffect, QWidget

from app.config import load_settings

SETTING_KEY = "reduce_motion"  # "system" (default), "on" or "off"
ENV = "RECALL_REDUCE_MOTION"
FLIP_MS = 220
FADE_MS = 160
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def system_reduces_motion() -> bool:
    app = QApplication.instance()
    return app is None or not QApplication.isEffectEnabled(Qt.UIEffect.UI_General)


def env_override() -> bool | None:
    """RECALL_REDUCE_MOTION when it says yes or no; None when unset (the setting decides)."""
    env = os.environ.get(ENV, "").strip().lower()
    if env in _TRUE:
        return True
    if env in _FALSE:
        return False
    return None


def setting_for(reduce: bool) -> str:
    """The value to store for a yes/no choice: "system" when it is what the system does anyway,
    so a choice put back to the system's keeps following it."""
    if reduce == system_reduces_motion():
        return "system"
    return "on" if reduce else "off"


def reduce_motion() -> bool:
    """Read on every animation, so a change in Settings applies at once."""
    env = env_override()
    if env is not None:
        return env
    value = str(load_settings().get(SETTING_KEY, "system")).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return system_reduces_motion()


def _opacity(widget: QWidget) -> QGraphicsOpacityEffect:
    effect = widget.graphicsEffect()
    if not isinstance(effect, QGraphicsOpacityEffect):
        effect = QGraphicsOpacityEffect(widget)
        effect.setOpacity(1.0)
        widget.setGraphicsEffect(effect)
    return effect


def _drop_effect(widget: QWidget) -> None:
    # An opacity effect left on renders the widget through an offscreen pixmap: remove it.
    widget.setGraphicsEffect(None)


def flip(widget: QWidget, change: Callable[[], None], duration_ms: int = FLIP_MS):
    """Fade `widget` out, apply `change`, fade it back in. Returns the running animation (its
    `finished` signal says when it is over) or None when the change was applied at once."""
    running = getattr(widget, "_recall_anim", None)
    if running is not None:
        group, pending = running
        widget._recall_anim = None  # type: ignore[attr-defined]
        if shiboken6.isValid(group):
            group.stop()  # a second flip while one runs: the first one's change is applied now
        pending()
        _drop_effect(widget)
    if reduce_motion() or not widget.isVisible():
        change()
        return None
    effect = _opacity(widget)
    group = QSequentialAnimationGroup(widget)
    out = QPropertyAnimation(effect, b"opacity", group)
    out.setDuration(duration_ms // 2)
    out.setStartValue(1.0)
    out.setEndValue(0.15)
    out.setEasingCurve(QEasingCurve.Type.InQuad)
    back = QPropertyAnimation(effect, b"opacity", group)
    back.setDuration(duration_ms // 2)
    back.setStartValue(0.15)
    back.setEndValue(1.0)
    back.setEasingCurve(QEasingCurve.Type.OutQuad)
    group.addAnimation(out)
    group.addAnimation(back)
    done = []

    def apply_once() -> None:
        if not done:
            done.append(True)
            change()

    out.finished.connect(apply_once)
    group.finished.connect(lambda: (_drop_effect(widget), setattr(widget, "_recall_anim", None)))
    widget._recall_anim = (group, apply_once)  # type: ignore[attr-defined]
    group.start(QSequentialAnimationGroup.DeletionPolicy.DeleteWhenStopped)
    return group


def fade_in(widget: QWidget, duration_ms: int = FADE_MS):
    """A page or result appearing; None (shown at once) with motion reduced."""
    if reduce_motion() or not widget.isVisible():
        return None
    effect = _opacity(widget)
    anim = QPropertyAnimation(effect, b"opacity", widget)
    anim.setDuration(duration_ms)
    anim.setStartValue(0.0)
    anim.setEndValue(1.0)
    anim.finished.connect(lambda: _drop_effect(widget))
    anim.start(QPropertyAnimation.DeletionPolicy.DeleteWhenStopped)
    return anim
