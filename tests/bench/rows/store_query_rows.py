"""Store rows in process: today's due queue and search as you type, each against one SQL query.

- due queue: `build_queue(session, None, now)` (what the Spaced screen and `recall due` call) on
  100k cards with a year of reviews, against one hand-written SQL query giving the same card ids
  in the same order (due now, then new cards per deck up to today's allowance, then learning
  cards later today).
- search: `search_cards(session, text)` across all decks on 1M cards, each prefix typed letter by
  letter, against the raw FTS5 query returning the same rows (match, rank, limit, card columns).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from datetime import datetime, timezone
from pathlib import Path

from tests.bench.fixtures_data import build_collection, shared_dir
from tests.bench.harness import Row, compare, ratio_row

DT = "%Y-%m-%d %H:%M:%S.%f"

QUEUE_SQL = """
WITH intro AS (
    SELECT deck_id, count(*) AS n FROM review_log
    WHERE reviewed_at >= :start AND scheduled = 1
      AND (state_before IS NULL OR json_extract(state_before, '$.last_review') IS NULL)
    GROUP BY deck_id),
allow AS (
    SELECT d.id, d.name, max(0, d.new_per_day - coalesce(i.n, 0)) AS n
    FROM decks d LEFT JOIN intro i ON i.deck_id = d.id),
fresh AS (
    SELECT c.id, c.deck_id, row_number() OVER (PARTITION BY c.deck_id ORDER BY c.position, c.id) AS k,
           c.position
    FROM cards c LEFT JOIN card_states s ON s.card_id = c.id
    WHERE s.card_id IS NULL OR s.last_review IS NULL)
SELECT s.card_id, CASE WHEN s.state = 2 OR s.due <= :now THEN 0 ELSE 2 END AS part, s.due, '', 0
FROM card_states s
WHERE s.due < :end AND s.last_review IS NOT NULL
UNION ALL
SELECT f.id, 1, '', a.name, f.position FROM fresh f JOIN allow a ON a.id = f.deck_id WHERE f.k <= a.n
ORDER BY 2, 3, 4, 5, 1
"""

# The same job in raw sqlite3: ranked when every word has 3+ letters and a bounded probe finds at
# most 2000 matches (the app's rule, app/store/fulltext.py), else in card order; card columns.
PROBE_SQL = "SELECT count(*) FROM (SELECT 1 FROM cards_fts WHERE cards_fts MATCH ? LIMIT 2001)"
SEARCH_SQL = (
    "SELECT c.id, c.deck_id, c.front, c.back, c.tags, c.position, c.starred, c.created_at, c.updated_at"
    " FROM cards_fts JOIN cards c ON c.id = cards_fts.rowid WHERE cards_fts MATCH ? ORDER BY {} LIMIT ?"
)


def _raw_search(con: sqlite3.Connection, words: list[str], limit: int) -> list[int]:
    match = " ".join(f'"{w}"*' for w in words)
    ranked = min(map(len, words)) >= 3 and con.execute(PROBE_SQL, (match,)).fetchone()[0] <= 2000
    sql = SEARCH_SQL.format("cards_fts.rank" if ranked else "cards_fts.rowid")
    return [r[0] for r in con.execute(sql, (match, limit))]
TYPED = ("photosynthesis", "capital river", "mitochondria membrane", "revolution", "equation matrix")


def queue_row(quick: bool, workdir: Path) -> list[Row]:
    from app.scheduling.days import today
    from app.scheduling.queue import build_queue
    from app.store.db import Store

    cards = 20_000 if quick else 100_000
    db = build_collection(shared_dir(workdir), cards, 50, 1.0)
    store = Store(f"sqlite:///{db}")
    con = sqlite3.connect(db)
    now = datetime.now(timezone.utc)
    try:
        with store.session() as session:
            day = today(session, now)
            params = {"start": day.start.strftime(DT), "end": day.end.strftime(DT), "now": now.strftime(DT)}

            def real() -> list[int]:
                return [it.card_id for it in build_queue(session, None, now).items]

            def reference() -> list[int]:
                return [r[0] for r in con.execute(QUEUE_SQL, params)]

            runs = 5 if quick else 15
            fig, ref, app_ids, ref_ids = compare(real, reference, runs)
    finally:
        con.close()
        store.close()
    same = app_ids == ref_ids
    row = ratio_row(
        f"due queue today ({cards // 1000}k cards)",
        fig,
        ref,
        2,
        runs=runs,
        note=f"{cards:,} cards, 50 decks, a year of reviews; {len(app_ids)} cards in the queue",
        extra={"same_ids": same, "queue": len(app_ids)},
        mismatch=None if same else f"MISMATCH: the reference gave {len(ref_ids)} ids or another order",
    )
    return [row]


def _keystrokes() -> list[str]:
    return [word[:i] for word in TYPED for i in range(1, len(word) + 1) if not word[:i].endswith(" ")]


PAGE_SQL = (
    "SELECT c.id, c.deck_id, d.name, c.front, c.back, c.starred FROM cards c JOIN decks d ON d.id = c.deck_id"
    " WHERE c.id IN (SELECT value FROM json_each(?))"
)


def _raw_library(con: sqlite3.Connection, words: list[str], limit: int, page: int) -> list[int]:
    """The library's search as plain sqlite3: the ids (same rule), then the first page of rows."""
    match = " ".join(f'"{w}"*' for w in words)
    ranked = min(map(len, words)) >= 3 and con.execute(PROBE_SQL, (match,)).fetchone()[0] <= 2000
    order = "rank" if ranked else "rowid"
    ids = [r[0] for r in con.execute(f"SELECT rowid FROM cards_fts WHERE cards_fts MATCH ? ORDER BY {order} LIMIT ?", (match, limit))]
    rows = {r[0]: r for r in con.execute(PAGE_SQL, (json.dumps(ids[:page]),))}
    return [i for i in ids[:page] if i in rows] + ids[page:]


