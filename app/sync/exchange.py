"""One sync: push what this copy has that the server lacks, then pull what others pushed.

Push is one server transaction: all of it lands or none of it does. Every row carries its
UUID, so sending a row twice changes nothing (reviews: ON CONFLICT DO NOTHING; cards,
decks and card states: the conflict rule's upsert). The local marks are written after the
server committed; a crash between the two only means the next sync sends the same rows again.

Pull pages by the server's `seq`. Pushes that write cards hold one advisory lock, and pushes of
one person's reviews and states hold a lock of their own, so within what a pull reads,
`seq` grows in commit order and a cursor never skips a row committed late.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.store.db import Store
from app.sync import local
from app.sync import tables as t
from app.sync.server import Server

Progress = Callable[[str, int, int], None]
BATCH = 1000
CARDS_LOCK = 7_201_001  # pg_advisory_xact_lock key for deck and card pushes


@dataclass
class Summary:
    server: str
    user: str
    device: str
    pushed: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    conflicts_lost: int = 0  # our versions the server already had a newer one of (now taken here)
    seconds: float = 0.0

    def as_json(self) -> dict:
        doc = asdict(self)
        doc["seconds"] = round(self.seconds, 3)
        return doc


def _quiet(_step: str, _done: int, _total: int) -> None:
    pass


def _newer(table, cols: list[str], stamp: str):
    """The conflict rule as an upsert condition: later timestamp wins, then the larger device id."""
    ins = pg_insert(table)
    excluded = ins.excluded
    where = tuple_(excluded[stamp], excluded.device) > tuple_(table.c[stamp], table.c.device)
    set_ = {c: excluded[c] for c in cols} | {"seq": func.nextval("sync_seq")}
    return ins, set_, where


def _upsert(con, table, rows: list[dict], key: list[str], stamp: str, progress: Progress, step: str) -> set:
    """Upsert by the conflict rule; returns the keys the server took (the others lost)."""
    won: set = set()
    cols = [c for c in rows[0] if c not in key] if rows else []
    for i in range(0, len(rows), BATCH):
        ins, set_, where = _newer(table, cols, stamp)
        stmt = ins.on_conflict_do_update(index_elements=key, set_=set_, where=where).returning(
            *[table.c[k] for k in key]
        )
        chunk = rows[i : i + BATCH]
        won.update(tuple(r) if len(key) > 1 else r[0] for r in con.execute(stmt, chunk))
        progress(step, min(i + BATCH, len(rows)), len(rows))
    return won


def push(store: Store, server: Server, summary: Summary, progress: Progress, *, _after_commit=None) -> None:
    with store.transaction() as s:
        decks = local.my_decks(s, summary.device)
        cards = local.dirty_cards(s, summary.device)
        reviews = local.unsynced_reviews(s, summary.device)
        states = local.dirty_states(s, summary.device)
    review_rows = [r for _, r in reviews]
    lost_cards: list = []
    lost_states: list = []
    with server.engine.begin() as con:
        if decks or cards:
            con.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CARDS_LOCK})
        con.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_user))"))
        decks_won = _upsert(con, t.decks, decks, ["uuid"], "updated_at", progress, "decks") if decks else set()
        if cards:
            won = _upsert(con, t.cards, cards, ["uuid"], "updated_at", progress, "cards")
            lost = [c["uuid"] for c in cards if c["uuid"] not in won]
            lost_cards = _fetch(con, select(t.cards).where(t.cards.c.uuid.in_(lost))) if lost else []
        for i in range(0, len(review_rows), BATCH):
            stmt = pg_insert(t.reviews).on_conflict_do_nothing(index_elements=["uuid"])
            con.execute(stmt, review_rows[i : i + BATCH])
            progress("reviews", min(i + BATCH, len(review_rows)), len(review_rows))
        if states:
            rows = [{"owner": server.user, **st} for st in states]
            won = _upsert(con, t.states, rows, ["owner", "card_uuid"], "changed_at", progress, "states")
            lost = [st["card_uuid"] for st in states if (server.user, st["card_uuid"]) not in won]
            if lost:
                q = select(t.states).where(t.states.c.owner == server.user, t.states.c.card_uuid.in_(lost))
                lost_states = _fetch(con, q)
    if _after_commit is not None:
        _after_commit()  # tests: a crash here, after the server committed, loses and doubles nothing
    with store.transaction() as s:
        local.mark_pushed(s, [i for i, _ in reviews], cards, states)
        applied = local.Applied()
        local.apply_cards(s, lost_cards, applied)
        local.apply_states(s, lost_states, applied)
    summary.pushed = {"decks": len(decks_won), "cards": len(cards), "reviews": len(reviews), "states": len(states)}
    summary.conflicts_lost = len(lost_cards) + len(lost_states)


def _fetch(con, stmt) -> list:
    return list(con.execute(stmt).all())


def pull(store: Store, server: Server, summary: Summary, cursors: dict[str, int], progress: Progress) -> None:
    me, dev = server.user, summary.device
    with server.engine.connect() as con:
        decks = _fetch(con, select(t.decks))
        with store.transaction() as s:
            applied = local.Applied()
            new = local.apply_decks(s, decks, me, applied)
        c = t.cards.c
        stmt = select(t.cards).where(c.seq > cursors["cards"])
        if new:
            stmt = select(t.cards).where((c.seq > cursors["cards"]) | c.deck_uuid.in_(sorted(new)))
        cards = _fetch(con, stmt.order_by(c.seq))
        progress("pull cards", len(cards), len(cards))
        r = t.reviews.c
        reviews = _fetch(
            con, select(t.reviews).where(r.owner == me, r.seq > cursors["reviews"]).order_by(r.seq)
        )
        progress("pull reviews", len(reviews), len(reviews))
        st = t.states.c
        states = _fetch(con, select(t.states).where(st.owner == me, st.seq > cursors["states"]).order_by(st.seq))
        progress("pull states", len(states), len(states))
    with store.transaction() as s:
        local.apply_cards(s, cards, applied)
        local.apply_reviews(s, [x for x in reviews if x.device != dev], applied)
        local.apply_states(s, [x for x in states if x.device != dev], applied)
        for key, rows in (("cards", cards), ("reviews", reviews), ("states", states)):
            if rows:
                cursors[key] = max(cursors[key], max(x.seq for x in rows))
        local.save_cursors(s, cursors)
    summary.pulled = {"decks": applied.decks, "cards": applied.cards, "reviews": applied.reviews,
                      "states": applied.states}  # fmt: skip


def run_sync(store: Store, server: Server, progress: Progress = _quiet) -> Summary:
    """Push, then pull. Raises SQLAlchemy errors from the server; `app.sync.service` words them."""
    started = time.perf_counter()
    with store.transaction() as s:
        device = local.device_id(s)
        cursors = local.begin(s, server.label)
    summary = Summary(server=server.label, user=server.user, device=device)
    progress("push", 0, 1)
    push(store, server, summary, progress)
    progress("pull", 0, 1)
    pull(store, server, summary, cursors, progress)
    summary.seconds = time.perf_counter() - started
    progress("done", 1, 1)
    return summary
