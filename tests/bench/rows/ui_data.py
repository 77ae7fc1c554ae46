"""The collection the UI rows open: `cards` cards in `decks` decks with `years` of review history.

Uses the shared generator (tests/bench/fixtures_data.py) when it is there; otherwise a local
one of the same shape: the schema made by the real migrations (Store), rows written with plain
sqlite3 executemany (the FTS triggers fill the search index), so the app opens a real database.
A built file is reused when it already exists (the full run's 1M cards take minutes).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

SYLLABLES = ["pho", "to", "syn", "the", "sis", "mi", "to", "chon", "dri", "a", "cell", "mem", "bra",
             "ne", "gra", "vi", "ty", "ion", "elec", "tron", "nu", "cle", "us", "pro", "tein", "en",
             "zyme", "ca", "ta", "lyst", "mo", "le", "cule", "at", "om", "ri", "bo", "so", "me"]  # fmt: skip


def _words(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def _fmt(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DateTime text, naive UTC


def build(path: Path, cards: int, decks: int = 50, years: int = 1, seed: int = 7) -> Path:
    """Build (or reuse) the collection at `path`."""
    marker = path.with_suffix(".done")
    if path.exists() and marker.exists():
        return path
    try:
        from tests.bench.fixtures_data import build_collection  # the shared generator, once written
    except ImportError:
        build_collection = None
    if build_collection is not None:
        build_collection(path, cards=cards, decks=decks, years=years, seed=seed)
        marker.write_text("ok")
        return path
    path.unlink(missing_ok=True)
    from app.store.db import Store

    Store(f"sqlite:///{path}").close()  # the real schema, migrations and all
    rng = random.Random(seed)
    vocab = _words(rng, 3000)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    start = now - timedelta(days=365 * years)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    with con:
        con.executemany(
            "INSERT INTO decks(id, name, description, language, new_per_day, desired_retention, rating_scale,"
            " created_at, updated_at) VALUES (?, ?, '', 'en', 20, 0.9, '4', ?, ?)",
            [(d + 1, f"Deck {d + 1:02d} {vocab[d]}", _fmt(start), _fmt(start)) for d in range(decks)],
        )
    per = max(1, cards // decks)
    batch = 20_000
    card_id = 0
    for lo in range(0, cards, batch):
        rows, states, logs = [], [], []
        for i in range(lo, min(cards, lo + batch)):
            card_id = i + 1
            deck = min(decks, i // per + 1)
            front = " ".join(rng.choices(vocab, k=3))
            back = " ".join(rng.choices(vocab, k=6))
            made = start + timedelta(seconds=rng.random() * (now - start).total_seconds())
            rows.append((card_id, deck, front, back, "", i, 0, _fmt(made), _fmt(made)))
            if rng.random() < 0.7:  # seen cards: a state and a short history since they were made
                reps = rng.randint(1, 6)
                span = (now - made).total_seconds()
                times = sorted(made + timedelta(seconds=rng.random() * span) for _ in range(reps))
                for t in times:
                    logs.append((card_id, deck, "spaced", rng.choice((1, 3, 3, 3, 4)), 1, _fmt(t), 1))
                due = now + timedelta(days=rng.uniform(-3, 60))
                states.append((card_id, deck, 2, 0, rng.uniform(1, 90), rng.uniform(1, 9), _fmt(due),
                               _fmt(times[-1]), reps, 0, rng.randint(0, 5)))  # fmt: skip
        with con:
            con.executemany(
                "INSERT INTO cards(id, deck_id, front, back, tags, position, starred, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            con.executemany(
                "INSERT INTO card_states(card_id, deck_id, state, step, stability, difficulty, due,"
                " last_review, reps, lapses, correct_streak) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                states,
            )
            con.executemany(
                "INSERT INTO review_log(card_id, deck_id, mode, rating, correct, reviewed_at, scheduled)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                logs,
            )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")
    con.close()
    marker.write_text("ok")
    return path


SEARCH_TYPED = "photosyn"  # typed a key at a time by the stall probe: prefixes of generated words
