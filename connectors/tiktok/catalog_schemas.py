"""Typed wire models of TikTok Shop's catalog answers: categories, rules, attributes, brands, products.

Category attributes are read into the listing validator's own `CategoryAttribute` (which accepts
both ``is_requried``, TikTok's spelling, and ``is_required``), so what the API says feeds local
validation without a translation step.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from connectors.tiktok.listing_validation import CategoryAttribute, CertificationRequirement
from connectors.tiktok.schemas import Id, ItemError, Wire

__all__ = [
    "AttributeList",
    "Brand",
    "BrandPage",
    "Category",
    "CategoryList",
    "CategoryRules",
    "ListingCheck",
    "ListingCheckReason",
    "ProductDetail",
    "ProductImage",
    "ProductWriteResult",
    "UploadedImage",
    "WrittenSku",
]


class Category(Wire):
    id: Id
    parent_id: Id = "0"
    local_name: str = ""
    is_leaf: bool = False
    permission_statuses: list[str] = Field(default_factory=list)

    @property
    def invite_only(self) -> bool:
        return "INVITE_ONLY" in self.permission_statuses


class CategoryList(Wire):
    categories: list[Category] = Field(default_factory=list)


class Requirement(Wire):
    is_supported: bool = False
    is_required: bool = False


class CategoryRules(Wire):
    product_certifications: list[CertificationRequirement] = Field(default_factory=list)
    size_chart: Requirement = Field(default_factory=Requirement)
    package_dimension: Requirement = Field(default_factory=Requirement)
    cod: Requirement = Field(default_factory=Requirement)
    epr: Requirement = Field(default_factory=Requirement)


class AttributeList(Wire):
    attributes: list[CategoryAttribute] = Field(default_factory=list)


class Brand(Wire):
    id: Id
    name: str = ""
    authorized_status: str = ""
    brand_status: str = ""
    is_t1_brand: bool = False


class BrandPage(Wire):
    brands: list[Brand] = Field(default_factory=list)
    next_page_token: str = ""
    total_count: int = 0


class UploadedImage(Wire):
    uri: str
    url: str = ""
    width: int = 0
    height: int = 0
    use_case: str = ""


class WrittenSku(Wire):
    id: Id
    seller_sku: str = ""
    external_sku_id: str = ""
    sales_attributes: list[dict[str, Any]] = Field(default_factory=list)


class ProductWriteResult(Wire):
    """``data`` of create, edit and partial edit."""

    product_id: Id
    skus: list[WrittenSku] = Field(default_factory=list)
    warnings: list[dict[str, Any]] = Field(default_factory=list)


class ProductImage(Wire):
    uri: str = ""
    urls: list[str] = Field(default_factory=list)
    width: int = 0
    height: int = 0


class ProductDetailSku(Wire):
    id: Id
    seller_sku: str = ""
    price: dict[str, Any] = Field(default_factory=dict)
    inventory: list[dict[str, Any]] = Field(default_factory=list)
    sales_attributes: list[dict[str, Any]] = Field(default_factory=list)
    identifier_code: dict[str, Any] | None = None


class ProductDetail(Wire):
    """GET /product/202309/products/{id}: the fields the catalog flows read."""

    id: Id
    status: str = ""
    title: str = ""
    description: str = ""
    category_chains: list[Category] = Field(default_factory=list)
    brand: Brand | None = None
    main_images: list[ProductImage] = Field(default_factory=list)
    package_weight: dict[str, Any] | None = None
    package_dimensions: dict[str, Any] | None = None
    product_attributes: list[dict[str, Any]] = Field(default_factory=list)
    skus: list[ProductDetailSku] = Field(default_factory=list)
    audit_failed_reasons: list[dict[str, Any]] = Field(default_factory=list)
    is_pre_owned: bool = False
    create_time: int = 0
    update_time: int = 0

    @property
    def category_id(self) -> str | None:
        """The leaf category: the chain runs root first."""
        return self.category_chains[-1].id if self.category_chains else None


class ListingCheckReason(Wire):
    code: int = 0
    reasons: list[str] = Field(default_factory=list)


class ListingCheck(Wire):
    check_result: str = ""
    fail_reasons: list[ListingCheckReason] = Field(default_factory=list)


class BatchErrors(Wire):
    errors: list[ItemError] = Field(default_factory=list)