def _search_row(name: str, cards: int, keys: list[str], app_ms: list[float], ref_ms: list[float], bad: int) -> Row:
    fig, ref = statistics.median(app_ms), statistics.median(ref_ms)
    slow = sorted(app_ms)[int(0.9 * (len(app_ms) - 1))]
    note = (
        f"{cards:,} cards; median over {len(keys)} keystrokes of {', '.join(repr(t) for t in TYPED)};"
        f" app p90 {slow:.0f} ms, max {max(app_ms):.0f} ms (first letter {app_ms[0]:.0f} ms)"
    )
    return ratio_row(
        f"{name} ({cards // 1000}k cards)",
        fig,
        ref,
        2,
        runs=len(keys),
        note=note,
        extra={"p90_ms": round(slow, 1), "max_ms": round(max(app_ms), 1), "mismatches": bad},
        mismatch=f"MISMATCH on {bad} keystrokes" if bad else None,
        goal="ratio <= 2 and < 50 ms",
        also=fig < 50,
    )


def search_row(quick: bool, workdir: Path) -> list[Row]:
    """Two rows over the same keystrokes: the library's search across all decks (what the window
    calls: the ids, then the first page of card rows), and `repo.search_cards` (500 ORM Cards)."""
    from app.store.db import Store
    from app.store.fulltext import query_words
    from app.store.repo import search_cards
    from app.ui.library_model import PAGE, SEARCH_LIMIT, load_hits, search_card_ids

    cards, decks, years = (100_000, 50, 1.0) if quick else (1_000_000, 50, 5.0)
    db = build_collection(shared_dir(workdir), cards, decks, years)
    store = Store(f"sqlite:///{db}")
    con = sqlite3.connect(db)
    limit = 500
    keys = _keystrokes()
    if quick:
        keys = keys[::3]
    times: dict[str, list[float]] = {"lib": [], "lib_ref": [], "orm": [], "orm_ref": []}
    bad = {"lib": 0, "orm": 0}
    try:
        with store.session() as session:
            for text in keys:
                words = query_words(text)

                def library(text: str = text) -> list[int]:
                    ids = search_card_ids(store, text)
                    return [h.id for h in load_hits(store, ids[:PAGE])] + ids[PAGE:]

                def library_ref(words: list[str] = words) -> list[int]:
                    return _raw_library(con, words, SEARCH_LIMIT, PAGE)

                def orm(text: str = text) -> list[int]:
                    return [c.id for c in search_cards(session, text, limit=limit)]

                def orm_ref(words: list[str] = words) -> list[int]:
                    return _raw_search(con, words, limit)

                for key, real, ref in (("lib", library, library_ref), ("orm", orm, orm_ref)):
                    a, b, got, want = compare(real, ref, 1 if quick else 3)
                    times[key].append(a)
                    times[f"{key}_ref"].append(b)
                    bad[key] += got != want
    finally:
        con.close()
        store.close()
    return [
        _search_row("search as you type, library", cards, keys, times["lib"], times["lib_ref"], bad["lib"]),
        _search_row("search as you type, repo.search_cards", cards, keys, times["orm"], times["orm_ref"], bad["orm"]),
    ]


ROWS = [("due queue", queue_row), ("search as you type", search_row)]
