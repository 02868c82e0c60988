"""The input of listing validation: a product as it would be listed on TikTok Shop.

A draft is assembled before any push, from the master catalog plus what TikTok said about the
category (its rules and attributes). Units and formats stay plain strings on purpose: a value from
the master catalog such as ``GRAM`` or ``webp`` should become a readable issue, not a parse error.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "AttributeValueOption",
    "Brand",
    "Category",
    "CategoryAttribute",
    "CategoryRules",
    "Certification",
    "CertificationRequirement",
    "IdentifierType",
    "ListingDraft",
    "MainImage",
    "PackageDimensions",
    "PackageWeight",
    "ProductAttribute",
    "ProductAttributeValue",
    "RequirementCondition",
    "SalesAttribute",
    "SizeChart",
    "Sku",
]


class _Model(BaseModel):
    # Frozen so that a draft cannot change while it is validated; extra fields are refused so that a
    # misspelt field name fails loudly instead of silently skipping a rule.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class _WireModel(_Model):
    # Mirrors a TikTok response item: fields this module does not use (value_data_format,
    # sample_image_url...) are ignored so that items can be passed straight from the API.
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class IdentifierType(StrEnum):
    """Product identifier code types TikTok Shop accepts on a SKU."""

    GTIN = "GTIN"
    EAN = "EAN"
    UPC = "UPC"
    ISBN = "ISBN"


class MainImage(_Model):
    """A main (gallery) image; fields that are not known before upload may be left as None."""

    url: str
    format: str | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None


class Category(_Model):
    """The TikTok category the product is listed in.

    ``permission_statuses`` is what Get Categories says for the shop (``AVAILABLE``, ``INVITE_ONLY``...).
    """

    id: str
    is_leaf: bool
    name: str | None = None
    permission_statuses: list[str] = Field(default_factory=list)


class RequirementCondition(_WireModel):
    """Makes an attribute or certification required when another attribute has a given value."""

    condition_type: str = "VALUE_ID_MATCH"
    attribute_id: str
    attribute_value_id: str


class CertificationRequirement(_WireModel):
    """A certification the category rules name (wire: ``product_certifications[]``)."""

    id: str
    name: str
    is_required: bool = False
    requirement_conditions: list[RequirementCondition] = Field(default_factory=list)


class CategoryRules(_Model):
    """What TikTok's category rules demand beyond attributes."""

    certifications: list[CertificationRequirement] = Field(default_factory=list)
    size_chart_required: bool = False
    package_dimensions_required: bool = False


class AttributeValueOption(_WireModel):
    """One allowed value of an enumerated category attribute."""

    id: str
    name: str


class CategoryAttribute(_WireModel):
    """A category attribute as TikTok's Get Attributes describes it.

    The wire spells the flag ``is_requried``; both spellings are accepted so that either the official
    payload or a corrected one can be passed straight in.
    """

    id: str
    name: str
    type: str = "PRODUCT_PROPERTY"
    is_requried: bool = Field(default=False, validation_alias=AliasChoices("is_requried", "is_required"))
    values: list[AttributeValueOption] = Field(default_factory=list)
    is_customizable: bool = False
    is_multiple_selection: bool = False
    requirement_conditions: list[RequirementCondition] = Field(default_factory=list)


class ProductAttributeValue(_Model):
    """A value the product gives an attribute: an allowed value ``id``, or a free ``name``."""

    id: str | None = None
    name: str | None = None


class ProductAttribute(_Model):
    """The product's values for one category attribute."""

    id: str
    values: list[ProductAttributeValue] = Field(default_factory=list)


class Certification(_Model):
    """A certification the product supplies: at least one image or file is expected."""

    id: str
    image_urls: list[str] = Field(default_factory=list)
    file_ids: list[str] = Field(default_factory=list)


class SizeChart(_Model):
    """A size chart, either an image or a TikTok template."""

    image_url: str | None = None
    template_id: str | None = None


class PackageWeight(_Model):
    """Package weight; TikTok units are KILOGRAM and (US only) POUND."""

    value: Decimal
    unit: str


class PackageDimensions(_Model):
    """Package size; TikTok units are CENTIMETER and (US only) INCH."""

    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    unit: str


class Brand(_Model):
    """The product's brand; ``id`` is TikTok's brand id once known.

    The statuses come from Get Brands for the product's category; a brand that list does not name is
    given with ``id`` None and ``listed`` False.
    """

    name: str
    id: str | None = None
    listed: bool | None = None
    authorized_status: str | None = None
    brand_status: str | None = None


class SalesAttribute(_Model):
    """One variant option of a SKU, such as Color: Red."""

    name: str
    value_name: str
    image_url: str | None = None


class Sku(_Model):
    """A sellable variant of the product; price and quantity are checked when the draft has a currency."""

    seller_sku: str
    identifier_codes: dict[IdentifierType, str] = Field(default_factory=dict)
    sales_attributes: list[SalesAttribute] = Field(default_factory=list)
    price: Decimal | None = None
    quantity: int | None = None


class ListingDraft(_Model):
    """Everything local validation needs about one product, before it is pushed to TikTok Shop.

    ``region`` is the shop's two-letter market (``US``, ``GB``, ``DE``...); ``UK`` is read as ``GB``.
    """

    region: str = "US"
    title: str
    description: str
    main_images: list[MainImage] = Field(default_factory=list)
    category: Category
    category_rules: CategoryRules = Field(default_factory=CategoryRules)
    category_attributes: list[CategoryAttribute] = Field(default_factory=list)
    product_attributes: list[ProductAttribute] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    size_chart: SizeChart | None = None
    package_weight: PackageWeight | None = None
    package_dimensions: PackageDimensions | None = None
    skus: list[Sku] = Field(default_factory=list)
    brand: Brand | None = None
    is_cross_border: bool = False
    # The currency the listing is priced in; None leaves prices and quantities unchecked.
    currency: str | None = None

    @field_validator("region")
    @classmethod
    def _normalise_region(cls, value: str) -> str:
        # TikTok calls the United Kingdom GB; sellers and some docs say UK.
        region = value.strip().upper()
        return "GB" if region == "UK" else region
