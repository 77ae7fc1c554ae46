"""What every importer shares: the result type, the one error type, decoding and text clean-up.

Importers are pure functions from text (or bytes, for `.apkg`) to a `ParsedDeck`; they never
touch the database. Anything wrong with the input raises `FormatError` whose message is one
readable line the CLI and the UI can show as it is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.store.repo import CardRecord

if TYPE_CHECKING:
    from app.formats.layout import Dropped, Layout


class FormatError(ValueError):
    """The input cannot be imported; `str(exc)` is one line saying why, fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass
class ParsedDeck:
    """Cards read from one file or one pasted text.

    `name` is the deck's title when the source has one (a page title, an Anki deck name),
    else None: the caller then falls back to the file name. `format` is the importer used.
    """

    name: str | None
    cards: list[CardRecord] = field(default_factory=list)
    format: str = ""
    description: str = ""
    # How the cards were found (pastes): what was dropped and why, how sure the pairing is,
    # and the layout the preview edits. `unsupported` counts what could not be carried over
    # (Anki note types, media) by name.
    layout: Layout | None = None
    confidence: float = 1.0
    uncertain: bool = False
    unsupported: dict[str, int] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    # Cards left out because a side is empty, by reason ("no answer", "no question"): the editor
    # refuses such a card and Learn/Test would grade against an empty answer.
    incomplete: dict[str, int] = field(default_factory=dict)

    def count_incomplete(self, reason: str) -> None:
        self.incomplete[reason] = self.incomplete.get(reason, 0) + 1

    def __len__(self) -> int:
        return len(self.cards)

    @property
    def dropped(self) -> list[Dropped]:
        return self.layout.dropped() if self.layout is not None else []

    def refresh(self) -> None:
        """Re-read the cards after the layout was corrected."""
        if self.layout is not None:
            self.cards = self.layout.cards()

    def report(self) -> dict:
        """The parse as `recall import --dry-run --json` prints it."""
        return {
            "format": self.format,
            "detected_format": self.format,
            "name": self.name,
            "cards": [{"front": c.front, "back": c.back, "tags": list(c.tags)} for c in self.cards],
            "card_count": len(self.cards),
            "dropped": [d.as_json() for d in self.dropped],
            "confidence": self.confidence,
            "uncertain": self.uncertain,
            "unsupported": dict(self.unsupported),
            "incomplete": dict(self.incomplete),
        }


# --- decoding ---------------------------------------------------------------------------------

# C0 controls other than tab, newline, carriage return and form feed never occur in real text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # the same, as bytes


def _looks_like_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16 shows as a NUL in every other byte for Latin text."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4000]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls == 0:
        return "utf-16-be"
    return None


def is_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes: not something a person typed or pasted."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 100)


