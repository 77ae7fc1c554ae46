"""The study screens' shared language, driven by keyboard on real widgets and a real store:
feedback by icon and text, Learn's marked terms and its "I was right" kept as a grader override,
the same in Test's written-answer review, end-of-session summaries, reduce-motion, shortcuts."""

from __future__ import annotations

import importlib
import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.store.models import GraderOverride
from app.study.cards import Answer, load_study_cards
from app.study.learn import CHOICE
from app.study.recording import store_recorder
from app.study.test_gen import KINDS, WRITTEN
from app.ui import motion

K = Qt.Key


@pytest.fixture(autouse=True)
def _no_motion(monkeypatch):
    monkeypatch.setenv(motion.ENV, "1")


def _start(window, deck_id, mode, qtbot, wait_workers):
    window.open_deck(deck_id)
    wait_workers()
    deck_page = window.current_page
    qtbot.mouseClick(deck_page.mode_buttons[mode], Qt.MouseButton.LeftButton)
    return window.current_page


def _overrides(store):
    with store.session() as s:
        return s.scalars(select(GraderOverride)).all()


def _known_once(store, deck_id):
    record = store_recorder(store)
    with store.session() as s:
        for card in load_study_cards(s, deck_id):
            record(Answer(card.id, "flashcards", True))  # Learn asks these typed


def test_learn_typed_answer_marks_terms_and_i_was_right_is_kept(window, store, sample_deck, qtbot, wait_workers):
    _known_once(store, sample_deck)
    page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    q = page.session.current
    assert q.kind != CHOICE and page.answer.hasFocus() and not page.terms.isVisible()
    qtbot.keyClicks(page.answer, "the ribosome")
    qtbot.keyClick(page.answer, K.Key_Return)
    assert page.feedback.icon.text() == "✗" and page.feedback.text().startswith("Not quite")
    assert page.face.property("state") == "wrong"
    assert page.terms.isVisible() and "✗" in page.terms.text() and "Missing:" in page.terms.accessibleName()
    assert _overrides(store) == []
    qtbot.keyClick(page, K.Key_R)
    (o,) = _overrides(store)
    assert (o.mode, o.reference, o.answer, o.question, o.card_id) == ("learn", q.answer, "the ribosome", q.prompt,
                                                                      q.card.id)
    assert page.feedback.icon.text() == "✓" and "Kept for calibration (1 of 5" in page.feedback.text()
    qtbot.keyClick(page, K.Key_Return)  # continue

    q = page.session.current
    typo = q.answer[:-2] + q.answer[-1] + q.answer[-2]  # two letters swapped: accepted, with a note
    qtbot.keyClicks(page.answer, typo)
    qtbot.keyClick(page.answer, K.Key_Return)
    assert page.feedback.icon.text() in ("≈", "✓") and page.feedback.text().startswith("Right!")
    assert "✓" in page.terms.text() and not page.override_button.isVisible()


def test_learn_round_ends_on_a_summary(window, store, sample_deck, qtbot, wait_workers):
    page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    s = page.session
    while s.current is not None:
        qtbot.keyClick(page, K.Key_1 + s.current.correct_index)
        assert page.feedback.icon.text() == "✓"
        qtbot.keyClick(page, K.Key_Return)
    assert page.pages.currentWidget() is page.summary
    assert page.summary.headline.text().startswith("Round 1 done.")
    assert page.summary.learned.count() == 5 and page.summary.figures_row.count() == 6  # 4 figures, 2 stretches
    qtbot.keyClick(page, K.Key_Return)
    assert s.round == 2 and page.pages.currentIndex() == 0


