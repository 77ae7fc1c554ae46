"""The paste corpus (fixtures/corpus): every paste gives exactly its expected cards, and page
furniture added around or between the cards of a valid deck never changes them."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import parse_text
from tests.formats.corpus_accuracy import CORPUS, load, score

CASES = load()


def test_corpus_is_big_and_varied():
    assert len(CASES) >= 30
    formats = {meta.get("format", "plain") for _n, _t, meta in CASES}
    assert {"quizlet-page", "knowt", "brainscape", "dash-list", "tsv", "csv", "plain"} <= formats
    text = "".join(t for _n, t, _m in CASES)
    assert any("\u0590" <= ch <= "\u06ff" for ch in text)  # Hebrew / Arabic
    assert any(ord(ch) > 0x1F000 for ch in text)  # emoji


@pytest.mark.parametrize("name, text, meta", CASES, ids=[c[0] for c in CASES])
def test_corpus_paste(name, text, meta):
    deck = parse_text(text)
    assert [[c.front, c.back] for c in deck.cards] == meta["cards"]
    if meta.get("format"):
        assert deck.format == meta["format"]
    if "name" in meta:
        assert deck.name == meta["name"]
    for d in deck.dropped:
        assert d.reason and d.line >= 1
    assert 0.0 <= deck.confidence <= 1.0


def test_corpus_accuracy_figure(capsys):
    matched = total = 0
    for _name, text, meta in CASES:
        m, n = score(meta["cards"], [(c.front, c.back) for c in parse_text(text).cards])
        matched, total = matched + m, total + n
    print(f"corpus card-level accuracy {matched}/{total}")
    assert matched == total


def test_expected_files_are_well_formed():
    for txt in CORPUS.glob("*.txt"):
        meta = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        assert meta["cards"] and all(len(c) == 2 for c in meta["cards"])


# --- property: furniture never moves the cards -------------------------------------------------

QUESTIONS = [
    ("What is the capital of Peru?", "Lima."),
    ("Who painted the Mona Lisa?", "Leonardo da Vinci."),
    ("What gas do plants absorb?", "Carbon dioxide."),
    ("¿Cuál es el planeta más grande?", "Júpiter."),
    ("Quelle est la monnaie du Japon ?", "Le yen."),
    ("Wie viele Kontinente gibt es?", "Sieben."),
    ("Qual é o maior oceano do mundo?", "O oceano Pacífico."),
    ("How many sides does a hexagon have?", "Six."),
    ("What is the boiling point of water at sea level?", "100 degrees Celsius."),
    ("Which organ pumps blood through the body?", "The heart."),
]
VOCAB = [
    ("la ventana", "the window"),
    ("el reloj", "the clock"),
    ("die Brücke", "the bridge"),
    ("le fromage", "the cheese"),
    ("a cadeira", "the chair"),
    ("der Schlüssel", "the key"),
    ("la pluie", "the rain"),
    ("o livro", "the book"),
    ("el árbol", "the tree"),
    ("das Fenster", "the window pane"),
]
TERMS = [
    ("Photosynthesis", "The process by which plants make glucose from light."),
    ("Erosion", "The wearing away of rock and soil by wind and water."),
    ("Democracy", "Government by the people, through elected representatives."),
    ("Metaphor", "A figure of speech that describes one thing as another."),
    ("Inertia", "The tendency of an object to keep its state of motion."),
    ("Osmosis", "The movement of water across a membrane."),
    ("Mitosis", "Cell division that gives two identical daughter cells."),
    ("Catalyst", "A substance that speeds up a reaction without being used up."),
]
# Furniture a site prints around or between cards, in five languages.
ANYWHERE = [
    "Advertisement",
    "Publicidad",
    "Werbung",
    "Publicité",
    "3 / 12",
    "12 terms",
    "24 términos",
    "15 Begriffe",
    "Study smarter: ace your exams with flashcards!",
    "¡Supera tus tareas y exámenes ahora con Quizwiz!",
    "Arrase nas suas provas com o Quizwiz Plus!",
    "Réussis tes examens avec nos fiches !",
    "Lerne schlauer mit Karteikarten!",
    "We use cookies to improve your experience. Accept all",
]
EDGES = ANYWHERE + [
    "Share",
    "Print",
    "Compartir",
    "Imprimer",
    "Teilen   Drucken",
    "Flashcards   Learn   Test   Match",
    "Created by teacher_ana",
    "Creado por profe_luis",
    "Erstellt von herr_schmidt",
    "4.7 (128 reviews)",
]
FOOTERS = [
    ["Related study sets", "Biology chapter 4", "View Set"],
    ["Conjuntos de estudio relacionados", "Química 2", "Ver conjunto"],
    ["Students also studied", "World history quiz"],
    ["Ähnliche Lernsets", "Englisch Vokabeln", "Set ansehen"],
    ["Les étudiants ont également étudié", "Histoire : la Révolution"],
]


@st.composite
def decks_with_furniture(draw):
    pool = draw(st.sampled_from([QUESTIONS, VOCAB, TERMS]))
    cards = draw(st.lists(st.sampled_from(pool), min_size=3, max_size=7, unique=True))
    paragraphs = draw(st.booleans())
    units: list[str] = [u for card in cards for u in card]
    # Furniture between units: any position inside the deck, never breaking a card's text.
    inserts = draw(st.lists(st.tuples(st.integers(1, len(units) - 1), st.sampled_from(ANYWHERE)), max_size=3))
    for pos, line in sorted(inserts, reverse=True):
        units.insert(pos, line)
    head = draw(st.lists(st.sampled_from(EDGES), max_size=3))
    tail = draw(st.lists(st.sampled_from(EDGES), max_size=2))
    footer = draw(st.one_of(st.just([]), st.sampled_from(FOOTERS)))
    title = ["Unit 5 review"] if paragraphs and draw(st.booleans()) else []
    lines = head + title + units + tail + footer
    text = ("\n\n" if paragraphs else "\n").join(lines) + "\n"
    clean = ("\n\n" if paragraphs else "\n").join(u for card in cards for u in card) + "\n"
    return cards, text, clean


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks_with_furniture())
def test_furniture_never_changes_the_cards(case):
    cards, text, clean = case
    expected = [(q, a) for q, a in cards]
    assert [(c.front, c.back) for c in parse_text(clean).cards] == expected
    assert [(c.front, c.back) for c in parse_text(text).cards] == expected
