"""End-of-session summaries, per mode, from real sessions on plain cards; the marked terms of a
typed answer; pasted images stored in the media folder."""

from __future__ import annotations

import random

from app.study.answer_terms import MATCHED, MISSING, mark_terms
from app.study.cards import StudyCard
from app.study.flashcards import FlashcardSession
from app.study.learn import CHOICE, LearnSession
from app.study.media import display_html, has_images, image_files, plain_text, save_image
from app.study.session_summary import (
    exam_summary,
    flashcards_summary,
    learn_progress_text,
    learn_summary,
    matching_summary,
    spaced_summary,
)
from app.study.test_gen import WRITTEN, ExamRun, generate_test
from tests.study.helpers import ListRecorder, make_cards


def test_flashcards_summary_lists_known_and_still_learning():
    cards = make_cards(4)
    s = FlashcardSession(cards)
    for know in (True, False, True, True):
        s.mark(know)
    got = flashcards_summary(s, cards)
    assert got.headline == "Round 1 done: 3 known, 1 still learning."
    assert got.learned == ["q1 front", "q3 front", "q4 front"] and got.review == ["q2 front"]
    assert ("Still learning", "1") in got.figures and "again" in got.next_step


def test_learn_summary_names_newly_mastered_and_weakest_first():
    cards = make_cards(3)
    s = LearnSession(cards, rng=random.Random(3), round_size=3)
    missed = None
    while s.current is not None:
        q = s.current
        if q.kind == CHOICE:
            if missed is None:
                missed = q.card.front
                s.answer_choice((q.correct_index + 1) % len(q.choices))
            else:
                s.answer_choice(q.correct_index)
        else:
            s.answer_text(q.answer)
        s.advance()
    got = learn_summary(s)
    assert got.headline.startswith("Round 1 done.") and "3 cards still to master" in got.next_step
    assert got.review == [missed]  # missed once, then right: still one to go over
    assert sorted(got.learned) == sorted(c.front for c in cards if c.front != missed)
    assert ("Cards asked", "3") in got.figures and ("Right the first time", "2 / 3") in got.figures
    assert "3 cards asked, 2 right the first time, 1 missed. 0 of 3 cards mastered." in got.headline


def test_learn_summary_says_what_the_round_did_and_reviews_only_cards_it_asked():
    cards = make_cards(12)
    s = LearnSession(cards, rng=random.Random(5), round_size=7)
    missed: list[str] = []
    while s.current is not None:
        q = s.current
        if q.kind == CHOICE and len(missed) < 2 and q.card.front not in missed:
            missed.append(q.card.front)
            s.answer_choice((q.correct_index + 1) % len(q.choices))
        elif q.kind == CHOICE:
            s.answer_choice(q.correct_index)
        else:
            s.answer_text(q.answer)
        s.advance()
    got = learn_summary(s)
    asked = {cards_by.front for cards_by in cards if cards_by.id in s.round_asked}
    assert len(asked) == 7 and sorted(got.review) == sorted(missed) and set(got.review) <= asked
    assert set(got.learned) == asked - set(missed)  # what you know: right the first time, this round
    assert "Still to learn: 5 cards not asked yet." in got.next_step  # counted, never listed to review
    fig = dict(got.figures)
    assert fig["Cards asked"] == "7" and fig["Right the first time"] == "5 / 7" and fig["Mastered"] == "0 / 12"
    # The progress figure is the bar's: the same percentage, explained in the bar's words.
    pct = f"{s.progress * 100:.0f} %"
    assert fig["Of the way"] == pct and learn_progress_text(s).startswith(f"{pct} of the way")
    assert "right answers in a row" in learn_progress_text(s)
    # The next round starts afresh: its summary counts only its own cards.
    s.start_round()
    assert s.round_asked == [] and s.round_misses == {}


def test_test_summary_and_accept_turns_a_written_miss_into_a_point():
    cards = make_cards(6)
    rec = ListRecorder()
    run = ExamRun(generate_test(cards, 4, (WRITTEN,), rng=random.Random(1)), recorder=rec)
    for n, q in enumerate(run.questions):
        run.answer(n, "nonsense" if n == 0 else q.answers[0])
    got = exam_summary(run)
    assert got.headline.startswith("Score: 3 / 4") and len(got.review) == 1 and "→" in got.review[0]
    assert len(got.learned) == 3
    assert run.accept(0) and run.score() == (4, 4) and not run.accept(0)  # once only
    assert rec.answers[-1].correct and rec.answers[-1].answer_text == "nonsense"
    assert exam_summary(run).review == []


def test_matching_and_spaced_summaries():
    pairs = make_cards(3)
    got = matching_summary(12_300, 1, 1000, pairs, {2}, 12_300, True, True)
    assert got.headline == "Done in 12.3 s (with 1.0 s of penalties). A new best time!"
    assert got.review == ["q2 front"] and got.learned == ["q1 front", "q3 front"]
    first = matching_summary(9_000, 0, 0, pairs, set(), 9_000, True, False)
    assert first.headline == "Done in 9.0 s. Best: 9.0 s." and first.review == []
    sp = spaced_summary([("a", 3), ("b", 1), ("c", 4)])
    assert sp.headline == "Done for today! You reviewed 3 cards." and sp.review == ["b"] and sp.learned == ["a", "c"]
    assert spaced_summary([("a", 2)], scale="5").review == ["a"]  # 1-2 on the confidence scale


def test_long_lists_keep_every_item():
    cards = [StudyCard(i, f"card {i}", "x") for i in range(1, 21)]
    s = FlashcardSession(cards)
    for _ in cards:
        s.mark(True)
    learned = flashcards_summary(s, cards).learned
    assert learned == [f"card {i}" for i in range(1, 21)]  # the panel's list scrolls; nothing is cut


def test_marked_terms_of_a_typed_answer():
    m = mark_terms("The mitochondria", "the ribosome")
    assert m.missing == ["mitochondria"] and m.wrong == ["ribosome"] and m.matched == []
    assert ("mitochondria", MISSING) in m.segments and "Said instead: ribosome" in m.describe()
    m = mark_terms("Two: the update gate and the reset gate", "the update gate")
    marks = dict((t, k) for t, k in m.segments if k)
    assert marks["update gate"] == MATCHED and marks["reset"] == MISSING and marks["Two"] == MISSING
    assert "".join(t for t, _ in m.segments) == "Two: the update gate and the reset gate"


def test_images_are_stored_once_by_content_and_rendered(recall_home):
    tag = save_image(7, b"\x89PNG fake", ".png")
    assert tag == save_image(7, b"\x89PNG fake", ".png")
    text = f"Look <b>here</b>: {tag}"
    (path,) = image_files(text)
    assert path.read_bytes() == b"\x89PNG fake" and path.parent == recall_home / "data" / "media" / "deck-7"
    assert has_images(text) and plain_text(text) == "Look <b>here</b>: 🖼"
    html = display_html(text)
    assert "&lt;b&gt;here&lt;/b&gt;" in html and path.resolve().as_uri() in html
