"""Plain card lists and a recorder that keeps answers in memory, for the Qt-free session tests."""

from __future__ import annotations

from app.study.cards import Answer, StudyCard


def make_cards(n: int, *, prefix: str = "q") -> list[StudyCard]:
    return [StudyCard(i + 1, f"{prefix}{i + 1} front", f"answer number {i + 1}") for i in range(n)]


class ListRecorder:
    def __init__(self) -> None:
        self.answers: list[Answer] = []

    def __call__(self, answer: Answer) -> None:
        self.answers.append(answer)
