"""Per-user verdict thresholds from the user's own "I was right" overrides.

The study modes call `record_override()` when the user says or presses "I was right";
`recall grader calibrate` calls `calibrate()`, which re-scores every kept pair with the current
grader and refits the two cut-offs on the evaluation set's dev cards plus those pairs (each
counted OVERRIDE_WEIGHT times, labelled correct). A floor keeps a few clicks from making
everything correct: the cut-offs move at most FLOOR_DROP below the shipped ones, and nothing
changes before MIN_OVERRIDES overrides. The result is stored in the settings table
(`grader.thresholds`); `user_thresholds()` reads it back and `apply_user_calibration()` puts
it on a loaded grader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.grader.base import Thresholds
from app.grader.thresholds import fit_thresholds
from app.store.models import GraderOverride, Setting, utcnow

SETTING_KEY = "grader.thresholds"
MIN_OVERRIDES = 5
OVERRIDE_WEIGHT = 3
FLOOR_DROP = 0.1


@dataclass(frozen=True)
class Calibration:
    thresholds: Thresholds
    shipped: Thresholds
    overrides: int
    changed: bool  # the stored thresholds differ from what was stored before
    note: str

    def as_json(self) -> dict:
        return {"correct": self.thresholds.correct, "partial": self.thresholds.partial,
                "shipped": {"correct": self.shipped.correct, "partial": self.shipped.partial},
                "overrides": self.overrides, "changed": self.changed, "note": self.note}


def record_override(session: Session, *, reference: str, answer: str, mode: str, question: str | None = None,
                    score: float | None = None, verdict: str | None = None, grader: str | None = None,
                    card_id: int | None = None) -> int:
    """Keep one "I was right" pair; returns its id. Call inside the action's transaction."""
    row = GraderOverride(card_id=card_id, mode=mode, question=question, reference=reference, answer=answer,
                         score=score, verdict=verdict, grader=grader)
    session.add(row)
    session.flush()
    return row.id


def override_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(GraderOverride)) or 0


def user_thresholds(session: Session) -> Thresholds | None:
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        return None
    try:
        doc = json.loads(row.value)
        return Thresholds(float(doc["correct"]), float(doc["partial"]))
    except (ValueError, KeyError, TypeError):
        return None  # a damaged value: the shipped thresholds stand


def apply_user_calibration(grader, session: Session) -> bool:
    """Put the user's thresholds (if any) on `grader`; True when they were applied."""
    th = user_thresholds(session)
    if th is None:
        return False
    grader.thresholds = th
    return True


def calibrate(session: Session, grader, shipped: Thresholds | None = None, dev: list | None = None
              ) -> Calibration:
    """Refit `grader`'s thresholds from the stored overrides and store them (in `session`)."""
    from app.grader.evalset import load_eval

    shipped = shipped or grader.thresholds
    rows = list(session.scalars(select(GraderOverride).order_by(GraderOverride.id)))
    before = user_thresholds(session)
    floor = Thresholds(round(shipped.correct - FLOOR_DROP, 2), round(shipped.partial - FLOOR_DROP, 2))
    if len(rows) < MIN_OVERRIDES:
        th = before or shipped
        return Calibration(th, shipped, len(rows), False,
                           f"{len(rows)} override(s); calibration starts at {MIN_OVERRIDES}")
    dev = dev if dev is not None else [i for i in load_eval() if i.split == "dev"]
    refs = [i.reference for i in dev] + [r.reference for r in rows] * OVERRIDE_WEIGHT
    answers = [i.answer for i in dev] + [r.answer for r in rows] * OVERRIDE_WEIGHT
    questions = [i.question for i in dev] + [r.question for r in rows] * OVERRIDE_WEIGHT
    labels = [i.label for i in dev] + ["correct"] * (len(rows) * OVERRIDE_WEIGHT)
    scores = _scores(grader, refs, answers, questions)
    th, _ = fit_thresholds(scores, labels, floor=floor)
    # Overrides only ever say "this was correct": never make the grader stricter than shipped.
    th = Thresholds(min(th.correct, shipped.correct), min(th.partial, shipped.partial))
    changed = before != th
    value = json.dumps({"correct": th.correct, "partial": th.partial, "overrides": len(rows),
                        "at": utcnow().isoformat(timespec="seconds")})
    setting = session.get(Setting, SETTING_KEY)
    if setting is None:
        session.add(Setting(key=SETTING_KEY, value=value))
    else:
        setting.value = value
    note = (f"correct >= {th.correct:.2f}, partial >= {th.partial:.2f} from {len(rows)} overrides "
            f"(shipped {shipped.correct:.2f} / {shipped.partial:.2f}, floor {floor.correct:.2f} / {floor.partial:.2f})")
    return Calibration(th, shipped, len(rows), changed, note)


def _scores(grader, refs: list[str], answers: list[str], questions: list[str | None]) -> list[float]:
    if hasattr(grader, "scores"):
        try:
            return grader.scores(refs, answers, questions=questions)
        except TypeError:  # a grader without question-aware batch scoring
            pass
    return [grader.score(r, a, q) for r, a, q in zip(refs, answers, questions, strict=True)]
