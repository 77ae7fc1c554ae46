"""How a paste's lines became cards, kept so that the user can correct it before anything is saved.

A `Layout` is the list of the paste's units (lines, or paragraphs for paragraph pages) with,
for each, whether it was dropped (and why) and whether it is joined onto the previous kept unit
(a multi-line answer). Kept, unjoined units alternate question / answer starting at `offset`;
`swapped` exchanges the sides of every card. The user's corrections are operations on this:
`shift`, `swap`, `toggle_furniture`, `toggle_join`; `cards()` and `dropped()` read the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.formats.base import clean_page_text
from app.store.repo import CardRecord

REASON_USER = "marked as furniture by you"
REASON_NO_QUESTION = "answer without a question (pairing shifted)"
REASON_NO_ANSWER = "question without an answer"


@dataclass
class Unit:
    text: str
    line: int  # 1-based line of the paste where the unit starts
    reason: str | None = None  # why it is dropped; None: it is card text
    joined: bool = False  # continues the previous kept unit's side of the card
    role: str = ""  # after relabel: "q", "a", or "" (dropped, or left without a partner)
    orphan: str | None = None  # why a kept unit made no card


@dataclass(frozen=True)
class Dropped:
    line: int
    text: str
    reason: str

    def as_json(self) -> dict:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass
class Layout:
    units: list[Unit]
    offset: int = 0
    swapped: bool = False
    clean_question: Callable[[str], str] = clean_page_text
    clean_answer: Callable[[str], str] = clean_page_text
    tags: list[tuple[str, ...]] = field(default_factory=list)  # per card, when the source had tags

    def __post_init__(self) -> None:
        self.relabel()

    # --- reading ------------------------------------------------------------------------------
    def relabel(self) -> None:
        """Give every kept unit its role: alternate q / a from `offset`; joined units follow."""
        position = self.offset
        for u in self.units:
            u.role, u.orphan = "", None
            if u.reason is not None:
                continue
            if u.joined and position > 0:
                u.role = "a" if position % 2 == 0 else "q"
                continue
            u.role = "q" if position % 2 == 0 else "a"
            position += 1
        # Mark the pieces that make no card: an answer before any question, a final question.
        kept = [u for u in self.units if u.role]
        if self.offset % 2 and kept:
            for u in kept:
                if u.role != "a":
                    break
                u.role, u.orphan = "", REASON_NO_QUESTION
        last_q = [u for u in self.units if u.role]
        tail: list[Unit] = []
        for u in reversed(last_q):
            tail.append(u)
            if not u.joined:
                break
        if tail and tail[-1].role == "q":
            for u in tail:
                u.role, u.orphan = "", REASON_NO_ANSWER

    def cards(self) -> list[CardRecord]:
        out: list[CardRecord] = []
        q: list[str] = []
        a: list[str] = []

        def flush() -> None:
            if q or a:
                front = self.clean_question("\n".join(q))
                back = self.clean_answer("\n".join(a))
                if self.swapped:
                    front, back = back, front
                if front or back:
                    tags = self.tags[len(out)] if len(out) < len(self.tags) else ()
                    out.append(CardRecord(front, back, tags))

        for u in self.units:
            if u.role == "q" and not u.joined:
                flush()
                q, a = [u.text], []
            elif u.role == "q":
                q.append(u.text)
            elif u.role == "a":
                a.append(u.text)
        flush()
        return out

    def dropped(self) -> list[Dropped]:
        return [
            Dropped(u.line, " ".join(u.text.split())[:200], u.reason or u.orphan or "")
            for u in self.units
            if u.reason is not None or u.orphan
        ]

    # --- corrections --------------------------------------------------------------------------
    def shift(self) -> None:
        """Pair every kept line with the next one instead: each answer becomes a question."""
        self.offset = (self.offset + 1) % 2
        self.relabel()

    def swap(self) -> None:
        self.swapped = not self.swapped

    def toggle_furniture(self, index: int) -> None:
        """Drop unit `index` as furniture, or bring a dropped unit back as card text."""
        u = self.units[index]
        u.reason = None if u.reason is not None else REASON_USER
        if u.reason is None:
            u.joined = False
        self.relabel()

    def toggle_join(self, index: int) -> None:
        """Join unit `index` onto the previous kept unit (a multi-line answer), or split it off."""
        u = self.units[index]
        if u.reason is not None:
            return
        u.joined = not u.joined
        self.relabel()


class LazyLayout(Layout):
    """A Layout whose units are made on first use (the preview, a dry run's dropped lines).

    A file import of 100k cards reads only `ParsedDeck.cards`; building 200k units it never
    looks at was a quarter of the parse. Reading `units` (or anything that does) builds them once.
    """

    def __init__(
        self,
        make_units: Callable[[], list[Unit]],
        clean: Callable[[str], str],
        tags: list[tuple[str, ...]],
    ) -> None:
        self._make_units: Callable[[], list[Unit]] | None = make_units
        self._units: list[Unit] = []
        self.offset, self.swapped = 0, False
        self.clean_question = self.clean_answer = clean
        self.tags = tags

    @property  # type: ignore[override]
    def units(self) -> list[Unit]:
        if self._make_units is not None:
            make, self._make_units = self._make_units, None
            self._units = make()
            self.relabel()
        return self._units

    @units.setter
    def units(self, value: list[Unit]) -> None:
        self._make_units, self._units = None, value


def _units_from_cards(
    cards: list[tuple[int, str, int, str]], dropped: list[tuple[int, str, str]]
) -> list[Unit]:
    units: list[Unit] = []
    for q_line, q, a_line, a in cards:
        units.append(Unit(q, q_line))
        units.append(Unit(a, a_line))
    units.extend(Unit(text, line, reason) for line, text, reason in dropped)
    units.sort(key=lambda u: u.line)  # stable: a card's q precedes its a
    return units


def _same(s: str) -> str:
    return s


def layout_from_cards(
    cards: list[tuple[int, str, int, str]],
    dropped: list[tuple[int, str, str]],
    tags: list[tuple[str, ...]] | None = None,
    clean: Callable[[str], str] | None = None,
) -> Layout:
    """A Layout for formats whose structure is explicit: (q_line, q, a_line, a) per card."""
    same = clean or _same
    return Layout(_units_from_cards(cards, dropped), clean_question=same, clean_answer=same, tags=list(tags or []))


def lazy_layout_from_cards(
    cards: Callable[[], list[tuple[int, str, int, str]]],
    dropped: list[tuple[int, str, str]],
    tags: list[tuple[str, ...]] | None = None,
) -> Layout:
    """`layout_from_cards`, its units made only when first read; `cards` gives the tuples then."""
    return LazyLayout(lambda: _units_from_cards(cards(), dropped), _same, list(tags or []))
