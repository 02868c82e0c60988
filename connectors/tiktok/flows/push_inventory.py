"""Push available quantities to TikTok: only what changed, one call per TikTok product.

Stock comes from the store's inventory levels at the other connections' locations (SFCC inventory
lists). Two ways to send it:

- One warehouse (``inventory_warehouses`` empty, the default): each SKU's stock, summed over every
  location or over ``inventory_location`` only, goes to one TikTok warehouse: the configured
  ``default_warehouse_id``, else the shop's default sales warehouse (``pull_locations``).
- Per warehouse (``inventory_warehouses``: location code -> TikTok warehouse id): each SKU is sent
  with a quantity for every mapped warehouse, each the stock of the locations mapped to it (summed)
  less the buffer, because TikTok refuses an update that leaves out one of a multi-warehouse SKU's
  warehouses (12019028). Stock at locations not in the map is not counted; a SKU stocked only there
  is sent as 0. A mapped code that matches no location stops the run before anything is sent.

Quantities are absolute, so re-sending after a failed run is harmless. ``pushed_quantity`` on the
listing records the total TikTok last accepted and, per warehouse, ``pushed_warehouse_quantities``
the split: a SKU is sent again when any warehouse's quantity changed, even if the total did not. A
SKU TikTok refuses (``data.errors[]``) becomes an exception while the product's other SKUs go
through. A SKU the catalog push holds back is skipped quietly (``skipped_unlisted``; the cursor
remembers when such SKUs were last searched for on TikTok), and so is one whose new listing is
still in TikTok's audit or a draft (``skipped_not_live``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import connection_failure, fault_of, is_record_failure
from connectors.tiktok.flows.inventory_plan import SkuDecision, SplitDecision, decide, decide_split
from connectors.tiktok.flows.inventory_stock import (
    SingleStock,
    SplitStock,
    single_stock,
    single_warehouse,
    split_stock,
)
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

REJECTED = "tiktok.inventory_rejected"
# Codes TikTok puts in a refused SKU's extra_errors that a seller fixes in the configuration.
WAREHOUSE_MISSING = 12052097
WAREHOUSES_INCOMPLETE = 12019028


@dataclass(frozen=True)
class Push:
    """What one SKU is sent: ``{warehouse_id: quantity}``; ``split`` when per mapped warehouse."""

    sku: str
    listing: ChannelListing
    quantities: dict[str, int]
    split: bool

    @property
    def quantity(self) -> int:
        return sum(self.quantities.values())


def push_inventory(ctx: FlowContext) -> FlowResult:
    """Send changed quantities, deactivate sold-out pre-owned products, report what TikTok refuses."""
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    stock: SingleStock | SplitStock = (
        split_stock(ctx, settings) if settings.inventory_warehouses else single_stock(ctx, settings)
    )
    cursor: dict[str, Any] = dict(ctx.cursor) if isinstance(ctx.cursor, dict) else {}
    if not stock:
        return FlowResult(cursor=cursor)  # no stock levels in the store yet: nothing to compare
    warehouse_id = None if settings.inventory_warehouses else single_warehouse(ctx, settings)
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
        pushes, deactivate = _plan(ctx, settings, stock, listings, known, warehouse_id)
        for product_id, group in sorted(_by_product(pushes).items()):
            _send(ctx, product_id, group)
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


def _plan(
    ctx: FlowContext,
    settings: TikTokSettings,
    stock: SingleStock | SplitStock,
    listings: dict[str, ChannelListing],
    known: dict[str, tuple[Product, ChannelListing | None]],
    warehouse_id: str | None,
) -> tuple[list[Push], list[tuple[str, ChannelListing]]]:
    pushes: list[Push] = []
    deactivate: list[tuple[str, ChannelListing]] = []
    for sku, listing in sorted(listings.items()):
        product = known[sku][0]
        sku_stock = stock[sku]
        decision: SkuDecision | SplitDecision
        if isinstance(sku_stock, StockTotal):
            assert warehouse_id is not None
            decision = decide(
                sku_stock,
                buffer=settings.inventory_buffer,
                condition=product.condition,
                pushed_quantity=listing.pushed_quantity,
                listing_status=listing.status,
                # Last sent per warehouse: TikTok still holds that split, so the one total goes again.
                force=settings.force_inventory_resync or listing.pushed_warehouse_quantities is not None,
            )
            quantities = {warehouse_id: decision.quantity}
        else:
            pushed = listing.pushed_warehouse_quantities
            decision = decide_split(
                sku_stock,
                buffer=settings.inventory_buffer,
                condition=product.condition,
                pushed=pushed if isinstance(pushed, dict) else None,
                listing_status=listing.status,
                force=settings.force_inventory_resync,
            )
            quantities = decision.quantities
        if decision.action == "send":
            pushes.append(Push(sku, listing, quantities, split=isinstance(decision, SplitDecision)))
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


def _send(ctx: FlowContext, product_id: str, group: list[Push]) -> None:
    """One inventory update for the SKUs of one product; refusals per SKU become exceptions."""
    quantities = {str(p.listing.external_sku_id): p.quantities for p in group}
    try:
        result = ctx.client.update_inventory(product_id, quantities)
    except TikTokError as error:
        if not is_record_failure(error):
            raise
        for push in group:
            _rejected(ctx, push, Refusal(str(error), fault_of(error), frozenset()))
        return
    refused = _refusals(result)
    for push in group:
        ctx.exceptions.checked("sku", push.sku)
        refusal = refused.get(str(push.listing.external_sku_id))
        if refusal is not None:
            _rejected(ctx, push, refusal)
            continue
        push.listing.pushed_quantity = push.quantity
        push.listing.pushed_warehouse_quantities = dict(push.quantities) if push.split else None
        push.listing.inventory_pushed_at = ctx.now
        ctx.count("skus_pushed")
    ctx.count("inventory_calls")


@dataclass(frozen=True)
class Refusal:
    """TikTok's reason for refusing one SKU, its raw error, and the codes of its extra errors."""

    reason: str
    fault: dict[str, object]
    codes: frozenset[int]


