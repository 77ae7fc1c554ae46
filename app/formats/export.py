"""Exporters: CSV, TSV (Quizlet-compatible), Recall JSON and Anki `.apkg`.

- CSV: a `front,back,tags` header, then one card a row, quoted as spreadsheets expect.
- TSV: `term<TAB>definition`, one card a line, no header: what Quizlet's import takes with its
  default settings. A field holding a tab or a line break is quoted CSV-style ("two\\nlines"),
  which spreadsheets, Anki and Recall read back whole; tags are left out (Quizlet has none).
- JSON: Recall's own format (see recall_json), lossless.
- APKG: a legacy Anki package with one Basic note type (see apkg).

Files are written to a temporary name beside the target and renamed, so a failed export never
leaves half a file behind.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from app.formats import apkg, recall_json
from app.store.repo import CardRecord

EXPORT_FORMATS = ("csv", "tsv", "json", "apkg")


def csv_text(records: Sequence[CardRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["front", "back", "tags"])
    for r in records:
        w.writerow([r.front, r.back, " ".join(r.tags)])
    return buf.getvalue()


def tsv_text(records: Sequence[CardRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for r in records:
        w.writerow([r.front, r.back])
    return buf.getvalue()


def export_bytes(fmt: str, deck_name: str, records: Sequence[CardRecord], description: str = "") -> bytes:
    """The file content for `fmt` (one of EXPORT_FORMATS)."""
    if fmt == "csv":
        return csv_text(records).encode("utf-8")
    if fmt == "tsv":
        return tsv_text(records).encode("utf-8")
    if fmt == "json":
        return recall_json.dumps(deck_name, records, description).encode("utf-8")
    if fmt == "apkg":
        return apkg.apkg_bytes(deck_name, records)
    raise ValueError(f"unknown export format {fmt!r}")


def format_for_path(path: str | Path) -> str | None:
    """The export format a file name asks for (`deck.tsv` → "tsv"), or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"txt": "tsv", "colpkg": None}.get(suffix, suffix) if suffix in (*EXPORT_FORMATS, "txt") else None


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write to a temp file in the same folder, then rename over `path`."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_export(
    path: str | Path, fmt: str, deck_name: str, records: Sequence[CardRecord], description: str = ""
) -> None:
    atomic_write(path, export_bytes(fmt, deck_name, records, description))
