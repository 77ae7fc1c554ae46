"""Store rows: `recall decks --json` as a process, and the import of a TSV, each against the floor.

- decks: `python -m app decks --json` on a generated collection (100k cards in 50 decks, a year of
  reviews) against a `python -c` with `sqlite3` printing the same document (cards per deck, due
  today by the queue's rule, new, mastery). Both are processes: start-up is part of the job.
- import: `recall import FILE` through the real handler (parse, detect, service, store), in
  process, into a fresh migrated database each run, against plain `sqlite3` reading the lines and
  `executemany` into the same tables and indexes, FTS filled in the same transaction.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from tests.bench.fixtures_data import build_collection, shared_dir, write_tsv
from tests.bench.harness import Row, alternate, compare, ratio_row
from tests.environ import environ

ROOT = Path(__file__).resolve().parents[3]

# The reference for `recall decks --json`: the same figures from plain sqlite3 in a few queries.
DECKS_REFERENCE = r"""
import json, sqlite3, sys
from datetime import datetime, time, timedelta, timezone
con = sqlite3.connect(sys.argv[1])
row = con.execute("SELECT value FROM settings WHERE key='day_rollover_hour'").fetchone()
hour = int(row[0]) if row else 4
local = datetime.now(timezone.utc).astimezone()
day = local.date() - timedelta(days=1) if local.hour < hour else local.date()
f = "%Y-%m-%d %H:%M:%S.%f"
start = datetime.combine(day, time(hour)).astimezone().astimezone(timezone.utc).strftime(f)
end = datetime.combine(day + timedelta(days=1), time(hour)).astimezone().astimezone(timezone.utc).strftime(f)
decks = con.execute("SELECT id, name, new_per_day FROM decks ORDER BY name").fetchall()
cards = dict(con.execute("SELECT deck_id, count(*) FROM cards GROUP BY deck_id"))
st = {r[0]: r[1:] for r in con.execute(
    "SELECT deck_id, count(*), sum(correct_streak >= 3), sum(correct_streak = 2), sum(correct_streak < 2),"
    " sum(due < ? AND last_review IS NOT NULL) FROM card_states GROUP BY deck_id", (end,))}
intro = dict(con.execute(
    "SELECT deck_id, count(*) FROM review_log WHERE reviewed_at >= ? AND scheduled = 1 AND"
    " (state_before IS NULL OR json_extract(state_before, '$.last_review') IS NULL) GROUP BY deck_id", (start,)))
out = []
for d, name, per_day in decks:
    n = cards.get(d, 0)
    seen, mastered, familiar, learning, due = st.get(d, (0, 0, 0, 0, 0))
    lim = max(0, per_day - intro.get(d, 0))
    new_today = con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM cards c LEFT JOIN card_states s ON s.card_id = c.id"
        " WHERE c.deck_id = ? AND (s.card_id IS NULL OR s.last_review IS NULL) LIMIT ?)", (d, lim)).fetchone()[0]
    score = 2 / 3 * familiar + 1 / 3 * learning + 1.0 * mastered
    out.append({"id": d, "name": name, "cards": n, "due": due + new_today, "new": n - seen,
                "mastery": round(100.0 * score / n if n else 0.0, 1)})
sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
"""


def _env(db: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(RECALL_DB=str(db), RECALL_HOME=str(home), PYTHONPATH=str(ROOT))
    # As installed for a user, with the bytecode cache (the warm-up run writes it): without it
    # every run would compile the app's modules from source, which no user's start-up does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def decks_row(quick: bool, workdir: Path) -> list[Row]:
    cards, decks = (20_000, 50) if quick else (100_000, 50)
    db = build_collection(shared_dir(workdir), cards, decks, 1.0)
    env = _env(db, workdir / "home")
    py = sys.executable
    app_cmd = [py, "-m", "app", "decks", "--json"]
    ref_cmd = [py, "-c", DECKS_REFERENCE, str(db)]

    def run(cmd: list[str], key: str) -> str:
        p = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError(f"{key} exited {p.returncode}: {p.stderr.strip()[-300:]}")
        return p.stdout

    runs = 3 if quick else 9
    fig, ref, app_out, ref_out = compare(lambda: run(app_cmd, "app"), lambda: run(ref_cmd, "ref"), runs)
    same = json.loads(app_out) == json.loads(ref_out)
    row = ratio_row(
        f"recall decks --json ({cards // 1000}k cards)",
        fig,
        ref,
        1.5,
        runs=runs,
        note=f"{cards:,} cards, {decks} decks, a year of reviews; processes, start-up included, bytecode cached",
        extra={"same_output": same, "cards": cards, "decks": decks},
        mismatch=None if same else "MISMATCH: the reference's figures differ from the app's",
    )
    return [row]


def _import_app(tsv: Path, db: Path, home: Path) -> None:
    from app.cli import build_parser

    with environ(RECALL_HOME=str(home)):  # never the user's own settings or data
        argv = ["--db", str(db), "import", str(tsv), "--deck", "Bench"]
        args = build_parser(argv).parse_args(argv)
        with contextlib.redirect_stdout(io.StringIO()):
            assert args.handler(args) == 0


def _import_reference(tsv: Path, db: Path) -> None:
    """The floor: split the lines, one deck row, executemany the cards, one FTS fill, one commit."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    lines = tsv.read_text(encoding="utf-8").splitlines()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    trigger = con.execute("SELECT sql FROM sqlite_master WHERE name='cards_ai'").fetchone()[0]
    with con:
        deck = con.execute(
            "INSERT INTO decks (name, description, language, new_per_day, desired_retention, rating_scale,"
            " created_at, updated_at) VALUES ('Bench', '', 'en', 20, 0.9, '4', ?, ?)",
            (now, now),
        ).lastrowid
        con.execute("DROP TRIGGER cards_ai")
        con.executemany(
            "INSERT INTO cards (deck_id, front, back, tags, position, starred, created_at, updated_at)"
            " VALUES (?, ?, ?, '', ?, 0, ?, ?)",
            ((deck, *line.split("\t", 1), i, now, now) for i, line in enumerate(lines)),
        )
        con.execute("INSERT INTO cards_fts(rowid, front, back) SELECT id, front, back FROM cards")
        con.execute(trigger)
    con.close()


def import_row(quick: bool, workdir: Path) -> list[Row]:
    cards = 20_000 if quick else 100_000
    tsv = write_tsv(shared_dir(workdir), cards)
    template = workdir / "empty.sqlite3"
    if not template.exists():
        from app.store.db import Store

        Store(f"sqlite:///{template}").close()  # the app's migrations: the same schema for both
    db = workdir / "import.sqlite3"

    def fresh() -> None:
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        shutil.copyfile(template, db)

    runs = 3 if quick else 5
    fig, ref, _a, _b = alternate(
        lambda: _import_app(tsv, db, workdir / "home"), lambda: _import_reference(tsv, db), runs, setup=fresh
    )
    row = ratio_row(
        f"import {cards // 1000}k cards from TSV",
        fig,
        ref,
        1.5,
        runs=runs,
        note="in process through the import handler (detect, parse, service); fresh migrated db each run",
        extra={"cards": cards},
    )
    return [row]


ROWS = [("recall decks --json", decks_row), ("import TSV", import_row)]
