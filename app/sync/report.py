"""A class's progress report: students x shared decks, and the class's weakest cards.

Read on the server as the teacher; row-level security lets a teacher read exactly their
students' states and reviews on the decks shared with that class. Mastery uses the same
levels and weights as the app (app.study.mastery); "due" counts the cards whose scheduled
review time has passed; accuracy is correct answers over answers, per mode and overall.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import case, func, select

from app.study.mastery import FAMILIAR_STREAK, MASTERED_STREAK, mastery_percent
from app.sync import tables as t
from app.sync.classes import find_class
from app.sync.server import Server

WEAKEST = 10
MODES = ("flashcards", "spaced", "learn", "test", "match", "call")


@dataclass
class ClassReport:
    name: str
    generated_at: datetime
    students: list[str]
    decks: list[dict]  # uuid, name, cards
    rows: list[dict] = field(default_factory=list)
    weakest: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "class": self.name,
            "generated_at": self.generated_at.isoformat(),
            "students": self.students,
            "decks": self.decks,
            "rows": self.rows,
            "weakest_cards": self.weakest,
        }


def _right():
    """An answer counts as right when marked so, else when rated above Again."""
    r = t.reviews.c
    return case((r.correct.is_(None), case((r.rating > 1, 1), else_=0)), (r.correct.is_(True), 1), else_=0)


def build_report(server: Server, class_name: str, now: datetime | None = None) -> ClassReport:
    now = now or datetime.now(timezone.utc)
    naive_now = now.astimezone(timezone.utc).replace(tzinfo=None)
    c, d, cd, m = t.cards.c, t.decks.c, t.class_decks.c, t.class_members.c
    s, r = t.states.c, t.reviews.c
    with server.engine.connect() as con, con.begin():  # one snapshot for every figure
        con.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cid = find_class(con, server, class_name)
        students = list(con.scalars(select(m.student).where(m.class_id == cid).order_by(m.student)))
        deck_rows = con.execute(
            select(d.uuid, d.name, func.count(c.uuid))
            .join(t.class_decks, cd.deck_uuid == d.uuid)
            .outerjoin(t.cards, c.deck_uuid == d.uuid)
            .where(cd.class_id == cid)
            .group_by(d.uuid, d.name)
            .order_by(d.name)
        ).all()
        decks = [{"uuid": u, "name": n, "cards": k} for u, n, k in deck_rows]
        uuids = [x["uuid"] for x in decks]
        level = case((s.correct_streak >= MASTERED_STREAK, "mastered"),
                     (s.correct_streak >= FAMILIAR_STREAK, "familiar"), else_="learning")  # fmt: skip
        levels: dict[tuple, dict[str, int]] = {}
        due: dict[tuple, int] = {}
        for owner, deck, lvl, n, n_due in con.execute(
            select(s.owner, s.deck_uuid, level, func.count(), func.sum(case((s.due <= naive_now, 1), else_=0)))
            .where(s.deck_uuid.in_(uuids), s.owner.in_(students), s.reps > 0)
            .group_by(s.owner, s.deck_uuid, level)
        ):
            levels.setdefault((owner, deck), {})[lvl] = n
            due[(owner, deck)] = due.get((owner, deck), 0) + int(n_due or 0)
        per_mode: dict[tuple, dict[str, tuple[int, int]]] = {}
        last: dict[tuple, datetime] = {}
        for owner, deck, mode, n, ok, at in con.execute(
            select(r.owner, r.deck_uuid, r.mode, func.count(), func.sum(_right()), func.max(r.reviewed_at))
            .where(r.deck_uuid.in_(uuids), r.owner.in_(students))
            .group_by(r.owner, r.deck_uuid, r.mode)
        ):
            per_mode.setdefault((owner, deck), {})[mode] = (int(n), int(ok or 0))
            last[(owner, deck)] = max(at, last.get((owner, deck), at))
        weak = con.execute(
            select(c.uuid, c.front, c.back, d.name, func.count(), func.sum(_right()), func.count(r.owner.distinct()))
            .join(t.reviews, r.card_uuid == c.uuid)
            .join(t.decks, d.uuid == c.deck_uuid)
            .where(c.deck_uuid.in_(uuids), r.owner.in_(students))
            .group_by(c.uuid, c.front, c.back, d.name)
        ).all()
    report = ClassReport(class_name, now, students, decks)
    for student in students:
        for deck in decks:
            key = (student, deck["uuid"])
            modes = per_mode.get(key, {})
            answers = sum(n for n, _ in modes.values())
            right = sum(ok for _, ok in modes.values())
            lv = dict(levels.get(key, {}))
            lv["new"] = deck["cards"] - sum(lv.values())
            report.rows.append(
                {
                    "student": student, "deck": deck["name"], "deck_uuid": deck["uuid"], "cards": deck["cards"],
                    "mastery": round(mastery_percent(lv, deck["cards"]), 1), "due": due.get(key, 0),
                    "last_studied": last[key].replace(tzinfo=timezone.utc).isoformat() if key in last else None,
                    "reviews": answers, "accuracy": round(100 * right / answers, 1) if answers else None,
                    "accuracy_by_mode": {k: round(100 * ok / n, 1) for k, (n, ok) in sorted(modes.items())},
                }  # fmt: skip
            )
    weak_rows = [
        {"card_uuid": u, "front": f, "back": b, "deck": dn, "answers": int(n), "students": int(k),
         "accuracy": round(100 * int(ok or 0) / n, 1)}  # fmt: skip
        for u, f, b, dn, n, ok, k in weak
        if n
    ]
    weak_rows.sort(key=lambda w: (w["accuracy"], -w["answers"], w["front"]))
    report.weakest = weak_rows[:WEAKEST]
    return report


CSV_FIELDS = ["student", "deck", "cards", "mastery", "due", "last_studied", "reviews", "accuracy"]


def to_csv(report: ClassReport) -> str:
    buf = io.StringIO()
    fields = CSV_FIELDS + [f"accuracy_{m}" for m in MODES]
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for row in report.rows:
        flat = {k: row[k] for k in CSV_FIELDS}
        flat.update({f"accuracy_{m}": row["accuracy_by_mode"].get(m, "") for m in MODES})
        w.writerow({k: "" if v is None else v for k, v in flat.items()})
    return buf.getvalue()


def to_json(report: ClassReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"


def to_html(report: ClassReport) -> str:
    """A standalone page: the students x decks table, a mastery bar chart and the weakest cards."""
    e = html.escape
    head = "".join(f"<th>{e(x)}</th>" for x in ["Student", "Deck", "Mastery %", "Due", "Last studied",
                                                  "Answers", "Accuracy %", "By mode"])  # fmt: skip
    body = []
    for row in report.rows:
        modes = ", ".join(f"{k} {v}%" for k, v in row["accuracy_by_mode"].items())
        cells = [row["student"], row["deck"], row["mastery"], row["due"], row["last_studied"] or "never",
                 row["reviews"], "" if row["accuracy"] is None else row["accuracy"], modes]  # fmt: skip
        body.append("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in cells) + "</tr>")
    bars = []
    for i, row in enumerate(report.rows):
        y = 22 * i
        bars.append(
            f'<text x="0" y="{y + 15}">{e(row["student"])} · {e(row["deck"])}</text>'
            f'<rect x="260" y="{y + 3}" width="{3 * row["mastery"]:.1f}" height="16" fill="#4a7bd0"/>'
            f'<text x="{265 + 3 * row["mastery"]:.1f}" y="{y + 15}">{row["mastery"]}%</text>'
        )
    chart = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{22 * len(report.rows) + 6}" '
        f'font-size="12" role="img" aria-label="Mastery by student and deck">{"".join(bars)}</svg>'
    )
    weak = "".join(
        f"<tr><td>{e(w['deck'])}</td><td>{e(w['front'])}</td><td>{w['accuracy']}</td><td>{w['answers']}</td></tr>"
        for w in report.weakest
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{e(report.name)}: class report</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}</style></head><body>"
        f"<h1>{e(report.name)}</h1><p>{len(report.students)} students, {len(report.decks)} decks; "
        f"generated {e(report.generated_at.isoformat(timespec='minutes'))}</p>"
        f"<h2>Progress</h2><table><tr>{head}</tr>{''.join(body)}</table>"
        f"<h2>Mastery</h2>{chart}"
        "<h2>Weakest cards</h2><table><tr><th>Deck</th><th>Card</th><th>Accuracy %</th><th>Answers</th></tr>"
        f"{weak}</table></body></html>\n"
    )


FORMATS = {"csv": to_csv, "json": to_json, "html": to_html}
