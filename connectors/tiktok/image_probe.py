"""Read an image's format and pixel size from its first bytes (PNG, JPEG, WEBP, GIF), no decoding.

TikTok checks format, size and resolution on upload and on listing; reading the header is enough to
check the same before sending, without an imaging dependency.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["ImageInfo", "probe_image"]

_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


@dataclass(frozen=True)
class ImageInfo:
    """What the header says: ``format`` is ``PNG``, ``JPEG``, ``WEBP`` or ``GIF``."""

    format: str
    width: int
    height: int
    size: int


def probe_image(data: bytes) -> ImageInfo | None:
    """Return the image's format and size, or None when the bytes are not a readable image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return ImageInfo("PNG", width, height, len(data))
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        return _webp(data)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return ImageInfo("GIF", width, height, len(data))
    return None


def _jpeg(data: bytes) -> ImageInfo | None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _JPEG_SOF and position + 9 <= len(data):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return ImageInfo("JPEG", width, height, len(data))
        position += 2 + length
    return None


def _webp(data: bytes) -> ImageInfo | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return ImageInfo("WEBP", width, height, len(data))
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("WEBP", width & 0x3FFF, height & 0x3FFF, len(data))
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("WEBP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, len(data))
    return None
