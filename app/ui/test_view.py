"""Test: pick the number of questions and their kinds; answer one question at a time
(1–4 / T F / typing + Enter / matching lists + Ctrl+Enter); then a summary, every mistake, and
"I was right" on written answers marked wrong (kept as grader overrides)."""

from __future__ import annotations

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
from app.study.overrides import keep_override
from app.study.recording import store_recorder
from app.study.session_summary import exam_summary
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
from app.ui.card_surface import CardSurface, StudyProgress
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.session_summary import SummaryPanel
from app.ui.test_results import mistakes_html, written_checks
from app.ui.workers import run_in_background

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
SHORTCUTS = [
    ("Enter", "Start the test / answer a written question / new test"),
    ("1–4", "Choose an answer"),
    ("T / F", "True or false"),
    ("Ctrl+Enter", "Submit a matching question"),
    ("Ctrl+Shift+F", "Finish the test now and see the results"),
    ("R", "Results: I was right (the first written answer marked wrong)"),
    ("Esc", "Back to the deck"),
]


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
        QShortcut(QKeySequence("Ctrl+Shift+F"), self, activated=self._finish_now)
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
        self.progress = StudyProgress()
        v.addWidget(self.progress)
        self.face = CardSurface(min_height=160)
        self.kind_label, self.prompt, self.statement = self.face.side, self.face.text, self.face.extra
        v.addWidget(self.face)
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
        self.written.setAccessibleName("Your answer")
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
        self.finish_button = flat_button("Finish now (Ctrl+Shift+F)", self.show_results)
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
        self.progress.show_progress(self.number, total, f"{self.number} / {total} answered")
        self.counter.setText(f"Question {self.number + 1} of {total}")
        hints = {
            MULTIPLE_CHOICE: "MULTIPLE CHOICE · press 1–4",
            TRUE_FALSE: "TRUE OR FALSE · press T or F",
            WRITTEN: "WRITTEN · type the answer, Enter",
            MATCHING: "MATCHING · pick the answer for each, Ctrl+Enter",
        }
        prompt = q.prompts[0] if q.kind != MATCHING else "Match each term with its answer."
        statement = f"Answer: {q.statement}" if q.kind == TRUE_FALSE else ""
        self.face.show_card(hints[q.kind], prompt, extra=statement)
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
            box.setAccessibleName(f"Answer for {prompt}")
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
        self.summary = SummaryPanel()
        self.again_button = self.summary.add_button(flat_button("New test (Enter)", self.new_test, name="primary"))
        self.summary.finish_buttons()
        v.addWidget(self.summary)
        self.checks = QWidget()  # written answers marked wrong, each with "I was right"
        self.checks_layout = QVBoxLayout(self.checks)
        self.checks_layout.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.checks)
        self.override_buttons: dict[int, QPushButton] = {}  # question number (1-based) -> button
        self.override_note = QLabel("")
        self.override_note.setObjectName("muted")
        v.addWidget(self.override_note)
        self.review = QTextBrowser()
        self.review.setAccessibleName("Mistakes")
        v.addWidget(self.review, 1)
        self.pages.addWidget(page)

    @property
    def score_label(self) -> QLabel:
        return self.summary.headline

    def show_results(self) -> None:
        if self.run is None:
            return
        self.pages.setCurrentIndex(2)
        self.counter.setText("Results")
        self.summary.show_summary(exam_summary(self.run))
        self._fill_checks()
        self.review.setHtml(mistakes_html(self.run, getattr(self, "notes", [])))
        self.setFocus()

    def _fill_checks(self) -> None:
        while self.checks_layout.count():
            w = self.checks_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.override_buttons = {}
        assert self.run is not None
        for number, row, button in written_checks(self.run, self.accept):
            self.override_buttons[number] = button
            self.checks_layout.addWidget(row)
        self.checks.setVisible(bool(self.override_buttons))

    def accept(self, number: int) -> None:
        """ "I was right" on written question `number` (1-based)."""
        if self.run is None or not self.run.accept(number - 1):
            return
        q = self.run.questions[number - 1]
        try:
            note = keep_override(self.store, reference=q.answers[0], answer=str(q.response), mode="test",
                                 question=q.prompts[0], card_id=q.cards[0].id)
        except Exception as exc:  # the score changed; only the calibration pair was lost
            note = f"Counted as right (the pair was not kept: {exc})."
        self.show_results()
        self.override_note.setText(f"Question {number} counted as right. {note}")

    def _finish_now(self) -> None:
        if self.pages.currentIndex() == 1:
            self.show_results()

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
        if page == 2 and key == Qt.Key.Key_R and self.override_buttons:
            self.accept(min(self.override_buttons))
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
