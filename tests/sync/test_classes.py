"""Classes: join codes, shared decks, the teacher's report, and row-level security."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import create_engine, text

from app.sync.classes import create_class, join_class, list_classes, share_deck
from app.sync.exchange import run_sync
from app.sync.report import build_report, to_csv, to_html, to_json
from app.sync.server import SyncError, connect
from tests.sync.helpers import make_deck, study


@pytest.fixture
def classroom(server_db, local_copy):
    """A teacher with a shared deck and two students who joined and studied it."""
    urls = {who: server_db.add_user(who) for who in ("teacher", "sam", "sue")}
    servers = {who: connect(u) for who, u in urls.items()}
    copies = {who: local_copy(who) for who in urls}
    make_deck(copies["teacher"])
    run_sync(copies["teacher"], servers["teacher"])
    cls = create_class(servers["teacher"], "Biology 1")
    with copies["teacher"].session() as s:
        from app.store.repo import get_deck

        deck_uuid = get_deck(s, "Sequence models").uuid
    share_deck(servers["teacher"], "Biology 1", deck_uuid, "Sequence models")
    for who in ("sam", "sue"):
        assert join_class(servers[who], cls["join_code"].lower())["name"] == "Biology 1"
        assert run_sync(copies[who], servers[who]).pulled["cards"] == 5
    study(copies["sam"], "Sequence models", [(0, 3, "spaced"), (1, 1, "spaced"), (0, 3, "learn"), (2, 3, "test")])
    study(copies["sue"], "Sequence models", [(1, 1, "flashcards"), (1, 1, "flashcards"), (3, 4, "spaced")])
    for who in ("sam", "sue"):
        run_sync(copies[who], servers[who])
    yield {"urls": urls, "servers": servers, "copies": copies, "class": cls, "deck_uuid": deck_uuid, "db": server_db}
    for s in servers.values():
        s.close()


def test_report_students_by_decks(classroom):
    report = build_report(classroom["servers"]["teacher"], "Biology 1")
    rows = {r["student"].split("_")[0]: r for r in report.rows}
    assert set(rows) == {"sam", "sue"} and all(r["cards"] == 5 for r in rows.values())
    sam, sue = rows["sam"], rows["sue"]
    assert sam["reviews"] == 4 and sue["reviews"] == 3
    assert sam["accuracy"] == 75.0 and sam["accuracy_by_mode"] == {"learn": 100.0, "spaced": 50.0, "test": 100.0}
    assert sue["accuracy_by_mode"] == {"flashcards": 0.0, "spaced": 100.0}
    assert sam["last_studied"].startswith("2026-03-02T09:03")
    assert 0 < sue["mastery"] < sam["mastery"] < 100
    # the class's weakest card: the GRU/LSTM one both students missed
    weakest = report.weakest[0]
    assert weakest["front"] == "What problem do LSTMs address?" and weakest["accuracy"] == 0.0
    assert weakest["students"] == 2 and weakest["answers"] == 3
    parsed = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert len(parsed) == 2 and {p["accuracy_spaced"] for p in parsed} == {"50.0", "100.0"}
    doc = json.loads(to_json(report))
    assert doc["class"] == "Biology 1" and len(doc["rows"]) == 2 and doc["weakest_cards"]
    page = to_html(report)
    assert page.startswith("<!doctype html>") and "<svg" in page and "Weakest cards" in page


def test_report_command_writes_each_format(classroom, tmp_path, capsys):
    from app.cli import main

    url = classroom["urls"]["teacher"]
    for fmt in ("csv", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        assert main(["class", "report", "Biology 1", "--format", fmt, "--server", url, "-o", str(out)]) == 0
        assert out.stat().st_size > 100
    assert main(["class", "report", "Biology 1", "--format", "json", "--server", url]) == 0
    assert len(json.loads(capsys.readouterr().out)["rows"]) == 2


def test_a_student_reading_another_students_reviews_gets_nothing(classroom):
    sam_url, sue = classroom["urls"]["sam"], classroom["servers"]["sue"].user
    eng = create_engine(sam_url)
    with eng.connect() as con:
        owners = {r[0] for r in con.execute(text("SELECT DISTINCT owner FROM sync_reviews"))}
        assert owners == {classroom["servers"]["sam"].user}
        assert con.execute(text("SELECT count(*) FROM sync_reviews WHERE owner = :o"), {"o": sue}).scalar() == 0
        assert con.execute(text("SELECT count(*) FROM sync_card_states WHERE owner = :o"), {"o": sue}).scalar() == 0
        members = {r[0] for r in con.execute(text("SELECT student FROM class_members"))}
        assert members == {classroom["servers"]["sam"].user}  # not the classmate's name either
    with eng.begin() as con, pytest.raises(Exception, match="row-level security"):
        # writing a review as someone else is refused by the database itself
        con.execute(
            text(
                "INSERT INTO sync_reviews (uuid, owner, card_uuid, deck_uuid, mode, rating, reviewed_at,"
                " scheduled, device) VALUES (gen_random_uuid(), :o, gen_random_uuid(), gen_random_uuid(),"
                " 'spaced', 3, now(), true, 'x')"
            ),
            {"o": sue},
        )
    with eng.connect() as con, pytest.raises(Exception, match="permission denied"):
        con.execute(text("SELECT count(*) FROM review_log"))  # the owner's own store tables: no access
    eng.dispose()


def test_the_teacher_sees_only_their_class(classroom):
    outsider_url = classroom["db"].add_user("outsider")
    outsider = connect(outsider_url)
    with outsider.engine.connect() as con:
        assert con.execute(text("SELECT count(*) FROM sync_reviews")).scalar() == 0
        assert con.execute(text("SELECT count(*) FROM sync_cards")).scalar() == 0  # the deck is not shared with them
    assert list_classes(outsider) == []
    with pytest.raises(SyncError, match="no class named"):
        build_report(outsider, "Biology 1")
    teacher = classroom["servers"]["teacher"]
    with teacher.engine.connect() as con:
        assert con.execute(text("SELECT count(*) FROM sync_reviews")).scalar() == 7
    outsider.close()


def test_students_cannot_share_and_wrong_codes_are_refused(classroom):
    sam = classroom["servers"]["sam"]
    with pytest.raises(SyncError, match="no class has the join code"):
        join_class(sam, "NOPE1234")
    with pytest.raises(SyncError, match="only the teacher"):
        share_deck(sam, "Biology 1", classroom["deck_uuid"], "Sequence models")
    with sam.engine.begin() as con, pytest.raises(Exception, match="row-level security"):
        # and the database refuses it even when the app's check is bypassed
        con.execute(
            text("INSERT INTO class_decks (class_id, deck_uuid) VALUES (:c, gen_random_uuid())"),
            {"c": classroom["class"]["id"]},
        )
    rows = list_classes(sam)
    assert rows[0]["role"] == "student" and rows[0]["join_code"] is None and rows[0]["decks"] == 1
    teacher_rows = list_classes(classroom["servers"]["teacher"])
    assert teacher_rows[0]["students"] == 2 and teacher_rows[0]["join_code"] == classroom["class"]["join_code"]
