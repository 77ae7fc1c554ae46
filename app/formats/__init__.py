"""Importers and exporters. Qt-free and database-free: text or bytes in, `ParsedDeck` out.

The entry points the CLI and the UI use:

- `parse_file(path, format="auto", separator=None, card_separator=None) -> ParsedDeck`
  reads a file (text of any supported shape, or an `.apkg`); the deck name falls back to the
  file name when the content has no title.
- `parse_text(text, format="auto", separator=None, card_separator=None) -> ParsedDeck`
  for pasted text (an import dialog's preview); `name` stays None when the text has no title.
- `app.formats.service.import_parsed(session, parsed, ...)` saves a ParsedDeck (see there).
- `app.formats.export.write_export(path, fmt, deck_name, records)` writes csv/tsv/json/apkg.

Every problem with the input raises `FormatError` with a one-line message fit for a user.
"""

from __future__ import annotations

from pathlib import Path

from app.formats import apkg, brainscape, dash_list, delimited, detect, knowt, quizlet_page, recall_json
from app.formats.base import FormatError, ParsedDeck, decode_text, name_from_path
from app.formats.paste import MAX_PASTE_BYTES, check_size, too_large
from app.formats.structure import CancelFn, Cancelled, ProgressFn

__all__ = ["FORMATS", "Cancelled", "FormatError", "ParsedDeck", "parse_bytes", "parse_file", "parse_text"]

# What `--format` accepts; "auto" detects.
FORMATS = ("auto", "knowt", "brainscape", "quizlet-page", "dash-list", "csv", "tsv", "apkg", "json")
FORMAT_LABELS = {
    "auto": "Detect automatically",
    "knowt": "Knowt page",
    "brainscape": "Brainscape page",
    "quizlet-page": "Quizlet-style page",
    "dash-list": "Dash list (- question / answer)",
    "csv": "CSV",
    "tsv": "TSV / Quizlet export",
    "apkg": "Anki package (.apkg)",
    "json": "Recall JSON",
}
_TEXT_PARSERS = {
    knowt.NAME: knowt.parse,
    brainscape.NAME: brainscape.parse,
    quizlet_page.NAME: quizlet_page.parse,
    dash_list.NAME: dash_list.parse,
    recall_json.NAME: recall_json.parse,
}


def _check_format(fmt: str) -> str:
    fmt = (fmt or "auto").lower().replace("_", "-")
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def parse_text(
    text: str,
    format: str = "auto",
    separator: str | None = None,
    card_separator: str | None = None,
    *,
    filename: str | Path | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ParsedDeck:
    """Cards from text. `separator`/`card_separator` apply to csv/tsv (and imply them under auto).

    `progress(fraction)` is called as a long paste is paired; when `cancel()` turns true the
    parse stops with `Cancelled`.
    """
    check_size(text)
    fmt = _check_format(format)
    if fmt == "apkg":
        raise FormatError("an Anki package is a file, not text; import the .apkg file itself")
    if fmt == "auto":
        if separator or card_separator:
            sep = delimited.resolve_separator(separator)
            fmt = delimited.NAME_TSV if sep == "\t" else delimited.NAME_CSV
        else:
            fmt = detect.detect_text(text, filename)
    if fmt in (delimited.NAME_CSV, delimited.NAME_TSV):
        return delimited.parse(text, separator, card_separator, kind=fmt)
    if fmt in (knowt.NAME, quizlet_page.NAME):
        return _TEXT_PARSERS[fmt](text, progress=progress, cancel=cancel)
    return _TEXT_PARSERS[fmt](text)


def parse_bytes(
    data: bytes,
    format: str = "auto",
    separator: str | None = None,
    card_separator: str | None = None,
    *,
    filename: str | Path | None = None,
) -> ParsedDeck:
    """Cards from a file's bytes: an `.apkg`, or text in UTF-8/UTF-16/Windows-1252."""
    fmt = _check_format(format)
    source = f"{Path(filename).name}" if filename else "the file"
    if fmt == "auto" and not (separator or card_separator):
        fmt = detect.detect_bytes(data, filename) or "auto"
    if fmt == "apkg":
        return apkg.parse_bytes(data)
    if len(data) > MAX_PASTE_BYTES:  # refused before decoding: no 200 MB string is ever made
        raise too_large(len(data), "bytes")
    text = decode_text(data, source)
    return parse_text(text, fmt, separator, card_separator, filename=filename)


def parse_file(
    path: str | Path,
    format: str = "auto",
    separator: str | None = None,
    card_separator: str | None = None,
) -> ParsedDeck:
    """Cards from a file; `name` is the content's title, else the file name."""
    path = Path(path)
    if path.is_dir():
        raise FormatError(f"{path} is a folder, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        parsed = parse_bytes(data, format, separator, card_separator, filename=path)
    except FormatError as exc:
        msg = str(exc)  # decode_text's messages name the file already: say it once
        raise FormatError(msg if msg.startswith(f"{path.name} ") else f"{path.name}: {msg}") from None
    if not parsed.name:
        parsed.name = name_from_path(path)
    return parsed
