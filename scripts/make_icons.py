"""Draws the app icons (planner/static/icons/*.png) from the same shapes as icon.svg.

Run once when the icon changes: `python scripts/make_icons.py`. Pure standard library (zlib,
struct), so it needs nothing installed; the PNGs it writes are committed.
The mark is Afterglow's "◐": a half-filled disc on the brand colour, drawn with 4×4
supersampling so its edge is smooth.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "planner" / "static" / "icons"
BACKGROUND = (0xC4, 0x53, 0x6B)  # --accent in app.css
LIGHT = (0xFF, 0xFA, 0xF7)  # --paper
SIZES = {"icon-192.png": (192, False), "icon-512.png": (512, False), "icon-maskable-512.png": (512, True)}
SAMPLES = 4


def _pixel(x: float, y: float, size: int, maskable: bool) -> tuple[int, int, int]:
    """The colour at (x, y): the disc's left half light, its right half a light ring only."""
    centre = size / 2
    radius = size * (0.28 if maskable else 0.36)  # maskable icons keep to the central safe zone
    ring = size * 0.035
    d = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
    if d <= radius and (x <= centre or d >= radius - ring):
        return LIGHT
    return BACKGROUND


def render(size: int, maskable: bool) -> bytes:
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type 0 for each scanline
        for x in range(size):
            total = [0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = _pixel(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES, size, maskable)
                    for i in range(3):
                        total[i] += colour[i]
            row.extend(round(t / SAMPLES ** 2) for t in total)
        rows.append(bytes(row))
    return _png(size, b"".join(rows))


def _png(size: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in SIZES.items():
        (ICONS / name).write_bytes(render(size, maskable))
        print(f"wrote {ICONS / name}")


if __name__ == "__main__":
    main()
