"""The local store's side of sync: what is waiting to go up, and applying what came down.

"Dirty" is read from the rows themselves, so nothing is lost whatever happens mid-sync:
a review is waiting while `synced` is false; a card while `updated_at > synced_at`; a card
state while its latest answer (`changed_at`, the newest review_log row of the card) is newer
than `synced_at`. The marks are written only after the server committed.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.store.models import Card, CardState, Deck, ReviewLog, Setting
from app.store.repo import unique_deck_name

DEVICE_KEY = "sync.device"
SERVER_KEY = "sync.server"
CURSOR_KEY = "sync.cursor"


def naive(dt: datetime | None) -> datetime | None:
    """The server's columns are naive UTC, like the store's."""
    return None if dt is None else dt.astimezone(timezone.utc).replace(tzinfo=None)


def aware(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt.replace(tzinfo=timezone.utc)


def _setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return None if row is None else row.value


def _set(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def device_id(session: Session) -> str:
    """This copy's id, made once: the tie-break of the conflict rule and the author of its rows."""
    dev = _setting(session, DEVICE_KEY)
    if dev is None:
        dev = uuidlib.uuid4().hex[:12]
        _set(session, DEVICE_KEY, dev)
    return dev


def begin(session: Session, server_label: str) -> dict[str, int]:
    """Stamp rows that lack a UUID and return the pull cursors for this server.

    A different server than last time starts over: everything is sent again (idempotent)
    and everything is pulled.
    """
    for model in (Deck, Card, ReviewLog):
        ids = list(session.scalars(select(model.id).where(model.uuid.is_(None))))
        if ids:
            session.execute(update(model), [{"id": i, "uuid": str(uuidlib.uuid4())} for i in ids])
    if _setting(session, SERVER_KEY) != server_label:
        session.execute(update(ReviewLog).values(synced=False))
        session.execute(update(Card).values(synced_at=None))
        session.execute(update(CardState).values(synced_at=None))
        session.execute(update(Deck).where(Deck.sync_owner.is_not(None)).values(sync_owner=None))
        _set(session, SERVER_KEY, server_label)
        _set(session, CURSOR_KEY, "{}")
    return {"cards": 0, "reviews": 0, "states": 0} | json.loads(_setting(session, CURSOR_KEY) or "{}")


def save_cursors(session: Session, cursors: dict[str, int]) -> None:
    _set(session, CURSOR_KEY, json.dumps(cursors, sort_keys=True))


# -- what goes up ------------------------------------------------------------------------------


def my_decks(session: Session, device: str) -> list[dict]:
    rows = session.scalars(select(Deck).where(Deck.sync_owner.is_(None)))
    return [
        {
            "uuid": d.uuid, "name": d.name, "description": d.description, "language": d.language,
            "new_per_day": d.new_per_day, "desired_retention": d.desired_retention,
            "rating_scale": d.rating_scale, "updated_at": naive(d.updated_at), "device": device,
        }  # fmt: skip
        for d in rows
    ]


def dirty_cards(session: Session, device: str) -> list[dict]:
    """Cards of our own decks edited since they were last exchanged."""
    stmt = (
        select(Card, Deck.uuid)
        .join(Deck, Deck.id == Card.deck_id)
        .where(Deck.sync_owner.is_(None), or_(Card.synced_at.is_(None), Card.updated_at > Card.synced_at))
    )
    return [
        {
            "uuid": c.uuid, "deck_uuid": deck_uuid, "front": c.front, "back": c.back, "tags": c.tags,
            "position": c.position, "starred": c.starred, "updated_at": naive(c.updated_at), "device": device,
        }  # fmt: skip
        for c, deck_uuid in session.execute(stmt)
    ]


def unsynced_reviews(session: Session, device: str) -> list[tuple[int, dict]]:
    stmt = (
        select(ReviewLog, Card.uuid, Deck.uuid)
        .join(Card, Card.id == ReviewLog.card_id)
        .join(Deck, Deck.id == ReviewLog.deck_id)
        .where(ReviewLog.synced.is_(False))
        .order_by(ReviewLog.id)
    )
    out = []
    for r, card_uuid, deck_uuid in session.execute(stmt):
        out.append(
            (
                r.id,
                {
                    "uuid": r.uuid, "card_uuid": card_uuid, "deck_uuid": deck_uuid, "mode": r.mode,
                    "rating": r.rating, "correct": r.correct, "answer_text": r.answer_text,
                    "transcript": r.transcript, "grader_score": r.grader_score, "verdict": r.verdict,
                    "duration_ms": r.duration_ms, "reviewed_at": naive(r.reviewed_at),
                    "scheduled": r.scheduled, "state_before": r.state_before, "device": device,
                },  # fmt: skip
            )
        )
    return out


