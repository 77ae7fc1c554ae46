"""A copied Quizlet-like set page (Quizlet, Quizwiz and look-alikes).

Shape: a title line, maybe an advert, then paragraphs separated by blank lines alternating
question / answer, and a trailing "related sets" list (titles each followed by "View Set").
Answers are often `· ` bullet lists run together on one line; every bullet becomes its own line.
"""

from __future__ import annotations

import re

from app.formats.base import ParsedDeck, clean_page_text, make_card, no_cards, sanitize, title_without_suffix

NAME = "quizlet-page"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n+")
_RELATED = re.compile(
    r"^(related|similar|other|more)\s+(study\s+)?sets?\b|^students\s+also\s+(studied|viewed)|^recommended\s+sets?\b",
    re.I,
)
_VIEW_SET = re.compile(r"^view\s+set$", re.I)
_ADVERT = re.compile(
    r"study smarter|ace your (exams?|tests?|classes)|sign up|log ?in to|try (it )?(free|premium)|"
    r"free trial|go ad-free|upgrade to|get the app|download the app|advertisement|sponsored|"
    r"unlock (all|every)|for free!",
    re.I,
)
_BULLET = re.compile(r"(?:^|\s)[·•▪◦]\s+")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(sanitize(text)) if p.strip()]


def looks_like(text: str) -> int:
    paras = _paragraphs(text)
    if len(paras) < 3:
        return 0
    score = 1
    score += 2 * min(2, sum(1 for p in paras if _VIEW_SET.match(p)))
    score += 2 * min(2, sum(1 for p in paras if _RELATED.match(p)))
    score += min(3, sum(1 for p in paras if _BULLET.search(p)))
    score += 1 if any(_ADVERT.search(p) for p in paras[:3]) else 0
    return score


def _bullets_to_lines(paragraph: str) -> str:
    out = []
    for line in paragraph.split("\n"):
        if _BULLET.search(line):
            out.extend(item.strip() for item in _BULLET.split(line) if item.strip())
        else:
            out.append(line)
    return "\n".join(out)


def parse(text: str) -> ParsedDeck:
    paras = _paragraphs(text)
    # Everything from the related-sets heading on is furniture, and so is any "View Set" pair.
    for i, p in enumerate(paras):
        if _RELATED.match(p):
            paras = paras[:i]
            break
    while len(paras) >= 2 and _VIEW_SET.match(paras[-1]):
        paras = paras[:-2]
    paras = [p for p in paras if not _VIEW_SET.match(p)]
    name = None
    head_ads = [i for i, p in enumerate(paras[:3]) if _ADVERT.search(p) and len(p) < 160]
    paras = [p for i, p in enumerate(paras) if i not in head_ads]
    # What is left alternates question / answer; an odd paragraph out at the top is the title.
    if len(paras) % 2 == 1 and len(paras) > 1 and "\n" not in paras[0]:
        name = title_without_suffix(clean_page_text(paras[0])) or None
        paras = paras[1:]
    cards = []
    for i in range(0, len(paras) - 1, 2):
        card = make_card(clean_page_text(paras[i]), clean_page_text(_bullets_to_lines(paras[i + 1])))
        if card:
            cards.append(card)
    if len(paras) % 2 == 1 and cards:
        last = cards[-1]
        cards[-1] = make_card(last.front, f"{last.back}\n{clean_page_text(paras[-1])}") or last
    if not cards:
        raise no_cards("page", "expected questions and answers in paragraphs separated by blank lines")
    return ParsedDeck(name, cards, NAME)
