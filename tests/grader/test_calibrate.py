"""`recall grader calibrate`: thresholds refitted from "I was right" overrides in a real SQLite DB, with a floor."""

import json

from app.grader.base import Thresholds
from app.grader.calibrate import FLOOR_DROP, MIN_OVERRIDES, apply_user_calibration, calibrate, record_override
from app.grader.evalset import load_eval
from app.grader.lexical import LexicalGrader
from app.store.db import Store


def _store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'recall.db'}")


def _dev():
    return [i for i in load_eval(with_asr=False) if i.split == "dev"][:120]


def test_few_overrides_change_nothing(tmp_path):
    store = _store(tmp_path)
    grader = LexicalGrader()
    with store.transaction() as s:
        for _ in range(MIN_OVERRIDES - 1):
            record_override(s, reference="Canberra", answer="can bear a", mode="call", score=0.2, verdict="wrong")
        result = calibrate(s, grader, dev=_dev())
    assert not result.changed and result.thresholds == grader.thresholds


def test_overrides_lower_the_thresholds_but_not_below_the_floor(tmp_path):
    store = _store(tmp_path)
    grader = LexicalGrader()
    shipped = grader.thresholds
    with store.transaction() as s:
        for k in range(40):  # many clicks on answers that share nothing with the reference
            record_override(s, reference="Canberra", answer=f"completely different words {k}", mode="learn",
                            score=0.05, verdict="wrong")
        result = calibrate(s, grader, dev=_dev())
    assert result.changed and result.overrides == 40
    th = result.thresholds
    assert th.correct >= round(shipped.correct - FLOOR_DROP, 2) - 1e-9
    assert th.partial >= round(shipped.partial - FLOOR_DROP, 2) - 1e-9
    assert th.correct <= shipped.correct and th.partial <= shipped.partial
    fresh = LexicalGrader(Thresholds(0.9, 0.8))
    with store.session() as s:
        assert apply_user_calibration(fresh, s)
    assert fresh.thresholds == th


def test_cli_reports_json(tmp_path, capsys):
    from app.cli import main

    db = tmp_path / "recall.db"
    assert main(["--db", str(db), "grader", "calibrate", "--grader", "lexical", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["overrides"] == 0 and doc["changed"] is False and {"correct", "partial", "shipped"} <= set(doc)
