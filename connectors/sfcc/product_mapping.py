"""From an SFCC product document to the fields of a store Product, and its content hash.

Pure. SFCC SKUs become master SKUs through the connection's channel SKU mapping (an SFCC product
with no mapping keeps its own id as the master SKU). A master's variants may only be listed on
the master; they become variant stubs until their own document arrives.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from connectors.sfcc.schemas import Product, ProductVariant
from connectors.sfcc.settings import ProductAttributeNames

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

#: Fields that change without the product changing (envelope, links, timestamps).
_VOLATILE = frozenset({"_v", "_type", "_resource_state", "link", "last_modified", "creation_date"})


@dataclass(frozen=True)
class ProductFields:
    """One store product as an SFCC document describes it."""

    sfcc_id: str
    sku: str
    parent_sku: str | None
    values: dict[str, Any]
    content_hash: str
    identifiers: dict[str, str] = field(default_factory=dict)


def content_hash(doc: Product) -> str:
    """A digest of what the document says about the product (volatile fields left out)."""
    data = {k: v for k, v in doc.model_dump(mode="json", exclude_none=True).items() if k not in _VOLATILE}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _localized(value: Any) -> str | None:
    if isinstance(value, dict):
        text = value.get("default") or next(iter(value.values()), None)
        return str(text) if text else None
    if isinstance(value, list):
        return None
    return str(value) if value else None


def _images(doc: Product) -> list[str]:
    links: list[str] = []
    for group in doc.custom("image_groups") or []:
        for image in group.get("images", []) if isinstance(group, dict) else []:
            if isinstance(image, dict) and image.get("link") and image["link"] not in links:
                links.append(str(image["link"]))
    image = doc.custom("image")
    if isinstance(image, dict) and image.get("link") and image["link"] not in links:
        links.insert(0, str(image["link"]))
    return links


def _online(doc: Product) -> bool:
    flag = doc.online_flag
    if isinstance(flag, dict):
        return bool(flag.get("default", True))
    return True if flag is None else bool(flag)


def identifiers_of(doc: Product) -> dict[str, str]:
    """GTIN-family identifiers SFCC keeps on the product (EAN, UPC)."""
    return {name: value for name, value in (("EAN", doc.ean), ("UPC", doc.upc)) if value}


def master_id_of(doc: Product) -> str | None:
    """The SFCC id of a variant's master, if the document names one."""
    master = doc.master or {}
    value = master.get("master_id") or master.get("id")
    return str(value) if value else None


def attribute_words(custom_name: str) -> str:
    """`c_compatiblePhoneModels` -> "compatible phone models": the name TikTok attributes match."""
    bare = custom_name.removeprefix("c_")
    return " ".join(_WORD.findall(bare.replace("_", " "))).casefold()


def _custom_attributes(doc: Product, names: ProductAttributeNames) -> dict[str, Any]:
    """Every `c_` attribute except the package facts, named in words; the TikTok category kept apart."""
    skipped = set(names.package_fields().values()) | {names.tiktok_category_id}
    found: dict[str, Any] = {}
    for key, value in (doc.model_extra or {}).items():
        if key.startswith("c_") and key not in skipped and value not in (None, "", [], {}):
            found[attribute_words(key)] = _localized(value) if isinstance(value, dict) else value
    tiktok_category = doc.custom(names.tiktok_category_id)
    if tiktok_category:
        found["tiktok_category_id"] = str(tiktok_category)
    return found


def _package_values(doc: Product, names: ProductAttributeNames) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, custom_name in names.package_fields().items():
        raw = doc.custom(custom_name)
        if raw in (None, ""):
            continue
        if column.endswith("_unit"):
            values[column] = str(raw)
            continue
        try:
            values[column] = Decimal(str(raw))
        except ArithmeticError:
            continue  # not a number: the listing validator reports the missing package fact
    return values


def product_fields(
    doc: Product,
    sku_map: dict[str, str],
    variation_values: dict[str, str],
    names: ProductAttributeNames | None = None,
) -> ProductFields:
    """The store fields of one SFCC product; `variation_values` come from its master's variant list."""
    names = names or ProductAttributeNames()
    master_id = master_id_of(doc)
    attributes: dict[str, Any] = _custom_attributes(doc, names)
    attributes.update(variation_values or doc.custom("variation_values") or {})
    brand = doc.custom("brand")
    if brand:
        attributes["brand"] = brand
    values: dict[str, Any] = {
        "title": doc.display_name,
        "description": _localized(doc.custom("long_description"))
        or _localized(doc.custom("short_description")),
        "status": "active" if _online(doc) else "inactive",
        "attributes": attributes,
        "images": _images(doc),
        "category_id": doc.custom("primary_category_id"),
        **_package_values(doc, names),
    }
    price = doc.custom("price")
    if price is not None:
        values["price"] = Decimal(str(price))
        values["currency"] = doc.custom("currency")
    return ProductFields(
        sfcc_id=doc.id,
        sku=sku_map.get(doc.id, doc.id),
        parent_sku=sku_map.get(master_id, master_id) if master_id else None,
        values={k: v for k, v in values.items() if v not in (None, "", [], {})},
        content_hash=content_hash(doc),
        identifiers=identifiers_of(doc),
    )


def variant_stub(master: ProductFields, variant: ProductVariant, sku_map: dict[str, str]) -> ProductFields:
    """A variant known only from its master's list: enough to attach it until its document comes."""
    values = variant.variation_values
    suffix = " / ".join(str(v) for v in values.values())
    title = f"{master.values.get('title', master.sku)} ({suffix})" if suffix else master.values.get("title")
    return ProductFields(
        sfcc_id=variant.product_id,
        sku=sku_map.get(variant.product_id, variant.product_id),
        parent_sku=master.sku,
        values={"title": title or variant.product_id, "attributes": dict(values)},
        content_hash="",
    )
