"""Delimited text: CSV, TSV and Quizlet's export with its chosen separators.

Quizlet lets a user pick the separator between term and definition (tab, comma, custom) and
between cards (new line, semicolon, custom); pass them as `separator` and `card_separator`.
Without them the term separator is guessed from the text and cards are one per line.

Rules, so that nothing typed is lost:
- a header row (front/back, term/definition, question/answer, ...) is recognised and skipped;
  with one, a `tags` column is read too;
- without a header, everything after the first separator is the back (a comma inside a
  definition stays a comma);
- a line with no separator continues the previous card's back (a multi-line definition);
  before the first card it is taken as the deck's title; after a blank line it is no part of
  the card above (a blank line ends a card) and is reported as a dropped line;
- a card with an empty side (`term<TAB>`) is not imported: it is a dropped line and counted in
  `ParsedDeck.incomplete` ("no answer", "no question");
- fields quoted CSV-style ("a, b" / "two\\nlines") are understood when the text uses quotes.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import re
from collections.abc import Iterator

from app.formats import furniture
from app.formats.base import (
    FormatError,
    ParsedDeck,
    clean_page_text,
    incomplete_note,
    missing_side,
    no_cards,
    sanitize,
)
from app.formats.layout import lazy_layout_from_cards
from app.store.repo import CardRecord

NAME_CSV = "csv"
NAME_TSV = "tsv"

_NAMED = {
    "tab": "\t",
    "\\t": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "newline": "\n",
    "\\n": "\n",
    "new line": "\n",
    "blank line": "\n\n",
    "\\n\\n": "\n\n",
}
_FRONT_HEADERS = {
    "front",
    "term",
    "terms",
    "question",
    "questions",
    "q",
    "word",
    "prompt",
    "side 1",
    "side a",
}
_BACK_HEADERS = {"back", "definition", "definitions", "answer", "answers", "a", "meaning", "side 2", "side b"}
_TAG_HEADERS = {"tags", "tag"}
REASON_AFTER_BLANK = "no separator, after a blank line (a blank line ends a card)"


def resolve_separator(sep: str | None) -> str | None:
    """`tab`, `comma`, `semicolon`, `\\t`... or a literal string, to the string itself."""
    if sep is None or sep == "":
        return None
    return _NAMED.get(sep.strip().lower(), sep) if sep.strip() else sep


def guess_separator(text: str) -> str | None:
    """The term/definition separator most lines share: tab, then semicolon, then comma."""
    lines = [ln for ln in text.split("\n")[:500] if ln.strip()]
    if not lines:
        return None
    best, best_share = None, 0.0
    for sep in ("\t", ";", ","):
        share = sum(1 for ln in lines if sep in ln) / len(lines)
        if share > best_share + 1e-9:
            best, best_share = sep, share
    return best if best_share >= 0.5 else None


def share_with(text: str, sep: str) -> float:
    lines = [ln for ln in text.split("\n")[:500] if ln.strip()]
    return sum(1 for ln in lines if sep in ln) / len(lines) if lines else 0.0


def _uses_quotes(text: str, sep: str) -> bool:
    if '"' not in text:
        return False
    q = re.escape(sep)
    opens = re.search(rf'(^|{q})"', text, re.M)
    closes = re.search(rf'"({q}|$)', text, re.M)
    return bool(opens and closes)


def _rows_csv(text: str, sep: str) -> list[list[str]]:
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, len(text) + 1))
    try:
        return list(csv.reader(io.StringIO(text), delimiter=sep, quotechar='"', strict=False))
    except csv.Error:
        return _rows_plain(text.split("\n"), sep)
    finally:
        csv.field_size_limit(old)


def _rows_plain(chunks: list[str], sep: str) -> list[list[str]]:
    return [chunk.split(sep) for chunk in chunks]


def _header_map(row: list[str]) -> dict[str, int] | None:
    cells = [c.strip().strip("\ufeff").lower() for c in row]
    if len(cells) < 2 or cells[0] not in _FRONT_HEADERS or cells[1] not in _BACK_HEADERS:
        return None
    cols = {"front": 0, "back": 1}
    for i, c in enumerate(cells[2:], start=2):
        if c in _TAG_HEADERS:
            cols["tags"] = i
    return cols


def _all_plain(cards: list[tuple[str, list[str], tuple[str, ...], int]]) -> bool:
    """Whether clean_page_text returns every front and first back line unchanged."""
    return not cards or is_tidy_text([c[0] for c in cards] + [c[1][0] for c in cards])


def is_tidy_text(texts: list[str]) -> bool:
    """True when clean_page_text (and `" ".join(t.split())`) would leave each text as it is.

    That is: no `\\`, `<` or `&` (nothing for the literal-newline, tag and entity steps) and
    tidy's own fast path for each: printable (no whitespace but the plain space), no double
    space, no space at either end. Checked in C on the texts joined by one space, where a text's
    edge space shows as a double space (an empty text too, which only costs the fast path).
    """
    joined = " ".join(texts)
    return (
        "\\" not in joined
        and "<" not in joined
        and "&" not in joined
        and "  " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
        and joined.isprintable()
    )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector off while 100k-card lists are built (they hold no cycles).

    Each few hundred new containers start a collection, and the full ones rescan every live
    object: at 100k cards that was more time than the parse itself. Restored as it was after.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse(
    text: str,
    separator: str | None = None,
    card_separator: str | None = None,
    *,
    kind: str = NAME_CSV,
) -> ParsedDeck:
    """Cards from delimited text. `kind` ("csv"/"tsv") only picks the default separator."""
    with gc_paused():
        return _parse(text, separator, card_separator, kind=kind)


def _parse(
    text: str,
    separator: str | None = None,
    card_separator: str | None = None,
    *,
    kind: str = NAME_CSV,
) -> ParsedDeck:
    """Cards from delimited text. `kind` ("csv"/"tsv") only picks the default separator."""
    text = sanitize(text)
    sep = resolve_separator(separator)
    card_sep = resolve_separator(card_separator)
    if sep is None:
        sep = "\t" if kind == NAME_TSV else guess_separator(text)
        if sep is None and kind == NAME_CSV:
            sep = ","
    if sep is None or sep == "":
        raise FormatError("could not tell the separator between term and definition; pass --separator")
    if card_sep == sep:
        raise FormatError("the separator between cards must differ from the one between term and definition")
    if card_sep in (None, "\n"):
        rows = (
            _rows_csv(text, sep)
            if len(sep) == 1 and _uses_quotes(text, sep)
            else _rows_plain(text.split("\n"), sep)
        )
    else:
        rows = _rows_plain(text.split(card_sep), sep)

    cols = None
    first = next((r for r in rows if any(c.strip() for c in r)), None)
    if first is not None:
        cols = _header_map(first)
        if cols:
            rows = rows[rows.index(first) + 1 :]
    name = None
    cards: list[tuple[str, list[str], tuple[str, ...], int]] = []
    dropped: list[tuple[int, str, str]] = []
    footer = False
    after_blank = False  # the card above ended at a blank line
    for n, row in enumerate(rows, start=1):
        if len(row) == 2 and not cols and not footer:  # the common "term<sep>definition" line
            cards.append((row[0], [row[1]], (), n))
            after_blank = False
            continue
        if len(row) <= 1:
            if not row or not row[0].strip():  # a blank line (the csv reader gives it as [])
                after_blank = True
                continue
            # Page furniture around a pasted table is not part of any definition.
            footer = footer or (bool(cards) and furniture.is_footer(row[0]))
            reason = furniture.REASON_FOOTER if footer else furniture.classify(row[0])
            if not reason and cards and after_blank:
                reason = REASON_AFTER_BLANK
            if reason:
                dropped.append((n, row[0].strip(), reason))
                continue
            if cards:
                cards[-1][1].append(row[0])
            elif name is None:
                name = clean_page_text(row[0]) or None
                dropped.append((n, row[0].strip(), furniture.REASON_TITLE))
            continue
        if footer:
            dropped.append((n, sep.join(row).strip(), furniture.REASON_FOOTER))
            continue
        if cols:
            front = row[cols["front"]]
            back = row[cols["back"]] if len(row) > cols["back"] else ""
            ti = cols.get("tags")
            tags = tuple(row[ti].split()) if ti is not None and ti < len(row) else ()
        else:
            front, back, tags = row[0], sep.join(row[1:]), ()
        cards.append((front, [back], tags, n))
        after_blank = False
    out: list[CardRecord] = []
    incomplete: dict[str, int] = {}
    lines: list[int] = []
    # Plain fields (most files) are already clean: clean_page_text would return them unchanged.
    plain = _all_plain(cards)
    for front, back_lines, tags, n in cards:
        if plain and len(back_lines) == 1:
            f, b = front, back_lines[0]
        else:
            f, b = clean_page_text(front), clean_page_text("\n".join(back_lines))
        if f and b:  # as make_card: a card needs both sides
            out.append(CardRecord(f, b, tags))
            lines.append(n)
        elif why := missing_side(f, b):
            incomplete[why] = incomplete.get(why, 0) + 1
            dropped.append((n, f or b, why))
    if not out:
        what = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(sep, repr(sep))
        hint = f"expected a term, a {what} and a definition on each line"
        raise no_cards(kind.upper(), f"{hint} ({incomplete_note(incomplete)})" if incomplete else hint)
    kept = out[:]
    layout = lazy_layout_from_cards(
        lambda: [(n, c.front, n, c.back) for n, c in zip(lines, kept, strict=True)],
        dropped,
        tags=[c.tags for c in out],
    )
    deck = ParsedDeck(name, out, NAME_TSV if sep == "\t" else NAME_CSV, layout=layout)
    deck.incomplete = incomplete
    return deck
