"""An SFCC product document carries what a TikTok listing needs into the master product."""

from __future__ import annotations

from decimal import Decimal

from connectors.sfcc.product_mapping import attribute_words, product_fields
from connectors.sfcc.schemas import Product
from connectors.sfcc.settings import ProductAttributeNames


def _doc(**extra: object) -> Product:
    return Product.model_validate(
        {
            "id": "CASE-IP15-BLK",
            "name": {"default": "Slim case for iPhone 15"},
            "online_flag": {"default": True},
            "type": {"item": True},
            "brand": "Juniper & Pine",
            "primary_category_id": "phone-cases",
            "c_compatiblePhoneModels": "iPhone 15",
            "c_material": {"default": "Silicone"},
            "c_weight": 0.4,
            "c_weightUnit": "lb",
            "c_length": "6.5",
            "c_width": 3.2,
            "c_height": 0.5,
            "c_dimensionUnit": "in",
            "c_tiktokCategoryId": "601226",
            **extra,
        }
    )


def test_custom_attributes_become_named_attributes_and_package_facts_become_columns() -> None:
    fields = product_fields(_doc(), {}, {})
    values = fields.values
    assert values["category_id"] == "phone-cases"
    assert values["attributes"] == {
        "compatible phone models": "iPhone 15",
        "material": "Silicone",
        "tiktok_category_id": "601226",
        "brand": "Juniper & Pine",
    }
    assert (values["weight"], values["weight_unit"]) == (Decimal("0.4"), "lb")
    assert (values["length"], values["width"], values["height"]) == (
        Decimal("6.5"),
        Decimal("3.2"),
        Decimal("0.5"),
    )
    assert values["dimension_unit"] == "in"


def test_attribute_names_are_configurable_per_instance() -> None:
    names = ProductAttributeNames(weight="c_shipWeight", weight_unit="c_shipWeightUnit")
    fields = product_fields(_doc(c_shipWeight=2, c_shipWeightUnit="kg"), {}, {}, names)
    assert (fields.values["weight"], fields.values["weight_unit"]) == (Decimal(2), "kg")
    # The default-named attributes are then ordinary attributes, not package facts.
    assert fields.values["attributes"]["weight"] == 0.4


def test_a_weight_that_is_not_a_number_is_left_out_for_the_validator_to_report() -> None:
    fields = product_fields(_doc(c_weight="heavy"), {}, {})
    assert "weight" not in fields.values


def test_camel_case_and_acronyms_read_as_words() -> None:
    assert attribute_words("c_compatiblePhoneModels") == "compatible phone models"
    assert attribute_words("c_USBType") == "usb type"
    assert attribute_words("c_thread_count") == "thread count"
