"""One listing root as TikTok will see it: the local validation draft, and the create or edit body.

Both are built from the same `ListingSource` and the same value conversions, so the rules checked
locally are the rules of the body sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from connectors.tiktok.flows.catalog_category import CategoryInfo
from connectors.tiktok.flows.catalog_source import ListingSource, SourceSku
from connectors.tiktok.flows.catalog_values import (
    brand_for,
    decimal_text,
    description_html,
    package_dimensions,
    package_weight,
    product_attributes,
    sales_options,
)
from connectors.tiktok.flows.listing_inventory import ListingInventory
from connectors.tiktok.image_probe import ImageInfo
from connectors.tiktok.listing_validation import (
    Category,
    CategoryRules,
    Certification,
    IdentifierType,
    ListingDraft,
    MainImage,
    SalesAttribute,
    SizeChart,
    Sku,
    select_identifier,
)
from connectors.tiktok.listing_validation.price import REGION_CURRENCIES


@dataclass
class Uploads:
    """TikTok image URIs per (URL, use case), filled by the image uploader before a push."""

    uris: dict[tuple[str, str], str] = field(default_factory=dict)

    def put(self, url: str, use_case: str, uri: str) -> None:
        self.uris[(url, use_case)] = uri

    def uri(self, url: str | None, use_case: str) -> str | None:
        return self.uris.get((url, use_case)) if url else None


_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def description_image_urls(description: str) -> list[str]:
    """The ``src`` of every <img> in the description, once each, in order."""
    urls: list[str] = []
    for match in _IMG_SRC.finditer(description):
        if match.group(3) and match.group(3) not in urls:
            urls.append(match.group(3))
    return urls


def with_tiktok_image_urls(description: str, uploads: Uploads) -> str:
    """The description with each uploaded image's ``src`` replaced by its TikTok URL."""

    def swap(match: re.Match[str]) -> str:
        url = uploads.uri(match.group(3), "DESCRIPTION_IMAGE")
        return f"{match.group(1)}{match.group(2)}{url or match.group(3)}{match.group(2)}"

    return _IMG_SRC.sub(swap, description)


def main_image_urls(source: ListingSource) -> list[str]:
    """The root's images, or else each variant's first image (the gallery shows them in order)."""
    if source.images:
        return list(source.images)
    firsts: list[str] = []
    for sku in source.skus:
        if sku.images and sku.images[0] not in firsts:
            firsts.append(sku.images[0])
    return firsts


def variant_image(sku: SourceSku, use_first_child_image: bool) -> str | None:
    return sku.images[0] if use_first_child_image and sku.images and sku.options else None


def certification_urls(source: ListingSource, info: CategoryInfo) -> dict[str, list[str]]:
    """Certificate image URLs per certification id of the category (matched by id or name)."""
    out: dict[str, list[str]] = {}
    for requirement in info.rules.product_certifications:
        for key, urls in source.certifications.items():
            if key == requirement.id or key.strip().casefold() == requirement.name.casefold():
                out.setdefault(requirement.id, []).extend(urls)
    return out


def _size_chart(source: ListingSource) -> SizeChart | None:
    chart = source.size_chart
    if isinstance(chart, str) and chart:
        return SizeChart(image_url=chart)
    if isinstance(chart, dict) and chart.get("template_id"):
        return SizeChart(template_id=str(chart["template_id"]))
    return None


def currency_of(source: ListingSource, region: str) -> str | None:
    return next((s.currency for s in source.skus if s.currency), None) or REGION_CURRENCIES.get(region)


def _identifiers(sku: SourceSku) -> dict[IdentifierType, str]:
    known = {t.value for t in IdentifierType}
    return {IdentifierType(k): v for k, v in sku.identifiers.items() if k in known}


def draft_sku(sku: SourceSku, info: CategoryInfo, quantity: int | None, first_child_image: bool) -> Sku:
    image = variant_image(sku, first_child_image)
    options = sales_options(sku, info)
    return Sku(
        seller_sku=sku.sku,
        identifier_codes=_identifiers(sku),
        sales_attributes=[
            SalesAttribute(name=name, value_name=value, image_url=image if index == 0 else None)
            for index, (name, value) in enumerate(options)
        ],
        price=sku.price,
        quantity=quantity,
    )


