"""The structure search and the layout it leaves: stray lines, confidence, corrections, and a
long paste's progress, cancel and size limit."""

from __future__ import annotations

import pytest

from app.formats import Cancelled, FormatError, furniture, parse_text
from app.formats.layout import REASON_NO_ANSWER, REASON_NO_QUESTION, REASON_USER

QA = "What is the capital of Peru?\nLima.\nWho wrote Hamlet?\nShakespeare.\nWhat gas do plants absorb?\nCarbon dioxide.\n"
PAIRS = [("What is the capital of Peru?", "Lima."), ("Who wrote Hamlet?", "Shakespeare."),
         ("What gas do plants absorb?", "Carbon dioxide.")]  # fmt: skip


def _pairs(deck):
    return [(c.front, c.back) for c in deck.cards]


@pytest.mark.parametrize("stray", ["My notes for the quiz", "Unit 4", "Something odd at the edge of the page"])
@pytest.mark.parametrize("where", ["top", "bottom", "both"])
def test_a_stray_line_at_an_edge_never_shifts_the_pairs(stray, where):
    text = {"top": f"{stray}\n{QA}", "bottom": f"{QA}{stray}\n", "both": f"{stray}\n{QA}{stray}\n"}[where]
    deck = parse_text(text)
    assert _pairs(deck) == PAIRS
    assert {d.text for d in deck.dropped} == {stray}


@pytest.mark.parametrize(
    "line, reason",
    [
        ("¡Supera tus tareas y exámenes ahora con Quizwiz!", "promotional banner"),
        ("Arrase nas suas provas!", "promotional banner"),
        ("Lerne schlauer mit Karteikarten", "promotional banner"),
        ("Nous utilisons des cookies. Tout accepter", "cookie notice"),
        ("23 términos", "number of terms"),
        ("1 / 23", "card counter"),
        ("Erstellt von frau_meier", "author line"),
        ("4.5 (120 reviews)", "rating line"),
        ("Compartir   Imprimir", "navigation or share button"),
        ("Publicidad", "advert"),
        ("Ver conjunto", "view-set link"),
    ],
)
def test_furniture_in_five_languages(line, reason):
    assert furniture.classify(line) == reason


def test_footers_and_labels():
    for line in ("Conjuntos de estudio relacionados", "Students also studied", "Ähnliche Lernsets",
                 "Les étudiants ont également étudié", "Conjuntos de estudos relacionados"):  # fmt: skip
        assert furniture.is_footer(line)
    assert furniture.label_role("Término") == "q" and furniture.label_role("Definição") == "a"
    assert furniture.classify("The share of the vote fell to 40 percent.") is None


def test_confidence_and_uncertain_flag():
    sure = parse_text(QA)
    assert sure.confidence >= 0.8 and not sure.uncertain
    vague = parse_text("Colours\nrojo\nred\nazul\nblue\nverde\n")  # odd, nothing tells the sides apart
    assert vague.uncertain and vague.confidence < 0.6


def test_layout_corrections():
    deck = parse_text(QA)
    layout = deck.layout
    layout.shift()
    deck.refresh()
    assert _pairs(deck) == [("Lima.", "Who wrote Hamlet?"), ("Shakespeare.", "What gas do plants absorb?")]
    reasons = {d.text: d.reason for d in deck.dropped}
    assert reasons[PAIRS[0][0]] == REASON_NO_QUESTION and reasons["Carbon dioxide."] == REASON_NO_ANSWER
    layout.shift()
    layout.swap()
    deck.refresh()
    assert _pairs(deck) == [(a, q) for q, a in PAIRS]
    layout.swap()
    layout.toggle_furniture(1)  # "Lima." is furniture: the pairing re-flows
    deck.refresh()
    assert {d.reason for d in deck.dropped} >= {REASON_USER}
    layout.toggle_furniture(1)
    layout.toggle_join(2)  # "Who wrote Hamlet?" joined onto Lima's answer
    deck.refresh()
    assert _pairs(deck)[0] == ("What is the capital of Peru?", "Lima.\nWho wrote Hamlet?")


def test_long_paste_progress_and_cancel():
    text = "".join(f"What is item {i}?\nAnswer {i}.\n" for i in range(20_000))
    seen: list[float] = []
    deck = parse_text(text, progress=seen.append)
    assert len(deck.cards) == 20_000
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 20
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        parse_text(text, cancel=cancel)


def test_a_200_mb_paste_is_refused():
    with pytest.raises(FormatError, match="too large"):
        parse_text("q\ta\n" * 50_000_000)
