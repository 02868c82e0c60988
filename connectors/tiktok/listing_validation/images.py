"""Main image rules: how many, and each one's format, file size and resolution."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .issue import ListingIssue, invalid, quote
from .model import MainImage

__all__ = [
    "ALLOWED_IMAGE_FORMATS",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_SIDE",
    "MAX_MAIN_IMAGES",
    "MIN_IMAGE_SIDE",
    "check_main_images",
]

MAX_MAIN_IMAGES = 9
# Newer second-hand notes add WEBP, HEIC and BMP (UNCERTAIN); the official text names only these.
ALLOWED_IMAGE_FORMATS = frozenset({"JPG", "JPEG", "PNG"})
# "5 MB" is read as 5 MiB (UNCERTAIN: the docs do not say which megabyte); newer notes claim 10 MB.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MIN_IMAGE_SIDE = 300
MAX_IMAGE_SIDE = 4000


def check_main_images(images: list[MainImage]) -> list[ListingIssue]:
    """Return the rules the main images break; values left as None are checked after upload instead."""
    if not images:
        return [
            invalid(
                "main_images",
                "main_images.required",
                "The product has no main image; add at least one (JPG or PNG, 300 to 4000 px).",
            )
        ]
    issues: list[ListingIssue] = []
    if len(images) > MAX_MAIN_IMAGES:
        issues.append(
            invalid(
                "main_images",
                "main_images.max_count",
                f"The product has {len(images)} main images; TikTok Shop allows at most {MAX_MAIN_IMAGES}, "
                f"so remove {len(images) - MAX_MAIN_IMAGES} (they show in list order).",
            )
        )
    for index, image in enumerate(images):
        issues.extend(_image_issues(index, image))
    return issues


def _format_of(image: MainImage) -> str | None:
    if image.format:
        return image.format.strip().lstrip(".").upper()
    suffix = PurePosixPath(urlsplit(image.url).path).suffix
    return suffix.lstrip(".").upper() or None


def _px(value: int | None) -> str:
    return "?" if value is None else str(value)


def _image_issues(index: int, image: MainImage) -> list[ListingIssue]:
    prefix = f"main_images[{index}]"
    label = f"Main image {index + 1}"
    issues: list[ListingIssue] = []
    image_format = _format_of(image)
    if image_format is not None and image_format not in ALLOWED_IMAGE_FORMATS:
        issues.append(
            invalid(
                f"{prefix}.format",
                "main_images.format",
                f"{label} ({quote(image.url)}) is {image_format}; TikTok Shop accepts JPG, JPEG or PNG, "
                "so convert it.",
            )
        )
    if image.size_bytes is not None and image.size_bytes > MAX_IMAGE_BYTES:
        issues.append(
            invalid(
                f"{prefix}.size_bytes",
                "main_images.max_size",
                f"{label} is {image.size_bytes / (1024 * 1024):.1f} MB; TikTok Shop allows at most 5 MB, "
                "so compress or resize it.",
            )
        )
    bad_sides = [
        side
        for side, value in (("width", image.width), ("height", image.height))
        if value is not None and not MIN_IMAGE_SIDE <= value <= MAX_IMAGE_SIDE
    ]
    if bad_sides:
        # One issue per image: naming the single bad side keeps the field precise.
        field = f"{prefix}.{bad_sides[0]}" if len(bad_sides) == 1 else prefix
        issues.append(
            invalid(
                field,
                "main_images.resolution",
                f"{label} is {_px(image.width)}x{_px(image.height)} px; TikTok Shop needs each side between "
                f"{MIN_IMAGE_SIDE} and {MAX_IMAGE_SIDE} px, so resize it.",
            )
        )
    return issues
