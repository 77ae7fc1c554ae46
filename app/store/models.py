"""The card store's tables as typed SQLAlchemy 2.x models.

Times are stored as naive UTC and handed back as aware UTC datetimes (`UTCDateTime`), so
nothing in Recall ever compares a local time with a UTC one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_uuid() -> str:
    """Identity across machines for sync (app/sync): rows written outside the ORM get one at sync."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware (UTC) time")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    pass


class Deck(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    # "4": Again/Hard/Good/Easy; "5": Brainscape-style 1-5 confidence mapped onto them.
    rating_scale: Mapped[str] = mapped_column(String(1), default="4")
    fsrs_parameters: Mapped[str | None] = mapped_column(Text, default=None)  # JSON list, None = defaults
    fsrs_parameters_previous: Mapped[str | None] = mapped_column(Text, default=None)
    best_match_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    uuid: Mapped[str | None] = mapped_column(String(36), default=new_uuid, unique=True)
    # The server account that owns this deck when it came from someone else (a class); None = ours.
    sync_owner: Mapped[str | None] = mapped_column(String(64), default=None)
    # The library folder the deck sits in: "" none, "Biology/Cells" nested with "/" (repo.clean_folder).
    # This machine's arrangement, not synced.
    folder: Mapped[str] = mapped_column(Text, default="", server_default="")

    cards: Mapped[list[Card]] = relationship(
        back_populates="deck", cascade="all, delete-orphan", passive_deletes=True, order_by="Card.position"
    )


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (Index("ix_cards_deck_position", "deck_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text, default="")  # space-separated, as Anki keeps them
    position: Mapped[int] = mapped_column(Integer, default=0)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    uuid: Mapped[str | None] = mapped_column(String(36), default=new_uuid, unique=True)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)  # updated_at last sent/taken

    deck: Mapped[Deck] = relationship(back_populates="cards")
    state: Mapped[CardState | None] = relationship(
        back_populates="card", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class CardState(Base):
    """FSRS memory state plus the running tallies mastery is computed from.

    A card with no row here is new: it has never been reviewed in any mode.
    """

    __tablename__ = "card_states"
    __table_args__ = (Index("ix_card_states_deck_due", "deck_id", "due"),)

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    state: Mapped[int] = mapped_column(Integer, default=1)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(Integer, default=0)
    stability: Mapped[float | None] = mapped_column(Float, default=None)
    difficulty: Mapped[float | None] = mapped_column(Float, default=None)
    due: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    correct_streak: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)  # last_review last synced

    card: Mapped[Card] = relationship(back_populates="state")


class ReviewLog(Base):
    """One row per answer in any mode. `state_before` (JSON) lets the last review be undone."""

    __tablename__ = "review_log"
    __table_args__ = (
        Index("ix_review_log_card", "card_id", "reviewed_at"),
        Index("ix_review_log_deck_time", "deck_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(16))  # flashcards|spaced|learn|test|match|call
    rating: Mapped[int] = mapped_column(Integer)  # fsrs Rating 1..4
    correct: Mapped[bool | None] = mapped_column(Boolean, default=None)
    answer_text: Mapped[str | None] = mapped_column(Text, default=None)
    transcript: Mapped[str | None] = mapped_column(Text, default=None)
    grader_score: Mapped[float | None] = mapped_column(Float, default=None)
    verdict: Mapped[str | None] = mapped_column(String(16), default=None)
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    scheduled: Mapped[bool] = mapped_column(Boolean, default=True)  # False: practice that left FSRS alone
    state_before: Mapped[str | None] = mapped_column(Text, default=None)
    uuid: Mapped[str | None] = mapped_column(String(36), default=new_uuid, unique=True)
    synced: Mapped[bool] = mapped_column(Boolean, default=False)  # on the sync server already


class Setting(Base):
    """Collection-wide settings that must travel with the database (day rollover hour...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class GraderOverride(Base):
    """An "I was right" the user gave to a graded answer (Call, Learn, Test): the pair as graded,
    so `recall grader calibrate` can re-score it and refit the verdict thresholds."""

    __tablename__ = "grader_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"), default=None)
    mode: Mapped[str] = mapped_column(String(16))  # call|learn|test
    question: Mapped[str | None] = mapped_column(Text, default=None)
    reference: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float, default=None)  # the grade that was overridden
    verdict: Mapped[str | None] = mapped_column(String(16), default=None)
    grader: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