def _refusals(result: BatchResult) -> dict[str, Refusal]:
    refusals: dict[str, Refusal] = {}
    for error in result.errors:
        if error.detail is None or not error.detail.sku_id:
            continue
        extras = error.detail.extra_errors
        reasons = [_reason(e) for e in extras if e.get("message")]
        message = error.message + (f" ({'; '.join(reasons)})" if reasons else "")
        codes = frozenset(int(e["code"]) for e in extras if str(e.get("code", "")).isdigit())
        refusals[error.detail.sku_id] = Refusal(message, error.model_dump(mode="json"), codes)
    return refusals


def _reason(extra: dict[str, Any]) -> str:
    message = str(extra["message"]).rstrip(".")
    warehouse = extra.get("warehouse_id")
    return f"{message}: warehouse {warehouse}" if warehouse else message


def _rejected(ctx: FlowContext, push: Push, refusal: Refusal) -> None:
    if push.split:
        sent = "quantities " + ", ".join(f"{q} at warehouse {w}" for w, q in sorted(push.quantities.items()))
    else:
        sent = f"quantity {push.quantity}"
    ctx.exceptions.observe(
        code=REJECTED,
        category="inventory",
        entity_type="sku",
        entity_id=push.sku,
        message=(
            f"TikTok refused {sent} for SKU '{push.sku}' (TikTok SKU {push.listing.external_sku_id}): "
            f"{refusal.reason}. The other SKUs were updated; this one is sent again on the next run. "
            f"{_fix(refusal.codes)}"
        ),
        fault=refusal.fault,
    )
    ctx.count("skus_rejected")


def _fix(codes: frozenset[int]) -> str:
    if WAREHOUSES_INCOMPLETE in codes:
        return (
            "The SKU is stocked in TikTok warehouses that were not sent: map a location to each of them in "
            "inventory_warehouses, or take the warehouse off the SKU in Seller Center."
        )
    if WAREHOUSE_MISSING in codes:
        return (
            "A warehouse id sent is not one of the shop's: compare default_warehouse_id or "
            "inventory_warehouses with the warehouses `sync_daemon.py doctor` lists."
        )
    return "Check that the product is live on TikTok and the warehouse id is the shop's."


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
