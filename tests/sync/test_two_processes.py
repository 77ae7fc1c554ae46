"""Two processes, each with its own local copy, study one deck and sync through one server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from app.store.db import Store
from tests.sync.helpers import T0, make_deck, review_uuids
from tests.sync.helpers import study as study_in

ROOT = Path(__file__).resolve().parents[2]


def _recall(home: Path, db: Path, *argv: str, password: str = "") -> dict:
    # libpq's own PGPASSWORD: the remembered server URL carries no password
    env = dict(os.environ, RECALL_HOME=str(home), QT_QPA_PLATFORM="offscreen", PGPASSWORD=password)
    env.pop("RECALL_DB", None)
    res = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), *argv], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _without_ids(decks: list[dict]) -> list[dict]:
    return [{k: v for k, v in d.items() if k != "id"} for d in decks]


def test_two_processes_study_the_same_deck_and_agree_after_sync(server_db, local_copy, tmp_path):
    url = server_db.add_user("pat")
    laptop = local_copy("laptop")
    make_deck(laptop)
    laptop.close()
    homes = {n: tmp_path / f"home-{n}" for n in ("laptop", "desktop")}
    dbs = {n: tmp_path / f"{n}.sqlite3" for n in homes}

    password = url.rsplit("@", 1)[0].rsplit(":", 1)[1]

    def run(name: str, *argv: str) -> dict:
        return _recall(homes[name], dbs[name], *argv, password=password)

    def study(name: str, answers: list[tuple[int, int, str]], start) -> None:
        store = Store(f"sqlite:///{dbs[name]}")  # the app's own review path, between the processes
        try:
            study_in(store, "Sequence models", answers, start)
        finally:
            store.close()

    study("laptop", [(0, 3, "spaced"), (1, 3, "learn")], T0)
    first = run("laptop", "sync", "--server", url, "--json")
    assert first["pushed"]["reviews"] == 2
    assert run("desktop", "sync", "--server", url, "--json")["pulled"]["reviews"] == 2
    study("desktop", [(0, 1, "spaced"), (2, 1, "test"), (1, 4, "match")], T0 + timedelta(hours=1))
    assert run("desktop", "sync", "--json")["pushed"]["reviews"] == 3  # the server was remembered
    assert run("laptop", "sync", "--json")["pulled"]["reviews"] == 3

    at = "2026-03-02T11:00:00Z"
    for cmd in (["decks", "--json"], ["stats", "--json", "--at", at], ["due", "--json", "--at", at]):
        a, b = run("laptop", *cmd), run("desktop", *cmd)
        if cmd[0] == "decks":
            a, b = _without_ids(a), _without_ids(b)
        elif cmd[0] == "due":
            a = [(c["front"], c["kind"], c["due"]) for c in a["cards"]]
            b = [(c["front"], c["kind"], c["due"]) for c in b["cards"]]
        assert a == b, cmd
    copies = [Store(f"sqlite:///{dbs[n]}") for n in homes]
    try:
        logs = [review_uuids(s) for s in copies]
        assert logs[0] == logs[1] and len(logs[0]) == 5
    finally:
        for s in copies:
            s.close()
