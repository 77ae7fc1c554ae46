"""Learn: adaptive rounds to mastery. Multiple choice (1–4) for new cards, typed answers (Enter)
for cards already answered right; a wrong typed answer can be claimed with "I was right" (R)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.store.db import Store
from app.study.cards import load_study_cards
from app.study.learn import CHOICE, LearnSession
from app.study.mastery import MASTERED_STREAK
from app.study.recording import store_recorder
from app.ui.common import StudyPage, deck_name, flat_button, set_state, top_bar

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class LearnView(StudyPage):
    title = "Learn"

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(store, deck_id, parent)
        with store.session() as session:
            cards = load_study_cards(session, deck_id)
        self.session = LearnSession(cards, recorder=store_recorder(store))

        layout = QVBoxLayout(self)
        bar, _ = top_bar(self, f"Learn · {deck_name(store, deck_id)}")
        self.round_label = QLabel("")
        self.round_label.setObjectName("muted")
        bar.addWidget(self.round_label)
        layout.addLayout(bar)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        layout.addWidget(self.progress)
        self.round_progress = QProgressBar()
        self.round_progress.setRange(0, 1)
        layout.addWidget(self.round_progress)

        self.pages = QStackedWidget()
        q = QWidget()
        qv = QVBoxLayout(q)
        face = QFrame()
        face.setObjectName("cardFace")
        fv = QVBoxLayout(face)
        self.kind_label = QLabel("")
        self.kind_label.setObjectName("cardSide")
        fv.addWidget(self.kind_label)
        self.prompt = QLabel("")
        self.prompt.setObjectName("cardText")
        self.prompt.setWordWrap(True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt.setMinimumHeight(140)
        fv.addWidget(self.prompt, 1)
        qv.addWidget(face, 1)
        self.choice_buttons: list[QPushButton] = []
        for i in range(4):
            b = flat_button("", lambda _=False, n=i: self.choose(n), name="choice")
            self.choice_buttons.append(b)
            qv.addWidget(b)
        row = QHBoxLayout()
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("Type the answer and press Enter")
        self.answer.installEventFilter(self)
        row.addWidget(self.answer, 1)
        self.submit_button = flat_button("Answer (Enter)", self.submit, name="primary")
        row.addWidget(self.submit_button)
        qv.addLayout(row)
        fb = QHBoxLayout()
        self.feedback = QLabel("")
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        fb.addWidget(self.feedback, 1)
        self.dont_know_button = flat_button("I don't know", self.dont_know)
        self.override_button = flat_button("I was right (R)", self.override)
        self.continue_button = flat_button("Continue (Enter)", self.advance, name="primary")
        for b in (self.dont_know_button, self.override_button, self.continue_button):
            fb.addWidget(b)
        qv.addLayout(fb)
        hint = QLabel("1–4 choose · Enter answer / continue · R I was right · Esc back")
        hint.setObjectName("hint")
        qv.addWidget(hint)
        self.pages.addWidget(q)

        done = QWidget()
        dv = QVBoxLayout(done)
        dv.addStretch(1)
        self.done_label = QLabel("")
        self.done_label.setObjectName("pageTitle")
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dv.addWidget(self.done_label)
        self.next_round_button = flat_button("Next round (Enter)", self.next_round, name="primary")
        dv.addWidget(self.next_round_button, 0, Qt.AlignmentFlag.AlignCenter)
        dv.addStretch(2)
        self.pages.addWidget(done)
        layout.addWidget(self.pages, 1)
        self.render()

    # input -----------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.answer and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in ENTER_KEYS:
                if self.session.feedback is None:
                    self.submit()
                else:
                    self.advance()
                return True
        return super().eventFilter(obj, event)

    def choose(self, index: int) -> None:
        q = self.session.current
        if q is None or q.kind != CHOICE or self.session.feedback is not None or index >= len(q.choices):
            return
        self.session.answer_choice(index)
        self.render()

    def submit(self) -> None:
        q = self.session.current
        if q is None or q.kind == CHOICE or self.session.feedback is not None:
            return
        if not self.answer.text().strip():
            return
        self.session.answer_text(self.answer.text())
        self.render()

    def dont_know(self) -> None:
        if self.session.current is None or self.session.feedback is not None:
            return
        self.session.dont_know()
        self.render()

    def override(self) -> None:
        fb = self.session.feedback
        if fb is None or not fb.can_override or fb.correct:
            return
        self.session.override()
        self.render()

    def advance(self) -> None:
        if self.session.feedback is None:
            return
        self.session.advance()
        self.render()

    def next_round(self) -> None:
        if self.session.current is None and not self.session.finished:
            self.session.start_round()
            self.render()

    def finish(self) -> None:
        self.session.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        s = self.session
        if key in ENTER_KEYS or key == Qt.Key.Key_Space:
            if s.current is None:
                self.next_round()
            elif s.feedback is not None:
                self.advance()
            elif key in ENTER_KEYS:
                self.submit()
            return
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_4 and s.current is not None and s.current.kind == CHOICE:
            self.choose(key - Qt.Key.Key_1)
            return
        if key == Qt.Key.Key_R and s.feedback is not None:
            self.override()
            return
        super().keyPressEvent(event)

    # drawing ---------------------------------------------------------------------------------
    def render(self) -> None:
        s = self.session
        self.progress.setValue(round(s.progress * 1000))
        self.progress.setFormat(
            f"{s.mastered_count} / {s.total} mastered · {s.progress * 100:.0f} % of the way"
        )
        done, of = s.round_progress
        self.round_progress.setRange(0, max(1, of))
        self.round_progress.setValue(done)
        self.round_progress.setFormat(f"Round {s.round}: {done} / {of}")
        self.round_label.setText(f"Round {s.round} · {s.answered} answers · {s.missed} misses")
        if s.current is None:
            self.pages.setCurrentIndex(1)
            if s.finished:
                self.done_label.setText(
                    f"All {s.total} cards mastered. Well done!" if s.total else "This deck has no cards."
                )
                self.next_round_button.hide()
            else:
                self.done_label.setText(
                    f"Round {s.round} done. {s.mastered_count} of {s.total} cards mastered "
                    f"({MASTERED_STREAK} right answers in a row)."
                )
                self.next_round_button.show()
            self.setFocus()
            return
        self.pages.setCurrentIndex(0)
        q = s.current
        fb = s.feedback
        self.prompt.setText(q.prompt)
        choice = q.kind == CHOICE
        kind = "MULTIPLE CHOICE · press 1–4" if choice else "TYPE THE ANSWER"
        self.kind_label.setText(f"{kind} · this card: {s.level(q.card.id)}")
        for i, b in enumerate(self.choice_buttons):
            visible = choice and i < len(q.choices)
            b.setVisible(visible)
            if not visible:
                continue
            b.setText(f"{i + 1}   {q.choices[i]}")
            b.setEnabled(fb is None or i in (q.correct_index,) or q.choices[i] == fb.given)
            state = ""
            if fb is not None and i == q.correct_index:
                state = "right"
            elif fb is not None and q.choices[i] == fb.given:
                state = "wrong"
            set_state(b, state)
        self.answer.setVisible(not choice)
        self.submit_button.setVisible(not choice and fb is None)
        self.dont_know_button.setVisible(fb is None)
        self.continue_button.setVisible(fb is not None)
        self.override_button.setVisible(fb is not None and fb.can_override and not fb.correct)
        if fb is None:
            self.feedback.setText("")
            if not choice:
                self.answer.setReadOnly(False)
                self.answer.clear()
                self.answer.setFocus()
            else:
                self.setFocus()
            return
        if fb.correct:
            note = ""
            if fb.check is not None and fb.check.verdict.value == "close":
                note = f" ({fb.check.reason}; the answer is: {fb.expected})"
            self.feedback.setObjectName("feedbackRight")
            self.feedback.setText(f"Right!{note}")
        else:
            said = f"You said: {fb.given}. " if fb.given else ""
            self.feedback.setObjectName("feedbackWrong")
            self.feedback.setText(f"Not quite. {said}The answer is: {fb.expected}")
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        self.answer.setReadOnly(True)
        self.setFocus()
