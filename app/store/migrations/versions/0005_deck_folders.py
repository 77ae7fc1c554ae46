"""Deck folders: `decks.folder`, the library folder a deck sits in ("" for none; "A/B" nests).

One ADD COLUMN with a constant default on both engines: no table is rebuilt, every row is kept
and reads "" (no folder).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("decks", sa.Column("folder", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), never a batch copy: rebuilding `decks` under foreign keys
    # would cascade-delete every card.
    op.execute("ALTER TABLE decks DROP COLUMN folder")
