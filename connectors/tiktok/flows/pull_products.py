"""Pull the TikTok catalog into the store when TikTok is the primary catalog.

Products match by SKU: a TikTok seller SKU equal to a master SKU links to it (TikTok has no channel
SKU). Two different TikTok products claiming one SKU would send each other's orders to the wrong
product, so the second is refused and a `catalog.duplicate_sku` exception names both. Products whose
master data came from another connection (SFCC) are linked, never overwritten.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.catalog_schemas import ProductDetail
from connectors.tiktok.errors import NotFoundError, TikTokError
from connectors.tiktok.flows.catalog_store import ensure_listing, get_listing, listing_status
from store.models import Product

DUPLICATE_SKU = "catalog.duplicate_sku"
OVERLAP_SECONDS = 600
MAX_PAGES = 50


def pull_products(ctx: FlowContext) -> FlowResult:
    """Read products updated since the cursor (minus an overlap) and upsert them into the store."""
    since = int((ctx.cursor or {}).get("update_time") or 0)
    newest = since
    client = CatalogClient(ctx.client)
    try:
        pages = client.iter_product_pages({"update_time_ge": max(0, since - OVERLAP_SECONDS)})
        for number, page in enumerate(pages):
            for summary in page.products:
                newest = max(newest, summary.update_time)
                if summary.status == "DELETED":
                    ctx.count("deleted_skipped")
                    continue
                try:
                    detail = client.get_product(summary.id)
                except NotFoundError:
                    continue
                _upsert(ctx, detail)
            if number + 1 >= MAX_PAGES:
                return FlowResult({"update_time": since}, more=True)
    except TikTokError as error:
        raise FlowError(str(error), code=error.exception_code, retryable=error.retryable) from error
    return FlowResult({"update_time": newest})


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _by_sku(ctx: FlowContext, sku: str) -> Product | None:
    return ctx.session.scalars(select(Product).where(Product.sku == sku)).one_or_none()


def _claimed_elsewhere(ctx: FlowContext, sku: str, product_id: str) -> str | None:
    """The other TikTok product already linked to ``sku`` on this connection, if any."""
    stored = _by_sku(ctx, sku)
    if stored is None:
        return None
    listing = get_listing(ctx.session, stored, ctx.connection.id)
    other = listing.external_product_id if listing else None
    return other if other and other != product_id else None


def _upsert(ctx: FlowContext, detail: ProductDetail) -> None:
    seller_skus = [item.seller_sku for item in detail.skus]
    for seller_sku in seller_skus:
        ctx.exceptions.checked("sku", seller_sku)
    conflicts = {s: other for s in seller_skus if (other := _claimed_elsewhere(ctx, s, detail.id))}
    repeated = sorted({s for s in seller_skus if seller_skus.count(s) > 1})
    if conflicts or repeated or not all(seller_skus):
        _report_duplicates(ctx, detail, conflicts, repeated)
        return
    single = len(detail.skus) == 1 and not detail.skus[0].sales_attributes
    root_sku = seller_skus[0] if single else f"TIKTOK-{detail.id}"
    root = _write(ctx, root_sku, None, _root_values(detail))
    _link(ctx, root, detail, detail.skus[0].id if single else None)
    if not single:
        for sku in detail.skus:
            options = {str(a.get("name")): str(a.get("value_name")) for a in sku.sales_attributes}
            variant = _write(ctx, sku.seller_sku, root_sku, {"title": detail.title, "attributes": options})
            _sku_values(variant, sku.price, sku.identifier_code, ctx)
            _link(ctx, variant, detail, sku.id)
    else:
        _sku_values(root, detail.skus[0].price, detail.skus[0].identifier_code, ctx)
    ctx.count("products")


def _root_values(detail: ProductDetail) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        str(a.get("name")): [str(v.get("name")) for v in a.get("values", [])]
        for a in detail.product_attributes
    }
    if detail.brand is not None:
        attributes["brand"] = detail.brand.name
    if detail.category_id:
        attributes["tiktok_category_id"] = detail.category_id
    values: dict[str, Any] = {
        "title": detail.title,
        "description": detail.description,
        "status": "active" if detail.status == "ACTIVATE" else "inactive",
        "category_id": detail.category_id,
        "attributes": attributes,
        "images": [image.urls[0] for image in detail.main_images if image.urls],
        "condition": "pre_owned" if detail.is_pre_owned else "new",
    }
    weight = detail.package_weight or {}
    if _money(weight.get("value")) is not None:
        values.update(weight=_money(weight.get("value")), weight_unit=weight.get("unit"))
    dims = detail.package_dimensions or {}
    if dims:
        values.update(
            length=_money(dims.get("length")),
            width=_money(dims.get("width")),
            height=_money(dims.get("height")),
            dimension_unit=dims.get("unit"),
        )
    return values


def _write(ctx: FlowContext, sku: str, parent_sku: str | None, values: dict[str, Any]) -> Product:
    """Create the product, or update it when this connection is its source; others are only linked."""
    product = _by_sku(ctx, sku)
    if product is None:
        product = Product(sku=sku, parent_sku=parent_sku, source_connection_id=ctx.connection.id, **values)
        ctx.session.add(product)
        ctx.session.flush()
        ctx.count("created")
    elif product.source_connection_id == ctx.connection.id:
        for key, value in values.items():
            setattr(product, key, value)
        ctx.count("updated")
    else:
        ctx.count("linked")
    return product


def _sku_values(
    product: Product, price: dict[str, Any], identifier: dict[str, Any] | None, ctx: FlowContext
) -> None:
    if product.source_connection_id != ctx.connection.id:
        return
    amount = _money(price.get("amount") or price.get("tax_exclusive_price"))
    if amount is not None:
        product.price = amount
        product.currency = price.get("currency") or product.currency
    if identifier and identifier.get("code"):
        product.identifiers = {
            **(product.identifiers or {}),
            str(identifier.get("type")): str(identifier["code"]),
        }


def _link(ctx: FlowContext, product: Product, detail: ProductDetail, sku_id: str | None) -> None:
    listing = ensure_listing(ctx.session, product, ctx.connection.id)
    listing.external_product_id = detail.id
    listing.external_sku_id = sku_id
    listing.status = listing_status(detail.status)


def _report_duplicates(
    ctx: FlowContext, detail: ProductDetail, conflicts: dict[str, str], repeated: list[str]
) -> None:
    for sku, other in conflicts.items():
        ctx.exceptions.observe(
            code=DUPLICATE_SKU,
            category="catalog",
            entity_type="sku",
            entity_id=sku,
            message=(
                f"TikTok products {other} and {detail.id} both use seller SKU '{sku}'. Orders for it cannot "
                f"be told apart: give one of them another seller SKU on TikTok. Product {detail.id} was not "
                "pulled."
            ),
            fault={"sku": sku, "products": [other, detail.id]},
        )
    for sku in repeated:
        ctx.exceptions.observe(
            code=DUPLICATE_SKU,
            category="catalog",
            entity_type="sku",
            entity_id=sku,
            message=(
                f"TikTok product {detail.id} uses seller SKU '{sku}' on several of its SKUs; give each "
                "SKU its own seller SKU on TikTok. The product was not pulled."
            ),
            fault={"sku": sku, "products": [detail.id]},
        )
    if not all(sku.seller_sku for sku in detail.skus):
        ctx.count("skus_without_seller_sku")
    ctx.count("refused_duplicate_sku")
