"""Offline-first sync: idempotent pushes, pulls, the conflict rule, crashes and a missing server."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from app.store.models import Card, CardState
from app.sync import exchange, local
from app.sync.exchange import run_sync
from app.sync.server import LoginRefused, SyncError, connect
from tests.sync.helpers import T0, make_deck, review_count, review_uuids, study


def _server_reviews(server) -> tuple[int, int]:
    with server.engine.connect() as con:
        return tuple(con.execute(text("SELECT count(*), count(DISTINCT uuid) FROM sync_reviews")).one())


def test_two_copies_of_one_learner_converge(server_db, local_copy):
    url = server_db.add_user("ann")
    laptop, desktop = local_copy("laptop"), local_copy("desktop")
    make_deck(laptop)
    study(laptop, "Sequence models", [(0, 3, "spaced"), (1, 1, "learn"), (2, 4, "test")])
    server = connect(url)
    first = run_sync(laptop, server)
    assert first.pushed == {"decks": 1, "cards": 5, "reviews": 3, "states": 3}
    got = run_sync(desktop, server)
    assert got.pulled["decks"] == 1 and got.pulled["cards"] == 5 and got.pulled["reviews"] == 3
    study(desktop, "Sequence models", [(3, 3, "flashcards"), (0, 2, "spaced")], start=T0 + timedelta(hours=2))
    run_sync(desktop, server)
    again = run_sync(laptop, server)
    assert again.pulled["reviews"] == 2 and again.pushed["reviews"] == 0
    assert review_uuids(laptop) == review_uuids(desktop) and len(review_uuids(laptop)) == 5
    assert _server_reviews(server) == (5, 5)
    # card 0 was answered on both: the later answer's state (the desktop's) is the state everywhere
    with laptop.session() as a, desktop.session() as b:
        sa = {c.uuid: (s.reps, s.correct_streak, s.due) for s, c in a.execute(select(CardState, Card).join(Card))}
        sb = {c.uuid: (s.reps, s.correct_streak, s.due) for s, c in b.execute(select(CardState, Card).join(Card))}
    assert sa == sb and len(sa) == 4
    # nothing left to send, nothing new to take: a repeat sync is a no-op
    idle = run_sync(laptop, server)
    assert idle.pushed == {"decks": 0, "cards": 0, "reviews": 0, "states": 0}
    assert sum(idle.pulled.values()) == 0
    server.close()


def _edit(store, position: int, back: str, at) -> None:
    with store.transaction() as s:
        card = s.scalars(select(Card).order_by(Card.position)).all()[position]
        s.execute(update(Card).where(Card.id == card.id).values(back=back, updated_at=at))


def _back(store, position: int) -> str:
    with store.session() as s:
        return s.scalars(select(Card.back).order_by(Card.position)).all()[position]


@pytest.mark.parametrize("later_syncs_first", [False, True])
def test_same_card_edited_on_two_machines_last_writer_wins(two_copies, later_syncs_first):
    a, b, server = two_copies
    _edit(a, 2, "edited on A (earlier)", T0 + timedelta(days=400))
    _edit(b, 2, "edited on B (later)", T0 + timedelta(days=400, seconds=5))
    order = [b, a] if later_syncs_first else [a, b]
    results = [run_sync(x, server) for x in order]
    run_sync(order[0], server)
    assert _back(a, 2) == _back(b, 2) == "edited on B (later)"
    if later_syncs_first:
        assert results[1].conflicts_lost == 1  # A's older edit lost and A took B's at once


def test_a_tie_in_time_goes_to_the_larger_device_id(two_copies):
    a, b, server = two_copies
    at = T0 + timedelta(days=500)
    _edit(a, 0, "from A", at)
    _edit(b, 0, "from B", at)
    run_sync(a, server)
    run_sync(b, server)
    run_sync(a, server)
    with a.session() as s1, b.session() as s2:
        dev_a, dev_b = local.device_id(s1), local.device_id(s2)
    assert _back(a, 0) == _back(b, 0) == ("from A" if dev_a > dev_b else "from B")


def _crash_after_the_server_committed(monkeypatch) -> None:
    def crash(*_args, **_kw):
        raise RuntimeError("power cut before the local marks were written")

    monkeypatch.setattr(local, "mark_pushed", crash)


def _crash_before_the_server_committed(monkeypatch) -> None:
    real = exchange._upsert

    def fail_on_states(con, table, *args, **kw):
        if table.name == "sync_card_states":
            raise RuntimeError("connection lost mid-push")
        return real(con, table, *args, **kw)

    monkeypatch.setattr(exchange, "_upsert", fail_on_states)


@pytest.mark.parametrize(
    ("crash", "on_server"),
    [(_crash_after_the_server_committed, 12), (_crash_before_the_server_committed, 0)],
    ids=["after-the-server-committed", "before-the-server-committed"],
)
def test_a_crash_mid_sync_loses_and_doubles_nothing(server_db, local_copy, monkeypatch, crash, on_server):
    url = server_db.add_user("dan")
    a = local_copy("a")
    make_deck(a)
    study(a, "Sequence models", [(i % 5, 3, "spaced") for i in range(12)])
    server = connect(url)
    crash(monkeypatch)
    with pytest.raises(RuntimeError):
        run_sync(a, server)
    # all of the push is on the server, or none of it (what was sent before the failure rolled back)
    assert _server_reviews(server) == (on_server, on_server)
    monkeypatch.undo()
    assert run_sync(a, server).pushed["reviews"] == 12  # sent again, or for the first time ...
    assert _server_reviews(server) == (12, 12) and review_count(a) == 12  # ... and there once
    assert run_sync(a, server).pushed["reviews"] == 0
    server.close()


def test_unreachable_server_is_one_line_and_the_local_copy_keeps_working(db_path, capsys):
    from app.cli import main
    from tests.pgserver import _free_port

    assert main(["--db", str(db_path), "deck", "create", "Offline"]) == 0
    capsys.readouterr()
    url = f"postgresql://nobody@127.0.0.1:{_free_port()}/recall"
    assert main(["--db", str(db_path), "sync", "--server", url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach the sync server" in err[0] and "next sync" in err[0]
    assert main(["--db", str(db_path), "decks", "--json"]) == 0
    assert [d["name"] for d in json.loads(capsys.readouterr().out)] == ["Offline"]


def test_refused_login_is_one_line_never_shows_the_password_and_retries(server_db, db_path, capsys):
    from app.cli import main
    from app.config import load_settings

    url = server_db.add_user("fay")
    wrong = url.replace(url.split(":")[2].split("@")[0], "wrong-password")
    assert main(["--db", str(db_path), "sync", "--server", wrong]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "refused the login" in err[0] and "wrong-password" not in err[0]
    assert main(["--db", str(db_path), "sync", "--server", url, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["user"].startswith("fay_") and set(doc) >= {"pushed", "pulled", "device", "server", "seconds"}
    saved = load_settings()["sync_server"]
    assert saved.startswith("postgresql://fay_") and ":" + url.split(":")[2].split("@")[0] not in saved


def test_connect_classifies_errors(server_db):
    url = server_db.add_user("gus")
    with pytest.raises(LoginRefused):
        connect(url.replace("@", "x@", 1))
    with pytest.raises(SyncError, match="PostgreSQL"):
        connect("sqlite:///x.db")


def test_server_counts_match_local_after_many_small_syncs(server_db, local_copy):
    url = server_db.add_user("hal")
    a = local_copy("a")
    make_deck(a)
    server = connect(url)
    for round_ in range(4):
        study(a, "Sequence models", [(i, 3, "match") for i in range(5)], start=T0 + timedelta(days=round_))
        run_sync(a, server)
    with server.engine.connect() as con:
        assert con.execute(select(func.count()).select_from(text("sync_reviews"))).scalar() == 20
    server.close()
