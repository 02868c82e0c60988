"""Stock of an order's SKUs that the inventory push could not bring to TikTok."""

from __future__ import annotations

from typing import Any

from store.models import ChannelListing, ExceptionRecord
from tools.diagnosis.findings import Finding, quoted
from tools.diagnosis.rules.common import exception_evidence, ident, raw_fault, setting_location
from tools.diagnosis.snapshot import Snapshot


def _tiktok_listing(s: Snapshot, sku: str) -> ChannelListing | None:
    product = s.products.get(sku)
    if product is None:
        return None
    return next((li for li in s.listings_of(product) if li.connection_id == s.source.id), None)


def _listing_evidence(listing: ChannelListing | None) -> dict[str, Any]:
    return {
        "tiktok_listing_status": listing.status if listing else None,
        "tiktok_product_id": listing.external_product_id if listing else None,
        "tiktok_sku_id": listing.external_sku_id if listing else None,
        "pushed_quantity": listing.pushed_quantity if listing else None,
    }


def _records(s: Snapshot, code: str) -> list[ExceptionRecord]:
    return [r for r in s.open_exceptions(code) if r.entity_type == "sku"]


def listing_missing(s: Snapshot) -> list[Finding]:
    """`tiktok.listing_missing`: TikTok lists no product with the SKU, so its stock is not pushed."""
    findings = []
    src = s.source
    for record in _records(s, "tiktok.listing_missing"):
        sku = record.entity_id
        listing = _tiktok_listing(s, sku)
        near = s.near_misses.get(sku, [])
        evidence = exception_evidence(record) | _listing_evidence(listing)
        evidence |= {
            "sku": sku,
            "near_miss_master_skus": near,
            "inventory_skus": src.setting("inventory_skus"),
        }
        if sku not in s.products:
            summary = (
                f"Stock of SKU {quoted(sku)} is not pushed to TikTok: no master product has this SKU, so "
                "the inventory from SFCC cannot be matched to a listing. Check the catalog pull."
            )
            steps = ["Look the SKU up with find_sku.", "Check that the SFCC catalog pull runs (flow_status)."]
            if near:
                steps.insert(0, f"Master SKU {quoted(near[0])} differs only by case or whitespace.")
        elif listing is not None and listing.external_sku_id:
            summary = (
                f"TikTok lists SKU {quoted(sku)} now (TikTok SKU {ident(listing.external_sku_id)}); the "
                "failure closes on the next inventory run. Nothing to do."
            )
            steps = []
        else:
            summary = (
                f"Stock of SKU {quoted(sku)} is not pushed to TikTok: no TikTok product of connection "
                f"{src.name} has this seller SKU. List it with exactly this seller SKU, or leave it out."
            )
            steps = [
                f"In TikTok Seller Center, give the product the seller SKU {quoted(sku)} exactly "
                "(TikTok has no SKU mapping).",
                f"If it is not sold on TikTok, list only the SKUs to push in "
                f"{setting_location(src, 'inventory_skus')}.",
            ]
        findings.append(
            Finding(code="tiktok.listing_missing", summary=summary, evidence=evidence, next_steps=steps)
        )
    return findings


def inventory_rejected(s: Snapshot) -> list[Finding]:
    """`tiktok.inventory_rejected`: TikTok refused one SKU's quantity; the product's other SKUs went."""
    findings = []
    src = s.source
    for record in _records(s, "tiktok.inventory_rejected"):
        sku = record.entity_id
        listing = _tiktok_listing(s, sku)
        fault = raw_fault(record)
        warehouse = src.setting("default_warehouse_id")
        mapped = src.setting("inventory_warehouses") or {}
        evidence = exception_evidence(record) | _listing_evidence(listing)
        evidence |= {"sku": sku, "tiktok_code": fault.get("code"), "default_warehouse_id": warehouse}
        if mapped:
            evidence["inventory_warehouses"] = dict(mapped)
        live = listing is None or listing.status == "active"
        cause = (
            "check the product is live and the warehouse is one of the shop's"
            if live
            else f"its TikTok listing is {listing.status if listing else 'unknown'}, and TikTok takes stock "
            "only for live products"
        )
        if mapped:
            warehouses = ", ".join(sorted(map(ident, set(mapped.values()))))
            where = f"the warehouses of inventory_warehouses ({warehouses})"
            setting = "inventory_warehouses"
        else:
            where = (
                f"default_warehouse_id {ident(warehouse)}"
                if warehouse
                else "the shop's default warehouse (from pull_locations)"
            )
            setting = "default_warehouse_id"
        findings.append(
            Finding(
                code="tiktok.inventory_rejected",
                summary=(
                    f"TikTok refused the stock of SKU {quoted(sku)} {record.count} time(s); the other SKUs "
                    f"of the product were updated. To fix it, {cause}. It is sent again on the next run."
                ),
                evidence=evidence,
                next_steps=[
                    "Check the product's status in TikTok Seller Center (live, not frozen or in audit).",
                    f"The stock goes to {where}; check in Seller Center that the shop has each warehouse "
                    "(a SKU stocked in several must get every one), or change "
                    f"{setting_location(src, setting)}.",
                ],
            )
        )
    return findings


def deactivate_failed(s: Snapshot) -> list[Finding]:
    """`tiktok.deactivate_failed`: a sold pre-owned product is still for sale on TikTok."""
    findings = []
    for record in _records(s, "tiktok.deactivate_failed"):
        sku = record.entity_id
        listing = _tiktok_listing(s, sku)
        detail = raw_fault(record).get("detail")
        product_id = (detail.get("product_id") if isinstance(detail, dict) else None) or (
            listing.external_product_id if listing else None
        )
        evidence = exception_evidence(record) | _listing_evidence(listing) | {"sku": sku}
        findings.append(
            Finding(
                code="tiktok.deactivate_failed",
                summary=(
                    f"Pre-owned SKU {quoted(sku)} sold out, but TikTok refused to deactivate its product "
                    f"{ident(product_id) if product_id else '(id unknown)'}; until it is, the one item can "
                    "be sold twice. Deactivate it in TikTok Seller Center now."
                ),
                evidence=evidence,
                next_steps=[
                    "Deactivate the product in TikTok Seller Center (Products > Manage products).",
                    "The daemon tries again on its next inventory run; TikTok's reason is in the evidence.",
                ],
            )
        )
    return findings


RULES = [listing_missing, inventory_rejected, deactivate_failed]
