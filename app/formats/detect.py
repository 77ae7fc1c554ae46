"""Which importer fits a text: from the file name where it says, else from the text's shape.

The page formats score their own telltales (Knowt's counter and mode table, Brainscape's Q/A and
confidence block, a Quizlet page's "View Set" list and bullets, dash lists); the best score wins
when it is clear. Otherwise a separator shared by most lines means CSV/TSV, and plain
paragraphs or lines fall back to the question/answer page readers.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.formats import brainscape, dash_list, delimited, knowt, quizlet_page, recall_json
from app.formats.base import FormatError, sanitize

_BY_SUFFIX = {
    ".apkg": "apkg",
    ".colpkg": "apkg",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
}
_PAGE_SCORERS = (
    (knowt.NAME, knowt.looks_like),
    (brainscape.NAME, brainscape.looks_like),
    (quizlet_page.NAME, quizlet_page.looks_like),
    (dash_list.NAME, dash_list.looks_like),
)
_CLEAR = 3


def format_from_name(filename: str | Path | None) -> str | None:
    if not filename:
        return None
    return _BY_SUFFIX.get(Path(filename).suffix.lower())


def detect_bytes(data: bytes, filename: str | Path | None = None) -> str | None:
    """ "apkg" for a zip, else whatever the file name says (None: look at the text)."""
    if data.startswith(b"PK\x03\x04"):
        return "apkg"
    by_name = format_from_name(filename)
    return None if by_name == "apkg" else by_name


def detect_text(text: str, filename: str | Path | None = None) -> str:
    """The format name for `text`; FormatError when nothing fits."""
    by_name = format_from_name(filename)
    if by_name and by_name != "apkg":
        return by_name
    text = sanitize(text)
    if not text.strip():
        raise FormatError("the text is empty")
    if recall_json.looks_like(text) >= 3:
        return recall_json.NAME
    scores = {name: scorer(text) for name, scorer in _PAGE_SCORERS}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= _CLEAR:
        return best
    lines = [ln for ln in text.split("\n") if ln.strip()]
    has_paragraphs = bool(re.search(r"\n[ \t]*\n", text.strip()))
    if delimited.share_with(text, "\t") >= 0.5:
        return delimited.NAME_TSV
    if not has_paragraphs:
        for sep in (";", ","):
            if delimited.share_with(text, sep) >= 0.8:
                return delimited.NAME_CSV
    if scores[dash_list.NAME] > 0:
        return dash_list.NAME
    if has_paragraphs and len(re.split(r"\n[ \t]*\n", text.strip())) >= 2:
        return quizlet_page.NAME
    if len(lines) >= 2:
        return knowt.NAME  # plain alternating question / answer lines
    raise FormatError("could not tell what format this is; choose one with --format")
