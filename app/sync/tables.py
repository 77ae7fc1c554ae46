"""The sync server's tables as SQLAlchemy Core tables (created by migration 0002 on PostgreSQL).

Kept apart from the store's ORM models: these exist only on a server, are keyed by UUID and
carry the owner (a PostgreSQL role), the device that wrote the row and a server sequence
number (`seq`) that pulls page by.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import UUID

meta = MetaData()


def _uuid(name: str, **kw) -> Column:
    return Column(name, UUID(as_uuid=False), **kw)


decks = Table(
    "sync_decks", meta,
    _uuid("uuid", primary_key=True), Column("owner", String), Column("name", Text),
    Column("description", Text), Column("language", Text), Column("new_per_day", Integer),
    Column("desired_retention", Float), Column("rating_scale", Text), Column("updated_at", DateTime),
    Column("device", Text), Column("seq", Integer),
)  # fmt: skip

cards = Table(
    "sync_cards", meta,
    _uuid("uuid", primary_key=True), _uuid("deck_uuid"), Column("front", Text), Column("back", Text),
    Column("tags", Text), Column("position", Integer), Column("starred", Boolean),
    Column("updated_at", DateTime), Column("device", Text), Column("seq", Integer),
)  # fmt: skip

reviews = Table(
    "sync_reviews", meta,
    _uuid("uuid", primary_key=True), Column("owner", String), _uuid("card_uuid"), _uuid("deck_uuid"),
    Column("mode", Text), Column("rating", Integer), Column("correct", Boolean), Column("answer_text", Text),
    Column("transcript", Text), Column("grader_score", Float), Column("verdict", Text),
    Column("duration_ms", Integer), Column("reviewed_at", DateTime), Column("scheduled", Boolean),
    Column("state_before", Text), Column("device", Text), Column("seq", Integer),
)  # fmt: skip

states = Table(
    "sync_card_states", meta,
    Column("owner", String, primary_key=True), _uuid("card_uuid", primary_key=True), _uuid("deck_uuid"),
    Column("state", Integer), Column("step", Integer), Column("stability", Float), Column("difficulty", Float),
    Column("due", DateTime), Column("last_review", DateTime), Column("reps", Integer), Column("lapses", Integer),
    Column("correct_streak", Integer), Column("changed_at", DateTime), Column("device", Text),
    Column("seq", Integer),
)  # fmt: skip

classes = Table(
    "classes", meta,
    Column("id", Integer, primary_key=True), Column("name", Text), Column("join_code", Text),
    Column("teacher", String), Column("created_at", DateTime),
)  # fmt: skip

class_members = Table(
    "class_members", meta, Column("class_id", Integer, primary_key=True), Column("student", String, primary_key=True),
    Column("joined_at", DateTime),
)  # fmt: skip

class_decks = Table(
    "class_decks", meta, Column("class_id", Integer, primary_key=True), _uuid("deck_uuid", primary_key=True),
)  # fmt: skip
