"""Sync identity on every engine; on PostgreSQL also the sync server and classes.

Every deck, card and review gets a UUID (its identity across machines) and the bookkeeping
of what was already exchanged with a server. On PostgreSQL the same database can also serve
as a sync server: `sync_*` tables keyed by UUID and owned by the login role that pushed
them, and classes. Row-level security, not the app, decides who sees what: a student reads
only their own reviews and states; a teacher reads those of their class's students on the
decks shared with the class. See app/sync/README.md.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SERVER_TABLES = (
    "class_decks", "class_members", "classes", "sync_card_states", "sync_reviews", "sync_cards", "sync_decks",
)  # fmt: skip

SERVER_DDL = """
-- SQLite's json_extract(doc, '$.a.b') for the store's own queries (review_log.state_before):
-- the value as text, NULL when absent or JSON null.
CREATE FUNCTION json_extract(doc text, path text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT doc::jsonb #>> string_to_array(substr(path, 3), '.') $$;

CREATE SEQUENCE sync_seq;
CREATE TABLE sync_decks (
    uuid uuid PRIMARY KEY, owner name NOT NULL DEFAULT current_user,
    name text NOT NULL, description text NOT NULL DEFAULT '', language text NOT NULL DEFAULT 'en',
    new_per_day integer NOT NULL DEFAULT 20, desired_retention double precision NOT NULL DEFAULT 0.9,
    rating_scale text NOT NULL DEFAULT '4', updated_at timestamp NOT NULL, device text NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('sync_seq'));
CREATE TABLE sync_cards (
    uuid uuid PRIMARY KEY, deck_uuid uuid NOT NULL REFERENCES sync_decks(uuid) ON DELETE CASCADE,
    front text NOT NULL, back text NOT NULL, tags text NOT NULL DEFAULT '', position integer NOT NULL,
    starred boolean NOT NULL DEFAULT false, updated_at timestamp NOT NULL, device text NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('sync_seq'));
CREATE INDEX ix_sync_cards_deck ON sync_cards(deck_uuid, seq);
CREATE TABLE sync_reviews (
    uuid uuid PRIMARY KEY, owner name NOT NULL DEFAULT current_user,
    card_uuid uuid NOT NULL, deck_uuid uuid NOT NULL, mode text NOT NULL, rating integer NOT NULL,
    correct boolean, answer_text text, transcript text, grader_score double precision, verdict text,
    duration_ms integer, reviewed_at timestamp NOT NULL, scheduled boolean NOT NULL, state_before text,
    device text NOT NULL, seq bigint NOT NULL DEFAULT nextval('sync_seq'));
CREATE INDEX ix_sync_reviews_owner_seq ON sync_reviews(owner, seq);
CREATE INDEX ix_sync_reviews_deck ON sync_reviews(deck_uuid, owner);
CREATE TABLE sync_card_states (
    owner name NOT NULL DEFAULT current_user, card_uuid uuid NOT NULL, deck_uuid uuid NOT NULL,
    state integer NOT NULL, step integer, stability double precision, difficulty double precision,
    due timestamp NOT NULL, last_review timestamp, reps integer NOT NULL, lapses integer NOT NULL,
    correct_streak integer NOT NULL, changed_at timestamp NOT NULL, device text NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('sync_seq'), PRIMARY KEY (owner, card_uuid));
CREATE INDEX ix_sync_card_states_owner_seq ON sync_card_states(owner, seq);
CREATE INDEX ix_sync_card_states_deck ON sync_card_states(deck_uuid, owner);
CREATE TABLE classes (
    id serial PRIMARY KEY, name text NOT NULL, join_code text NOT NULL UNIQUE,
    teacher name NOT NULL DEFAULT current_user, created_at timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
    UNIQUE (teacher, name));
CREATE TABLE class_members (
    class_id integer NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    student name NOT NULL DEFAULT current_user, joined_at timestamp NOT NULL DEFAULT (now() at time zone 'utc'),
    PRIMARY KEY (class_id, student));
CREATE TABLE class_decks (
    class_id integer NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    deck_uuid uuid NOT NULL REFERENCES sync_decks(uuid) ON DELETE CASCADE,
    PRIMARY KEY (class_id, deck_uuid));

-- Helpers the policies call. SECURITY DEFINER: they read the class tables as their owner, so a
-- policy on one table never recurses through another table's policy. `who` is the caller's
-- current_user, passed in by the policy (inside the function current_user is the owner).
CREATE FUNCTION recall_teaches_class(who name, cls integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM classes WHERE id = cls AND teacher = who) $$;
CREATE FUNCTION recall_in_class(who name, cls integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM class_members WHERE class_id = cls AND student = who) $$;
CREATE FUNCTION recall_teaches(who name, pupil name, deck uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM classes c JOIN class_members m ON m.class_id = c.id
                      JOIN class_decks d ON d.class_id = c.id
                      WHERE c.teacher = who AND m.student = pupil AND d.deck_uuid = deck) $$;
CREATE FUNCTION recall_deck_owner(deck uuid) RETURNS name
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
    $$ SELECT owner FROM sync_decks WHERE uuid = deck $$;
CREATE FUNCTION recall_deck_shared_with(who name, deck uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM class_decks d JOIN classes c ON c.id = d.class_id
                      LEFT JOIN class_members m ON m.class_id = d.class_id AND m.student = who
                      WHERE d.deck_uuid = deck AND (c.teacher = who OR m.student IS NOT NULL)) $$;
-- Joining takes the code, never a class id: knowing a class exists is not enough to join it.
CREATE FUNCTION recall_join_class(code text) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE cls integer;
    BEGIN
        SELECT id INTO cls FROM classes WHERE join_code = upper(code);
        IF cls IS NULL THEN RAISE EXCEPTION USING MESSAGE = 'no class has this join code', ERRCODE = 'P0002'; END IF;
        INSERT INTO class_members(class_id, student) VALUES (cls, session_user) ON CONFLICT DO NOTHING;
        RETURN cls;
    END $$;

ALTER TABLE sync_decks ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sync_decks FOR SELECT USING (owner = current_user OR recall_deck_shared_with(current_user, uuid));
CREATE POLICY own_insert ON sync_decks FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY own_update ON sync_decks FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user);

