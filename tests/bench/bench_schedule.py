"""Benchmark the Spaced scheduler on a 100,000-card collection with a year of simulated history.

    .venv/bin/python tests/bench/bench_schedule.py [--cards 100000] [--decks 5] [--db PATH]

Prints figures; never fails on a time. Targets: due queue under 50 ms, one review under 5 ms,
`recall decks` figures (deck_summaries) well under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select  # noqa: E402

from app.scheduling.queue import build_queue, deck_counts  # noqa: E402
from app.scheduling.review import record_review  # noqa: E402
from app.scheduling.simulate import simulate, write_history  # noqa: E402
from app.scheduling.stats import collect_stats  # noqa: E402
from app.scheduling.undo import undo_review  # noqa: E402
from app.store.db import Store  # noqa: E402
from app.store.models import Card, ReviewLog  # noqa: E402
from app.store.repo import CardRecord, add_cards, get_or_create_deck  # noqa: E402
from app.study.deck_stats import deck_summaries  # noqa: E402

START = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
DAYS = 365


def build(store: Store, cards: int, decks: int, new_per_day: int) -> None:
    t = time.perf_counter()
    per_deck = cards // decks
    total_reviews = 0
    for d in range(decks):
        with store.transaction() as s:
            deck, _ = get_or_create_deck(s, f"Deck {d:02d}")
            deck.new_per_day = new_per_day
            add_cards(s, deck, [CardRecord(f"question {d}-{i}", f"answer {d}-{i}") for i in range(per_deck)])
            s.flush()
            ids = list(s.scalars(select(Card.id).where(Card.deck_id == deck.id).order_by(Card.position)))
            total_reviews += write_history(s, deck.id, simulate(ids, START, DAYS, new_per_day, seed=d))
        print(f"  deck {d + 1}/{decks} written ({total_reviews} reviews so far)", flush=True)
    print(f"built {cards} cards, {total_reviews} reviews in {time.perf_counter() - t:.1f} s")


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this thread, in ms.

    The machine is shared, so wall time swings with other processes' load; the thread's CPU
    time is the steadier figure for the work itself (SQLite runs in this thread).
    """
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.thread_time()
        out = fn()
        cpus.append((time.thread_time() - c) * 1000)
        walls.append((time.perf_counter() - t) * 1000)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--decks", type=int, default=5)
    ap.add_argument("--new-per-day", type=int, default=30)
    ap.add_argument("--db", help="reuse (or create) this database file")
    args = ap.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    fresh = not path.exists()
    store = Store(f"sqlite:///{path}")
    if fresh:
        build(store, args.cards, args.decks, args.new_per_day)
    now = START + timedelta(days=DAYS, hours=2)
    with store.session() as s:
        n_cards = s.scalar(select(func.count()).select_from(Card))
        n_logs = s.scalar(select(func.count()).select_from(ReviewLog))
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"collection: {n_cards} cards, {n_logs} review-log rows, {path.stat().st_size / 1e6:.0f} MB")

    with store.session() as s:
        first_deck = min(d for d in deck_counts(s, now))
        med, cpu, q = timed(lambda: build_queue(s, None, now), 15)
        print(
            f"due queue, all decks: median {med:.1f} ms, CPU {cpu:.1f} ms "
            f"({q.counts.new} new, {q.counts.learning} learning, {q.counts.review} review)  [target < 50 ms]"
        )
        med, cpu, q = timed(lambda: build_queue(s, first_deck, now), 15)
        print(f"due queue, one deck:  median {med:.1f} ms, CPU {cpu:.1f} ms ({q.counts.total} cards)")
        med, cpu, _ = timed(lambda: deck_counts(s, now), 15)
        print(f"due counts, all decks: median {med:.1f} ms, CPU {cpu:.1f} ms")
        med, cpu, _ = timed(lambda: deck_summaries(s, now), 15)
        print(f"deck_summaries (recall decks): median {med:.1f} ms, CPU {cpu:.1f} ms  [target < 300 ms]")
        med, cpu, _ = timed(lambda: collect_stats(s, None, now), 3)
        print(f"statistics, whole collection: median {med:.0f} ms, CPU {cpu:.0f} ms")
        med, cpu, _ = timed(lambda: collect_stats(s, first_deck, now), 3)
        print(f"statistics, one deck: median {med:.0f} ms, CPU {cpu:.0f} ms")
        due_ids = [it.card_id for it in build_queue(s, None, now).items][:200]

    def one_review(card_id: int, rating: int) -> None:
        with store.transaction() as s:
            record_review(s, s.get(Card, card_id), mode="spaced", rating=rating, now=now)

    walls, cpus = [], []
    for i, cid in enumerate(due_ids):
        t, c = time.perf_counter(), time.thread_time()
        one_review(cid, 3 if i % 5 else 1)
        cpus.append((time.thread_time() - c) * 1000)
        walls.append((time.perf_counter() - t) * 1000)
    walls.sort()
    print(
        f"record a review (own transaction, commit included), {len(walls)} reviews: "
        f"median {statistics.median(walls):.2f} ms, p90 {walls[int(0.9 * (len(walls) - 1))]:.2f} ms, "
        f"CPU {statistics.median(cpus):.2f} ms  [target < 5 ms]"
    )

    def one_undo() -> None:
        with store.transaction() as s:
            undo_review(s)

    med, cpu, _ = timed(one_undo, min(50, len(due_ids)))
    print(f"undo a review: median {med:.2f} ms, CPU {cpu:.2f} ms")
    store.close()
    if not args.db:
        print(f"(database left at {path}; pass --db to reuse it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