def build_draft(
    source: ListingSource,
    info: CategoryInfo,
    *,
    region: str,
    images: dict[str, ImageInfo | None],
    stock: dict[str, int],
    first_child_image: bool,
) -> ListingDraft:
    """The local validation draft; ``images`` holds what probing the image files found."""

    def main_image(url: str) -> MainImage:
        found = images.get(url)
        if found is None:
            return MainImage(url=url)
        return MainImage(
            url=url, format=found.format, width=found.width, height=found.height, size_bytes=found.size
        )

    rules = info.rules
    return ListingDraft(
        region=region,
        title=source.title,
        description=description_html(source.description),
        main_images=[main_image(url) for url in main_image_urls(source)],
        category=Category(
            id=info.node.id,
            is_leaf=info.node.is_leaf,
            name=info.node.local_name,
            permission_statuses=info.node.permission_statuses,
        ),
        category_rules=CategoryRules(
            certifications=rules.product_certifications,
            size_chart_required=rules.size_chart.is_required,
            package_dimensions_required=rules.package_dimension.is_required,
        ),
        category_attributes=info.attributes,
        product_attributes=product_attributes(source, info),
        certifications=[
            Certification(id=cid, image_urls=urls) for cid, urls in certification_urls(source, info).items()
        ],
        size_chart=_size_chart(source),
        package_weight=package_weight(source),
        package_dimensions=package_dimensions(source),
        skus=[draft_sku(s, info, stock.get(s.sku), first_child_image) for s in source.skus],
        brand=brand_for(source, info),
        currency=currency_of(source, region),
    )


def build_body(
    draft: ListingDraft,
    source: ListingSource,
    uploads: Uploads,
    *,
    version: str,
    inventory: ListingInventory,
    save_mode: str,
    sku_ids: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The Create/Edit Product body for a draft that passed local validation (or is sent as a draft)."""
    body: dict[str, Any] = {
        "save_mode": save_mode,
        "title": draft.title,
        "description": with_tiktok_image_urls(draft.description, uploads),
        "category_id": draft.category.id,
        "category_version": version,
        "main_images": [
            {"uri": uris} for image in draft.main_images if (uris := uploads.uri(image.url, "MAIN_IMAGE"))
        ],
        "product_attributes": [
            {"id": a.id, "values": [{"id": v.id} if v.id else {"name": v.name} for v in a.values]}
            for a in draft.product_attributes
        ],
        "skus": [
            _body_sku(
                sku,
                draft,
                uploads,
                inventory.entries(sku.seller_sku, sku.quantity, pre_owned=source.pre_owned),
                (sku_ids or {}).get(sku.seller_sku),
            )
            for sku in draft.skus
        ],
        "external_product_id": source.root_sku,
    }
    if draft.brand is not None and draft.brand.id:
        body["brand_id"] = draft.brand.id
    if draft.package_weight is not None:
        body["package_weight"] = {
            "value": decimal_text(draft.package_weight.value),
            "unit": draft.package_weight.unit,
        }
    if (dims := draft.package_dimensions) is not None:
        body["package_dimensions"] = {
            "length": decimal_text(dims.length) if dims.length is not None else "",
            "width": decimal_text(dims.width) if dims.width is not None else "",
            "height": decimal_text(dims.height) if dims.height is not None else "",
            "unit": dims.unit,
        }
    certifications = [
        {
            "id": cert.id,
            "images": [
                {"uri": uri} for url in cert.image_urls if (uri := uploads.uri(url, "CERTIFICATION_IMAGE"))
            ],
        }
        for cert in draft.certifications
    ]
    if certifications:
        body["certifications"] = certifications
    if draft.size_chart is not None:
        chart_uri = uploads.uri(draft.size_chart.image_url, "SIZE_CHART_IMAGE")
        body["size_chart"] = (
            {"image": {"uri": chart_uri}} if chart_uri else {"template": {"id": draft.size_chart.template_id}}
        )
    if source.pre_owned:
        # UNCERTAIN: the reference does not list a pre-owned flag; 202309 clients send is_pre_owned.
        body["is_pre_owned"] = True
    return body


def _body_sku(
    sku: Sku, draft: ListingDraft, uploads: Uploads, inventory: list[dict[str, Any]], sku_id: str | None
) -> dict[str, Any]:
    out: dict[str, Any] = {"seller_sku": sku.seller_sku, "external_sku_id": sku.seller_sku}
    if sku_id:
        out["id"] = sku_id
    options = []
    for option in sku.sales_attributes:
        item: dict[str, Any] = {"name": option.name, "value_name": option.value_name}
        if (uri := uploads.uri(option.image_url, "ATTRIBUTE_IMAGE")) is not None:
            item["sku_img"] = {"uri": uri}
        options.append(item)
    if options:
        out["sales_attributes"] = options
    if sku.price is not None:
        out["price"] = {"amount": decimal_text(sku.price), "currency": draft.currency}
    out["inventory"] = inventory
    chosen = select_identifier(sku)
    if chosen is not None:
        out["identifier_code"] = {"type": chosen[0].value, "code": chosen[1]}
    return out
