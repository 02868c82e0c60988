"""Ingestion rules: order lines whose SKU matches no master product."""

from __future__ import annotations

from store.models import ExceptionRecord
from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import exception_evidence, order_ref
from tools.diagnosis.snapshot import Snapshot


def _seller_sku(record: ExceptionRecord) -> str:
    # The order pull records it on the order, naming the SKU in the fault; the push, on the SKU.
    if record.entity_type == "order" and isinstance(record.fault, dict) and record.fault.get("seller_sku"):
        return str(record.fault["seller_sku"])
    return record.entity_id


def sku_unmapped(s: Snapshot) -> list[Finding]:
    """`sku.unmapped`: a line's SKU equals no master SKU, or SFCC knows the product by another SKU."""
    records = {_seller_sku(r): r for r in s.open_exceptions("sku.unmapped")}
    findings = []
    for line in s.lines:
        record = records.get(line.sku)
        evidence = {"sku": line.sku, "product_name": line.product_name} | (
            exception_evidence(record) if record else {}
        )
        if line.sku not in s.products:
            near = s.near_misses.get(line.sku, [])
            evidence["near_miss_master_skus"] = near
            if near:
                summary = (
                    f"{order_ref(s).capitalize()} has SKU {quoted(line.sku)}, which matches no master SKU; "
                    f"master SKU {quoted(near[0])} differs only by case or whitespace. TikTok has no channel "
                    f"SKU, so change the seller SKU on TikTok to {quoted(near[0])}."
                )
                steps = [
                    f"In TikTok Seller Center, set the product's seller SKU to exactly {quoted(near[0])}.",
                    "Then retry the order with retry_order_push.",
                ]
            else:
                summary = (
                    f"{order_ref(s).capitalize()} has SKU {quoted(line.sku)}, which matches no master SKU, "
                    "not even ignoring case and whitespace. Check the product exists in SFCC and was pulled."
                )
                steps = [
                    "Look the SKU up with find_sku.",
                    "Check the product exists in the SFCC catalog and that the catalog pull runs.",
                ]
            findings.append(
                Finding(code="sku.unmapped", summary=summary, evidence=evidence, next_steps=steps)
            )
        elif record is not None and s.destination is not None:
            product = s.products[line.sku]
            listing = next(
                (li for li in s.listings_of(product) if li.connection_id == s.destination.id), None
            )
            evidence["sfcc_channel_sku"] = listing.channel_sku if listing else None
            findings.append(
                Finding(
                    code="sku.unmapped",
                    summary=(
                        f"Master SKU {quoted(line.sku)} of {order_ref(s)} has no SFCC product on connection "
                        f"{s.destination.name}. If SFCC names it differently, map its SFCC SKU."
                    ),
                    evidence=evidence,
                    fix=Fix(
                        tool="map_sku",
                        arguments={"connection": s.destination.name, "sku": line.sku},
                        missing_arguments=["channel_sku"],
                    ),
                    next_steps=["Find the product's id in Business Manager > Merchant Tools > Products."],
                )
            )
    return findings


RULES = [sku_unmapped]