def test_test_written_review_i_was_right(window, store, qtbot, wait_workers):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Capitals")
        add_cards(s, deck, [CardRecord(f"Capital of land {i}", f"City number {i}") for i in range(8)])
        deck_id = deck.id
    page = _start(window, deck_id, "test", qtbot, wait_workers)
    for kind in KINDS:
        page.kind_boxes[kind].setChecked(kind == WRITTEN)
    page.count.setValue(3)
    with qtbot.waitSignal(page.ready, timeout=10_000):
        qtbot.keyClick(page, K.Key_Return)
    first = page.run.questions[0]
    qtbot.keyClicks(page.written, "City number 99")
    qtbot.keyClick(page.written, K.Key_Return)
    for q in page.run.questions[1:]:
        qtbot.keyClicks(page.written, q.answers[0])
        qtbot.keyClick(page.written, K.Key_Return)
    assert page.score_label.text().startswith("Score: 2 / 3") and list(page.override_buttons) == [1]
    assert page.summary.review.item(0).text().startswith(first.prompts[0])
    qtbot.keyClick(page, K.Key_R)
    (o,) = _overrides(store)
    assert (o.mode, o.reference, o.answer, o.question) == ("test", first.answers[0], "City number 99",
                                                           first.prompts[0])
    assert page.score_label.text().startswith("Score: 3 / 3") and page.override_buttons == {}
    assert "Question 1 counted as right" in page.override_note.text()


def test_flashcards_summary_and_matching_summary(window, store, sample_deck, qtbot, wait_workers):
    page = _start(window, sample_deck, "flashcards", qtbot, wait_workers)
    for key in (K.Key_2, K.Key_1, K.Key_2, K.Key_2, K.Key_1):
        qtbot.keyClick(page, key)
    assert page.summary.learned.count() == 3 and page.summary.review.count() == 2
    assert page.progress.value() == 5
    qtbot.keyClick(page, K.Key_Escape)

    from app.study.matching import ANSWER, PROMPT

    deck_page = window.current_page
    qtbot.mouseClick(deck_page.mode_buttons["match"], Qt.MouseButton.LeftButton)
    match = window.current_page
    game = match.game
    prompts = [t for t in game.tiles if t.side == PROMPT]
    answers = {t.card_id: t for t in game.tiles if t.side == ANSWER}
    wrong = next(t for cid, t in answers.items() if cid != prompts[0].card_id)
    match.pick(prompts[0].index)
    match.pick(wrong.index)
    assert match.tile_buttons[wrong.index].tile_text().startswith("✗ ")
    for p in prompts:
        match.pick(p.index)
        match.pick(answers[p.card_id].index)
    assert match.pages.currentWidget() is match.summary and match.result.text().startswith("Done in")
    assert match.summary.review.count() == 2  # the two cards of the mixed-up pair


def test_spaced_with_nothing_due_shows_the_summary(window, store, qtbot, wait_workers):
    from app.store.repo import get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Empty")
        deck_id = deck.id
    window.open_deck(deck_id)
    wait_workers()
    page = window.open_mode("spaced", deck_id)
    qtbot.waitUntil(lambda: page.session is not None and not page.busy, timeout=20_000)  # built on a worker
    assert page.summary.isVisible() and page.summary.headline.text() == "Nothing is due."


def test_reduce_motion_setting_and_environment(monkeypatch, recall_home, qapp):
    from app.config import save_settings

    monkeypatch.delenv(motion.ENV)
    save_settings({motion.SETTING_KEY: "on"})
    assert motion.reduce_motion()
    save_settings({motion.SETTING_KEY: "off"})
    assert not motion.reduce_motion()
    save_settings({motion.SETTING_KEY: "system"})
    assert motion.reduce_motion() == motion.system_reduces_motion()
    monkeypatch.setenv(motion.ENV, "1")
    assert motion.reduce_motion()
    assert json.loads((recall_home / "data" / "settings.json").read_text())[motion.SETTING_KEY] == "system"


def test_flip_animates_when_motion_is_on_and_not_when_reduced(window, store, sample_deck, qtbot, wait_workers,
                                                              monkeypatch):
    page = _start(window, sample_deck, "flashcards", qtbot, wait_workers)
    front, back = page.session.current.front, page.session.current.back
    qtbot.keyClick(page, K.Key_Space)  # reduced: at once, no effect left behind
    assert page.face.text.text() == back and page.face.graphicsEffect() is None
    monkeypatch.setenv(motion.ENV, "0")
    qtbot.keyClick(page, K.Key_Space)
    running = page.face._recall_anim
    assert running is not None and page.face.graphicsEffect() is not None
    with qtbot.waitSignal(running[0].finished, timeout=10_000):
        pass
    assert page.face.text.text() == front and page.face.graphicsEffect() is None
    qtbot.keyClick(page, K.Key_Space)
    qtbot.keyClick(page, K.Key_Space)  # a second flip while one runs applies the first at once
    qtbot.waitUntil(lambda: page.face._recall_anim is None, timeout=10_000)
    assert page.face.text.text() == front


