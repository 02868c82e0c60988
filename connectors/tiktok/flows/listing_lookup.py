"""Find the TikTok product and SKU ids of master SKUs whose listing does not know them yet.

TikTok has no channel SKU: its seller SKU equals the master SKU, so a product search by seller SKU
finds the listing. What is found is kept on the ChannelListing; a SKU TikTok does not list is an
exception naming it, searched again only after ``RECHECK`` so an unlisted catalog costs few calls.

A SKU the catalog push is deliberately holding back (its own or its master's listing on this
connection exists but is not live yet: missing attributes, prepare-only, the daily upload limit) is
no exception: it is skipped quietly, and searched for at most once per ``RECHECK`` in case the
seller listed it on TikTok by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.engine.registry import FlowContext
from connectors.tiktok.pagination import PageTokenPaginator
from connectors.tiktok.schemas import Product as TikTokProduct
from store.models import ChannelListing, ExceptionRecord, Product

SEARCH_BATCH = 10  # TikTok accepts at most 10 seller_skus per search (12019027)
RECHECK = timedelta(hours=1)
LISTING_MISSING = "tiktok.listing_missing"
_STATUS = {
    "ACTIVATE": "active",
    "DRAFT": "draft",
    "PENDING": "pending",
    "FAILED": "failed",
    "SELLER_DEACTIVATED": "inactive",
    "PLATFORM_DEACTIVATED": "inactive",
    "FREEZE": "inactive",
}


def listing_status(tiktok_status: str) -> str:
    """The store's listing status for a TikTok product status."""
    return _STATUS.get(tiktok_status, "pending")


#: Listing statuses of a product the catalog push has in hand but has not listed (catalog_store.py):
#: created unpushed as a draft, or pending/failed before TikTok ever gave it ids.
NOT_YET_LIVE = frozenset({"draft", "pending", "failed"})


def has_ids(listing: ChannelListing | None) -> bool:
    return listing is not None and bool(listing.external_product_id) and bool(listing.external_sku_id)


def _not_yet_live(listing: ChannelListing | None) -> bool:
    return listing is not None and not listing.external_product_id and listing.status in NOT_YET_LIVE


def held_by_catalog(
    session: Session, connection_id: int, known: dict[str, tuple[Product, ChannelListing | None]]
) -> set[str]:
    """SKUs whose own listing, or whose master's, is on this connection but not yet live."""
    held = {sku for sku, (_, listing) in known.items() if _not_yet_live(listing)}
    parents = {
        product.parent_sku
        for sku, (product, listing) in known.items()
        if sku not in held and product.parent_sku and not has_ids(listing)
    }
    if not parents:
        return held
    waiting_parents = {
        sku
        for sku, listing in session.execute(
            select(Product.sku, ChannelListing)
            .join(ChannelListing, ChannelListing.product_id == Product.id)
            .where(ChannelListing.connection_id == connection_id, Product.sku.in_(sorted(parents)))
        )
        if _not_yet_live(listing)
    }
    held.update(
        sku
        for sku, (product, listing) in known.items()
        if not has_ids(listing) and product.parent_sku in waiting_parents
    )
    return held


def recently_missing(ctx: FlowContext) -> set[str]:
    """SKUs an open listing_missing exception reported within ``RECHECK``: not searched again yet."""
    return set(
        ctx.session.scalars(
            select(ExceptionRecord.entity_id).where(
                ExceptionRecord.status == "open",
                ExceptionRecord.code == LISTING_MISSING,
                ExceptionRecord.entity_type == "sku",
                ExceptionRecord.connection_id == ctx.connection.id,
                ExceptionRecord.last_seen_at > ctx.now - RECHECK,
            )
        )
    )


def report_missing(ctx: FlowContext, sku: str, why: str) -> None:
    ctx.exceptions.observe(
        code=LISTING_MISSING,
        category="inventory",
        entity_type="sku",
        entity_id=sku,
        message=(
            f"Inventory for SKU '{sku}' was not pushed to TikTok: {why}. List the product on TikTok with "
            f"seller SKU '{sku}' exactly (TikTok has no SKU mapping), or leave it out with inventory_skus."
        ),
        fault={"sku": sku},
    )
    ctx.count("skus_unlisted")


def look_up(
    ctx: FlowContext, products: dict[str, Product], held: frozenset[str] = frozenset()
) -> dict[str, ChannelListing]:
    """Search TikTok for ``products`` (by SKU); return the listings found, created or completed.

    A ``held`` SKU TikTok does not list is skipped quietly (the catalog push has it in hand).
    """
    skus = sorted(products)
    found: dict[str, tuple[str, str, str]] = {}
    for start in range(0, len(skus), SEARCH_BATCH):
        batch = skus[start : start + SEARCH_BATCH]
        for product in _search(ctx, batch):
            for item in product.skus:
                if item.seller_sku in batch and product.status != "DELETED":
                    found[item.seller_sku] = (product.id, item.id, product.status)
    listings: dict[str, ChannelListing] = {}
    for sku in skus:
        ctx.exceptions.checked("sku", sku)
        if sku not in found:
            if sku in held:
                ctx.count("skipped_unlisted")
            else:
                report_missing(ctx, sku, "TikTok has no product with this seller SKU")
            continue
        product_id, sku_id, status = found[sku]
        listings[sku] = _record(ctx, products[sku], product_id, sku_id, status)
        ctx.count("listings_found")
    return listings


def _search(ctx: FlowContext, seller_skus: list[str]) -> Iterable[TikTokProduct]:
    paginator = PageTokenPaginator()
    while not paginator.finished:
        page = ctx.client.search_products(seller_skus=seller_skus, page_token=paginator.current_value)
        yield from page.products
        paginator.advance(page.next_page_token)


def _record(ctx: FlowContext, product: Product, product_id: str, sku_id: str, status: str) -> ChannelListing:
    listing = ctx.session.scalar(
        select(ChannelListing).where(
            ChannelListing.product_id == product.id, ChannelListing.connection_id == ctx.connection.id
        )
    )
    if listing is None:
        listing = ChannelListing(product_id=product.id, connection_id=ctx.connection.id)
        ctx.session.add(listing)
    listing.external_product_id = product_id
    listing.external_sku_id = sku_id
    listing.status = listing_status(status)
    ctx.session.flush()
    return listing
