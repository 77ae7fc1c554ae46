"""Search as you type at 1M cards: prefix indexes for the 1- and 2-letter starts of words.

A prefix query ("p"*, "capital r"*) without them merges the doclists of every term with that
start, over a second at a million cards; with them it reads one doclist (about a millisecond).
The full-text table is made again with `prefix='1 2'` and rebuilt from the cards (a minute or so
once, at a million cards; the index grows by about 40 %). PostgreSQL's tsvector index needs
nothing.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The triggers exactly as 0001 wrote them (app/store/repo.py's bulk insert compares the text).
TRIGGERS = (
    "CREATE TRIGGER cards_ai AFTER INSERT ON cards BEGIN "
    "INSERT INTO cards_fts(rowid, front, back) VALUES (new.id, new.front, new.back); END",
    "CREATE TRIGGER cards_ad AFTER DELETE ON cards BEGIN "
    "INSERT INTO cards_fts(cards_fts, rowid, front, back) VALUES ('delete', old.id, old.front, old.back); END",
    "CREATE TRIGGER cards_au AFTER UPDATE OF front, back ON cards BEGIN "
    "INSERT INTO cards_fts(cards_fts, rowid, front, back) VALUES ('delete', old.id, old.front, old.back); "
    "INSERT INTO cards_fts(rowid, front, back) VALUES (new.id, new.front, new.back); END",
)


def _remake(prefix: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trig in ("cards_ai", "cards_ad", "cards_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trig}")
    op.execute("DROP TABLE IF EXISTS cards_fts")
    op.execute(
        "CREATE VIRTUAL TABLE cards_fts USING fts5(front, back, content='cards', content_rowid='id',"
        f" tokenize='unicode61 remove_diacritics 2'{prefix})"
    )
    op.execute("INSERT INTO cards_fts(cards_fts) VALUES ('rebuild')")
    for sql in TRIGGERS:
        op.execute(sql)


def upgrade() -> None:
    _remake(", prefix='1 2'")


def downgrade() -> None:
    _remake("")
