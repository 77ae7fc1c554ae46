"""The team's flashcard answer set (data/grader/*.txt): graded student answers to our own cards.

Each card has a reference answer and student answers marked correct (+), partial (~) or wrong (-).
Cards are split by a hash of the question into train / dev / test, so no card's answers leak from
training into the held-out sets; files named flashcards_train_*.txt are training cards only. dev calibrates the verdict thresholds; test is what eval reports.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.grader.base import Verdict

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "grader"
ASR_FILE = "asr_answers.jsonl"

LABEL_SCORE = {"correct": 1.0, "partial": 0.5, "wrong": 0.0}
_MARKS: dict[str, Verdict] = {"+": "correct", "~": "partial", "-": "wrong"}

# "I don't know" and friends: wrong for every card; one is attached to each card deterministically.
DONT_KNOW = (
    "I don't know",
    "no idea",
    "I have no idea",
    "pass",
    "I'm not sure",
    "I can't remember",
    "um I forget",
    "skip this one",
)


@dataclass(frozen=True)
class Pair:
    question: str
    reference: str
    answer: str
    label: Verdict
    split: str  # train / dev / test, by card
    source: str = "written"  # written / dont-know / asr

    @property
    def target(self) -> float:
        return LABEL_SCORE[self.label]


def card_split(question: str) -> str:
    bucket = zlib.crc32(question.strip().lower().encode()) % 20
    if bucket < 9:
        return "test"
    if bucket < 12:
        return "dev"
    return "train"


def parse_cards(text: str, origin: str = "") -> list[tuple[str, str, list[tuple[str, Verdict]]]]:
    """(question, reference, [(answer, label)]) per card; raises ValueError naming the bad line."""
    cards: list[tuple[str, str, list[tuple[str, Verdict]]]] = []
    question = reference = None
    answers: list[tuple[str, Verdict]] = []

    def flush() -> None:
        if question and reference:
            cards.append((question, reference, list(answers)))

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("Q:"):
            flush()
            question, reference, answers = line[2:].strip(), None, []
        elif line.startswith("A:") and question:
            reference = line[2:].strip()
        elif line[0] in _MARKS and reference:
            answers.append((line[1:].strip(), _MARKS[line[0]]))
        else:
            raise ValueError(f"{origin}:{n}: expected Q:, A:, +, ~ or - line")
    flush()
    return cards


def load_pairs(data_dir: Path = DATA_DIR, with_asr: bool = True) -> list[Pair]:
    pairs: list[Pair] = []
    for path in sorted(data_dir.glob("flashcards_*.txt")):
        for i, (q, ref, answers) in enumerate(parse_cards(path.read_text(encoding="utf-8"), str(path))):
            split = "train" if path.name.startswith("flashcards_train_") else card_split(q)
            pairs.extend(Pair(q, ref, a, lab, split) for a, lab in answers)
            dk = DONT_KNOW[(zlib.crc32(q.encode()) + i) % len(DONT_KNOW)]
            pairs.append(Pair(q, ref, dk, "wrong", split, "dont-know"))
    asr = data_dir / ASR_FILE
    if with_asr and asr.is_file():
        for line in asr.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                pairs.append(Pair(row["question"], row["reference"], row["transcript"], row["label"],
                                  card_split(row["question"]), "asr"))
    return pairs
