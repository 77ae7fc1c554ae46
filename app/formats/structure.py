"""Find the cards in a pasted page by its structure, not by position.

The paste is a list of units (lines, or paragraphs). Each unit may be a question, an answer,
the continuation of the previous answer (a multi-line answer), or furniture to drop. A small
Viterbi search picks the cheapest labelling that respects the grammar
`(drop* question drop* answer continuation*)*`, using the evidence the page has:

- furniture patterns in five languages (furniture.py): known furniture is nearly free to drop and
  costly to keep; button-like words only count near the edges or when they repeat;
- "Term"/"Definition" labels and "Q:"/"A:" prefixes fix the next unit's role; card numbers
  running 1, 2, 3 ... mark the next unit as a question;
- question marks, numbering and bullets say which side of a pair a unit is on;
- a unit's length against the page's median, with the sign (are questions the short side?)
  learnt by running the search both ways and keeping the cheaper;
- a line that repeats at a regular stride is furniture; so is a repeat of the title.

Dropping an ordinary unit is cheap only at the edges, so a stray line at the top or bottom is
dropped instead of shifting every pair. The confidence is the cost margin to the best labelling
that pairs differently (shifted by one); below 0.6 the result is flagged uncertain.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from app.formats import furniture
from app.formats.base import clean_page_text
from app.formats.layout import Unit

# What the search may do with a unit.
Q, A, C, D = range(4)
# States between units: waiting for a question, waiting for an answer, after an answer.
_WAIT_Q, _WAIT_A, _AFTER_A = range(3)
_INF = float("inf")

HARD_KEEP = 6.0  # keeping a line that a pattern calls furniture
SOFT_KEEP = 2.5  # keeping a button-like word near the edges
INNER_DROP = 4.5  # dropping an ordinary unit among the cards
EDGE_DROP = 1.5  # ... within the first or last two units
TITLE_DROP = 0.4  # dropping a title-like first unit
LENGTH_WEIGHT = 0.35
UNCERTAIN_BELOW = 0.6
_EDGE = 2
_SOFT_ZONE = 3

_Q_PREFIX = re.compile(r"^(q|p|f|question|pregunta|pergunta|frage)\s*[:.)]\s+", re.I)
_A_PREFIX = re.compile(r"^(a|r|answer|respuesta|resposta|r[ée]ponse|antwort)\s*[:.)]\s+", re.I)
_NUMBERED = re.compile(r"^\s*\d{1,4}[.)]\s+\S")
_BULLET = re.compile(r"^\s*[·•▪◦‣∙*-]\s+")
_QMARK, _DOT, _BARE = 1, 2, 4
_SHOUT = re.compile(r"!\s*$|^¡|!\s+\S")  # promotional lines exclaim
_SOFT = {"navigation or share button", "author line", "rating line", furniture.REASON_NUMBER}


class Cancelled(Exception):
    """The user cancelled a long import; nothing was parsed or written."""


ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]


@dataclass
class Pairing:
    confidence: float
    uncertain: bool
    title: str | None


def strip_role_prefix(text: str) -> str:
    return _A_PREFIX.sub("", _Q_PREFIX.sub("", text, count=1), count=1)


def _features(
    units: list[Unit], paragraphs: bool, tick: Callable[[int], None] | None = None
) -> tuple[list[float], list[tuple[float, bool]], list[tuple[float, float]], int | None]:
    """Per unit: question-likeness, (log length against the median, starts lower-case),
    (drop cost, keep penalty); and the index of the title, if the page starts with one."""
    texts = [clean_page_text(u.text) for u in units]
    n = len(texts)
    lengths = sorted(len(t) for t in texts) or [1]
    median = lengths[len(lengths) // 2]
    qs = [_question_likeness(t) for t in texts]
    zs = [(max(-2.0, min(2.0, math.log((len(t) + 4) / (median + 4)))), t[:1].islower()) for t in texts]
    counts = Counter(t.casefold() for t in texts)
    regular = _regular_repeats(texts, counts)
    numbers = _card_numbers(texts)
    reasons: list[str | None] = []
    for i, t in enumerate(texts):
        if tick is not None and i % 2000 == 0:
            tick(i)
        reason = units[i].reason or furniture.classify(t)
        role = furniture.label_role(t)
        if role and i + 1 < n:
            qs[i + 1] += 3.0 if role == "q" else -3.0
            reason = reason or furniture.REASON_LABEL
        if i in numbers:
            reason = reason or furniture.REASON_NUMBER
            if i + 1 < n:
                qs[i + 1] += 1.5
        if not reason and t.casefold() in regular:
            reason = furniture.REASON_REPEATED
        reasons.append(reason)
    # Edges and title are judged among the units no pattern claimed.
    plain = [i for i, r in enumerate(reasons) if r is None]
    title_at = plain[0] if plain and furniture.looks_like_title(texts[plain[0]]) else None
    title = texts[title_at].casefold() if title_at is not None else None
    head = plain[_SOFT_ZONE - 1] if len(plain) >= _SOFT_ZONE else n
    tail = plain[-_SOFT_ZONE] if len(plain) >= _SOFT_ZONE else -1
    edges = set(plain[:_EDGE] + plain[-_EDGE:])
    costs: list[tuple[float, float]] = []
    for i, t in enumerate(texts):
        reason = reasons[i]
        if not reason and title and i != title_at and t.casefold() == title:
            reason = furniture.REASON_TITLE_REPEAT
        if reason in _SOFT and not (i < head or i > tail or counts[t.casefold()] > 1):
            reason = None  # a lone "Share" among the cards is more likely a card
        units[i].reason = reason
        if reason in _SOFT:
            costs.append((0.0, SOFT_KEEP))
        elif reason:
            costs.append((0.0, HARD_KEEP))
        elif i == title_at:
            # A paragraph page nearly always starts with its title; a line page seldom does.
            costs.append((TITLE_DROP, 1.0 if paragraphs else 0.0))
        elif i in edges:
            costs.append((EDGE_DROP - (0.8 if _SHOUT.search(t) else 0.0), 0.0))
        else:
            costs.append((INNER_DROP - (1.0 if _SHOUT.search(t) else 0.0), 0.0))
    return qs, zs, costs, title_at


def _question_likeness(t: str) -> float:
    """Above 0: reads like a question or a bare term; below 0: like an answer."""
    q = 0.0
    first_line = t.split("\n", 1)[0]
    if re.search(r"[?？؟]$", first_line) or t.startswith("¿"):
        q += 1.5
    elif "?" in t:
        q += 0.3
    if _NUMBERED.match(t) and "\n" not in t:
        q += 0.7
    if _BULLET.match(t):
        q -= 1.0
    if "\n" in t:
        q -= 0.8
    if t.endswith("."):
        q -= 0.5 if len(t.split()) >= 5 else 0.25
    elif len(t.split()) <= 4 and not re.search(r"[.!:;,]$", t):
        q += 0.2  # a bare term
    if _Q_PREFIX.match(t):
        q += 3.0
    elif _A_PREFIX.match(t):
        q -= 3.0
    return q


def _regular_repeats(texts: list[str], counts: Counter[str]) -> set[str]:
    """Short lines seen 3+ times at one fixed stride ("Show answer" under every card)."""
    out = set()
    for key, count in counts.items():
        if count < 3 or len(key) > 60 or not key:
            continue
        where = [i for i, t in enumerate(texts) if t.casefold() == key]
        gaps = {b - a for a, b in zip(where, where[1:], strict=False)}
        if len(gaps) == 1 and gaps.pop() >= 2:
            out.add(key)
    return out


def _card_numbers(texts: list[str]) -> set[int]:
    """Indexes of bare numbers that count 1, 2, 3 ... through the page."""
    found: list[int] = []
    expect = 1
    for i, t in enumerate(texts):
        if furniture.is_card_number(t) and int(t.strip("#. ")) == expect:
            found.append(i)
            expect += 1
    return set(found) if len(found) >= 2 else set()


@dataclass
class _Model:
    """Per-unit action costs, before the length term (whose sign is searched)."""

    q: list[float]
    a: list[float]
    c: list[float]
    drop: list[float]
    z: list[float]
    style: list[int]


def _model(
    qs: list[float], zs: list[tuple[float, bool]], costs: list[tuple[float, float]], styles: list[int], lines: bool
) -> _Model:
    base = 2.0 if lines else 4.0  # joining onto an answer: usual for a bullet line, rare otherwise
    q, a, c = [], [], []
    for i, (qv, (_z, lower), (_drop, keep)) in enumerate(zip(qs, zs, costs, strict=True)):
        q.append(keep - 0.6 * qv)
        a.append(keep + 0.6 * qv)
        # A continuation line looks like the line it continues (list items alike); a stray one not.
        alike = i > 0 and styles[i] == styles[i - 1] and abs(zs[i][0] - zs[i - 1][0]) < 0.7
        c.append(keep + base + 0.8 * qv - (0.6 if lower else 0.0) + (0.0 if alike else 0.6))
    return _Model(q, a, c, [d for d, _k in costs], [z for z, _l in zs], styles)


def _style(text: str) -> int:
    first = text.split("\n", 1)[0].rstrip()
    bits = 0
    if re.search(r"[?？؟]$", first) or text.startswith("¿"):
        bits |= _QMARK
    if re.search(r"[.)]$", text.rstrip()):
        bits |= _DOT
    if not re.search(r"[.?!:;,)]$", text.rstrip()) and "\n" not in text:
        bits |= _BARE
    return bits


def _consistency_rule(m: _Model, actions: list[int], lines: bool) -> bool:
    """A page keeps one style per side: if its questions end in "?" (or its answers in a full
    stop...), a unit without that mark is unlikely on that side. Line pages get a strong "?" rule:
    a line without one continues the answer above it (a multi-line answer). Returns whether the
    model changed."""
    changed = False
    for role, costs in ((Q, m.q), (A, m.a)):
        members = [i for i, act in enumerate(actions) if act == role]
        if len(members) < 2:
            continue
        for bit in (_QMARK, _DOT, _BARE):
            share = sum(1 for i in members if m.style[i] & bit) / len(members)
            strong = lines and role == Q and bit == _QMARK
            if share < (0.6 if strong else 0.75) or (len(members) < 3 and not strong):
                continue
            for i, st in enumerate(m.style):
                if not st & bit:
                    costs[i] += 3.0 if strong else share
                    if strong:
                        m.c[i] -= 0.8
            changed = True
    return changed


def _viterbi(
    m: _Model,
    sign: float,
    forced: dict[int, int] | None = None,
    cancel: CancelFn | None = None,
    progress: ProgressFn | None = None,
) -> tuple[float, list[int]]:
    """The cheapest action per unit and its cost."""
    n = len(m.q)
    forced = forced or {}
    w_q, w_a, w_c = 0.0, _INF, _INF  # best cost in each state: waiting for q (start), for a, after a
    back: list[tuple[int, int, int, int, int, int]] = []  # per unit: (from, action) into each state
    step = max(1, n // 50)
    lw = sign * LENGTH_WEIGHT
    for i in range(n):
        if i % step == 0:
            if cancel is not None and cancel():
                raise Cancelled()
            if progress is not None:
                progress(i / max(1, n))
        lz = lw * m.z[i]
        drop, cq, ca, cc = m.drop[i], m.q[i] + lz, m.a[i] - lz, m.c[i]
        allowed = forced.get(i)
        if allowed == D:
            cq = ca = cc = _INF
        elif allowed == Q:
            drop = ca = cc = _INF
        elif allowed == A:
            drop = cq = cc = _INF
        elif allowed is not None:
            drop = _INF
        # into waiting-for-q: only by dropping while waiting for q
        nq, bq = w_q + drop, (_WAIT_Q, D)
        # into waiting-for-a: a question after the start or after an answer, or a drop
        from_q, from_c = w_q + cq, w_c + cq
        na, ba = (from_q, (_WAIT_Q, Q)) if from_q <= from_c else (from_c, (_AFTER_A, Q))
        if w_a + drop < na:
            na, ba = w_a + drop, (_WAIT_A, D)
        # into after-answer: the answer, a continuation, or a drop
        nc, bc = w_a + ca, (_WAIT_A, A)
        if w_c + cc < nc:
            nc, bc = w_c + cc, (_AFTER_A, C)
        if w_c + drop < nc:
            nc, bc = w_c + drop, (_AFTER_A, D)
        back.append((*bq, *ba, *bc))
        w_q, w_a, w_c = nq, na, nc
    end = _AFTER_A if w_c < _INF else _WAIT_Q
    total = w_c if end == _AFTER_A else w_q
    actions = [D] * n
    state = end
    for i in range(n - 1, -1, -1):
        prev, act = back[i][2 * state], back[i][2 * state + 1]
        actions[i] = act
        state = prev
    return total, actions


def pair_units(
    units: list[Unit],
    *,
    lines: bool,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Pairing:
    """Label `units` in place (reason / joined) and say how sure the pairing is."""
    candidates = [u for u in units if u.reason is None]
    if not candidates:
        return Pairing(0.0, True, None)
    n = len(candidates)

    def tick(i: int) -> None:  # reading the features is the first 40% of the work
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(0.4 * i / n)

    qs, zs, costs, title_at = _features(candidates, paragraphs=not lines, tick=tick)
    for i, u in enumerate(candidates):
        # Bullet or numbered lines after the first are answer material.
        if lines and i > 0 and (_BULLET.match(u.text) or _NUMBERED.match(u.text)):
            qs[i] -= 1.2
    model = _model(qs, zs, costs, [_style(clean_page_text(u.text)) for u in candidates], lines)

    def search(part: float) -> tuple[float, list[int], float]:
        best: tuple[float, list[int], float] | None = None
        for sign in (1.0, -1.0):
            offset = 0.4 + part * 0.6 + (0.15 if sign < 0 else 0.0)
            done = (lambda x, o=offset: progress(o + 0.15 * x)) if progress else None
            total, actions = _viterbi(model, sign, cancel=cancel, progress=done)
            if best is None or total < best[0] - 1e-9:
                best = (total, actions, sign)
        assert best is not None
        return best

    total, actions, sign = search(0.0)
    if _consistency_rule(model, actions, lines):
        total, actions, sign = search(0.5)
    margin = _margin(model, sign, actions, total)
    title = None
    strays = 0
    for i, (u, act) in enumerate(zip(candidates, actions, strict=True)):
        if act != D:
            u.reason, u.joined = None, act == C
            continue
        if u.reason is None:
            is_title = i == title_at
            u.reason = furniture.REASON_TITLE if is_title else furniture.REASON_STRAY
            title = clean_page_text(u.text) if is_title else title
            strays += 0 if is_title or i in (0, len(candidates) - 1) else 1
    confidence = (1.0 - math.exp(-margin / 3.0)) * (0.85**strays)
    confidence = round(max(0.0, min(1.0, confidence)), 3)
    if progress is not None:
        progress(1.0)
    return Pairing(confidence, confidence < UNCERTAIN_BELOW, title)


_WINDOW = 400


def _cut(m: _Model, n: int) -> _Model:
    return _Model(m.q[:n], m.a[:n], m.c[:n], m.drop[:n], m.z[:n], m.style[:n])


def _margin(m: _Model, sign: float, actions: list[int], total: float) -> float:
    """Cost gap to the best labelling shifted by one unit at the start of the card region."""
    if len(actions) > _WINDOW:  # shifting the start only changes the beginning: compare on a window
        m = _cut(m, _WINDOW)
        total, actions = _viterbi(m, sign, forced=dict(enumerate(actions[:_WINDOW])))
    first = next((i for i, a in enumerate(actions) if a == Q), None)
    if first is None:
        return 0.0
    answer = next((i for i in range(first + 1, len(actions)) if actions[i] == A), None)
    alts: list[dict[int, int]] = []
    if answer is not None:  # shifted later: the first question is furniture, its answer asks
        alts.append({first: D, answer: Q})
    kept_before = [i for i in range(first) if m.drop[i] > 0.0]  # ordinary lines dropped above it
    if kept_before:  # shifted earlier: the last of them asks, the first question answers
        alts.append({kept_before[-1]: Q, first: A})
    gaps = []
    for forced in alts:
        cost, alt = _viterbi(m, sign, forced=forced)
        if alt != actions:
            gaps.append(cost - total)
    return max(0.0, min(gaps)) if gaps else 10.0
