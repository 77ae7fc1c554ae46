"""The committed icon files are what the installers expect: real PNGs, and .ico/.icns tables that add up."""

import struct
from pathlib import Path

import pytest

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
PNG_SIG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIG
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256, 512])
def test_hicolor_pngs_have_their_size(size):
    assert png_size((ICONS / f"recall-{size}.png").read_bytes()) == (size, size)


def test_ico_table_points_at_pngs_of_the_listed_sizes():
    data = (ICONS / "recall.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = set()
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        w, h = w or 256, h or 256
        assert (planes, bpp) == (1, 32)
        assert png_size(data[offset : offset + length]) == (w, h)
        sizes.add(w)
    assert {16, 32, 48, 256} <= sizes


def test_icns_elements_fill_the_file_and_hold_pngs():
    data = (ICONS / "recall.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    pos, kinds = 8, {}
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        kinds[kind] = png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    assert kinds[b"ic10"] == 1024 and kinds[b"ic07"] == 128 and kinds[b"icp4"] == 16


def test_icon_writer_round_trips(tmp_path):
    import make_icon

    fake = {16: PNG_SIG + b"\0\0\0\rIHDR" + struct.pack(">II", 16, 16), 256: PNG_SIG + b"\0\0\0\rIHDR" + struct.pack(">II", 256, 256)}
    ico = make_icon.ico_bytes(fake)
    assert struct.unpack_from("<H", ico, 4)[0] == 2
    # the 256 entry is written as 0 x 0, as the format requires
    assert ico[6 + 16 : 6 + 18] == b"\0\0"
