"""Push available quantities to TikTok: only what changed, one call per TikTok product.

Stock comes from the store's inventory levels at the other connections' locations (SFCC inventory
lists), optionally one location only. Everything goes to one TikTok warehouse: the configured
``default_warehouse_id``, else the shop's default sales warehouse (``pull_locations``). Quantities
are absolute, so re-sending after a failed run is harmless; ``pushed_quantity`` on the listing
records what TikTok last accepted. A SKU TikTok refuses (``data.errors[]``) becomes an exception
while the product's other SKUs go through. A SKU the catalog push holds back is skipped quietly
(``skipped_unlisted``; the cursor remembers when such SKUs were last searched for on TikTok), and
so is one whose new listing is still in TikTok's audit or a draft (``skipped_not_live``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connectors.engine.errors import FlowError
from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import connection_failure, fault_of, is_record_failure
from connectors.tiktok.flows.inventory_plan import SkuDecision, decide
from connectors.tiktok.flows.listing_lookup import (
    RECHECK,
    has_ids,
    held_by_catalog,
    look_up,
    recently_missing,
    report_missing,
)
from connectors.tiktok.schemas import BatchResult
from connectors.tiktok.settings import TikTokSettings
from store.models import ChannelListing, Product
from store.repositories.inventory import InventoryRepository, StockTotal
from store.repositories.locations import LocationRepository

REJECTED = "tiktok.inventory_rejected"


@dataclass(frozen=True)
class Push:
    sku: str
    listing: ChannelListing
    quantity: int


def push_inventory(ctx: FlowContext) -> FlowResult:
    """Send changed quantities, deactivate sold-out pre-owned products, report what TikTok refuses."""
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    stock = _stock(ctx, settings)
    cursor: dict[str, Any] = dict(ctx.cursor) if isinstance(ctx.cursor, dict) else {}
    if not stock:
        return FlowResult(cursor=cursor)  # no stock levels in the store yet: nothing to compare
    warehouse_id = _warehouse(ctx, settings)
    repository = InventoryRepository(ctx.session)
    known = repository.products_with_listings(ctx.connection.id, stock)
    held = held_by_catalog(ctx.session, ctx.connection.id, known)
    search_held = _held_search_due(ctx, cursor)
    listings: dict[str, ChannelListing] = {}
    to_look_up: dict[str, Product] = {}
    waiting = recently_missing(ctx)
    for sku in sorted(stock):
        product, listing = known.get(sku, (None, None))
        if has_ids(listing):
            assert listing is not None
            if _awaits_audit(listing, settings):
                ctx.exceptions.checked("sku", sku)  # a refusal recorded during the audit resolves
                ctx.count("skipped_not_live")
                continue
            listings[sku] = listing
        elif sku in held:
            assert product is not None
            ctx.exceptions.checked("sku", sku)  # a listing_missing reported before resolves now
            if search_held:
                to_look_up[sku] = product
            else:
                ctx.count("skipped_unlisted")
        elif sku in waiting:
            continue  # reported missing within the hour; its exception stays open
        elif product is None:
            ctx.exceptions.checked("sku", sku)
            report_missing(ctx, sku, "no master product has this SKU")
        else:
            to_look_up[sku] = product
    try:
        listings.update(look_up(ctx, to_look_up, frozenset(held)))
        pushes, deactivate = _plan(ctx, settings, stock, listings, known)
        for product_id, group in sorted(_by_product(pushes).items()):
            _send(ctx, product_id, group, warehouse_id)
        _deactivate(ctx, deactivate)
    except TikTokError as error:
        raise connection_failure(error, "Pushing inventory to TikTok failed") from error
    if search_held and held:
        cursor["held_searched_at"] = ctx.now.isoformat()
    return FlowResult(cursor=cursor)


def _awaits_audit(listing: ChannelListing, settings: TikTokSettings) -> bool:
    """A listing the catalog push created that TikTok has not made live yet (PENDING in audit, or a
    DRAFT): TikTok refuses quantities for it, its stock went with the listing, and the push reads
    the audit back, so it waits here. Listings the push did not make are always sent."""
    catalog = settings.catalog
    pushing = catalog.push_products and catalog.primary_catalog == "sfcc"
    return pushing and listing.pushed_at is not None and listing.status in ("pending", "draft")


def _held_search_due(ctx: FlowContext, cursor: dict[str, Any]) -> bool:
    """Held SKUs are searched for on TikTok (a seller may list one by hand) once per ``RECHECK``."""
    last = cursor.get("held_searched_at")
    return not isinstance(last, str) or datetime.fromisoformat(last) <= ctx.now - RECHECK


def _warehouse(ctx: FlowContext, settings: TikTokSettings) -> str:
    if settings.default_warehouse_id:
        return settings.default_warehouse_id
    default = LocationRepository(ctx.session).default_for(ctx.connection.id, "sales")
    if default is None:
        raise FlowError(
            f"No TikTok warehouse to push inventory to on connection {ctx.connection.name}: the shop has no "
            "default sales warehouse in the store. Let pull_locations run, or set default_warehouse_id.",
            code="inventory.mismatch",
            category="inventory",
        )
    return default.external_id


def _stock(ctx: FlowContext, settings: TikTokSettings) -> dict[str, StockTotal]:
    repository = InventoryRepository(ctx.session)
    location_ids = None
    if settings.inventory_location:
        matches = repository.matching_locations(
            settings.inventory_location, exclude_connection_id=ctx.connection.id
        )
        if not matches:
            raise FlowError(
                f"inventory_location '{settings.inventory_location}' of connection {ctx.connection.name} "
                "matches no location in the store (by id or name), so no inventory was pushed. Fix the "
                "setting, or check that the SFCC inventory pull has run.",
                code="inventory.mismatch",
                category="inventory",
            )
        location_ids = [location.id for location in matches]
    totals = repository.stock_totals(exclude_connection_id=ctx.connection.id, location_ids=location_ids)
    if location_ids is not None:
        # A SKU stocked only elsewhere has none at the chosen location: TikTok should show 0.
        for sku in repository.stock_totals(exclude_connection_id=ctx.connection.id):
            totals.setdefault(sku, StockTotal(sku, 0, 0))
    if settings.inventory_skus:
        wanted = set(settings.inventory_skus)
        totals = {sku: total for sku, total in totals.items() if sku in wanted}
    return totals


def _plan(
    ctx: FlowContext,
    settings: TikTokSettings,
    stock: dict[str, StockTotal],
    listings: dict[str, ChannelListing],
    known: dict[str, tuple[Product, ChannelListing | None]],
) -> tuple[list[Push], list[tuple[str, ChannelListing]]]:
    pushes: list[Push] = []
    deactivate: list[tuple[str, ChannelListing]] = []
    for sku, listing in sorted(listings.items()):
        product = known[sku][0]
        decision: SkuDecision = decide(
            stock[sku],
            buffer=settings.inventory_buffer,
            condition=product.condition,
            pushed_quantity=listing.pushed_quantity,
            listing_status=listing.status,
            force=settings.force_inventory_resync,
        )
        if decision.action == "send":
            pushes.append(Push(sku, listing, decision.quantity))
        elif decision.action == "deactivate":
            deactivate.append((sku, listing))
        else:
            ctx.count("skus_unchanged")
    return pushes, deactivate


def _by_product(pushes: list[Push]) -> dict[str, list[Push]]:
    groups: dict[str, list[Push]] = defaultdict(list)
    for push in pushes:
        groups[str(push.listing.external_product_id)].append(push)
    return groups


def _send(ctx: FlowContext, product_id: str, group: list[Push], warehouse_id: str) -> None:
    """One inventory update for the SKUs of one product; refusals per SKU become exceptions."""
    quantities = {str(p.listing.external_sku_id): {warehouse_id: p.quantity} for p in group}
    try:
        result = ctx.client.update_inventory(product_id, quantities)
    except TikTokError as error:
        if not is_record_failure(error):
            raise
        for push in group:
            _rejected(ctx, push, str(error), fault_of(error))
        return
    refused = _refusals(result)
    for push in group:
        ctx.exceptions.checked("sku", push.sku)
        refusal = refused.get(str(push.listing.external_sku_id))
        if refusal is not None:
            _rejected(ctx, push, refusal[0], refusal[1])
            continue
        push.listing.pushed_quantity = push.quantity
        push.listing.inventory_pushed_at = ctx.now
        ctx.count("skus_pushed")
    ctx.count("inventory_calls")


def _refusals(result: BatchResult) -> dict[str, tuple[str, dict[str, object]]]:
    refusals: dict[str, tuple[str, dict[str, object]]] = {}
    for error in result.errors:
        if error.detail is None or not error.detail.sku_id:
            continue
        reasons = [str(e.get("message", "")) for e in error.detail.extra_errors if e.get("message")]
        message = error.message + (f" ({'; '.join(reasons)})" if reasons else "")
        refusals[error.detail.sku_id] = (message, error.model_dump(mode="json"))
    return refusals


def _rejected(ctx: FlowContext, push: Push, reason: str, fault: dict[str, object]) -> None:
    ctx.exceptions.observe(
        code=REJECTED,
        category="inventory",
        entity_type="sku",
        entity_id=push.sku,
        message=(
            f"TikTok refused quantity {push.quantity} for SKU '{push.sku}' (TikTok SKU "
            f"{push.listing.external_sku_id}): {reason}. The other SKUs were updated; this one is sent again "
            "on the next run. Check that the product is live on TikTok and the warehouse id is the shop's."
        ),
        fault=fault,
    )
    ctx.count("skus_rejected")


def _deactivate(ctx: FlowContext, items: list[tuple[str, ChannelListing]]) -> None:
    """Deactivate sold pre-owned products (one call per 20 products; refusals per product)."""
    by_product: dict[str, list[tuple[str, ChannelListing]]] = defaultdict(list)
    for sku, listing in items:
        by_product[str(listing.external_product_id)].append((sku, listing))
    if not by_product:
        return
    refused = CatalogClient(ctx.client).deactivate(sorted(by_product))
    failed = {e.detail.product_id: e for e in refused if e.detail and e.detail.product_id}
    for product_id, group in sorted(by_product.items()):
        for sku, listing in group:
            ctx.exceptions.checked("sku", sku)
            error = failed.get(product_id)
            if error is None:
                listing.status = "inactive"
                ctx.count("products_deactivated")
                continue
            ctx.exceptions.observe(
                code="tiktok.deactivate_failed",
                category="inventory",
                entity_type="sku",
                entity_id=sku,
                message=(
                    f"Pre-owned SKU '{sku}' sold out, but TikTok refused to deactivate product "
                    f"{product_id}: {error.message} (code {error.code}). It is tried again on the next "
                    "run; deactivate it in Seller Center if this repeats, so it cannot be sold twice."
                ),
                fault=error.model_dump(mode="json"),
            )
