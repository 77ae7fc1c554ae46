"""The redesigned Call screen offscreen: the verdict's highlighted terms, "I was right" kept for
calibration, the user's calibration applied, shortcuts and accessible names, Mute and modes."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from app.grader.base import Thresholds
from app.store.models import GraderOverride, Setting
from app.store.repo import CardRecord, add_cards, get_or_create_deck
from app.ui.call_view import SHORTCUTS, CallView
from app.voice.call import CallEngines
from app.voice.capture import CaptureUnavailable
from tests.voice.fakes import ScriptedASR, ToneTTS


def _no_mic():
    raise CaptureUnavailable("no microphone found")


@pytest.fixture
def cells(store):
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Cells")
        add_cards(s, deck, [CardRecord("What is the powerhouse of the cell?", "The mitochondria"),
                            CardRecord("What makes proteins?", "The ribosome")])  # fmt: skip
        return deck.id


def _typed_call(qtbot, store, deck, tts=None) -> CallView:
    view = CallView(store, deck, first_use_check=False,
                    engines=lambda _l: CallEngines(asr=ScriptedASR([]), tts=tts, microphone=_no_mic))  # fmt: skip
    qtbot.addWidget(view)
    view.screens = []  # (verdict, terms) as shown when each reply arrived (after the view's own slot)
    view.events.replied.connect(lambda *_: view.screens.append((view.verdict_label.text(), view.terms_label.text())))
    view.show()
    qtbot.waitUntil(lambda: view.phase_label.text() == "Type your answer below", timeout=30_000)
    return view


def test_the_verdict_highlights_missing_and_wrongly_said_terms_with_labels(qtbot, store, cells):
    view = _typed_call(qtbot, store, cells)
    assert view.question_label.text() == "What is the powerhouse of the cell?"
    assert view.question_label.font().pointSizeF() > view.reply_label.font().pointSizeF()  # the question is large
    view.answer_edit.setText("the ribosome")
    view._send_typed()
    qtbot.waitUntil(lambda: len(view.screens) == 1, timeout=10_000)
    verdict, html = view.screens[0]
    assert verdict.startswith("✘ Not quite")
    # Not colour alone: a text label and a typographic mark per kind of term.
    assert "<b>Missing:</b>" in html and "<b>Said instead:</b>" in html
    missing = html.split("<b>Missing:</b>")[1].split("<br>")[0]
    instead = html.split("<b>Said instead:</b>")[1]
    assert "mitochondria" in missing and "text-decoration:underline" in missing
    assert "ribosome" in instead and "text-decoration:line-through" in instead
    assert view.last_turn.missing == ["mitochondria"] and view.last_turn.wrong == ["ribosome"]

    # "I was right" by its shortcut: the pair is kept for `recall grader calibrate`.
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(view.screens) == 2, timeout=10_000)
    assert view.screens[1] == ("✔ Marked as right", "") and view.last_turn.command == "i_was_right"
    with store.session() as s:
        rows = s.scalars(select(GraderOverride)).all()
        assert [(r.mode, r.reference, r.answer, r.question) for r in rows] == [
            ("call", "The mitochondria", "the ribosome", "What is the powerhouse of the cell?")]
    view.leave()


def test_matched_terms_are_shown_bold_with_their_label(qtbot, store, sample_deck):
    view = _typed_call(qtbot, store, sample_deck)
    view.answer_edit.setText("it decides what to add to the hidden layer")
    view._send_typed()
    qtbot.waitUntil(lambda: len(view.screens) == 1, timeout=10_000)
    html = view.screens[0][1]
    said = html.split("<b>You said:</b>")[1].split("<br>")[0]
    assert "decides" in said and "font-weight:bold" in said
    assert set(view.last_turn.matched) >= {"decides"}
    view.leave()


def test_the_users_calibration_is_applied_to_the_calls_grader(qtbot, store, sample_deck):
    with store.transaction() as s:
        s.add(Setting(key="grader.thresholds", value=json.dumps({"correct": 0.55, "partial": 0.4})))
    view = _typed_call(qtbot, store, sample_deck)
    assert view.calibrated is True
    assert view.dialogue.grader.thresholds == Thresholds(0.55, 0.4)
    view.leave()


def test_every_control_has_a_name_and_a_listed_shortcut(qtbot, store, sample_deck):
    view = _typed_call(qtbot, store, sample_deck, tts=ToneTTS())
    buttons = view.findChildren(QPushButton)
    assert len(buttons) >= 11
    for b in buttons:
        assert b.accessibleName(), b.text()
        assert b.focusPolicy() & Qt.FocusPolicy.TabFocus, b.text()  # reachable by keyboard
    listed = {k for k, _ in SHORTCUTS}
    keys = {s.key().toString() for s in view.findChildren(QShortcut)}
    assert keys and keys <= listed
    assert "Space (hold)" in listed
    for w in (view.meter, view.question_label, view.partial_label, view.terms_label, view.answer_edit):
        assert w.accessibleName()
    assert view.engine_label.text() == "Using scripted"  # the model and device chosen
    assert view.voice_label.text() == "Voice tone; no sound output"
    view.leave()


def test_mute_modes_and_push_to_talk_from_the_keyboard(qtbot, store, sample_deck):
    view = _typed_call(qtbot, store, sample_deck, tts=ToneTTS())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert view.runner.muted and view.mute_button.isChecked() and view.mute_button.text() == "Unmute"
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not view.runner.muted and view.mute_button.text() == "Mute"
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert not view.runner.hands_free and view.hands_free_button.text() == "Push-to-talk"
    qtbot.keyPress(view, Qt.Key.Key_Space)
    assert view.runner._ptt.is_set() and view.talk_button.isDown()
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert not view.runner._ptt.is_set() and not view.talk_button.isDown()
    # Space typed into the answer box is a space, not push-to-talk.
    view.answer_edit.setFocus()
    qtbot.keyClicks(view.answer_edit, "a b")
    assert view.answer_edit.text() == "a b" and not view.runner._ptt.is_set()
    view.leave()


def test_loading_the_engines_never_blocks_the_window_and_names_them(qtbot, store, sample_deck):
    release = threading.Event()

    def slow_engines(_language):  # a model that takes as long as the test wants to load
        assert release.wait(60)
        return CallEngines(asr=ScriptedASR([]), tts=ToneTTS(), microphone=_no_mic)

    view = CallView(store, sample_deck, engines=slow_engines, first_use_check=False)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.phase_label.text() == "Loading speech engines…", timeout=30_000)
    assert view.load_bar.isVisible()
    ticked = []
    QTimer.singleShot(0, lambda: ticked.append(True))  # the UI thread keeps running meanwhile
    qtbot.waitUntil(lambda: ticked == [True], timeout=5000)
    view.answer_edit.setText("typed while loading")
    assert view.answer_edit.text() == "typed while loading"
    release.set()
    qtbot.waitUntil(lambda: view.engine_label.text() == "Using scripted", timeout=30_000)
    assert view.voice_label.text() == "Voice tone; no sound output"
    qtbot.waitUntil(lambda: not view.load_bar.isVisible(), timeout=30_000)
    view.leave()
