"""Card search on both engines: SQLite's FTS5 table, PostgreSQL's tsvector index.

The rule is the same on both: every word the user typed must match the start of a word in
the front or back, case-insensitively; punctuation is never query syntax. Hits come best
first (FTS5's bm25 rank, PostgreSQL's ts_rank); on SQLite only when ranking is cheap (see
`sqlite_ranked`: short word starts over huge collections come in card order). One difference: FTS5 also folds diacritics
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
    match = fts5_match(query)
    order = "rank" if sqlite_ranked(session, match, words) else "rowid"
    sql = f"SELECT rowid FROM cards_fts WHERE cards_fts MATCH :q ORDER BY {order} LIMIT :n"
    return [r[0] for r in session.execute(text(sql), {"q": match, "n": limit})]


# bm25 ranks every match before the first row comes back: at a million cards a word start of one
# or two letters matches hundreds of thousands of cards (seconds), and even "capital r" spends
# ~100 ms weighing the "r" positions. So SQLite ranks only when every word has 3+ letters and at
# most RANK_AT_MOST cards match (a bounded probe says); otherwise the hits come in card order,
# at once, and the next letter typed narrows them to a ranked list.
RANK_MIN_LETTERS = 3
RANK_AT_MOST = 2000


def sqlite_ranked(session: Session, match: str, words: list[str]) -> bool:
    """Whether ranking the FTS5 `match` is cheap enough to do (see RANK_AT_MOST)."""
    if not words or min(len(w) for w in words) < RANK_MIN_LETTERS:
        return False
    probe = "SELECT count(*) FROM (SELECT 1 FROM cards_fts WHERE cards_fts MATCH :q LIMIT :n)"
    return session.execute(text(probe), {"q": match, "n": RANK_AT_MOST + 1}).scalar() <= RANK_AT_MOST


def fts5_match(query: str) -> str:
    """What the user typed as a safe FTS5 query: every word must match, as a prefix."""
    return " ".join(f'"{w}"*' for w in query_words(query))


def sqlite_cards_sql(in_deck: bool, ranked: bool) -> str:
    """The cards matching `:q` (an `fts5_match`), best first (`ranked`) or in card order, `:n` at
    most, in one statement: the FTS5 match joined to the cards (no second round trip for rows)."""
    deck = " AND cards.deck_id = :deck" if in_deck else ""
    order = "cards_fts.rank" if ranked else "cards_fts.rowid"
    return (
        "SELECT cards.* FROM cards_fts JOIN cards ON cards.id = cards_fts.rowid"
        f" WHERE cards_fts MATCH :q{deck} ORDER BY {order} LIMIT :n"
    )