ALTER TABLE sync_cards ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sync_cards FOR SELECT
    USING (recall_deck_owner(deck_uuid) = current_user OR recall_deck_shared_with(current_user, deck_uuid));
CREATE POLICY own_insert ON sync_cards FOR INSERT WITH CHECK (recall_deck_owner(deck_uuid) = current_user);
CREATE POLICY own_update ON sync_cards FOR UPDATE USING (recall_deck_owner(deck_uuid) = current_user)
    WITH CHECK (recall_deck_owner(deck_uuid) = current_user);

ALTER TABLE sync_reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sync_reviews FOR SELECT
    USING (owner = current_user OR recall_teaches(current_user, owner, deck_uuid));
CREATE POLICY own_insert ON sync_reviews FOR INSERT WITH CHECK (owner = current_user);

ALTER TABLE sync_card_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON sync_card_states FOR SELECT
    USING (owner = current_user OR recall_teaches(current_user, owner, deck_uuid));
CREATE POLICY own_insert ON sync_card_states FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY own_update ON sync_card_states FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user);

ALTER TABLE classes ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON classes FOR SELECT USING (teacher = current_user OR recall_in_class(current_user, id));
CREATE POLICY own_insert ON classes FOR INSERT WITH CHECK (teacher = current_user);
CREATE POLICY own_delete ON classes FOR DELETE USING (teacher = current_user);

ALTER TABLE class_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON class_members FOR SELECT
    USING (student = current_user OR recall_teaches_class(current_user, class_id));
CREATE POLICY leave ON class_members FOR DELETE
    USING (student = current_user OR recall_teaches_class(current_user, class_id));

ALTER TABLE class_decks ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON class_decks FOR SELECT
    USING (recall_teaches_class(current_user, class_id) OR recall_in_class(current_user, class_id));
CREATE POLICY share ON class_decks FOR INSERT
    WITH CHECK (recall_teaches_class(current_user, class_id) AND recall_deck_owner(deck_uuid) = current_user);
CREATE POLICY unshare ON class_decks FOR DELETE USING (recall_teaches_class(current_user, class_id));

-- Every login role of the cluster may use these tables; the policies above decide which rows.
-- Who may connect at all is the database's CONNECT privilege (app/sync/admin.py).
-- The store's own tables (decks, cards, ...) are not granted: only their owner uses them.
GRANT SELECT, INSERT, UPDATE ON sync_decks, sync_cards, sync_reviews, sync_card_states TO PUBLIC;
GRANT SELECT, INSERT, DELETE ON classes, class_decks TO PUBLIC;
GRANT SELECT, DELETE ON class_members TO PUBLIC;
GRANT USAGE ON SEQUENCE sync_seq, classes_id_seq TO PUBLIC;
GRANT SELECT ON alembic_version TO PUBLIC;
"""


def upgrade() -> None:
    for table in ("decks", "cards", "review_log"):
        op.add_column(table, sa.Column("uuid", sa.String(36)))
        op.create_index(f"ix_{table}_uuid", table, ["uuid"], unique=True)
    op.add_column("decks", sa.Column("sync_owner", sa.String(64)))
    op.add_column("cards", sa.Column("synced_at", sa.DateTime))
    op.add_column("card_states", sa.Column("synced_at", sa.DateTime))
    op.add_column("review_log", sa.Column("synced", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_review_log_unsynced", "review_log", ["synced"])
    if op.get_bind().dialect.name == "postgresql":
        op.get_bind().exec_driver_sql(SERVER_DDL)  # one script; $$ bodies rule out splitting on ";"


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SERVER_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        op.execute("DROP SEQUENCE IF EXISTS sync_seq")
        for fn in ("recall_teaches_class(name, integer)", "recall_in_class(name, integer)",
                   "recall_teaches(name, name, uuid)", "recall_deck_owner(uuid)",
                   "recall_deck_shared_with(name, uuid)", "recall_join_class(text)", "json_extract(text, text)"):  # fmt: skip
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_index("ix_review_log_unsynced", "review_log")
    with op.batch_alter_table("review_log") as b:
        b.drop_column("synced")
    with op.batch_alter_table("card_states") as b:
        b.drop_column("synced_at")
    with op.batch_alter_table("cards") as b:
        b.drop_column("synced_at")
    with op.batch_alter_table("decks") as b:
        b.drop_column("sync_owner")
    for table in ("decks", "cards", "review_log"):
        op.drop_index(f"ix_{table}_uuid", table)
        with op.batch_alter_table(table) as b:
            b.drop_column("uuid")
