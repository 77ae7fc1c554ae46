"""The import's fast paths give exactly what the per-card paths give.

`delimited.parse` skips clean_page_text when every field is already tidy, builds its layout only
when read, and `count_duplicates` folds tidy text in bulk: each is checked here against the
slow path it replaces, on random text full of the characters that make the slow path work.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import FormatError, ParsedDeck, base, delimited, furniture
from app.formats.base import clean_page_text
from app.formats.layout import layout_from_cards
from app.formats.service import _card_keys, count_duplicates
from app.store.repo import CardRecord, card_key

# Words and the characters the cleaning steps act on: spaces of all kinds, tags, entities,
# literal \n, separators, quotes, a NUL, case pairs that fold.
_PIECES = st.sampled_from(
    ["a", "B", "word", "Straße", "ΣΑΣ", " ", "  ", "\t", "\u00a0", "<b>", "</p>", "&amp;", "&", "\\n",
     ";", ",", '"', "\x00", "x\u2003y", "Front", "term", "\u00e9"]
)
_FIELD = st.lists(_PIECES, max_size=5).map("".join)
_LINE = st.one_of(
    st.tuples(_FIELD, _FIELD).map("\t".join),
    st.tuples(_FIELD, _FIELD, _FIELD).map("\t".join),
    _FIELD,
    st.just("front\tback\ttags"),
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(text: str, **kw):
    try:
        deck = delimited.parse(text, **kw)
    except FormatError as exc:
        return ("error", str(exc))
    return deck


def _shape(deck) -> tuple:
    if isinstance(deck, tuple):
        return deck
    units = [(u.text, u.line, u.reason, u.joined, u.role, u.orphan) for u in deck.layout.units]
    return (deck.name, deck.cards, deck.format, units, deck.dropped, deck.layout.cards())


@_SETTINGS
@given(st.lists(_LINE, min_size=1, max_size=12), st.sampled_from(["tsv", "csv"]))
def test_parse_fast_path_equals_cleaning_every_field(lines, kind):
    text = "\n".join(lines)
    fast = _shape(_parse(text, kind=kind))
    real = delimited._all_plain
    delimited._all_plain = lambda cards: False  # the path that cleans every field
    try:
        slow = _shape(_parse(text, kind=kind))
    finally:
        delimited._all_plain = real
    assert fast == slow


@_SETTINGS
@given(st.lists(_FIELD, max_size=8))
def test_is_tidy_text_only_when_cleaning_changes_nothing(texts):
    if delimited.is_tidy_text(texts):
        assert all(clean_page_text(t) == t and " ".join(t.split()) == t for t in texts)


def test_is_tidy_text_on_plain_fields():
    assert delimited.is_tidy_text(["What is a cell?", "The unit of life.", "Straße"])
    assert not delimited.is_tidy_text(["a ", "b"])  # an edge space
    assert not delimited.is_tidy_text(["a", "", "b"])  # an empty text: the slow path, to be safe
    assert not delimited.is_tidy_text(["a\u00a0b"])


@_SETTINGS
@given(st.lists(st.tuples(_FIELD, _FIELD), max_size=10), st.lists(st.tuples(_FIELD, _FIELD), max_size=4))
def test_card_keys_and_duplicates_equal_card_key(pairs, existing):
    cards = [CardRecord(f, b) for f, b in pairs]
    assert _card_keys(cards) == [card_key(f, b) for f, b in pairs]
    # Against the straightforward count, with cards already in the deck.
    seen = {card_key(f, b) for f, b in existing}
    want = 0
    for f, b in pairs:
        key = card_key(f, b)
        want += key in seen
        seen.add(key)

    class _Rows:
        def execute(self, _stmt):
            return list(existing)

    assert count_duplicates(_Rows(), 1 if existing else None, ParsedDeck("d", cards)) == want


def test_tidy_cards_fold_case_in_bulk():
    cards = [CardRecord("Straße", "ΣΑΣ"), CardRecord("STRASSE", "σας"), CardRecord("b", "2")]
    assert _card_keys(cards) == [card_key(c.front, c.back) for c in cards]
    assert count_duplicates(None, None, ParsedDeck("d", cards)) == 1


def test_layout_is_built_when_first_read_and_matches_the_eager_one():
    text = "My deck\nq1\ta1\nmore of a1\nq2\ta2\n\nq3\ta3"
    deck = delimited.parse(text, kind="tsv")
    layout = deck.layout
    assert layout._make_units is not None  # nothing built by the parse
    found = [(2, "q1", 2, "a1\nmore of a1"), (4, "q2", 4, "a2"), (6, "q3", 6, "a3")]
    eager = layout_from_cards(found, [(1, "My deck", furniture.REASON_TITLE)], tags=[(), (), ()])
    assert [(u.text, u.line, u.role) for u in layout.units] == [(u.text, u.line, u.role) for u in eager.units]
    assert layout.cards() == eager.cards() == deck.cards
    layout.shift()
    eager.shift()
    assert layout.dropped() == eager.dropped() and layout.cards() == eager.cards()


def test_sanitize_ascii_path_drops_the_same_controls_as_the_regex():
    for code in range(128):
        ch = chr(code)
        want = "a\nb" if ch in "\x0b\r" else ("ab" if base._CONTROL.match(ch) else f"a{ch}b")
        assert base.sanitize(f"a{ch}b") == want, repr(ch)
        assert base.sanitize(f"é{ch}b") == ("é" + want[1:]), repr(ch)  # the non-ASCII path agrees
