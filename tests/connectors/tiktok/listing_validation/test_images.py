from __future__ import annotations

from typing import Any

import pytest

from .drafts import found, good


def _image(**fields: Any) -> dict[str, Any]:
    image: dict[str, Any] = {
        "url": "https://cdn.example.com/a.jpg",
        "width": 800,
        "height": 800,
        "size_bytes": 100_000,
    }
    image.update(fields)
    return image


def _with(*images: dict[str, Any]) -> list[tuple[str, str]]:
    data = good()
    data["main_images"] = list(images)
    return found(data)


def test_main_images_none_is_required() -> None:
    assert _with() == [("main_images.required", "main_images")]


def test_main_images_one_to_nine_pass() -> None:
    assert _with(_image()) == []
    assert _with(*[_image()] * 9) == []


def test_main_images_ten_is_too_many() -> None:
    assert _with(*[_image()] * 10) == [("main_images.max_count", "main_images")]


@pytest.mark.parametrize("image_format", ["webp", "GIF", "heic"])
def test_main_images_format_must_be_jpg_or_png(image_format: str) -> None:
    assert _with(_image(), _image(format=image_format)) == [("main_images.format", "main_images[1].format")]


@pytest.mark.parametrize("image_format", ["jpg", "JPEG", ".png"])
def test_main_images_allowed_formats_pass_in_any_case(image_format: str) -> None:
    assert _with(_image(format=image_format)) == []


def test_main_images_format_falls_back_to_the_url_extension() -> None:
    assert _with(_image(url="https://cdn.example.com/a.gif?v=2")) == [
        ("main_images.format", "main_images[0].format")
    ]
    assert _with(_image(url="https://cdn.example.com/image/12345")) == []


def test_main_images_over_5_mb_is_too_large() -> None:
    assert _with(_image(size_bytes=5 * 1024 * 1024)) == []
    assert _with(_image(size_bytes=5 * 1024 * 1024 + 1)) == [
        ("main_images.max_size", "main_images[0].size_bytes")
    ]


@pytest.mark.parametrize(
    ("width", "height", "field"),
    [
        (299, 800, "main_images[0].width"),
        (800, 4001, "main_images[0].height"),
        (200, 5000, "main_images[0]"),
    ],
)
def test_main_images_resolution_must_be_300_to_4000(width: int, height: int, field: str) -> None:
    assert _with(_image(width=width, height=height)) == [("main_images.resolution", field)]


def test_main_images_bounds_are_inclusive_and_unknowns_are_skipped() -> None:
    assert _with(_image(width=300, height=4000)) == []
    assert _with(_image(width=None, height=None, size_bytes=None)) == []