def _changed_at():
    """The newest answer of each card: when its state last changed."""
    return (
        select(ReviewLog.card_id, func.max(ReviewLog.reviewed_at).label("at"))
        .group_by(ReviewLog.card_id)
        .subquery()
    )


def dirty_states(session: Session, device: str) -> list[dict]:
    changed = _changed_at()
    stmt = (
        select(CardState, Card.uuid, Deck.uuid, changed.c.at)
        .join(Card, Card.id == CardState.card_id)
        .join(Deck, Deck.id == CardState.deck_id)
        .join(changed, changed.c.card_id == CardState.card_id)
    )
    out = []
    for s, card_uuid, deck_uuid, at in session.execute(stmt):
        at = aware(at) if isinstance(at, datetime) else _parse(at)
        if s.synced_at is not None and at <= s.synced_at:
            continue
        out.append(
            {
                "card_uuid": card_uuid, "deck_uuid": deck_uuid, "state": s.state, "step": s.step,
                "stability": s.stability, "difficulty": s.difficulty, "due": naive(s.due),
                "last_review": naive(s.last_review), "reps": s.reps, "lapses": s.lapses,
                "correct_streak": s.correct_streak, "changed_at": naive(at), "device": device,
            }  # fmt: skip
        )
    return out


def _parse(value: str) -> datetime:
    """func.max() over SQLite's stored text comes back as text."""
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def mark_pushed(session: Session, review_ids: list[int], cards: list[dict], states: list[dict]) -> None:
    """After the server committed: these rows are up there (with the values that were sent)."""
    for i in range(0, len(review_ids), 900):
        chunk = review_ids[i : i + 900]
        session.execute(update(ReviewLog).where(ReviewLog.id.in_(chunk)).values(synced=True))
    by_uuid = _card_ids(session, [c["uuid"] for c in cards] + [s["card_uuid"] for s in states])
    if cards:
        # Only where the card is still as it was sent (an edit made meanwhile stays waiting), and
        # with updated_at given, so its onupdate does not make the card look edited again.
        tbl = Card.__table__
        stmt = (
            update(tbl)
            .where(tbl.c.id == bindparam("b_id"), tbl.c.updated_at == bindparam("b_at"))
            .values(synced_at=bindparam("b_at"), updated_at=bindparam("b_at"))
        )
        session.connection().execute(
            stmt, [{"b_id": by_uuid[c["uuid"]], "b_at": aware(c["updated_at"])} for c in cards]
        )
    if states:
        session.execute(
            update(CardState),
            [{"card_id": by_uuid[s["card_uuid"]], "synced_at": aware(s["changed_at"])} for s in states],
        )


def _card_ids(session: Session, uuids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(uuids), 900):
        chunk = uuids[i : i + 900]
        out.update(dict(session.execute(select(Card.uuid, Card.id).where(Card.uuid.in_(chunk))).all()))
    return out


# -- what comes down ---------------------------------------------------------------------------


@dataclass
class Applied:
    decks: int = 0
    cards: int = 0
    reviews: int = 0
    states: int = 0


def apply_decks(session: Session, rows: list, me: str, applied: Applied) -> set[str]:
    """Create or update local decks from the server's; returns the UUIDs of decks new here."""
    local = {d.uuid: d for d in session.scalars(select(Deck).where(Deck.uuid.is_not(None)))}
    new: set[str] = set()
    for r in rows:
        owner = None if r.owner == me else r.owner
        at = aware(r.updated_at)
        deck = local.get(r.uuid)
        if deck is None:
            deck = Deck(uuid=r.uuid, name=unique_deck_name(session, r.name), sync_owner=owner)
            session.add(deck)
            new.add(r.uuid)
        elif at <= deck.updated_at:
            continue
        elif deck.name != r.name:
            deck.name = unique_deck_name(session, r.name)
        deck.description, deck.language, deck.new_per_day = r.description, r.language, r.new_per_day
        deck.desired_retention, deck.rating_scale = r.desired_retention, r.rating_scale
        session.flush()
        session.execute(update(Deck).where(Deck.id == deck.id).values(updated_at=at))
        applied.decks += 1
    return new


