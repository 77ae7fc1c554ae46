"""Load: 30 students each push 500 reviews at once while the teacher's report runs.

Nothing may be lost or doubled and the report's counts must be exact; the time is printed
(never asserted), beside a reference: the same rows pushed by one student alone.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import insert, select, text

from app.store.models import Card, CardState, ReviewLog
from app.store.repo import get_deck
from app.sync.classes import create_class, join_class, share_deck
from app.sync.exchange import run_sync
from app.sync.report import build_report
from app.sync.server import connect
from tests.sync.helpers import T0, make_deck

STUDENTS = 30
REVIEWS = 500
MODES = ("flashcards", "spaced", "learn", "test", "match", "call")


def _simulate(store, n: int, seed: int) -> None:
    """A student's `n` answers over the deck, written in bulk (the rows record_review writes)."""
    with store.transaction() as s:
        deck = get_deck(s, "Sequence models")
        cards = s.scalars(select(Card).where(Card.deck_id == deck.id).order_by(Card.position)).all()
        logs = []
        for i in range(n):
            card = cards[(i * 7 + seed) % len(cards)]
            rating = 1 + (i + seed) % 4
            logs.append({"card_id": card.id, "deck_id": deck.id, "mode": MODES[i % len(MODES)], "rating": rating,
                         "correct": rating > 1, "reviewed_at": T0 + timedelta(seconds=i), "scheduled": True})  # fmt: skip
        s.execute(insert(ReviewLog), logs)
        s.execute(insert(CardState), [
            {"card_id": c.id, "deck_id": deck.id, "state": 2, "step": None, "stability": 3.0, "difficulty": 5.0,
             "due": T0 + timedelta(days=k), "last_review": T0 + timedelta(seconds=n), "reps": n // len(cards),
             "lapses": 0, "correct_streak": k % 4}
            for k, c in enumerate(cards)
        ])  # fmt: skip


def test_thirty_students_push_concurrently_while_the_report_runs(server_db, local_copy):
    teacher_url = server_db.add_user("teach")
    teacher = connect(teacher_url)
    tcopy = local_copy("teacher")
    make_deck(tcopy)
    run_sync(tcopy, teacher)
    code = create_class(teacher, "Load")["join_code"]
    with tcopy.session() as s:
        share_deck(teacher, "Load", get_deck(s, "Sequence models").uuid, "Sequence models")
    students = []
    for i in range(STUDENTS):
        server = connect(server_db.add_user(f"s{i}"))
        join_class(server, code)
        copy = local_copy(f"s{i}")
        run_sync(copy, server)
        _simulate(copy, REVIEWS, i)
        students.append((server, copy))

    # reference: one more student's 500 reviews pushed with nobody else on the server
    ref_server = connect(server_db.add_user("ref"))
    join_class(ref_server, code)
    ref_copy = local_copy("ref")
    run_sync(ref_copy, ref_server)
    _simulate(ref_copy, REVIEWS, 99)
    t = time.perf_counter()
    run_sync(ref_copy, ref_server)
    alone = time.perf_counter() - t

    errors: list[BaseException] = []
    reports = []
    done = threading.Event()
    go = threading.Barrier(STUDENTS + 1)

    def student(server, copy) -> None:
        try:
            go.wait()
            summary = run_sync(copy, server)
            assert summary.pushed["reviews"] == REVIEWS
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    def reporting() -> None:
        try:
            go.wait()
            while not done.is_set():
                reports.append(build_report(teacher, "Load"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=student, args=pair) for pair in students]
    rep = threading.Thread(target=reporting)
    started = time.perf_counter()
    for th in [*threads, rep]:
        th.start()
    for th in threads:
        th.join(timeout=600)
    pushed = time.perf_counter() - started
    done.set()
    rep.join(timeout=600)
    assert not errors, errors[0]

    # every report saw each student either before or after their push, never half of it
    for r in reports:
        assert all(row["reviews"] in (0, REVIEWS) for row in r.rows if row["student"] != ref_server.user)
    final = build_report(teacher, "Load")
    counts = {row["student"]: row["reviews"] for row in final.rows}
    assert len(counts) == STUDENTS + 1 and set(counts.values()) == {REVIEWS}
    with teacher.engine.connect() as con:
        total, distinct = con.execute(text("SELECT count(*), count(DISTINCT uuid) FROM sync_reviews")).one()
    assert total == distinct == (STUDENTS + 1) * REVIEWS
    print(
        f"\nload: {STUDENTS} students x {REVIEWS} reviews pushed concurrently in {pushed:.2f} s "
        f"({STUDENTS * REVIEWS / pushed:.0f} reviews/s) while {len(reports)} reports ran; "
        f"one student alone: {alone:.2f} s; ratio {pushed / alone:.1f}x for {STUDENTS}x the rows"
    )
    for server, _ in students:
        server.close()
    ref_server.close()
    teacher.close()
