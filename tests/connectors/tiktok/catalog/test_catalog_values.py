"""Value conversions from the master catalog to TikTok's, and image header probing."""

from __future__ import annotations

import struct
from dataclasses import replace
from decimal import Decimal

import pytest

from connectors.tiktok.catalog_schemas import Category, CategoryRules
from connectors.tiktok.flows.catalog_category import CategoryInfo
from connectors.tiktok.flows.catalog_listing import Uploads, description_image_urls, with_tiktok_image_urls
from connectors.tiktok.flows.catalog_values import (
    description_html,
    package_dimensions,
    package_weight,
    product_attributes,
    sales_options,
)
from connectors.tiktok.image_probe import probe_image
from connectors.tiktok.listing_validation import CategoryAttribute, ProductAttributeValue
from tests.connectors.tiktok.catalog.conftest import png
from tests.connectors.tiktok.catalog.test_listing_pairs import CASE, sku

MATERIAL = CategoryAttribute.model_validate(
    {
        "id": "100157",
        "name": "Material",
        "type": "PRODUCT_PROPERTY",
        "is_requried": True,
        "values": [{"id": "11", "name": "Cotton"}, {"id": "12", "name": "Linen"}],
        "is_multiple_selection": True,
    }
)
COLOR = CategoryAttribute.model_validate(
    {"id": "100000", "name": "Color", "type": "SALES_PROPERTY", "values": [{"id": "21", "name": "Red"}]}
)
SIZE = CategoryAttribute.model_validate({"id": "100007", "name": "Size", "type": "SALES_PROPERTY"})
INFO = CategoryInfo(Category(id="1", is_leaf=True), "v1", CategoryRules(), [COLOR, SIZE, MATERIAL], [])


def test_attribute_values_by_name_id_or_custom_text() -> None:
    source = replace(CASE, attributes={"material": ["cotton", "12", {"id": "11"}, "Hemp"], "Unrelated": "x"})
    [attribute] = product_attributes(source, INFO)
    assert attribute.id == "100157"
    assert attribute.values == [
        ProductAttributeValue(id="11"),
        ProductAttributeValue(id="12"),
        ProductAttributeValue(id="11"),
        ProductAttributeValue(name="Hemp"),
    ]


def test_sales_options_follow_the_category_order_and_names() -> None:
    options = sales_options(sku(options={"size": "M", "finish": "Gloss", "color": "red"}), INFO)
    assert options == [("Color", "Red"), ("Size", "M"), ("finish", "Gloss")]


@pytest.mark.parametrize(
    ("weight", "unit", "expected"),
    [("250", "g", ("0.25", "KILOGRAM")), ("8", "oz", ("0.5", "POUND")), ("1.2", "KG", ("1.2", "KILOGRAM"))],
)
def test_weights_convert_within_their_unit_system(weight: str, unit: str, expected: tuple[str, str]) -> None:
    converted = package_weight(replace(CASE, weight=Decimal(weight), weight_unit=unit))
    assert converted is not None and (str(converted.value), converted.unit) == expected


def test_dimensions_are_rounded_up_to_whole_units() -> None:
    converted = package_dimensions(
        replace(CASE, dimensions=(Decimal("305"), Decimal("101"), Decimal("9")), dimension_unit="mm")
    )
    assert converted is not None
    assert (converted.length, converted.width, converted.height, converted.unit) == (31, 11, 1, "CENTIMETER")


def test_plain_descriptions_become_paragraphs_and_images_are_swapped() -> None:
    assert description_html("One.\n\nTwo & more.") == "<p>One.</p><p>Two & more.</p>"
    html = '<p>x</p><img width="1" src="https://a/1.png" height="1"><IMG src=\'https://a/2.png\'>'
    assert description_image_urls(html) == ["https://a/1.png", "https://a/2.png"]
    uploads = Uploads()
    uploads.put("https://a/1.png", "DESCRIPTION_IMAGE", "https://tiktok/1")
    assert with_tiktok_image_urls(html, uploads) == html.replace("https://a/1.png", "https://tiktok/1")


def test_image_probe_reads_sizes_from_headers() -> None:
    info = probe_image(png(321, 123))
    assert info is not None and (info.format, info.width, info.height) == ("PNG", 321, 123)
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", 4)
        + b"JF"
        + b"\xff\xc0"
        + struct.pack(">HBHH", 11, 8, 480, 640)
    )
    info = probe_image(jpeg)
    assert info is not None and (info.format, info.width, info.height) == ("JPEG", 640, 480)
    info = probe_image(b"GIF89a" + struct.pack("<HH", 20, 10))
    assert info is not None and (info.format, info.width, info.height) == ("GIF", 20, 10)
    assert probe_image(b"%PDF-1.7") is None
