"""The first schema: decks, cards, card states, review log, settings and FTS5 search.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Written out here (a migration never imports app code that may change): app/store/fulltext.py
# must use the same expression, or PostgreSQL will not use the index.
PG_TSVECTOR = "to_tsvector('simple'::regconfig, front || ' ' || back)"


def upgrade() -> None:
    op.create_table(
        "decks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("language", sa.String(16), nullable=False, server_default="en"),
        sa.Column("new_per_day", sa.Integer, nullable=False, server_default="20"),
        sa.Column("desired_retention", sa.Float, nullable=False, server_default="0.9"),
        sa.Column("rating_scale", sa.String(1), nullable=False, server_default="4"),
        sa.Column("fsrs_parameters", sa.Text),
        sa.Column("fsrs_parameters_previous", sa.Text),
        sa.Column("best_match_ms", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("deck_id", sa.Integer, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("front", sa.Text, nullable=False),
        sa.Column("back", sa.Text, nullable=False),
        sa.Column("tags", sa.Text, nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("starred", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_cards_deck_position", "cards", ["deck_id", "position"])
    op.create_table(
        "card_states",
        sa.Column("card_id", sa.Integer, sa.ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("deck_id", sa.Integer, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.Integer, nullable=False, server_default="1"),
        sa.Column("step", sa.Integer),
        sa.Column("stability", sa.Float),
        sa.Column("difficulty", sa.Float),
        sa.Column("due", sa.DateTime, nullable=False),
        sa.Column("last_review", sa.DateTime),
        sa.Column("reps", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lapses", sa.Integer, nullable=False, server_default="0"),
        sa.Column("correct_streak", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_card_states_deck_due", "card_states", ["deck_id", "due"])
    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("card_id", sa.Integer, sa.ForeignKey("cards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("deck_id", sa.Integer, sa.ForeignKey("decks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("correct", sa.Boolean),
        sa.Column("answer_text", sa.Text),
        sa.Column("transcript", sa.Text),
        sa.Column("grader_score", sa.Float),
        sa.Column("verdict", sa.String(16)),
        sa.Column("duration_ms", sa.Integer),
        sa.Column("reviewed_at", sa.DateTime, nullable=False),
        sa.Column("scheduled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("state_before", sa.Text),
    )
    op.create_index("ix_review_log_card", "review_log", ["card_id", "reviewed_at"])
    op.create_index("ix_review_log_deck_time", "review_log", ["deck_id", "reviewed_at"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # The same search on PostgreSQL: an expression index the planner uses for `@@`, always in
        # step with the rows (no triggers); see app/store/fulltext.py.
        op.execute(f"CREATE INDEX ix_cards_fts ON cards USING gin ({PG_TSVECTOR})")
        return
    # Full-text search over fronts and backs; an external-content table kept in step by triggers.
    op.execute(
        "CREATE VIRTUAL TABLE cards_fts USING fts5(front, back, content='cards', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER cards_ai AFTER INSERT ON cards BEGIN "
        "INSERT INTO cards_fts(rowid, front, back) VALUES (new.id, new.front, new.back); END"
    )
    op.execute(
        "CREATE TRIGGER cards_ad AFTER DELETE ON cards BEGIN "
        "INSERT INTO cards_fts(cards_fts, rowid, front, back) VALUES ('delete', old.id, old.front, old.back); END"
    )
    op.execute(
        "CREATE TRIGGER cards_au AFTER UPDATE OF front, back ON cards BEGIN "
        "INSERT INTO cards_fts(cards_fts, rowid, front, back) VALUES ('delete', old.id, old.front, old.back); "
        "INSERT INTO cards_fts(rowid, front, back) VALUES (new.id, new.front, new.back); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("settings", "review_log", "card_states", "cards", "decks"):
            op.drop_table(table)
        return
    for trig in ("cards_ai", "cards_ad", "cards_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trig}")
    op.execute("DROP TABLE IF EXISTS cards_fts")
    for table in ("settings", "review_log", "card_states", "cards", "decks"):
        op.drop_table(table)
