"""A copied Quizlet-like set page (Quizlet, Quizwiz and look-alikes).

Shape: a title line, maybe an advert, then paragraphs separated by blank lines alternating
question / answer, and a trailing "related sets" list (titles each followed by "View Set").
Answers are often `· ` bullet lists run together on one line; every bullet becomes its own line.
"""

from __future__ import annotations

import re

from app.formats import furniture
from app.formats.base import ParsedDeck, clean_page_text, sanitize
from app.formats.paste import build_deck, paragraph_units
from app.formats.structure import CancelFn, ProgressFn

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
    score += 2 * min(2, sum(1 for p in paras if _VIEW_SET.match(p) or furniture.is_view_set(p)))
    score += 2 * min(2, sum(1 for p in paras if _RELATED.match(p) or furniture.is_footer(p.split("\n")[0])))
    score += min(3, sum(1 for p in paras if _BULLET.search(p)))
    score += 1 if any(_ADVERT.search(p) or furniture.classify(p) for p in paras[:3]) else 0
    return score


def _bullets_to_lines(paragraph: str) -> str:
    out = []
    for line in paragraph.split("\n"):
        if _BULLET.search(line):
            out.extend(item.strip() for item in _BULLET.split(line) if item.strip())
        else:
            out.append(line)
    return "\n".join(out)


def parse(text: str, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> ParsedDeck:
    units = paragraph_units(text)
    for u in units[:3]:
        if _ADVERT.search(u.text) and len(u.text) < 160:
            u.reason = "promotional banner"
    return build_deck(
        units,
        NAME,
        lines=False,
        kind="page",
        hint="expected questions and answers in paragraphs separated by blank lines",
        clean_answer=lambda t: clean_page_text(_bullets_to_lines(t)),
        progress=progress,
        cancel=cancel,
    )
