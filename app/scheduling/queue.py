"""The daily Spaced queue, per deck or across decks, and the counts shown next to it.

The rule (the one source of truth: the review screen, `recall due` and the library's "due"
column all use it):

1. due now: learning/relearning cards whose step has come (learn-ahead of 20 minutes when
   nothing else is left, as Anki does), and review cards due before the end of today's study
   day (reviews are day-grained, so one due at 18:00 is shown in the morning);
2. then new cards in deck order, up to the deck's `new_per_day` minus the new cards already
   introduced today (a card's first scheduled review from any mode counts);
3. learning cards due later today come back when their step is up.

A card is "new" to the scheduler until its first scheduled review (`last_review` set): a card
only practised in a mode that leaves FSRS alone (`scheduled=False`) is still new here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo

from sqlalchemy import String, and_, func, or_, select, text, type_coerce
from sqlalchemy.orm import Session

from app.scheduling.days import StudyDay, today
from app.store.models import Card, CardState, Deck, ReviewLog

LEARN_AHEAD = timedelta(minutes=20)
LEARNING_STATES = (1, 3)  # fsrs.State.Learning, fsrs.State.Relearning
REVIEW_STATE = 2


@dataclass(frozen=True)
class DayCounts:
    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review

    def __add__(self, other: DayCounts) -> DayCounts:
        return DayCounts(self.new + other.new, self.learning + other.learning, self.review + other.review)

    def as_json(self) -> dict:
        return {"new": self.new, "learning": self.learning, "review": self.review, "total": self.total}


@dataclass(slots=True)  # not frozen: a frozen init costs more, and there are thousands per build
class QueueItem:
    card_id: int
    deck_id: int
    deck: str
    front: str
    kind: str  # new | learning | review
    due: datetime | None  # None for new cards

    def as_json(self) -> dict:
        return {
            "card_id": self.card_id,
            "deck_id": self.deck_id,
            "deck": self.deck,
            "front": self.front,
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass(frozen=True)
class Queue:
    day: StudyDay
    now: datetime
    ready: list[QueueItem]  # due now, oldest first
    new: list[QueueItem]  # new cards allowed today, in deck order
    later: list[QueueItem]  # learning cards due later today, soonest first
    counts: DayCounts
    decks: dict[int, str] = field(default_factory=dict)

    @property
    def items(self) -> list[QueueItem]:
        """The order the review screen shows them in."""
        return self.ready + self.new + self.later

    def next_item(self) -> QueueItem | None:
        """The card to show now, or None when nothing is due (yet)."""
        if self.ready:
            return self.ready[0]
        if self.new:
            return self.new[0]
        if self.later and self.later[0].due is not None and self.later[0].due <= self.now + LEARN_AHEAD:
            return self.later[0]
        return None

    @property
    def next_due(self) -> datetime | None:
        """When the next learning card comes back, if the day is not over for this queue."""
        return self.later[0].due if self.later else None


def _decks(session: Session, deck_id: int | None) -> list[tuple[int, str, int]]:
    stmt = select(Deck.id, Deck.name, Deck.new_per_day).order_by(Deck.name)
    if deck_id is not None:
        stmt = stmt.where(Deck.id == deck_id)
    return [tuple(r) for r in session.connection().execute(stmt)]


def introduced_today(session: Session, deck_ids: Sequence[int], day: StudyDay) -> dict[int, int]:
    """New cards whose first scheduled review happened today, per deck."""
    if not deck_ids:
        return {}
    first = or_(
        ReviewLog.state_before.is_(None),
        func.json_extract(ReviewLog.state_before, "$.last_review").is_(None),
    )
    stmt = (
        select(ReviewLog.deck_id, func.count())
        .where(ReviewLog.deck_id.in_(deck_ids), ReviewLog.reviewed_at >= day.start)
        .where(ReviewLog.scheduled.is_(True), first)
        .group_by(ReviewLog.deck_id)
    )
    return {d: n for d, n in session.connection().execute(stmt)}


def _new_ids(deck_id: int, limit: int):
    """The first `limit` never-scheduled cards of a deck, in deck order.

    A LEFT JOIN on the state's primary key over the covering (deck_id, position) index: SQLite
    walks the deck in order and stops after `limit` hits, reading no card text on the way.
    """
    return (
        select(Card.id)
        .outerjoin(CardState, CardState.card_id == Card.id)
        .where(Card.deck_id == deck_id, or_(CardState.card_id.is_(None), CardState.last_review.is_(None)))
        .order_by(Card.position, Card.id)
        .limit(limit)
    )


def _new_cards_of(session: Session, limits: Sequence[tuple[int, int]]) -> dict[int, list[tuple[int, str]]]:
    """Each deck's first `limit` new cards with their fronts, for all decks in two statements.

    One UNION ALL of the per-deck index walks (each stops at its deck's allowance), then the
    fronts of just those cards: with 50 decks, two round trips instead of a hundred.
    Core execution on the session's connection: the ORM's result machinery costs more than
    these small queries themselves.
    """
    todo = [(int(d), int(n)) for d, n in limits if n > 0]
    if not todo:
        return {}
    # the walk of `_new_ids`, as text like `_new_counts` (no 50-part union to build and compile)
    walk = (
        "SELECT * FROM (SELECT c.deck_id, c.id, c.position FROM cards c"
        " LEFT OUTER JOIN card_states s ON s.card_id = c.id"
        " WHERE c.deck_id = {d} AND (s.card_id IS NULL OR s.last_review IS NULL)"
        " ORDER BY c.position, c.id LIMIT :n{i})"
    )
    sql = " UNION ALL ".join(walk.format(d=d, i=i) for i, (d, _) in enumerate(todo))
    conn = session.connection()
    rows = conn.execute(text(sql), {f"n{i}": n for i, (_, n) in enumerate(todo)}).all()
    if not rows:
        return {}
    rows.sort(key=lambda r: (r[0], r[2], r[1]))  # deck order in each deck: UNION ALL promises none
    fronts = dict(conn.execute(select(Card.id, Card.front).where(Card.id.in_([r[1] for r in rows]))).all())
    out: dict[int, list[tuple[int, str]]] = {}
    for deck_id, card_id, _position in rows:
        out.setdefault(deck_id, []).append((card_id, fronts[card_id]))
    return out


def _new_count(session: Session, deck_id: int, limit: int) -> int:
    if limit <= 0:
        return 0
    inner = _new_ids(deck_id, limit).subquery()
    return int(session.connection().execute(select(func.count()).select_from(inner)).scalar() or 0)


def _new_counts(session: Session, limits: dict[int, int]) -> dict[int, int]:
    """`_new_count` of every deck in one statement: one round trip instead of one per deck (most
    of the library's load time with 50 decks). The same walk as `_new_ids`, written as text so
    that a first call pays no compilation of a 50-part union."""
    todo = [(int(d), int(n)) for d, n in limits.items() if n > 0]
    if not todo:
        return {}
    walk = (
        "SELECT count(*) FROM (SELECT c.id FROM cards c LEFT OUTER JOIN card_states s ON s.card_id = c.id"
        " WHERE c.deck_id = {d} AND (s.card_id IS NULL OR s.last_review IS NULL)"
        " ORDER BY c.position, c.id LIMIT :n{i}) AS w{i}"
    )
    sql = " UNION ALL ".join(f"SELECT {d} AS deck, ({walk.format(d=d, i=i)}) AS n" for i, (d, _) in enumerate(todo))
    params = {f"n{i}": n for i, (_, n) in enumerate(todo)}
    return {int(d): int(n) for d, n in session.connection().execute(text(sql), params)}


def _new_limits(session: Session, decks: Iterable[tuple[int, str, int]], day: StudyDay) -> dict[int, int]:
    decks = list(decks)
    done = introduced_today(session, [d for d, _, _ in decks], day)
    return {d: max(0, per_day - done.get(d, 0)) for d, _, per_day in decks}


def _scheduled_due(deck_ids: Sequence[int], day_end: datetime):
    return and_(CardState.deck_id.in_(deck_ids), CardState.due < day_end, CardState.last_review.is_not(None))


def deck_counts(
    session: Session, now: datetime, deck_id: int | None = None, tz: tzinfo | None = None
) -> dict[int, DayCounts]:
    """Today's new / learning / review counts for every deck (or one), without listing cards."""
    day = today(session, now, tz)
    decks = _decks(session, deck_id)
    ids = [d for d, _, _ in decks]
    if not ids:
        return {}
    by_state: dict[int, dict[int, int]] = {}
    stmt = (
        select(CardState.deck_id, CardState.state, func.count())
        .where(_scheduled_due(ids, day.end))
        .group_by(CardState.deck_id, CardState.state)
    )
    for d, state, n in session.connection().execute(stmt):
        by_state.setdefault(d, {})[state] = n
    limits = _new_limits(session, decks, day)
    new = _new_counts(session, limits)
    out = {}
    for d in ids:
        s = by_state.get(d, {})
        out[d] = DayCounts(
            new=new.get(d, 0),
            learning=sum(s.get(x, 0) for x in LEARNING_STATES),
            review=s.get(REVIEW_STATE, 0),
        )
    return out


def build_queue(session: Session, deck_id: int | None, now: datetime, tz: tzinfo | None = None) -> Queue:
    """Today's queue for one deck (or all decks when `deck_id` is None)."""
    day = today(session, now, tz)
    decks = _decks(session, deck_id)
    names = {d: n for d, n, _ in decks}
    ids = list(names)
    ready: list[QueueItem] = []
    later: list[QueueItem] = []
    new: list[QueueItem] = []
    if ids:
        # `due` comes back as the stored text and is parsed here: SQLAlchemy's generic datetime
        # parsing costs more than the query itself on a few thousand due cards.
        stmt = (
            select(
                CardState.card_id,
                CardState.deck_id,
                CardState.state,
                type_coerce(CardState.due, String),
                Card.front,
            )
            .join(Card, Card.id == CardState.card_id)
            .where(_scheduled_due(ids, day.end))
        )
        rows = session.connection().execute(stmt).all()
        rows.sort(key=lambda r: (r[3], r[0]))  # stored text sorts as the times do
        for card_id, d, state, due_text, front in rows:
            due = (  # PostgreSQL's driver hands back a datetime even when asked for text
                datetime.fromisoformat(due_text + "+00:00")
                if isinstance(due_text, str)
                else due_text.replace(tzinfo=timezone.utc)
            )
            if state == REVIEW_STATE:
                ready.append(QueueItem(card_id, d, names[d], front, "review", due))
            elif due <= now:
                ready.append(QueueItem(card_id, d, names[d], front, "learning", due))
            else:
                later.append(QueueItem(card_id, d, names[d], front, "learning", due))
        limits = _new_limits(session, decks, day)
        fresh = _new_cards_of(session, [(d, limits[d]) for d in ids])
        for d in ids:
            for card_id, front in fresh.get(d, ()):
                new.append(QueueItem(card_id, d, names[d], front, "new", None))
    counts = DayCounts(
        new=len(new),
        learning=sum(1 for it in ready + later if it.kind == "learning"),
        review=sum(1 for it in ready if it.kind == "review"),
    )
    return Queue(day=day, now=now, ready=ready, new=new, later=later, counts=counts, decks=names)
