"""Card search on both engines: SQLite's FTS5 table, PostgreSQL's tsvector index.

The rule is the same on both: every word the user typed must match the start of a word in
the front or back, case-insensitively; punctuation is never query syntax. Hits come best
first (FTS5's bm25 rank, PostgreSQL's ts_rank). One difference: FTS5 also folds diacritics
(café = cafe), PostgreSQL's 'simple' configuration does not.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

# The expression the migration indexes (0001_initial.PG_TSVECTOR); the planner needs it verbatim.
PG_TSVECTOR = "to_tsvector('simple'::regconfig, front || ' ' || back)"


def query_words(query: str) -> list[str]:
    return re.findall(r"\w+", query, flags=re.UNICODE)


def matching_card_ids(session: Session, query: str, limit: int) -> list[int]:
    """Ids of the cards matching every word of `query` as a prefix, best first."""
    words = query_words(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # \w+ words hold no tsquery syntax; the parser may still split one (a_b), which stays an AND.
        tsq = " & ".join(f"{w.lower()}:*" for w in words)
        sql = (
            f"SELECT id FROM cards WHERE {PG_TSVECTOR} @@ to_tsquery('simple'::regconfig, :q) "
            f"ORDER BY ts_rank({PG_TSVECTOR}, to_tsquery('simple'::regconfig, :q)) DESC, id LIMIT :n"
        )
        return [r[0] for r in session.execute(text(sql), {"q": tsq, "n": limit})]
    match = " ".join(f'"{w}"*' for w in words)
    sql = "SELECT rowid FROM cards_fts WHERE cards_fts MATCH :q ORDER BY rank LIMIT :n"
    return [r[0] for r in session.execute(text(sql), {"q": match, "n": limit})]
