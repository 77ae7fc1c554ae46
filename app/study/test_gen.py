"""Test: an exam built from a deck, with a score and a review of every mistake.

The user picks how many questions and which kinds (multiple choice, true/false, written,
matching). Each card appears in at most one question; wrong options come from the deck's
other cards and never repeat the right answer or each other (see `distractors`). A small
deck gets a shorter test, and a question kind the deck cannot support is swapped for one it
can (a two-card deck has no multiple choice with four options, but it has two), with a note
saying so. Each answer is recorded as soon as it is given.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from app.study.answer_check import check_answer, normalise
from app.study.cards import Answer, Recorder, StudyCard
from app.study.distractors import answer_of, choices_for, pick_distractors, prompt_of

MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
WRITTEN = "written"
MATCHING = "matching"
KINDS = (MULTIPLE_CHOICE, TRUE_FALSE, WRITTEN, MATCHING)
KIND_LABELS = {
    MULTIPLE_CHOICE: "Multiple choice",
    TRUE_FALSE: "True / false",
    WRITTEN: "Written",
    MATCHING: "Matching",
}
MATCH_GROUP = 4  # cards per matching question


@dataclass
class ExamQuestion:
    kind: str
    cards: list[StudyCard]
    prompts: list[str]  # one prompt; one per card for matching
    answers: list[str]  # the right answer per prompt
    choices: list[str] = field(default_factory=list)  # MC options; matching: the answers, shuffled
    correct_index: int = -1  # MC
    statement: str = ""  # TF: the answer shown beside the prompt
    is_true: bool = True  # TF
    response: object = None  # what the user gave, None until answered
    results: list[bool] = field(default_factory=list)  # one per card once answered

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def points(self) -> int:
        return len(self.cards)


@dataclass(frozen=True)
class Mistake:
    number: int  # 1-based question number
    kind: str
    prompt: str
    given: str
    right: str


@dataclass
class GeneratedTest:
    questions: list[ExamQuestion]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(q.points for q in self.questions)


def generate_test(
    cards: list[StudyCard],
    count: int,
    kinds: tuple[str, ...] | list[str] = KINDS,
    *,
    rng: random.Random | None = None,
    back_first: bool = False,
    options: int = 4,
) -> GeneratedTest:
    rng = rng or random.Random()
    kinds = [k for k in KINDS if k in kinds] or [MULTIPLE_CHOICE]
    notes: list[str] = []
    n = len(cards)
    if n == 0:
        return GeneratedTest([], ["this deck has no cards"])
    if count > n:
        notes.append(f"the deck has {n} card{'s' if n != 1 else ''}, so the test has {n} questions")
    count = max(1, min(count, n))
    plan = [kinds[i % len(kinds)] for i in range(count)]
    rng.shuffle(plan)
    spare = n - count  # cards beyond one per question, for the extra pairs of matching questions
    order = rng.sample(range(n), min(n, count + 3 * plan.count(MATCHING)))
    pos = 0
    questions: list[ExamQuestion] = []
    swapped: dict[str, int] = {}
    for kind in plan:
        card = cards[order[pos]]
        pos += 1
        if kind == MATCHING:
            extra = min(MATCH_GROUP - 1, spare, len(order) - pos)
            if extra >= 1:
                group = [card] + [cards[i] for i in order[pos : pos + extra]]
                pos += extra
                spare -= extra
                questions.append(_matching(group, rng, back_first))
                continue
            kind = _fallback(kinds, MATCHING)
            swapped[MATCHING] = swapped.get(MATCHING, 0) + 1
        q = _single(kind, card, cards, rng, back_first, options)
        if q.kind != kind:
            swapped[kind] = swapped.get(kind, 0) + 1
        questions.append(q)
    for kind, times in swapped.items():
        notes.append(
            f"{times} {KIND_LABELS[kind].lower()} question{'s' if times > 1 else ''} became another kind: "
            "the deck has too few different answers"
        )
    return GeneratedTest(questions, notes)


def _fallback(kinds: list[str], not_this: str) -> str:
    for k in (MULTIPLE_CHOICE, WRITTEN, TRUE_FALSE):
        if k in kinds and k != not_this:
            return k
    return WRITTEN


def _single(
    kind: str, card: StudyCard, pool: list[StudyCard], rng: random.Random, back_first: bool, options: int
) -> ExamQuestion:
    prompt, right = prompt_of(card, back_first), answer_of(card, back_first)
    if kind == MULTIPLE_CHOICE:
        choices, idx = choices_for(card, pool, rng, options=options, back_first=back_first)
        if len(choices) >= 2:
            return ExamQuestion(kind, [card], [prompt], [right], choices=choices, correct_index=idx)
        kind = WRITTEN
    if kind == TRUE_FALSE:
        wrong = pick_distractors(card, pool, 1, rng, back_first=back_first)
        is_true = not wrong or rng.random() < 0.5
        statement = right if is_true else wrong[0]
        return ExamQuestion(
            kind, [card], [prompt], [right], choices=["True", "False"], statement=statement, is_true=is_true
        )
    return ExamQuestion(WRITTEN, [card], [prompt], [right])


def _matching(group: list[StudyCard], rng: random.Random, back_first: bool) -> ExamQuestion:
    prompts = [prompt_of(c, back_first) for c in group]
    answers = [answer_of(c, back_first) for c in group]
    choices = list(answers)
    rng.shuffle(choices)
    return ExamQuestion(MATCHING, list(group), prompts, answers, choices=choices)


def _picks(response: object, n: int) -> list[int]:
    """A matching response as exactly one answer index per prompt (-1: none chosen)."""
    picks = [int(i) for i in response] if isinstance(response, (list, tuple)) else []
    return (picks + [-1] * n)[:n]


class ExamRun:
    """Answering a generated test: one answer per question, recorded as it is given."""

    def __init__(self, test: GeneratedTest, *, recorder: Recorder | None = None) -> None:
        self.test = test
        self._record = recorder

    @property
    def questions(self) -> list[ExamQuestion]:
        return self.test.questions

    def answer(self, number: int, response: object) -> list[bool]:
        """Answer question `number` (0-based). MC: option index; TF: bool; written: text;
        matching: for each prompt, the index of the chosen answer in `choices` (or -1)."""
        q = self.questions[number]
        if q.answered:
            raise RuntimeError(f"question {number + 1} was already answered")
        if q.kind == MULTIPLE_CHOICE:
            results = [response == q.correct_index]
            texts = [
                q.choices[response] if isinstance(response, int) and 0 <= response < len(q.choices) else ""
            ]
            close = [False]
        elif q.kind == TRUE_FALSE:
            results = [bool(response) == q.is_true]
            texts = ["True" if response else "False"]
            close = [False]
        elif q.kind == WRITTEN:
            check = check_answer(str(response), q.answers[0])
            results = [check.correct]
            texts = [str(response)]
            close = [check.verdict.value == "close"]
        else:
            picks = _picks(response, len(q.prompts))
            texts = [q.choices[i] if 0 <= i < len(q.choices) else "" for i in picks]
            results = [
                bool(t) and normalise(t) == normalise(a) for t, a in zip(texts, q.answers, strict=True)
            ]
            close = [False] * len(results)
        q.response = response
        q.results = results
        if self._record is not None:
            for card, ok, text, c in zip(q.cards, results, texts, close, strict=True):
                self._record(Answer(card.id, "test", ok, text or None, None, c))
        return results

    def accept(self, number: int) -> bool:
        """ "I was right" on a written answer marked wrong: it scores, and is saved once more as a
        right answer (the recorder keeps the first answer as the scheduled one)."""
        q = self.questions[number]
        if q.kind != WRITTEN or not q.answered or not q.results or q.results[0]:
            return False
        q.results = [True]
        if self._record is not None:
            self._record(Answer(q.cards[0].id, "test", True, str(q.response) or None, None, True))
        return True

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    @property
    def complete(self) -> bool:
        return all(q.answered for q in self.questions)

    def score(self) -> tuple[int, int]:
        """(points, out of): unanswered questions score nothing."""
        return sum(sum(q.results) for q in self.questions), self.test.total

    def percent(self) -> float:
        got, total = self.score()
        return 100.0 * got / total if total else 0.0

    def mistakes(self) -> list[Mistake]:
        out: list[Mistake] = []
        for n, q in enumerate(self.questions, 1):
            if not q.answered:
                out.append(Mistake(n, q.kind, q.prompts[0], "(no answer)", q.answers[0]))
                continue
            if q.kind == MATCHING:
                picks = _picks(q.response, len(q.prompts))
                for prompt, right, pick, ok in zip(q.prompts, q.answers, picks, q.results, strict=True):
                    if not ok:
                        given = q.choices[pick] if 0 <= pick < len(q.choices) else "(no answer)"
                        out.append(Mistake(n, q.kind, prompt, given, right))
                continue
            if q.results and q.results[0]:
                continue
            if q.kind == MULTIPLE_CHOICE:
                r = q.response
                given = q.choices[r] if isinstance(r, int) and 0 <= r < len(q.choices) else "(no answer)"
                out.append(Mistake(n, q.kind, q.prompts[0], given, q.answers[0]))
            elif q.kind == TRUE_FALSE:
                out.append(
                    Mistake(
                        n,
                        q.kind,
                        f"{q.prompts[0]} — {q.statement}",
                        "True" if q.response else "False",
                        "True" if q.is_true else f"False (the answer is: {q.answers[0]})",
                    )
                )
            else:
                out.append(Mistake(n, q.kind, q.prompts[0], str(q.response) or "(no answer)", q.answers[0]))
        return out
