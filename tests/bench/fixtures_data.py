"""Generated collections for the benchmarks: N cards in D decks with years of review history.

    build_collection(workdir, cards=100_000, decks=50, years=1.0) -> Path of a Recall database

The schema comes from the app's own migrations (a `Store` is opened once); the rows are then
written with plain `sqlite3.executemany` with the indexes and the FTS trigger lifted, and the
indexes and the full-text index rebuilt at the end, so 100k cards take seconds and 1M cards
well under a minute. The result is cached by its parameters in the folder given (set
RECALL_BENCH_CACHE to keep the big ones between runs), written under a temporary name and
renamed only when complete.

The history is shaped like a heavy user's, not simulated through FSRS (which would take hours
at 1M cards): about 100 new cards a day over all decks, each deck started on a different day,
every seen card with its reviews spread over its life (intervals growing), a card state whose
`due` falls behind, today or ahead, and review-log rows with the `state_before` snapshot the
app writes (NULL on a card's first review), so every count the app makes has real rows to
count. Times are relative to the moment of building: "today" has due cards and new cards.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

NEW_PER_DAY_ALL_DECKS = 100
DECK_NEW_PER_DAY = 20

# Real words the benchmarks type as search prefixes, among thousands of generated ones.
_WORDS_TEXT = (
    "photosynthesis mitochondria chlorophyll membrane nucleus protein enzyme molecule atom electron "
    "capital country river mountain ocean continent desert island border population "
    "revolution empire treaty dynasty parliament constitution monarchy republic colony battle "
    "equation function derivative integral matrix vector theorem proof limit series "
    "gradient network neuron layer memory attention sequence token transformer recurrent "
    "verb noun adjective tense grammar vocabulary pronunciation sentence subject object "
    "photograph phosphorus physics pharmacy philosophy phenomenon planet plasma pressure prism "
    "capacity carbon catalyst cell century chamber charge circuit climate current "
    "what which where when who how does the of in is a to and for with from by"
)
WORDS = _WORDS_TEXT.split()
_SYLLABLES_TEXT = "ka lo mi ne ru sa ti po de fa gi hu ja ke li mo nu pa qui ro se ta vi wo xa ye zu"
SYLLABLES = _SYLLABLES_TEXT.split()
DT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's storage format for DateTime on SQLite


def cache_dir(workdir: Path) -> Path:
    """Where collections are kept: RECALL_BENCH_CACHE if set (survives runs), else `workdir`."""
    d = Path(os.environ.get("RECALL_BENCH_CACHE") or workdir)
    d.mkdir(parents=True, exist_ok=True)
    return d


def shared_dir(workdir: Path) -> Path:
    """The one folder per bench run for collections (a row's workdir is its own; the UI rows'
    `ui-data` folder is this one), so each collection is built once per run."""
    return workdir.parent / "ui-data"


def vocabulary(seed: int = 0, generated: int = 6000) -> list[str]:
    rng = random.Random(seed)
    made = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(generated)}
    return list(WORDS) + sorted(made)


def _texts(rng: random.Random, vocab: list[str], n: int, lo: int, hi: int) -> list[str]:
    """`n` texts of lo..hi words, words drawn Zipf-like (a few common, a long tail)."""
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(vocab))]
    order = vocab[:]
    rng.shuffle(order)
    lengths = [rng.randint(lo, hi) for _ in range(n)]
    words = rng.choices(order, weights=weights, k=sum(lengths))
    out, i = [], 0
    for k in lengths:
        out.append(" ".join(words[i : i + k]))
        i += k
    return out


def card_texts(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """(front, back) pairs: questions of 4-9 words, answers of 5-18 words."""
    rng = random.Random(seed)
    vocab = vocabulary(seed)
    fronts = _texts(rng, vocab, n, 4, 9)
    backs = _texts(rng, vocab, n, 5, 18)
    return [(f"{f.capitalize()}?", b) for f, b in zip(fronts, backs, strict=True)]


def write_tsv(workdir: Path, cards: int, seed: int = 0) -> Path:
    """A TSV of `cards` term/definition lines, cached by its parameters."""
    path = cache_dir(workdir) / f"cards-{cards}-s{seed}.tsv"
    if not path.exists():
        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(f"{f}\t{b}\n" for f, b in card_texts(cards, seed))
        tmp.replace(path)
    return path


def build_collection(workdir: Path, cards: int, decks: int, years: float, seed: int = 0) -> Path:
    """A Recall database with `cards` cards in `decks` decks and `years` of history; cached.

    `workdir` is a folder (the file is named by the parameters inside it, or inside
    RECALL_BENCH_CACHE), or a file name ending in .sqlite3/.db to build exactly there.
    """
    if workdir.suffix in (".sqlite3", ".sqlite", ".db"):
        path = workdir
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        from app.store.db import HEAD_REVISION  # a schema change makes new files, never a migration

        path = cache_dir(workdir) / f"collection-{cards}c-{decks}d-{years:g}y-s{seed}-r{HEAD_REVISION}.sqlite3"
    if path.exists():
        return path
    tmp = path.with_name(path.stem + ".part.sqlite3")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    from app.store.db import Store  # the app's migrations make the schema

    Store(f"sqlite:///{tmp}").close()
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        _fill(con, cards, decks, years, seed)
    finally:
        con.close()
    for p in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    tmp.replace(path)
    return path


def _fill(con: sqlite3.Connection, cards: int, decks: int, years: float, seed: int) -> None:
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-200000")
    tables = ("cards", "card_states", "review_log")
    marks = ",".join("?" * len(tables))
    indexes = con.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    trigger = con.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='cards_ai'").fetchone()[0]
    con.execute("BEGIN")
    con.execute("DROP TRIGGER cards_ai")
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    days = max(1.0, years * 365)
    start = now - timedelta(days=days)
    stamp = start.strftime(DT)
    con.executemany(
        "INSERT INTO decks (id, name, description, language, new_per_day, desired_retention, rating_scale,"
        " created_at, updated_at, uuid) VALUES (?, ?, '', 'en', ?, 0.9, '4', ?, ?, ?)",
        [
            (d + 1, f"Deck {d + 1:03d} {WORDS[d % 60]}", DECK_NEW_PER_DAY, stamp, stamp, str(uuid.UUID(int=rng.getrandbits(128))))
            for d in range(decks)
        ],
    )
    per_deck = [cards // decks + (1 if d < cards % decks else 0) for d in range(decks)]
    texts = card_texts(cards, seed)
    rows, deck_of, cid = [], [], 0
    for d, n in enumerate(per_deck):
        for pos in range(n):
            f, b = texts[cid]
            cid += 1
            rows.append((cid, d + 1, f, b, "", pos, 0, stamp, stamp))
            deck_of.append(d + 1)
    con.executemany(
        "INSERT INTO cards (id, deck_id, front, back, tags, position, starred, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    del rows, texts
    states, logs = _history(rng, per_deck, now, days)
    con.executemany(
        "INSERT INTO card_states (card_id, deck_id, state, step, stability, difficulty, due, last_review,"
        " reps, lapses, correct_streak) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        states,
    )
    logs.sort(key=lambda r: r[3])
    con.executemany(
        "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, state_before, mode, correct,"
        " scheduled, synced) VALUES (?, ?, ?, ?, ?, 'spaced', ? > 1, 1, 0)",
        [(c, d, r, t, s, r) for c, d, r, t, s in logs],
    )
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("INSERT INTO cards_fts(cards_fts) VALUES ('rebuild')")
    con.execute(trigger)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")


def _history(rng: random.Random, per_deck: list[int], now: datetime, days: float):
    """Card states and review-log rows: each deck started on its own day, cards introduced in
    deck order at its own rate, reviews spread over each card's life with growing gaps."""
    rate = NEW_PER_DAY_ALL_DECKS / len(per_deck)
    states: list[tuple] = []
    logs: list[tuple] = []
    first_id = 1
    for d, n in enumerate(per_deck):
        deck_id = d + 1
        began = rng.uniform(0.05, 0.95) * days  # days ago
        speed = rate * rng.uniform(0.4, 1.6)
        seen = min(n, int(began * speed))
        for k in range(seen):
            age = began - k / speed  # days since the card's first review
            card_id = first_id + k
            _one_card(rng, card_id, deck_id, now, max(age, 0.01), states, logs)
        first_id += n
    return states, logs


