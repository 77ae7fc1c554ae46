"""The Call screen's layout: built onto the view, which keeps every widget as an attribute
(`question_label`, `meter`, `partial_label`, `verdict_label`, `terms_label`, the buttons...)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from app.ui.call_widgets import LevelMeter
from app.ui.common import top_bar


def _button(text: str, name: str, tip: str, key: str, slot: Callable[[], None], *, checkable: bool = False
            ) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name)
    b.setToolTip(f"{tip} ({key})")
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable by Tab; clicks never steal the typing focus
    b.setCheckable(checkable)
    b.clicked.connect(lambda _=False: slot())
    return b


def _label(style: str, name: str, into: QBoxLayout | None = None, *, wrap: bool = True) -> QLabel:
    """An empty label the call fills in: its stylesheet name, its accessible name, wrapped."""
    label = QLabel("")
    if style:
        label.setObjectName(style)
    label.setWordWrap(wrap)
    label.setAccessibleName(name)
    if into is not None:
        into.addWidget(label)
    return label


def build_call_page(view, deck: str) -> None:
    """Every widget of the Call screen, kept on `view`."""
    layout = QVBoxLayout(view)
    bar, _ = top_bar(view, f"Call · {deck}")
    back = bar.itemAt(0).widget()
    if back is not None and not back.accessibleName():
        back.setAccessibleName("Back: end the call and leave")
        back.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    view.position_label = QLabel("")
    view.position_label.setObjectName("muted")
    bar.addWidget(view.position_label)
    layout.addLayout(bar)

    view.phase_label = QLabel("")  # the call's state: app.ui.call_status
    view.phase_label.setObjectName("prompt")
    view.phase_label.setAccessibleName("Call status")
    layout.addWidget(view.phase_label)
    view.load_bar = QProgressBar()
    view.load_bar.setRange(0, 0)
    view.load_bar.setAccessibleName("Loading progress")
    layout.addWidget(view.load_bar)
    view.engine_label = _label("muted", "Speech recognition engine", wrap=False)  # the model and device chosen
    view.voice_label = _label("muted", "Tutor voice", wrap=False)
    engines = QHBoxLayout()
    engines.addWidget(view.engine_label, 1)
    engines.addWidget(view.voice_label)
    layout.addLayout(engines)

    face = QFrame()
    face.setObjectName("cardFace")
    fv = QVBoxLayout(face)
    view.side_label = QLabel("Question")
    view.side_label.setObjectName("cardSide")
    fv.addWidget(view.side_label)
    view.question_label = _label("cardText", "Question")
    big = QFont(view.question_label.font())
    big.setPointSizeF(max(big.pointSizeF(), 10.0) * 1.6)
    view.question_label.setFont(big)
    fv.addWidget(view.question_label, 1)
    mic = QHBoxLayout()
    mic.addWidget(QLabel("Mic"))
    view.meter = LevelMeter()
    mic.addWidget(view.meter, 1)
    fv.addLayout(mic)
    view.partial_label = _label("muted", "Heard so far", fv)  # what is heard while the student speaks
    face.setMinimumHeight(200)
    layout.addWidget(face)

    view.transcript_label = _label("", "Your answer", layout)
    view.verdict_label = _label("", "Verdict", layout, wrap=False)
    view.terms_label = _label("", "Terms matched and missing", layout)  # matched / missing / said instead
    view.terms_label.setTextFormat(Qt.TextFormat.RichText)
    view.reply_label = _label("prompt", "Tutor's reply", layout)
    view.notice_label = _label("muted", "Notices", layout)
    layout.addStretch(1)  # spare height goes below the reply, so a long reply is never clipped

    typed = QHBoxLayout()
    view.answer_edit = QLineEdit()
    view.answer_edit.setAccessibleName("Typed answer")
    view.answer_edit.setPlaceholderText("Type an answer or a command (repeat, skip, I don't know, stop)…")
    view.answer_edit.returnPressed.connect(view._send_typed)
    typed.addWidget(view.answer_edit, 1)
    view.send_button = _button("Send", "Send the typed answer", "Send what you typed", "Enter", view._send_typed)
    view.send_button.setObjectName("primary")
    typed.addWidget(view.send_button)
    layout.addLayout(typed)

    _build_controls(view, layout)

def _build_controls(view, layout: QVBoxLayout) -> None:
    buttons = QHBoxLayout()
    view.talk_button = _button("Hold to talk", "Push to talk", "Hold while you answer, release when done",
                               "hold Space", lambda: None)  # fmt: skip
    view.talk_button.pressed.connect(lambda: view._talk(True))
    view.talk_button.released.connect(lambda: view._talk(False))
    view.hands_free_button = _button("Hands-free", "Hands-free mode",
                                     "On: the tutor hears when you stop; off: hold Space to talk", "Ctrl+H",
                                     lambda: view.set_hands_free(view.hands_free_button.isChecked()),
                                     checkable=True)  # fmt: skip
    view.hands_free_button.setChecked(True)
    view.mute_button = _button("Mute", "Mute the tutor", "Stop the tutor's voice; replies are still shown",
                               "Ctrl+M", lambda: view.set_muted(view.mute_button.isChecked()), checkable=True)
    view.command_buttons: dict[str, QPushButton] = {}
    for label, said, key, tip in (("Repeat", "repeat", "Ctrl+R", "Ask the question again"),
                                  ("Skip", "skip", "Ctrl+Right", "Skip this card"),
                                  ("I don't know", "I don't know", "Ctrl+D", "Hear the answer"),
                                  ("I was right", "I was right", "Ctrl+Y", "Count the last answer as correct")):
        b = _button(label, label, tip, key, lambda s=said: view.runner.submit_text(s))
        view.command_buttons[said] = b
    view.check_button = _button("Mic check…", "Check microphone and voice",
                                "Pick a microphone, test it, pick a voice and rate", "Ctrl+T", view.open_check)
    view.stop_button = _button("End call", "End the call", "Hang up; every answer so far is saved", "Ctrl+E",
                               lambda: view.runner.stop())  # fmt: skip
    view.stop_button.setObjectName("danger")
    for w in (view.talk_button, view.hands_free_button, view.mute_button, *view.command_buttons.values()):
        buttons.addWidget(w)
    buttons.addStretch(1)
    buttons.addWidget(view.check_button)
    buttons.addWidget(view.stop_button)
    layout.addLayout(buttons)
    keys = {"Ctrl+H": view.hands_free_button.click, "Ctrl+M": view.mute_button.click,
            "Ctrl+R": view.command_buttons["repeat"].click, "Ctrl+Right": view.command_buttons["skip"].click,
            "Ctrl+D": view.command_buttons["I don't know"].click,
            "Ctrl+Y": view.command_buttons["I was right"].click, "Ctrl+E": view.stop_button.click,
            "Ctrl+T": view.check_button.click}  # fmt: skip
    for key, slot in keys.items():
        QShortcut(QKeySequence(key), view, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

