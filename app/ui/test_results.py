"""The Test results' parts: every mistake as rich text, and a row with "I was right" for each
written answer that was marked wrong, its right answer's terms marked."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.study.answer_terms import mark_terms
from app.study.test_gen import WRITTEN, ExamRun
from app.ui.card_surface import terms_html
from app.ui.common import flat_button
from app.ui.theme import COLOURS, scheme_of


def mistakes_html(run: ExamRun, notes: list[str]) -> str:
    mistakes = run.mistakes()
    parts = [f"<p><i>{html.escape(n)}</i></p>" for n in notes]
    if not mistakes:
        parts.append("<p><b>✓ No mistakes. Every answer was right.</b></p>")
    else:
        parts.append(f"<h3>{len(mistakes)} to review</h3>")
    colours = COLOURS[scheme_of()]
    bad, good = colours["bad"], colours["good"]
    for m in mistakes:
        parts.append(
            f"<p><b>{m.number}. {html.escape(m.prompt)}</b><br>"
            f"<span style='color:{bad}'>✗ Your answer: {html.escape(m.given)}</span><br>"
            f"<span style='color:{good}'>✓ Right answer: {html.escape(m.right)}</span></p>"
        )
    return "".join(parts)


def written_checks(run: ExamRun, on_accept: Callable[[int], None]) -> list[tuple[int, QWidget, QPushButton]]:
    """(question number, row, its "I was right" button) per written answer marked wrong."""
    out: list[tuple[int, QWidget, QPushButton]] = []
    for m in run.mistakes():
        q = run.questions[m.number - 1]
        if m.kind != WRITTEN or not q.answered:
            continue
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        label = QLabel(
            f"<b>{m.number}. {html.escape(m.prompt)}</b> — you wrote “{html.escape(m.given)}”<br>"
            + terms_html(mark_terms(m.right, m.given, m.prompt))
        )
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        h.addWidget(label, 1)
        b = flat_button("I was right", lambda _=False, n=m.number: on_accept(n))
        b.setAccessibleName(f"I was right on question {m.number}")
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab reaches each; R takes the first
        h.addWidget(b)
        out.append((m.number, row, b))
    return out
