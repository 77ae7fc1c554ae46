"""Test: pick the number of questions and their kinds; answer one question at a time
(1–4 / T F / typing + Enter / matching lists + Ctrl+Enter); then the score and every mistake."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from app.store.db import Store
from app.store.models import Card
from app.study.cards import load_study_cards
from app.study.recording import store_recorder
from app.study.test_gen import (
    KIND_LABELS,
    KINDS,
    MATCHING,
    MULTIPLE_CHOICE,
    TRUE_FALSE,
    WRITTEN,
    ExamRun,
    GeneratedTest,
    generate_test,
)
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.theme import COLOURS
from app.ui.workers import run_in_background

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def build_test(store: Store, deck_id: int, count: int, kinds: tuple[str, ...]) -> GeneratedTest:
    """Load the deck and generate the test (runs off the UI thread)."""
    with store.session() as session:
        cards = load_study_cards(session, deck_id)
    return generate_test(cards, count, kinds)


class TestView(StudyPage):
    __test__ = False  # not a pytest class, despite the name
    title = "Test"
    ready = Signal()  # a generated test is on screen (tests wait on it)

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(store, deck_id, parent)
        self.run: ExamRun | None = None
        self.number = 0
        self._record = store_recorder(store)
        with store.session() as session:
            self.deck_size = session.scalar(select(func.count()).where(Card.deck_id == deck_id)) or 0

        layout = QVBoxLayout(self)
        bar, _ = top_bar(self, f"Test · {deck_name(store, deck_id)}")
        self.counter = QLabel("")
        self.counter.setObjectName("muted")
        bar.addWidget(self.counter)
        layout.addLayout(bar)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self._build_setup()
        self._build_question()
        self._build_results()
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit_matching)
        self.pages.setCurrentIndex(0)

    # setup -------------------------------------------------------------------------------------
    def _build_setup(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        form = QFormLayout()
        self.count = QSpinBox()
        self.count.setMaximumWidth(120)
        self.count.setRange(1, max(1, min(500, self.deck_size)))
        self.count.setValue(min(20, max(1, self.deck_size)))
        form.addRow("Questions", self.count)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for kind in KINDS:
            box = QCheckBox(KIND_LABELS[kind])
            box.setChecked(True)
            box.toggled.connect(self._kinds_changed)
            self.kind_boxes[kind] = box
            form.addRow("" if kind != KINDS[0] else "Kinds", box)
        v.addLayout(form)
        self.setup_note = QLabel(f"The deck has {self.deck_size} cards.")
        self.setup_note.setObjectName("muted")
        v.addWidget(self.setup_note)
        self.start_button = QPushButton("Start the test (Enter)")
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start)
        self.start_button.setEnabled(self.deck_size > 0)
        v.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        v.addStretch(1)
        self.pages.addWidget(page)

    def _kinds_changed(self) -> None:
        self.start_button.setEnabled(self.deck_size > 0 and bool(self.chosen_kinds()))

    def chosen_kinds(self) -> tuple[str, ...]:
        return tuple(k for k, b in self.kind_boxes.items() if b.isChecked())

    def start(self) -> None:
        kinds = self.chosen_kinds()
        if not kinds or self.deck_size == 0:
            return
        self.start_button.setEnabled(False)
        self.setup_note.setText("Preparing the test…")
        run_in_background(
            build_test,
            self.store,
            self.deck_id,
            self.count.value(),
            kinds,
            owner=self,
            on_done=self._generated,
            on_error=lambda e: self.setup_note.setText(f"The test could not be made: {e}"),
        )

    def _generated(self, test: GeneratedTest) -> None:
        if self._closing:
            return
        self.start_button.setEnabled(True)
        self.setup_note.setText(f"The deck has {self.deck_size} cards.")
        self.run = ExamRun(test, recorder=self._record)
        self.number = 0
        self.notes = test.notes
        self.show_question()
        self.ready.emit()

    # questions ---------------------------------------------------------------------------------
    def _build_question(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.progress = QProgressBar()
        v.addWidget(self.progress)
        self.kind_label = QLabel("")
        self.kind_label.setObjectName("cardSide")
        v.addWidget(self.kind_label)
        self.prompt = QLabel("")
        self.prompt.setObjectName("cardText")
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        v.addWidget(self.prompt)
        self.statement = QLabel("")
        self.statement.setObjectName("prompt")
        self.statement.setWordWrap(True)
        self.statement.setTextFormat(Qt.TextFormat.PlainText)
        v.addWidget(self.statement)
        self.choice_buttons = [
            flat_button("", lambda _=False, n=i: self.answer_choice(n), name="choice") for i in range(4)
        ]
        for b in self.choice_buttons:
            v.addWidget(b)
        tf = QHBoxLayout()
        self.true_button = flat_button("True (T)", lambda: self.answer_tf(True), name="choice")
        self.false_button = flat_button("False (F)", lambda: self.answer_tf(False), name="choice")
        tf.addWidget(self.true_button)
        tf.addWidget(self.false_button)
        v.addLayout(tf)
        self.written = QLineEdit()
        self.written.setPlaceholderText("Type the answer and press Enter")
        self.written.installEventFilter(self)
        v.addWidget(self.written)
        self.match_area = QWidget()
        self.match_grid = QGridLayout(self.match_area)
        self.match_boxes: list[QComboBox] = []
        v.addWidget(self.match_area)
        self.match_submit = flat_button("Submit (Ctrl+Enter)", self.submit_matching, name="primary")
        v.addWidget(self.match_submit, 0, Qt.AlignmentFlag.AlignLeft)
        v.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.finish_button = flat_button("Finish now", self.show_results)
        row.addWidget(self.finish_button)
        v.addLayout(row)
        self.pages.addWidget(page)

    @property
    def question(self):
        return self.run.questions[self.number] if self.run and self.number < len(self.run.questions) else None

    def show_question(self) -> None:
        q = self.question
        if q is None:
            self.show_results()
            return
        self.pages.setCurrentIndex(1)
        total = len(self.run.questions)
        self.progress.setRange(0, total)
        self.progress.setValue(self.number)
        self.progress.setFormat(f"{self.number} / {total} answered")
        self.counter.setText(f"Question {self.number + 1} of {total}")
        hints = {
            MULTIPLE_CHOICE: "MULTIPLE CHOICE · press 1–4",
            TRUE_FALSE: "TRUE OR FALSE · press T or F",
            WRITTEN: "WRITTEN · type the answer, Enter",
            MATCHING: "MATCHING · pick the answer for each, Ctrl+Enter",
        }
        self.kind_label.setText(hints[q.kind])
        self.prompt.setText(q.prompts[0] if q.kind != MATCHING else "Match each term with its answer.")
        self.statement.setVisible(q.kind == TRUE_FALSE)
        self.statement.setText(f"Answer: {q.statement}")
        for i, b in enumerate(self.choice_buttons):
            shown = q.kind == MULTIPLE_CHOICE and i < len(q.choices)
            b.setVisible(shown)
            if shown:
                b.setText(f"{i + 1}   {q.choices[i]}")
        self.true_button.setVisible(q.kind == TRUE_FALSE)
        self.false_button.setVisible(q.kind == TRUE_FALSE)
        self.written.setVisible(q.kind == WRITTEN)
        self.match_area.setVisible(q.kind == MATCHING)
        self.match_submit.setVisible(q.kind == MATCHING)
        if q.kind == MATCHING:
            self._fill_matching(q)
        if q.kind == WRITTEN:
            self.written.clear()
            self.written.setFocus()
        elif q.kind == MATCHING and self.match_boxes:
            self.match_boxes[0].setFocus()
        else:
            self.setFocus()

    def _fill_matching(self, q) -> None:
        while self.match_grid.count():
            w = self.match_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.match_boxes = []
        for row, prompt in enumerate(q.prompts):
            label = QLabel(f"{row + 1}. {prompt}")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            box = QComboBox()
            box.addItem("— choose —", -1)
            for i, text in enumerate(q.choices):
                box.addItem(f"{chr(65 + i)}. {text}", i)
            self.match_grid.addWidget(label, row, 0)
            self.match_grid.addWidget(box, row, 1)
            self.match_boxes.append(box)
        self.match_grid.setColumnStretch(0, 1)
        self.match_grid.setColumnStretch(1, 1)

    def _answered(self, response) -> None:
        if self.run is None or self.question is None:
            return
        self.run.answer(self.number, response)
        self.number += 1
        self.show_question()

    def answer_choice(self, index: int) -> None:
        q = self.question
        if q is not None and q.kind == MULTIPLE_CHOICE and 0 <= index < len(q.choices):
            self._answered(index)

    def answer_tf(self, value: bool) -> None:
        q = self.question
        if q is not None and q.kind == TRUE_FALSE:
            self._answered(value)

    def answer_written(self) -> None:
        q = self.question
        if q is not None and q.kind == WRITTEN and self.written.text().strip():
            self._answered(self.written.text())

    def submit_matching(self) -> None:
        q = self.question
        if q is not None and q.kind == MATCHING:
            self._answered([int(b.currentData()) for b in self.match_boxes])

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        is_key = obj is self.written and event.type() == QEvent.Type.KeyPress
        if is_key and event.key() in ENTER_KEYS:  # type: ignore[attr-defined]
            self.answer_written()
            return True
        return super().eventFilter(obj, event)

    # results -----------------------------------------------------------------------------------
    def _build_results(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.score_label = QLabel("")
        self.score_label.setObjectName("pageTitle")
        v.addWidget(self.score_label)
        self.review = QTextBrowser()
        v.addWidget(self.review, 1)
        row = QHBoxLayout()
        self.again_button = flat_button("New test (Enter)", self.new_test, name="primary")
        row.addWidget(self.again_button)
        row.addStretch(1)
        v.addLayout(row)
        self.pages.addWidget(page)

    def show_results(self) -> None:
        if self.run is None:
            return
        self.pages.setCurrentIndex(2)
        got, total = self.run.score()
        self.score_label.setText(f"Score: {got} / {total} · {self.run.percent():.0f} %")
        self.counter.setText("Results")
        mistakes = self.run.mistakes()
        parts = [f"<p><i>{html.escape(n)}</i></p>" for n in getattr(self, "notes", [])]
        if not mistakes:
            parts.append("<p><b>No mistakes. Every answer was right.</b></p>")
        else:
            parts.append(f"<h3>{len(mistakes)} to review</h3>")
        colours = COLOURS["dark" if self.palette().window().color().lightness() < 128 else "light"]
        bad, good = colours["bad"], colours["good"]
        for m in mistakes:
            parts.append(
                f"<p><b>{m.number}. {html.escape(m.prompt)}</b><br>"
                f"<span style='color:{bad}'>Your answer: {html.escape(m.given)}</span><br>"
                f"<span style='color:{good}'>Right answer: {html.escape(m.right)}</span></p>"
            )
        self.review.setHtml("".join(parts))
        self.setFocus()

    def new_test(self) -> None:
        self.run = None
        self.pages.setCurrentIndex(0)
        self.counter.setText("")
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        page = self.pages.currentIndex()
        if page == 0 and key in ENTER_KEYS:
            self.start()
            return
        if page == 2 and key in ENTER_KEYS:
            self.new_test()
            return
        q = self.question if page == 1 else None
        if q is not None:
            if q.kind == MULTIPLE_CHOICE and Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
                self.answer_choice(key - Qt.Key.Key_1)
                return
            if q.kind == TRUE_FALSE and key in (Qt.Key.Key_T, Qt.Key.Key_1):
                self.answer_tf(True)
                return
            if q.kind == TRUE_FALSE and key in (Qt.Key.Key_F, Qt.Key.Key_2):
                self.answer_tf(False)
                return
            if q.kind == MATCHING and key in ENTER_KEYS:
                self.submit_matching()
                return
        super().keyPressEvent(event)
