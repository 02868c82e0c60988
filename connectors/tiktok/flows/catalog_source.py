"""A listing root read out of the store as plain data: what TikTok should show, before TikTok is asked.

`Product.attributes` conventions (shared with the SFCC catalog pull and the attribute proposals):

- on a root product, each key is a TikTok attribute name or id (``"Material": ["Cotton"]``); a value
  is a string, a list of strings, or ``{"id", "name"}`` items. Reserved keys: ``brand`` (a brand
  name), ``certifications`` (``{certification name or id: [image URL, ...]}``), ``size_chart`` (an
  image URL or ``{"template_id": ...}``) and ``tiktok_category_id``.
- on a variant, the keys are its variant options (``{"color": "red", "size": "M"}``).

Names pass through the connection's attribute-name mappings (``color:colour``) on the way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from connectors.tiktok.flows.catalog_store import available_stock, variants_of, was_sold
from store.models import Product

RESERVED_KEYS = frozenset({"brand", "certifications", "size_chart", "tiktok_category_id", "variation_values"})


@dataclass(frozen=True)
class SourceSku:
    """One SKU to list: the root itself, or one of its variants."""

    sku: str
    product_id: int
    price: Decimal | None
    compare_at_price: Decimal | None
    currency: str | None
    identifiers: dict[str, str]
    options: dict[str, str]
    images: list[str]


@dataclass(frozen=True)
class ListingSource:
    """Everything the master catalog says about one TikTok product."""

    root_id: int
    root_sku: str
    title: str
    description: str
    active: bool
    pre_owned: bool
    category_key: str | None
    attributes: dict[str, Any]
    brand: str | None
    certifications: dict[str, list[str]]
    size_chart: Any
    images: list[str]
    weight: Decimal | None
    weight_unit: str | None
    dimensions: tuple[Decimal | None, Decimal | None, Decimal | None]
    dimension_unit: str | None
    skus: list[SourceSku] = field(default_factory=list)

    def content_hash(self, context: dict[str, Any]) -> str:
        """A digest of this source plus whatever else shapes the listing (category, settings).

        Whether the master is active is left out: status is followed on its own, without an edit.
        """
        source = {k: v for k, v in asdict(self).items() if k != "active"}
        payload = {"source": source, "context": context}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _mapped(name: str, mappings: dict[str, str]) -> str:
    return mappings.get(name.strip().casefold(), name.strip())


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def _images(product: Product) -> list[str]:
    out = []
    for image in product.images or []:
        url = image.get("url") or image.get("link") if isinstance(image, dict) else image
        if isinstance(url, str) and url and url not in out:
            out.append(url)
    return out


def _options(product: Product, mappings: dict[str, str]) -> dict[str, str]:
    attributes = product.attributes if isinstance(product.attributes, dict) else {}
    nested = attributes.get("variation_values")
    raw = nested if isinstance(nested, dict) else attributes
    return {
        _mapped(str(key), mappings): _text(value)
        for key, value in raw.items()
        if key not in RESERVED_KEYS and isinstance(value, str | int | float) and not isinstance(value, bool)
    }


def _sku(product: Product, mappings: dict[str, str], options: bool) -> SourceSku:
    identifiers = product.identifiers if isinstance(product.identifiers, dict) else {}
    return SourceSku(
        sku=product.sku,
        product_id=product.id,
        price=product.price,
        compare_at_price=product.compare_at_price,
        currency=product.currency,
        identifiers={str(k).upper(): str(v) for k, v in identifiers.items() if v},
        options=_options(product, mappings) if options else {},
        images=_images(product),
    )


def read_source(session: Session, root: Product, mappings: dict[str, str]) -> ListingSource:
    """Snapshot ``root`` and its variants, names mapped, ready for drafting and hashing."""
    variants = list(variants_of(session, root))
    attributes = dict(root.attributes) if isinstance(root.attributes, dict) else {}
    # Package facts may sit on the master or only on its variants (SFCC keeps them per variant).
    carriers = [root, *variants]
    weighed = next((p for p in carriers if p.weight is not None), root)
    measured = next((p for p in carriers if p.length is not None), root)
    certifications = attributes.get("certifications")
    return ListingSource(
        root_id=root.id,
        root_sku=root.sku,
        title=root.title,
        description=root.description or "",
        active=root.status == "active",
        pre_owned=root.condition == "pre_owned",
        category_key=str(attributes.get("tiktok_category_id") or root.category_id or "") or None,
        attributes={_mapped(str(k), mappings): v for k, v in attributes.items() if k not in RESERVED_KEYS},
        brand=_text(attributes.get("brand")) or None,
        certifications={
            str(k): [str(u) for u in (v if isinstance(v, list) else [v])]
            for k, v in (certifications.items() if isinstance(certifications, dict) else [])
        },
        size_chart=attributes.get("size_chart"),
        images=_images(root),
        weight=weighed.weight,
        weight_unit=weighed.weight_unit,
        dimensions=(measured.length, measured.width, measured.height),
        dimension_unit=measured.dimension_unit,
        skus=[_sku(v, mappings, True) for v in variants] or [_sku(root, mappings, False)],
    )


def stock_for(session: Session, source: ListingSource, sku: SourceSku) -> int:
    """Units to list: available stock, or for a pre-owned item one until it has sold."""
    if source.pre_owned:
        return 0 if was_sold(session, sku.sku) else 1
    return available_stock(session, sku.sku)