def _one_card(rng, card_id, deck_id, now, age, states, logs) -> None:
    reps = max(1, int(2 + math.log1p(age) * rng.uniform(0.8, 2.2)))
    first = now - timedelta(days=age)
    learning = rng.random() < 0.06
    if learning:  # a lapse in the last two days, back in minutes
        last = now - timedelta(days=rng.uniform(0, min(age, 2.0)))
        state, step, stability, due = 3 if reps > 2 else 1, 0, rng.uniform(0.5, 3), last + timedelta(minutes=10)
    else:
        stability = min(age * 1.5 + 1, math.exp(rng.gauss(math.log1p(age) * 0.9, 0.6)))
        last = now - timedelta(days=rng.uniform(0, min(age, stability * 1.15)))
        state, step, due = 2, None, last + timedelta(days=stability)
    difficulty = round(rng.uniform(2, 8), 3)
    streak = 0 if learning else rng.choice((1, 2, 3, 3, 4, 5, 6))
    lapses = sum(1 for _ in range(reps) if rng.random() < 0.08)
    span = (last - first).total_seconds()
    prev_due = prev_at = None
    for r in range(reps):
        at = first + timedelta(seconds=span * (r / (reps - 1)) ** 2) if reps > 1 else first
        rating = 1 if (learning and r == reps - 1) or rng.random() < 0.1 else rng.choice((2, 3, 3, 3, 3, 4))
        before = None
        if r:
            before = (
                f'{{"state": 2, "step": null, "stability": {stability:.4f}, "difficulty": {difficulty}, '
                f'"due": "{prev_due.isoformat()}+00:00", "last_review": "{prev_at.isoformat()}+00:00", '
                f'"reps": {r}, "lapses": 0, "correct_streak": {min(r, streak)}}}'
            )
        logs.append((card_id, deck_id, rating, at.strftime(DT), before))
        prev_at, prev_due = at, at + timedelta(days=1 + r)
    states.append(
        (card_id, deck_id, state, step, round(stability, 4), difficulty, due.strftime(DT), last.strftime(DT),
         reps, lapses, streak)
    )  # fmt: skip