def apply_cards(session: Session, rows: list, applied: Applied) -> None:
    """Server versions of cards; a card edited here since it was last sent is left for the next push."""
    deck_ids = dict(session.execute(select(Deck.uuid, Deck.id).where(Deck.uuid.is_not(None))).all())
    uuids = [r.uuid for r in rows]
    local: dict[str, tuple] = {}
    for i in range(0, len(uuids), 900):
        stmt = select(Card.uuid, Card.id, Card.updated_at, Card.synced_at).where(Card.uuid.in_(uuids[i : i + 900]))
        local.update({u: (cid, up, sy) for u, cid, up, sy in session.execute(stmt)})
    inserts, updates = [], []
    for r in rows:
        at = aware(r.updated_at)
        values = {"front": r.front, "back": r.back, "tags": r.tags, "position": r.position,
                  "starred": r.starred, "updated_at": at, "synced_at": at}  # fmt: skip
        if r.uuid not in local:
            if r.deck_uuid in deck_ids:
                inserts.append({"uuid": r.uuid, "deck_id": deck_ids[r.deck_uuid], "created_at": at, **values})
            continue
        cid, up, sy = local[r.uuid]
        if (sy is None or up > sy) and up > at:
            continue  # a newer local edit: the next push settles it by the conflict rule
        updates.append({"id": cid, **values})  # a new seq: the server's version (the rule's winner)
    if inserts:
        session.execute(insert(Card), inserts)
    if updates:
        session.execute(update(Card), updates)
    applied.cards += len(inserts) + len(updates)


def apply_reviews(session: Session, rows: list, applied: Applied) -> None:
    """Other machines' answers, added once each (by UUID)."""
    have = set()
    uuids = [r.uuid for r in rows]
    for i in range(0, len(uuids), 900):
        have.update(session.scalars(select(ReviewLog.uuid).where(ReviewLog.uuid.in_(uuids[i : i + 900]))))
    cards = dict(
        (u, (cid, did)) for u, cid, did in session.execute(select(Card.uuid, Card.id, Card.deck_id))
    )
    values = []
    for r in rows:
        if r.uuid in have or r.card_uuid not in cards:
            continue
        cid, did = cards[r.card_uuid]
        values.append(
            {
                "uuid": r.uuid, "card_id": cid, "deck_id": did, "mode": r.mode, "rating": r.rating,
                "correct": r.correct, "answer_text": r.answer_text, "transcript": r.transcript,
                "grader_score": r.grader_score, "verdict": r.verdict, "duration_ms": r.duration_ms,
                "reviewed_at": aware(r.reviewed_at), "scheduled": r.scheduled,
                "state_before": r.state_before, "synced": True,
            }  # fmt: skip
        )
    if values:
        session.execute(insert(ReviewLog), values)
    applied.reviews += len(values)


def apply_states(session: Session, rows: list, applied: Applied) -> None:
    """The winning state of each card (see README.md); a state changed here meanwhile waits."""
    if not rows:
        return
    cards = dict((u, (cid, did)) for u, cid, did in session.execute(select(Card.uuid, Card.id, Card.deck_id)))
    changed = _changed_at()
    local = {
        cid: (sy, aware(at) if isinstance(at, datetime) else _parse(at) if at else None)
        for cid, sy, at in session.execute(
            select(CardState.card_id, CardState.synced_at, changed.c.at).outerjoin(
                changed, changed.c.card_id == CardState.card_id
            )
        )
    }
    for r in rows:
        if r.card_uuid not in cards:
            continue
        cid, did = cards[r.card_uuid]
        at = aware(r.changed_at)
        values = {"state": r.state, "step": r.step, "stability": r.stability, "difficulty": r.difficulty,
                  "due": aware(r.due), "last_review": aware(r.last_review), "reps": r.reps,
                  "lapses": r.lapses, "correct_streak": r.correct_streak, "synced_at": at}  # fmt: skip
        if cid in local:
            sy, mine = local[cid]
            if mine is not None and (sy is None or mine > sy) and mine > at:
                continue
            session.execute(update(CardState).where(CardState.card_id == cid).values(**values))
        else:
            session.execute(insert(CardState).values(card_id=cid, deck_id=did, **values))
        applied.states += 1
