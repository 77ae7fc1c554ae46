"""Classes on a sync server: a teacher creates one and shares decks; students join by code.

Everything here runs as the logged-in person; the server's row-level security decides what
each statement may see or change (a student cannot list other students, share a deck, or
read anyone's reviews but their own).
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.sync import tables as t
from app.sync.server import Server, SyncError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create_class(server: Server, name: str) -> dict:
    """A new class taught by the logged-in user; returns its name, id and join code."""
    name = name.strip()
    if not name:
        raise SyncError("a class needs a name")
    for _ in range(5):  # a clash of two random codes is rare; try again rather than fail
        code = new_code()
        try:
            with server.engine.begin() as con:
                cid = con.execute(insert(t.classes).values(name=name, join_code=code).returning(t.classes.c.id))
                return {"id": cid.scalar_one(), "name": name, "join_code": code}
        except IntegrityError as exc:
            if "teacher" in str(exc.orig) or "classes_teacher_name_key" in str(exc.orig):
                raise SyncError(f"you already have a class named {name!r}") from exc
    raise SyncError("could not make a unique join code; try again")


def join_class(server: Server, code: str) -> dict:
    code = "".join(code.split()).upper()
    try:
        with server.engine.begin() as con:
            cid = con.execute(text("SELECT recall_join_class(:c)"), {"c": code}).scalar_one()
            row = con.execute(select(t.classes.c.name, t.classes.c.teacher).where(t.classes.c.id == cid)).one()
    except DBAPIError as exc:
        if "join code" in str(exc.orig):
            raise SyncError(f"no class has the join code {code}") from exc
        raise
    return {"id": cid, "name": row.name, "teacher": row.teacher}


def find_class(con, server: Server, name: str) -> int:
    """A class by name: one the user teaches first, else one they are in."""
    c = t.classes.c
    rows = con.execute(select(c.id, c.teacher).where(c.name == name)).all()
    mine = [r.id for r in rows if r.teacher == server.user]
    if mine:
        return mine[0]
    if rows:
        return rows[0].id
    raise SyncError(f"no class named {name!r} (that you teach or are in)")


def share_deck(server: Server, class_name: str, deck_uuid: str, deck_name: str) -> None:
    with server.engine.begin() as con:
        cid = find_class(con, server, class_name)
        teacher = con.execute(select(t.classes.c.teacher).where(t.classes.c.id == cid)).scalar()
        if teacher != server.user:
            raise SyncError(f"only the teacher of {class_name!r} can share their own decks with it")
        if not con.execute(select(t.decks.c.uuid).where(t.decks.c.uuid == deck_uuid)).first():
            raise SyncError(f"the deck {deck_name!r} is not on the server yet: run `recall sync` first")
        exists = con.execute(
            select(t.class_decks).where(t.class_decks.c.class_id == cid, t.class_decks.c.deck_uuid == deck_uuid)
        ).first()
        if exists:
            return
        try:
            con.execute(insert(t.class_decks).values(class_id=cid, deck_uuid=deck_uuid))
        except DBAPIError as exc:
            if "row-level security" in str(exc.orig):
                raise SyncError(f"only the teacher of {class_name!r} can share their own decks with it") from exc
            raise


def list_classes(server: Server) -> list[dict]:
    """The classes the user teaches (with join code and members) or is in."""
    c, m, d = t.classes.c, t.class_members.c, t.class_decks.c
    with server.engine.connect() as con:
        rows = con.execute(select(c.id, c.name, c.teacher, c.join_code).order_by(c.name)).all()
        members = dict(con.execute(select(m.class_id, func.count()).group_by(m.class_id)).all())
        decks = dict(con.execute(select(d.class_id, func.count()).group_by(d.class_id)).all())
    out = []
    for r in rows:
        teacher = r.teacher == server.user
        out.append(
            {
                "id": r.id, "name": r.name, "teacher": r.teacher, "role": "teacher" if teacher else "student",
                "join_code": r.join_code if teacher else None,
                "students": members.get(r.id, 0) if teacher else None, "decks": decks.get(r.id, 0),
            }  # fmt: skip
        )
    return out
