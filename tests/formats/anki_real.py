"""Build Anki packages with the official `anki` library (a test-only dependency), so the
round-trip tests read what Anki itself writes: `.apkg` (legacy schema 11 and current zstd
schema 18) and `.colpkg` (legacy and current)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

DECK = "Biology::Cells"
DAY_MS = 86_400_000
START_MS = 1_767_225_600_000  # 2026-01-01 UTC: the fake history starts here


def png_bytes() -> bytes:
    """A valid 2x2 PNG (Image Occlusion reads the image's size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def build_collection(folder: Path, *, with_occlusion: bool = True):
    """A collection with Basic, Basic (and reversed card), Cloze and (optionally) Image
    Occlusion notes, an image and a sound, and a review history on the Basic card."""
    from anki.collection import Collection

    col = Collection(str(folder / "source.anki2"))
    did = col.decks.id(DECK)
    media = Path(col.media.dir())
    (media / "cell.png").write_bytes(png_bytes())
    (media / "hello.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00fake mp3 frames")

    def add(kind: str, *fields: str, tags: str = "") -> int:
        note = col.new_note(col.models.by_name(kind))
        for i, value in enumerate(fields):
            note.fields[i] = value
        note.tags = tags.split()
        col.add_note(note, did)
        return note.id

    basic = add("Basic", "What is the <b>cell membrane</b>?", "A lipid bilayer<br>that controls traffic.", tags="bio exam")
    add("Basic (and reversed card)", "mitochondrion", "powerhouse of the cell", tags="bio")
    add("Cloze", "The {{c1::nucleus}} holds the {{c2::DNA::molecule}}.", "Extra: eukaryotes only", tags="cloze")
    add("Basic", 'Which organelle is this? <img src="cell.png">', "A chloroplast [sound:hello.mp3]", tags="media")
    if with_occlusion:
        nt = col.models.by_name("Image Occlusion")
        col.add_image_occlusion_note(
            nt["id"], str(media / "cell.png"), "{{c1::image-occlusion:rect:left=.1:top=.1:width=.3:height=.3}}",
            "Header", "", ["io"],
        )  # fmt: skip
        io_cards = col.find_cards("tag:io")
        col.set_deck(io_cards, did)
    card = col.get_note(basic).cards()[0]
    for rating in (2, 2, 0, 2):  # CardAnswer.Rating: Good, Good, Again, Good (revlog ease 3, 3, 1, 3)
        card = col.get_card(card.id)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
    # Spread the reviews over days, as a real history is (the revlog id is the time in ms).
    ids = [r for (r,) in col.db.all("SELECT id FROM revlog ORDER BY id")]
    for n, rid in enumerate(ids):
        col.db.execute("UPDATE revlog SET id = ? WHERE id = ?", START_MS + n * 3 * DAY_MS, rid)
    return col, card.id


def export_apkg(col, path: Path, *, legacy: bool) -> Path:
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    options = ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=legacy)
    did = col.decks.id_for_name(DECK)
    col.export_anki_package(out_path=str(path), options=options, limit=DeckIdLimit(deck_id=did))
    return path


def export_colpkg(col, path: Path, *, legacy: bool) -> Path:
    col.export_collection_package(str(path), include_media=True, legacy=legacy)
    return path


def import_into_anki(apkg: Path, folder: Path):
    """A fresh Anki collection with `apkg` imported into it."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(folder / "target.anki2"))
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=True))
    )
    return col
