"""Learn: adaptive rounds to mastery. Multiple choice (1–4) for new cards, typed answers (Enter)
for cards already answered right. A typed answer's feedback marks the right answer's terms it
said and missed; a wrong one can be claimed with "I was right" (R), which is kept as a grader
override. Each round ends on a summary."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.store.db import Store
from app.study.answer_terms import TermMarks, mark_terms
from app.study.cards import load_study_cards
from app.study.learn import CHOICE, LearnSession
from app.study.overrides import keep_override
from app.study.recording import store_recorder
from app.study.session_summary import learn_progress_text, learn_summary
from app.ui.card_surface import PARTIAL, RIGHT, WRONG, CardSurface, FeedbackLine, StudyProgress, terms_html
from app.ui.common import StudyPage, deck_name, flat_button, set_state, top_bar
from app.ui.session_summary import SummaryPanel

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
SHORTCUTS = [
    ("1–4", "Choose an answer"),
    ("Enter", "Check the typed answer / continue / next round"),
    ("Space", "Continue after the feedback"),
    ("R", "I was right (a typed answer marked wrong)"),
    ("Ctrl+D", "I don't know (show the answer)"),
    ("Esc", "Back to the deck"),
]
HINT_CHOICE = "1–4 choose · Enter continue · Ctrl+D I don't know · Esc back"
HINT_TYPED = "Enter check / continue · Ctrl+D I don't know · R I was right · Esc back"


class LearnView(StudyPage):
    title = "Learn"

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(store, deck_id, parent)
        with store.session() as session:
            cards = load_study_cards(session, deck_id)
        self.session = LearnSession(cards, recorder=store_recorder(store))
        self.marks: TermMarks | None = None
        self.override_note = ""

        layout = QVBoxLayout(self)
        bar, _ = top_bar(self, f"Learn · {deck_name(store, deck_id)}")
        self.round_label = QLabel("")
        self.round_label.setObjectName("muted")
        bar.addWidget(self.round_label)
        layout.addLayout(bar)
        self.progress = StudyProgress()
        layout.addWidget(self.progress)
        self.round_progress = StudyProgress()
        layout.addWidget(self.round_progress)

        self.pages = QStackedWidget()
        q = QWidget()
        qv = QVBoxLayout(q)
        self.face = CardSurface(min_height=180)
        self.kind_label, self.prompt = self.face.side, self.face.text
        qv.addWidget(self.face, 1)
        self.choice_buttons: list[QPushButton] = []
        for i in range(4):
            b = flat_button("", lambda _=False, n=i: self.choose(n), name="choice")
            self.choice_buttons.append(b)
            qv.addWidget(b)
        row = QHBoxLayout()
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("Type the answer and press Enter")
        self.answer.setAccessibleName("Your answer")
        self.answer.installEventFilter(self)
        row.addWidget(self.answer, 1)
        self.submit_button = flat_button("Answer (Enter)", self.submit, name="primary")
        row.addWidget(self.submit_button)
        qv.addLayout(row)
        fb = QHBoxLayout()
        self.feedback = FeedbackLine()
        fb.addWidget(self.feedback, 1)
        self.dont_know_button = flat_button("I don't know (Ctrl+D)", self.dont_know)
        QShortcut(QKeySequence("Ctrl+D"), self, activated=self.dont_know)
        self.override_button = flat_button("I was right (R)", self.override)
        self.continue_button = flat_button("Continue (Enter)", self.advance, name="primary")
        for b in (self.dont_know_button, self.override_button, self.continue_button):
            fb.addWidget(b)
        qv.addLayout(fb)
        self.terms = QLabel("")  # the right answer with the typed answer's terms marked
        self.terms.setObjectName("prompt")
        self.terms.setWordWrap(True)
        self.terms.setTextFormat(Qt.TextFormat.RichText)
        qv.addWidget(self.terms)
        self.hint = QLabel("")  # the keys of the question on screen (render)
        self.hint.setObjectName("hint")
        qv.addWidget(self.hint)
        self.pages.addWidget(q)

        self.summary = SummaryPanel()
        self.next_round_button = self.summary.add_button(
            flat_button("Next round (Enter)", self.next_round, name="primary")
        )
        self.summary.finish_buttons()
        self.pages.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        self.render()

    @property
    def done_label(self) -> QLabel:
        return self.summary.headline

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

    def focusInEvent(self, event) -> None:
        # The window focuses the page it opens: hand that on to the answer field when it waits.
        q = self.session.current
        if q is not None and q.kind != CHOICE and self.session.feedback is None:
            self.answer.setFocus()
            return
        super().focusInEvent(event)

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
        text = self.answer.text()
        if not text.strip():
            return
        self.session.answer_text(text)
        self.marks = mark_terms(q.answer, text, q.prompt)
        self.render()

    def dont_know(self) -> None:
        if self.session.current is None or self.session.feedback is not None:
            return
        self.session.dont_know()
        self.render()

    def override(self) -> None:
        fb = self.session.feedback
        q = self.session.current
        if fb is None or q is None or not fb.can_override or fb.correct:
            return
        self.session.override()
        try:
            self.override_note = keep_override(self.store, reference=fb.expected, answer=fb.given, mode="learn",
                                               question=q.prompt, card_id=q.card.id)
        except Exception as exc:  # the answer itself counted; only the calibration pair was lost
            self.override_note = f"Counted as right (the pair was not kept: {exc})."
        self.render()

    def advance(self) -> None:
        if self.session.feedback is None:
            return
        self.session.advance()
        self.marks = None
        self.override_note = ""
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
        self.progress.show_progress(round(s.progress * 1000), 1000, learn_progress_text(s))
        done, of = s.round_progress
        self.round_progress.show_progress(done, of, f"Round {s.round}: {done} / {of}")
        self.round_label.setText(f"Round {s.round} · {s.answered} answers · {s.missed} misses")
        if s.current is None:
            self.pages.setCurrentIndex(1)
            self.summary.show_summary(learn_summary(s))
            self.next_round_button.setVisible(not s.finished)
            self.setFocus()
            return
        self.pages.setCurrentIndex(0)
        q = s.current
        fb = s.feedback
        choice = q.kind == CHOICE
        kind = "MULTIPLE CHOICE · press 1–4" if choice else "TYPE THE ANSWER"
        self.hint.setText(HINT_CHOICE if choice else HINT_TYPED)
        self.face.show_card(f"{kind} · this card: {s.level(q.card.id)}", q.prompt)
        for i, b in enumerate(self.choice_buttons):
            visible = choice and i < len(q.choices)
            b.setVisible(visible)
            if not visible:
                continue
            state = ""
            if fb is not None and i == q.correct_index:
                state = "right"
            elif fb is not None and q.choices[i] == fb.given:
                state = "wrong"
            mark = {"right": "✓ ", "wrong": "✗ "}.get(state, "")
            b.setText(f"{i + 1}   {mark}{q.choices[i]}")
            b.setEnabled(fb is None or i in (q.correct_index,) or q.choices[i] == fb.given)
            set_state(b, state)
        self.answer.setVisible(not choice)
        self.submit_button.setVisible(not choice and fb is None)
        self.dont_know_button.setVisible(fb is None)
        self.continue_button.setVisible(fb is not None)
        self.override_button.setVisible(fb is not None and fb.can_override and not fb.correct)
        show_terms = fb is not None and not choice and self.marks is not None and bool(fb.given)
        self.terms.setVisible(show_terms)
        if show_terms:
            self.terms.setText(terms_html(self.marks))
            self.terms.setAccessibleName(self.marks.describe())
        if fb is None:
            self.feedback.clear()
            self.face.set_state("")
            if not choice:
                self.answer.setReadOnly(False)
                self.answer.clear()
                self.answer.setFocus()
            else:
                self.setFocus()
            return
        if fb.correct:
            close = fb.check is not None and fb.check.verdict.value == "close"
            note = f" ({fb.check.reason}; the answer is: {fb.expected})" if close else ""
            if self.override_note:
                note = f" {self.override_note}"
            self.feedback.show_feedback(PARTIAL if close else RIGHT, f"Right!{note}")
            self.face.set_state(PARTIAL if close else RIGHT)
        else:
            said = f"You said: {fb.given}. " if fb.given else ""
            self.feedback.show_feedback(WRONG, f"Not quite. {said}The answer is: {fb.expected}")
            self.face.set_state(WRONG)
        self.answer.setReadOnly(True)
        self.setFocus()
