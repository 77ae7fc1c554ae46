"""The Spaced review screen driven by its keys, offscreen, over a real temporary store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.store.models import CardState, Deck, ReviewLog
from app.ui.spaced_view import SpacedView

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


def _view(qtbot, store, deck_id, clock):
    view = SpacedView(store, deck_id, now=clock, tz=timezone.utc)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    _settle(qtbot, view)  # the queue is built on a worker
    return view


def _settle(qtbot, view):
    """Wait until the step started by the last key (answer, undo, refresh) is shown."""
    qtbot.waitUntil(lambda: not view.busy and view.session is not None, timeout=20_000)


def _key(qtbot, view, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(view, key, modifier)
    _settle(qtbot, view)


def _logs(store):
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(ReviewLog))


def test_reveal_rate_with_keys_and_intervals_on_buttons(qtbot, store, sample_deck):
    view = _view(qtbot, store, sample_deck, Clock(T0))
    assert "5 new" in view.counts.text()
    assert view.front.text() == "What does the forget gate do?"
    assert not view.back.isVisible() and view.rating_buttons == []
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.back.isVisible() and view.back.text().startswith("It decides")
    labels = [b.text() for b in view.rating_buttons]
    assert labels == ["Again\n1m", "Hard\n6m", "Good\n10m", "Easy\n8d"]
    _key(qtbot, view, Qt.Key.Key_4)  # Easy
    assert _logs(store) == 1
    assert view.front.text() == "What problem do LSTMs address?"
    assert "4 new" in view.counts.text()
    _key(qtbot, view, Qt.Key.Key_1)  # not revealed yet: ignored
    assert _logs(store) == 1
    qtbot.keyClick(view, Qt.Key.Key_Return)
    view.rating_buttons[2].click()  # Good, by mouse
    _settle(qtbot, view)
    assert _logs(store) == 2
    assert "1 learning" in view.counts.text()


def test_undo_with_ctrl_z_brings_the_card_back(qtbot, store, sample_deck):
    view = _view(qtbot, store, sample_deck, Clock(T0))
    first = view.front.text()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    _key(qtbot, view, Qt.Key.Key_3)
    assert view.front.text() != first and view.undo_button.isEnabled()
    _key(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.front.text() == first and _logs(store) == 0
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(CardState)) == 0


def test_done_for_today_and_esc_closes(qtbot, store, sample_deck):
    with store.transaction() as s:
        s.get(Deck, sample_deck).new_per_day = 1
    clock = Clock(T0)
    view = _view(qtbot, store, sample_deck, clock)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    _key(qtbot, view, Qt.Key.Key_4)  # Easy: graduates, nothing left today
    assert not view.card.isVisible()
    assert view.summary.isVisible() and view.message.text() == ""
    assert view.summary.headline.text() == "Done for today! You reviewed 1 card."
    with qtbot.waitSignal(view.closed, timeout=1000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)


def test_waiting_for_a_learning_step_then_it_comes_back(qtbot, store, sample_deck):
    with store.transaction() as s:
        s.get(Deck, sample_deck).new_per_day = 1
    clock = Clock(T0)
    view = _view(qtbot, store, sample_deck, clock)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    _key(qtbot, view, Qt.Key.Key_1)  # Again: back in a minute, shown early (learn-ahead)
    assert view.card.isVisible()
    # a longer learning step (as a deck with hour-long steps would give): the screen waits
    with store.transaction() as s:
        s.scalar(select(CardState)).due = T0 + timedelta(hours=2)
    view._recheck()
    _settle(qtbot, view)
    assert not view.card.isVisible()
    assert view.message.text().startswith("Done for now")
    assert view._wait.isActive()
    clock.t = T0 + timedelta(hours=2)
    view._wait.timeout.emit()
    _settle(qtbot, view)
    assert view.card.isVisible() and view.deck_label.text().endswith("learning")


def test_all_decks_and_confidence_scale(qtbot, store, sample_deck):
    with store.transaction() as s:
        s.get(Deck, sample_deck).rating_scale = "5"
    view = _view(qtbot, store, None, Clock(T0))
    assert "Sequence models" in view.deck_label.text()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert len(view.rating_buttons) == 5
    _key(qtbot, view, Qt.Key.Key_5)
    with store.session() as s:
        assert s.scalar(select(ReviewLog.rating)) == 4


def test_preparing_state_until_the_first_card_is_ready(qtbot, store, sample_deck):
    view = SpacedView(store, sample_deck, now=Clock(T0), tz=timezone.utc)
    qtbot.addWidget(view)
    assert view.busy and view.session is None
    assert view.message.text() == "Preparing today's reviews…" and view.front.text() == ""
    qtbot.keyClick(view, Qt.Key.Key_Space)  # ignored until the queue is there
    with qtbot.waitSignal(view.ready, timeout=20_000):
        pass
    assert view.front.text() == "What does the forget gate do?" and not view.session.revealed
    assert view.message.text() == "" and "5 new" in view.counts.text()


def test_undo_with_nothing_to_undo_says_so(qtbot, store, sample_deck):
    view = _view(qtbot, store, sample_deck, Clock(T0))
    _key(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.message.text() == "Nothing to undo here."
