"""The grader's evaluation set (resources/grader/eval/*.txt): cards with answers of every kind.

Each card is written as

    Q: question
    A: reference answer
    para: a paraphrase            (correct)
    syn: the same with synonyms   (correct)
    short: shorter but complete   (correct)
    part: one of two facts, a list missing items   (partial)
    near: a sibling term swapped in ("ribosome" for "mitochondria")   (wrong)
    rel: wrong but on the same subject   (wrong)

and the loader adds, per card: the reference itself (exact), a filler-laden rendering of the
paraphrase ("um, I think it's ..."), an "I don't know", an off-topic answer (another subject's
reference) and, where `asr_transcripts.jsonl` has them, what Whisper tiny.en heard when espeak-ng
spoke the written answers at two voices (`python -m app.commands.asr_set --evalset`).
Cards are split by a hash of the question: train (fits the evidence head), dev (fits the
thresholds), test (what `recall grader eval` reports; nothing is fitted on it).

Every item carries its card's siblings: the references of the other cards of its deck, as the
app passes them to the grader. The set has no deck field, so a card of `decks.txt` belongs to the
sample deck in data/ that has its question, and every other card to its file (its subject).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from app.grader.base import Verdict
from app.grader.flashcards import DATA_DIR, DONT_KNOW, parse_cards
from app.resources import resource_path

KIND_LABEL: dict[str, Verdict] = {
    "exact": "correct", "para": "correct", "syn": "correct", "short": "correct", "filler": "correct",
    "part": "partial", "near": "wrong", "rel": "wrong", "off-topic": "wrong", "dont-know": "wrong",
}
KIND_NAMES = {
    "exact": "exact", "para": "paraphrase", "syn": "synonym", "short": "shorter, complete",
    "filler": "filler-laden", "part": "partial", "near": "near miss", "rel": "wrong, related",
    "off-topic": "off-topic", "dont-know": "I don't know",
}
WRITTEN_KINDS = ("para", "syn", "short", "part", "near", "rel")
SPOKEN_KINDS = ("exact", "para", "syn", "short", "part", "near", "rel")  # what asr_set speaks
TRANSCRIPTS = "asr_transcripts.jsonl"
FILLERS = (
    "um, I think it's {}",
    "uh, so, {}, I guess",
    "well, basically {}, right?",
    "hmm, let me think... {}",
    "I'm pretty sure it's, um, {}",
    "er, {}, I believe",
    "okay so like {}",
)


@dataclass(frozen=True)
class Card:
    question: str
    reference: str
    answers: tuple[tuple[str, str], ...]  # (kind, text) as written
    subject: str


@dataclass(frozen=True)
class EvalItem:
    question: str
    reference: str
    answer: str
    label: Verdict
    kind: str
    split: str
    subject: str
    source: str = "written"  # written / asr
    voice: str = ""
    siblings: tuple[str, ...] = ()  # the other references of the card's deck (or subject)


DECKS_DIR = Path(__file__).resolve().parent.parent.parent / "data"  # the sample decks (a checkout only)


def eval_dir() -> Path:
    return resource_path("grader", "eval")


def deck_of_questions(folder: Path = DECKS_DIR) -> dict[str, str]:
    """Question (lower case) -> the name of the sample deck that has it."""
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for card in doc.get("cards", []) if isinstance(doc, dict) else []:
            front = card.get("front") if isinstance(card, dict) else None
            if isinstance(front, str):
                out.setdefault(front.strip().lower(), str(doc.get("name") or path.stem))
    return out


def group_of(card: Card, decks: dict[str, str]) -> str:
    """A card's deck: its sample deck when one has its question, else its file (subject)."""
    deck = decks.get(card.question.strip().lower())
    return f"deck:{deck}" if deck else f"subject:{card.subject}"


def siblings_by_card(cards: list[Card], decks: dict[str, str] | None = None) -> dict[str, tuple[str, ...]]:
    """Question -> the references of the other cards of its group (no repeats, not its own)."""
    decks = deck_of_questions() if decks is None else decks
    groups: dict[str, list[Card]] = {}
    for card in cards:
        groups.setdefault(group_of(card, decks), []).append(card)
    out: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        for card in members:
            own = card.reference.strip().lower()
            out[card.question] = tuple(dict.fromkeys(c.reference for c in members
                                                     if c.reference.strip().lower() != own))
    return out