@pytest.mark.parametrize("module", ["deck_view", "card_editor", "flashcards_view", "learn_view", "test_view",
                                    "matching_view", "spaced_view"])
def test_every_view_lists_its_shortcuts(module):
    shortcuts = importlib.import_module(f"app.ui.{module}").SHORTCUTS
    assert shortcuts and all(isinstance(k, str) and k and isinstance(d, str) and d for k, d in shortcuts)
    assert any("Esc" in k for k, _ in shortcuts)


def test_every_control_has_a_key_dont_know_starred_answer_first_finish(window, store, sample_deck, qtbot,
                                                                       wait_workers):
    from app.store.models import ReviewLog

    _known_once(store, sample_deck)
    page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    q = page.session.current
    qtbot.keyClick(page.answer, K.Key_D, Qt.KeyboardModifier.ControlModifier)  # I don't know, from the field
    assert page.feedback.icon.text() == "✗" and q.answer in page.feedback.text()
    with store.session() as s:
        assert s.scalar(select(ReviewLog.correct).where(ReviewLog.mode == "learn")) is False
    qtbot.keyClick(page, K.Key_Escape)

    deck_page = window.current_page
    qtbot.mouseClick(deck_page.mode_buttons["flashcards"], Qt.MouseButton.LeftButton)
    fc = window.current_page
    first = fc.session.current
    qtbot.keyClick(fc, K.Key_B)
    assert fc.back_first_box.isChecked() and fc.face.text.text() == first.back
    qtbot.keyClick(fc, K.Key_O)  # no starred cards yet
    assert fc.starred_box.isChecked() and "No starred cards" in fc.face.text.text()
    qtbot.keyClick(fc, K.Key_O)
    qtbot.keyClick(fc, K.Key_Escape)

    qtbot.mouseClick(deck_page.mode_buttons["test"], Qt.MouseButton.LeftButton)
    test = window.current_page
    with qtbot.waitSignal(test.ready, timeout=10_000):
        qtbot.keyClick(test, K.Key_Return)
    qtbot.keyClick(test, K.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert test.pages.currentIndex() == 2 and test.score_label.text().startswith("Score: 0 /")


def test_summary_lists_take_tab_focus_and_scroll_by_keyboard(qtbot):
    from PySide6.QtWidgets import QApplication

    from app.study.session_summary import SessionSummary
    from app.ui.session_summary import SummaryPanel

    panel = SummaryPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    learned = [f"Card number {i}" for i in range(80)]
    panel.show_summary(SessionSummary("flashcards", "Round done", [("Known", "80")], learned, ["Only one"]))
    lst, bar = panel.learned, panel.learned.verticalScrollBar()
    assert lst.accessibleName() == "What you know" and panel.review.accessibleName() == "Review next"
    assert lst.accessibleDescription().startswith("80 cards;")
    assert panel.review.accessibleDescription().startswith("1 card;")
    assert lst.focusPolicy() & Qt.FocusPolicy.TabFocus and not lst.focusPolicy() & Qt.FocusPolicy.ClickFocus
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # 80 rows in 220 px need scrolling (laid out on the next pass)
    assert bar.value() == 0

    panel.setFocus()
    qtbot.keyClick(panel, K.Key_Tab)
    assert QApplication.focusWidget() is lst
    qtbot.keyClick(lst, K.Key_PageDown)  # to the foot of the page shown...
    first = lst.currentRow()
    assert first > 1
    qtbot.keyClick(lst, K.Key_PageDown)  # ...then a page further down: the list scrolls
    after_page = bar.value()
    assert after_page > 0 and lst.currentRow() > first
    qtbot.keyClick(lst, K.Key_Down)
    assert bar.value() >= after_page
    qtbot.keyClick(lst, K.Key_End)
    assert bar.value() == bar.maximum() and lst.currentRow() == 79
    qtbot.keyClick(lst, K.Key_PageUp)  # to the top of the page shown, then a page up
    qtbot.keyClick(lst, K.Key_PageUp)
    assert 0 < bar.value() < bar.maximum()
    qtbot.keyClick(lst, K.Key_Home)
    assert bar.value() == 0 and lst.currentRow() == 0
    qtbot.keyClick(lst, K.Key_Up)
    assert lst.currentRow() == 0
    qtbot.keyClick(lst, K.Key_Tab)
    assert QApplication.focusWidget() is panel.review


def test_a_focused_summary_list_leaves_the_pages_keys_to_the_page(window, store, sample_deck, qtbot, wait_workers):
    from PySide6.QtWidgets import QApplication

    page = _start(window, sample_deck, "flashcards", qtbot, wait_workers)
    for key in (K.Key_2, K.Key_1, K.Key_2, K.Key_2, K.Key_1):
        qtbot.keyClick(page, key)
    lst = page.summary.learned
    assert lst.isVisible() and lst.count() == 3
    lst.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is lst
    qtbot.keyClick(lst, K.Key_Down)
    assert lst.currentRow() == 1  # the list scrolls...
    qtbot.keyClick(lst, K.Key_R)  # ...and R (restart) still reaches the page
    assert not page.session.round_complete
    assert page.summary.isHidden() or not page.summary.isVisible()


def test_learn_hint_follows_the_question_kind(window, store, sample_deck, qtbot, wait_workers):
    page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    assert page.session.current.kind == CHOICE
    assert page.hint.text().startswith("1–4 choose") and "I was right" not in page.hint.text()
    page.finish()
    window.pop(page)
    _known_once(store, sample_deck)  # now every card is asked typed
    page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    assert page.session.current.kind != CHOICE
    assert page.hint.text().startswith("Enter check") and "1–4" not in page.hint.text()
    assert "R I was right" in page.hint.text()


def test_learn_round_summary_reviews_only_cards_it_asked(window, store, qtbot, wait_workers):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Twelve")
        add_cards(s, deck, [CardRecord(f"Term {i}", f"Meaning number {i}") for i in range(12)])
        deck_id = deck.id
    page = _start(window, deck_id, "learn", qtbot, wait_workers)
    s = page.session
    missed = None
    while s.current is not None:
        q = s.current
        wrong = missed is None
        missed = missed or q.card.front
        qtbot.keyClick(page, K.Key_1 + ((q.correct_index + 1) % len(q.choices) if wrong else q.correct_index))
        qtbot.keyClick(page, K.Key_Return)
    assert page.pages.currentWidget() is page.summary
    review = [page.summary.review.item(i).text() for i in range(page.summary.review.count())]
    assert review == [missed]  # not the five cards this round never asked
    assert page.summary.learned.count() == len(s.round_asked) - 1
    assert "Still to learn: 5 cards not asked yet." in page.summary.next_step.text()
    pct = f"{s.progress * 100:.0f} %"
    assert page.progress.format().startswith(f"{pct} of the way") and "right answers in a row" in page.progress.format()
    assert page.progress.value() == round(s.progress * 1000)
    figures = [w.accessibleName() for w in page.summary._figure_widgets]
    assert f"Of the way: {pct}" in figures and f"Cards asked: {len(s.round_asked)}" in figures


def test_test_results_list_every_right_answer_and_scroll(window, store, qtbot, wait_workers):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Many capitals")
        add_cards(s, deck, [CardRecord(f"Capital of land {i}", f"City number {i}") for i in range(14)])
        deck_id = deck.id
    page = _start(window, deck_id, "test", qtbot, wait_workers)
    for kind in KINDS:
        page.kind_boxes[kind].setChecked(kind == WRITTEN)
    page.count.setValue(14)
    with qtbot.waitSignal(page.ready, timeout=10_000):
        qtbot.keyClick(page, K.Key_Return)
    for q in page.run.questions:
        qtbot.keyClicks(page.written, q.answers[0])
        qtbot.keyClick(page.written, K.Key_Return)
    known = page.summary.learned
    texts = [known.item(i).text() for i in range(known.count())]
    assert known.count() == 14 and not any("more" in t for t in texts)  # every one, none cut to "… and N more"
    last = known.item(known.count() - 1)
    known.scrollToItem(last)
    assert known.viewport().rect().intersects(known.visualItemRect(last))  # the box scrolls to the last
