"""Product photos for the demo's catalog: small PNG files, served over HTTP like a shop's CDN.

SFCC keeps image URLs, not images; the TikTok catalog push downloads each one, checks it and
uploads it to TikTok. The demo writes one 800x800 PNG per category and shade and serves the
directory with Python's own HTTP server, so every URL in the catalog answers with a real image.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from demo.categories import CATEGORIES, Category

SIZE = 800
SHADES = 4
# A base colour per category; the shades lighten it.
BASE_COLOURS: tuple[tuple[int, int, int], ...] = (
    (46, 64, 54),
    (176, 112, 74),
    (86, 110, 140),
    (60, 60, 66),
    (150, 120, 160),
    (90, 100, 60),
    (200, 160, 120),
)


def image_path(category: Category, shade: int) -> str:
    """The path of a product photo under the image root (also its URL path)."""
    return f"{category.sfcc_category_id}/{shade % SHADES}.png"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid RGB PNG of one colour with a darker border, so it looks like a framed photo."""
    border = tuple(max(0, c - 40) for c in rgb)
    edge = bytes(border) * width
    middle = bytes(border) * 24 + bytes(rgb) * (width - 48) + bytes(border) * 24
    rows = [edge if y < 24 or y >= height - 24 else middle for y in range(height)]
    raw = b"".join(b"\x00" + row for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def write_images(root: Path) -> int:
    """Write every photo the catalog refers to; returns how many files were written."""
    count = 0
    for index, category in enumerate(CATEGORIES):
        base = BASE_COLOURS[index % len(BASE_COLOURS)]
        for shade in range(SHADES):
            path = root / image_path(category, shade)
            path.parent.mkdir(parents=True, exist_ok=True)
            colour = tuple(min(255, c + shade * 28) for c in base)
            path.write_bytes(png(SIZE, SIZE, (colour[0], colour[1], colour[2])))
            count += 1
    return count