def eval_split(question: str) -> str:
    bucket = zlib.crc32(("eval:" + question.strip().lower()).encode()) % 10
    return "train" if bucket < 5 else "dev" if bucket < 7 else "test"


def parse_eval_cards(text: str, subject: str, origin: str = "") -> list[Card]:
    """Cards of one file; raises ValueError naming the bad line."""
    cards: list[Card] = []
    q = ref = None
    answers: list[tuple[str, str]] = []

    def flush() -> None:
        if q and ref:
            cards.append(Card(q, ref, tuple(answers), subject))

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        value = value.strip()
        if not sep or not value:
            raise ValueError(f"{origin}:{n}: expected 'kind: text'")
        if key == "Q":
            flush()
            q, ref, answers = value, None, []
        elif key == "A" and q:
            ref = value
        elif key in WRITTEN_KINDS and ref:
            answers.append((key, value))
        else:
            raise ValueError(f"{origin}:{n}: unknown kind {key!r} (Q, A, {', '.join(WRITTEN_KINDS)})")
    flush()
    return cards


def load_cards(folder: Path | None = None) -> list[Card]:
    folder = folder or eval_dir()
    cards: list[Card] = []
    for path in sorted(folder.glob("*.txt")):
        cards += parse_eval_cards(path.read_text(encoding="utf-8"), path.stem, str(path))
    return cards


def _pick(key: str, n: int) -> int:
    return zlib.crc32(key.encode()) % n


def team_siblings(data_dir: Path = DATA_DIR) -> dict[str, tuple[str, ...]]:
    """The team's older set (data/grader): question -> the other references of its file."""
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted(data_dir.glob("flashcards_*.txt")):
        cards = parse_cards(path.read_text(encoding="utf-8"), str(path))
        for q, ref, _ in cards:
            own = ref.strip().lower()
            out[q] = tuple(dict.fromkeys(r for _, r, _ in cards if r.strip().lower() != own))
    return out


def written_items(cards: list[Card], decks: dict[str, str] | None = None) -> list[EvalItem]:
    out: list[EvalItem] = []
    siblings = siblings_by_card(cards, decks)
    for card in cards:
        split = eval_split(card.question)

        def item(kind: str, text: str, card=card, split=split) -> EvalItem:
            return EvalItem(card.question, card.reference, text, KIND_LABEL[kind], kind, split, card.subject,
                            siblings=siblings[card.question])

        out.append(item("exact", card.reference))
        out += [item(kind, text) for kind, text in card.answers]
        base = next((t for k, t in card.answers if k == "para"), card.reference).rstrip(".")
        out.append(item("filler", FILLERS[_pick(card.question, len(FILLERS))].format(base)))
        out.append(item("dont-know", DONT_KNOW[_pick(card.question + "dk", len(DONT_KNOW))]))
        others = [c for c in cards if c.subject != card.subject]
        if others:
            out.append(item("off-topic", others[_pick(card.question + "off", len(others))].reference))
    return out


def spoken_items(cards: list[Card]) -> list[EvalItem]:
    """The written answers of the kinds asr_set speaks (exact included), one per card and kind."""
    return [i for i in written_items(cards) if i.kind in SPOKEN_KINDS]


def load_eval(folder: Path | None = None, with_asr: bool = True) -> list[EvalItem]:
    folder = folder or eval_dir()
    cards = load_cards(folder)
    items = written_items(cards)
    path = folder / TRANSCRIPTS
    if with_asr and path.is_file():
        by_key = {(i.question, i.kind, i.answer): i for i in items}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            clean = by_key.get((row["question"], row["kind"], row["answer"]))
            if clean is None:  # the written answer changed since it was spoken: skip the stale row
                continue
            items.append(replace(clean, answer=row["transcript"], source="asr", voice=row["voice"]))
    return items
