"""Each study mode driven through its real widgets with the keyboard and mouse, against the real
store: answers land in the review log and mastery grows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.store.models import Card, Deck, ReviewLog
from app.study.deck_stats import deck_summaries
from app.study.learn import CHOICE
from app.study.mastery import card_levels
from app.study.matching import ANSWER, PENALTY_MS, PROMPT
from app.study.test_gen import MATCHING, MULTIPLE_CHOICE, TRUE_FALSE, WRITTEN

K = Qt.Key


def _log(store, mode):
    with store.session() as s:
        return s.execute(select(ReviewLog.card_id, ReviewLog.correct).where(ReviewLog.mode == mode)).all()


def _start(window, deck_id, mode, qtbot, wait_workers):
    window.open_deck(deck_id)
    wait_workers()
    deck_page = window.current_page
    qtbot.mouseClick(deck_page.mode_buttons[mode], Qt.MouseButton.LeftButton)
    page = window.current_page
    assert page is not deck_page
    return deck_page, page


def test_flashcards_by_keyboard(window, store, sample_deck, qtbot, wait_workers):
    deck_page, page = _start(window, sample_deck, "flashcards", qtbot, wait_workers)
    assert page.face.text.text() == "What does the forget gate do?"
    qtbot.keyClick(page, K.Key_Space)
    assert page.face.text.text() == "It decides what to remove from the cell state"
    qtbot.keyClick(page, K.Key_Right)
    assert page.face.text.text() == "What problem do LSTMs address?" and page.face.side.text() == "FRONT"
    qtbot.keyClick(page, K.Key_Left)
    qtbot.keyClick(page, K.Key_S)
    with store.session() as s:
        assert s.scalar(select(Card.starred).where(Card.front == "What does the forget gate do?"))
    for key in (K.Key_2, K.Key_2, K.Key_1, K.Key_2, K.Key_1):
        qtbot.keyClick(page, key)
    assert page.pages.currentIndex() == 1
    assert "3 known, 2 still learning" in page.summary_label.text()
    assert [c for _, c in _log(store, "flashcards")] == [True, True, False, True, False]
    qtbot.keyClick(page, K.Key_Return)
    assert page.session.round == 2 and page.session.total == 2
    qtbot.keyClick(page, K.Key_2)
    qtbot.keyClick(page, K.Key_2)
    assert "you know all 2 cards" in page.summary_label.text()
    assert len(_log(store, "flashcards")) == 7
    qtbot.keyClick(page, K.Key_Escape)
    assert window.current_page is deck_page


def test_learn_to_mastery_with_typed_answers_and_override(window, store, sample_deck, qtbot, wait_workers):
    deck_page, page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    s = page.session
    overridden = False
    for _ in range(100):
        if s.finished:
            break
        if s.current is None:
            qtbot.keyClick(page, K.Key_Return)  # next round
            continue
        q = s.current
        if q.kind == CHOICE:
            assert all(b.isVisible() for b in page.choice_buttons[: len(q.choices)])
            qtbot.keyClick(page, K.Key_1 + q.correct_index)
            assert "Right" in page.feedback.text()
        elif not overridden:
            assert page.answer.isVisible() and page.answer.hasFocus()
            qtbot.keyClicks(page.answer, "something else entirely")
            qtbot.keyClick(page.answer, K.Key_Return)
            assert page.override_button.isVisible() and "Not quite" in page.feedback.text()
            qtbot.keyClick(page, K.Key_R)
            assert "Right" in page.feedback.text()
            overridden = True
        else:
            qtbot.keyClicks(page.answer, q.answer.lower().rstrip("."))
            qtbot.keyClick(page.answer, K.Key_Return)
            assert "Right" in page.feedback.text(), page.feedback.text()
        qtbot.keyClick(page, K.Key_Return)  # continue
    assert s.finished and "All 5 cards mastered" in page.done_label.text()
    rows = _log(store, "learn")
    assert len(rows) == 15 and all(c for _, c in rows)
    with store.session() as sess:
        assert set(card_levels(sess, sample_deck).values()) == {"mastered"}
        assert deck_summaries(sess)[0].mastery == 100.0
    qtbot.keyClick(page, K.Key_Escape)
    wait_workers()
    assert window.current_page is deck_page and "100 % mastery" in deck_page.summary.text()


def test_learn_wrong_choice_is_logged_and_asked_again(window, store, sample_deck, qtbot, wait_workers):
    _deck, page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    q = page.session.current
    wrong = (q.correct_index + 1) % len(q.choices)
    qtbot.mouseClick(page.choice_buttons[wrong], Qt.MouseButton.LeftButton)
    assert "Not quite" in page.feedback.text() and q.answer in page.feedback.text()
    assert _log(store, "learn") == [(q.card.id, False)]
    qtbot.keyClick(page, K.Key_Space)
    assert q.card.id in page.session._queue


def test_test_mode_score_and_review(window, store, qtbot, wait_workers):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Capitals")
        add_cards(s, deck, [CardRecord(f"Capital of land {i}", f"City number {i}") for i in range(16)])
        deck_id = deck.id
    _deck, page = _start(window, deck_id, "test", qtbot, wait_workers)
    page.count.setValue(8)
    with qtbot.waitSignal(page.ready, timeout=10_000):
        qtbot.keyClick(page, K.Key_Return)
    run = page.run
    made_wrong = None
    for n, q in enumerate(run.questions):
        assert page.number == n
        if q.kind == MULTIPLE_CHOICE:
            pick = q.correct_index if made_wrong is not None else (q.correct_index + 1) % len(q.choices)
            made_wrong = made_wrong or q
            qtbot.keyClick(page, K.Key_1 + pick)
        elif q.kind == TRUE_FALSE:
            qtbot.keyClick(page, K.Key_T if q.is_true else K.Key_F)
        elif q.kind == WRITTEN:
            qtbot.keyClicks(page.written, q.answers[0].upper())
            qtbot.keyClick(page.written, K.Key_Return)
        else:
            assert q.kind == MATCHING and len(page.match_boxes) == len(q.prompts)
            for box, right in zip(page.match_boxes, q.answers, strict=True):
                box.setCurrentIndex(box.findData(q.choices.index(right)))
            qtbot.keyClick(page, K.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.pages.currentIndex() == 2
    got, total = run.score()
    assert got == total - 1 and page.score_label.text().startswith(f"Score: {got} / {total}")
    review = page.review.toPlainText()
    assert made_wrong.prompts[0] in review and f"Right answer: {made_wrong.answers[0]}" in review
    rows = _log(store, "test")
    assert len(rows) == total and sum(c for _, c in rows) == got


def test_matching_by_letters_with_penalty_and_best_time(window, store, sample_deck, qtbot, wait_workers):
    _deck, page = _start(window, sample_deck, "match", qtbot, wait_workers)
    game = page.game
    assert game.pairs == 5 and len(page.tile_buttons) == 10
    letters = "ABCDEFGHIJ"
    prompts = [t for t in game.tiles if t.side == PROMPT]
    answer_of = {t.card_id: t for t in game.tiles if t.side == ANSWER}
    wrong = next(t for cid, t in answer_of.items() if cid != prompts[0].card_id)
    qtbot.keyClick(page, getattr(K, f"Key_{letters[prompts[0].index]}"))
    qtbot.keyClick(page, getattr(K, f"Key_{letters[wrong.index]}"))
    assert game.mistakes == 1 and "+1 s" in page.info.text()
    for p in prompts:
        qtbot.mouseClick(page.tile_buttons[p.index], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.tile_buttons[answer_of[p.card_id].index], Qt.MouseButton.LeftButton)
    assert game.finished and "Done in" in page.result.text()
    assert game.elapsed_ms() >= PENALTY_MS
    with store.session() as s:
        assert s.get(Deck, sample_deck).best_match_ms == game.elapsed_ms()
    rows = _log(store, "match")
    assert len(rows) == 6 and sum(c for _, c in rows) == 5
    qtbot.keyClick(page, K.Key_Return)  # play again
    assert page.game is not game and not page.game.finished


def test_leaving_learn_by_a_drop_still_saves_a_held_back_answer(
    window, store, sample_deck, qtbot, wait_workers
):
    from app.study.cards import Answer, load_study_cards
    from app.study.recording import store_recorder

    record = store_recorder(store)
    with store.session() as s:
        for card in load_study_cards(s, sample_deck):
            record(Answer(card.id, "flashcards", True))  # known once: Learn asks them typed
    _deck, page = _start(window, sample_deck, "learn", qtbot, wait_workers)
    assert page.session.current.kind != CHOICE
    qtbot.keyClicks(page.answer, "no idea")
    qtbot.keyClick(page.answer, K.Key_Return)
    assert _log(store, "learn") == []  # held back for a possible "I was right"
    window.show_library()  # what a file dropped on the window does
    assert window.current_page is window.library
    assert [c for _, c in _log(store, "learn")] == [False]