def decode_text(data: bytes, source: str = "the text") -> str:
    """Bytes to str: UTF-8 (with or without BOM), UTF-16 (BOM or obvious), else Windows-1252.

    Windows-1252 decodes almost any byte string, so it is accepted only when the result has no
    control characters and no undefined bytes; anything else is a wrong-encoding error rather
    than a deck full of mojibake.
    """
    if not data:
        raise FormatError(f"{source} is empty")
    if is_binary(data):
        raise FormatError(f"{source} is a binary file, not text, CSV, JSON or an Anki package")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif enc := _looks_like_utf16(data):
        candidates = [enc]
    else:
        candidates = ["utf-8", "cp1252"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "cp1252" and (_CONTROL.search(text) or not _plausible_cp1252(text)):
            continue
        return sanitize(text)
    raise FormatError(f"{source} is not in a text encoding Recall can read; save it as UTF-8 and try again")


def _plausible_cp1252(text: str) -> bool:
    """Latin text read as Windows-1252 is mostly letters; random bytes give symbol soup."""
    odd = sum(1 for ch in text if ord(ch) >= 0x80 and not ch.isalpha())
    return odd <= max(3, len(text) // 20)


def sanitize(text: str) -> str:
    """Text any importer may take: no lone surrogates, no control characters, \\n line ends.

    Word's manual line break (vertical tab) becomes a newline; other controls are dropped.
    """
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    if "\r" in text or "\ufeff" in text:
        text = normalise_newlines(text)
    if "\x0b" in text:
        text = text.replace("\x0b", "\n")
    if text.isascii():  # the usual file: one C pass over its bytes, 3x quicker than the regex scan
        raw = text.encode("ascii")
        return text if len(raw.translate(None, _CONTROL_BYTES)) == len(raw) else _CONTROL.sub("", text)
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


# --- text clean-up ----------------------------------------------------------------------------

# Tag names a web page leaves behind when copied; anything else in angle brackets (List<T>, a < b)
# is kept as text.
_HTML_TAGS = (
    "a|abbr|b|big|blockquote|body|br|center|code|dd|del|div|dl|dt|em|font|h[1-6]|head|hr|html|i|img|ins|"
    "kbd|label|li|mark|ol|p|pre|q|s|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|"
    "tr|tt|u|ul|var|wbr|section|article|header|footer|nav|main|figure|figcaption|button|input|svg|path"
)
# A real tag has no space after `<`, so "a < b > c" stays text.
_BREAK_TAG = re.compile(r"<(br|hr)\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|pre)\s*>", re.I)
_ANY_TAG = re.compile(rf"</?(?:{_HTML_TAGS})\b(?:\s[^<>]*)?/?>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_LITERAL_NEWLINE = re.compile(r"\\r\\n|\\n")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def unescape_entities(text: str) -> str:
    """Turn `&amp;`, `&#39;`... into characters; a bare `&` stays as it is."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def strip_tags(text: str) -> str:
    """Known HTML tags out; line-breaking ones (br, /p, /div, /li...) become newlines."""
    if "<" not in text:
        return text
    text = _BREAK_TAG.sub("\n", text)
    return _ANY_TAG.sub("", text)


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim every line, drop blank lines at either end and doubled blanks."""
    # Fast path, all C: printable (no newline, tab or odd space), no double space, no edge space.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    lines = [
        _SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def clean_page_text(text: str) -> str:
    """Field text copied from a web page: literal `\\n` → line break, stray tags and entities out."""
    if "\\" in text:
        text = _LITERAL_NEWLINE.sub("\n", text)
    text = strip_tags(text)
    text = unescape_entities(text)
    return tidy(text)


NO_ANSWER = "no answer"
NO_QUESTION = "no question"


def missing_side(front: str, back: str) -> str | None:
    """Why cleaned text makes no card (NO_ANSWER, NO_QUESTION), or None when it does;
    both sides empty is nothing at all (None as well: skipped without a word)."""
    if front and not back:
        return NO_ANSWER
    if back and not front:
        return NO_QUESTION
    return None


def make_card(
    front: str, back: str, tags: tuple[str, ...] = (), deck: ParsedDeck | None = None
) -> CardRecord | None:
    """A card from cleaned text, or None when a side is empty (counted in `deck.incomplete`)."""
    if not front or not back:
        reason = missing_side(front, back)
        if reason and deck is not None:
            deck.count_incomplete(reason)
        return None
    return CardRecord(front, back, tags)


def incomplete_note(incomplete: dict[str, int]) -> str:
    """`2 cards skipped: no answer; 1 card skipped: no question` for the import report."""
    return "; ".join(f"{n} card{'s' if n != 1 else ''} skipped: {why}" for why, n in incomplete.items())


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def nonblank(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()]


def name_from_path(path: str | Path) -> str:
    """`Biology_ch-3.final.txt` → `Biology ch-3.final`: the file name a person would call the deck."""
    stem = Path(path).stem
    name = " ".join(stem.replace("_", " ").split())
    return name or "Imported deck"


def title_without_suffix(line: str) -> str:
    """`Cell Biology Basics Flashcards` → `Cell Biology Basics`."""
    name = re.sub(r"\s*[-|:–—]\s*(quizlet|quizwiz|knowt|brainscape|anki)\s*$", "", line.strip(), flags=re.I)
    name = re.sub(r"\s*[-|:–—]?\s*flash\s*cards?\s*$", "", name, flags=re.I)
    return name.strip() or line.strip()


def no_cards(kind: str, hint: str = "") -> FormatError:
    return FormatError(f"no cards found in this {kind} text{'; ' + hint if hint else ''}")
