"""`recall due | review | undo | stats | optimize`: the JSON contract and the error messages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from app.cli import main

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def run(db_path, sample_deck, capsys):
    def _run(*argv: str) -> tuple[int, object, str]:
        code = main(["--db", str(db_path), *argv])
        out, err = capsys.readouterr()
        doc = json.loads(out) if "--json" in argv and code == 0 else out
        return code, doc, err

    return _run


def iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def test_due_lists_new_cards_with_stable_keys(run):
    code, doc, _ = run("due", "--json", "--at", iso(T0))
    assert code == 0
    assert set(doc) == {"deck", "today", "counts", "next_due", "cards"}
    assert doc["counts"] == {"new": 5, "learning": 0, "review": 0, "total": 5}
    first = doc["cards"][0]
    assert set(first) == {"card_id", "deck_id", "deck", "front", "kind", "due"}
    assert first["kind"] == "new" and first["deck"] == "Sequence models"
    assert first["front"] == "What does the forget gate do?"
    code, doc, _ = run("due", "Sequence models", "--json", "--limit", "2", "--at", iso(T0))
    assert len(doc["cards"]) == 2 and doc["counts"]["total"] == 5


def test_review_prints_what_fsrs_computes_and_moves_the_queue(run):
    _, due, _ = run("due", "--json", "--at", iso(T0))
    card_id = due["cards"][0]["card_id"]
    bare = Scheduler(enable_fuzzing=False)
    fcard = FsrsCard(card_id=card_id, due=T0)
    at = T0
    for name in ("good", "good", "hard", "good", "again", "good", "easy"):
        code, doc, _ = run("review", str(card_id), name, "--at", iso(at), "--json")
        assert code == 0
        fcard, _ = bare.review_card(fcard, Rating[name.capitalize()], at)
        assert set(doc) >= {"card_id", "rating", "due", "state", "stability", "difficulty", "interval_days"}
        assert doc["card_id"] == card_id and doc["rating"] == Rating[name.capitalize()]
        assert datetime.fromisoformat(doc["due"]) == fcard.due
        assert doc["stability"] == pytest.approx(fcard.stability)
        assert doc["difficulty"] == pytest.approx(fcard.difficulty)
        assert doc["interval_days"] == pytest.approx((fcard.due - at).total_seconds() / 86400, abs=1e-5)
        at = fcard.due
    assert doc["state"] == "review"
    # the reviewed card is no longer new; 4 new cards remain in today's allowance of 20
    _, due, _ = run("due", "--json", "--at", iso(T0 + timedelta(minutes=1)))
    assert due["counts"]["new"] == 4
    code, text, _ = run("review", str(card_id), "good", "--at", iso(at))
    assert code == 0 and text.startswith("due ")


def test_undo_then_nothing_to_undo(run):
    _, due, _ = run("due", "--json", "--at", iso(T0))
    card_id = due["cards"][0]["card_id"]
    run("review", str(card_id), "again", "--at", iso(T0))
    code, doc, _ = run("undo", "--json")
    assert code == 0
    assert doc["card_id"] == card_id and doc["card_is_new"] is True and doc["rating"] == 1
    code, _, err = run("undo")
    assert code == 1 and err.strip() == "recall: there is no review to undo"


def test_stats_json(run):
    _, due, _ = run("due", "--json", "--at", iso(T0))
    run("review", str(due["cards"][0]["card_id"]), "good", "--at", iso(T0))
    code, doc, _ = run("stats", "Sequence models", "--json", "--at", iso(T0 + timedelta(hours=1)))
    assert code == 0
    assert set(doc) >= {
        "card_states",
        "due_today",
        "reviews",
        "heatmap",
        "streak",
        "true_retention",
        "forecast",
    }
    assert doc["card_states"]["total"] == 5 and doc["card_states"]["learning"] == 1
    assert doc["reviews"]["today"] == 1 and doc["streak"]["current"] == 1
    assert len(doc["forecast"]) == 30
    code, text, _ = run("stats")
    assert code == 0 and "true retention" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("review", "999", "good"), "no card with id 999"),
        (("due", "Nope"), "no deck named 'Nope'"),
        (("due", "--at", "yesterday"), "is not an ISO time"),
        (("optimize",), "optimizing needs at least 512"),
        (("optimize", "--restore"), "no earlier parameters"),
    ],
)
def test_user_errors_are_one_line(run, argv, message):
    code, _, err = run(*argv)
    assert code == (2 if "--at" in argv else 1)  # a malformed argument is bad usage (README: 2)
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
