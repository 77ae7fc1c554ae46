"""Grader overrides: every "I was right" the user gave, for `recall grader calibrate`.

The answer text and the reference are kept as they were graded (the card may change later), so
the grader can re-score them with whatever weights it has when it calibrates.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grader_overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("card_id", sa.Integer, sa.ForeignKey("cards.id", ondelete="SET NULL")),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("question", sa.Text),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("verdict", sa.String(16)),
        sa.Column("grader", sa.String(32)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("grader_overrides")
