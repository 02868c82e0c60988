"""Catalog failures recorded on an order's products: shared SKUs, conflicting products, variants.

Also the catalog failures whose listing row holds nothing to show (TikTok refused a write, or an
audit failed, after the listing's own checks passed): the stored record is then the evidence.
"""

from __future__ import annotations

from typing import Any

from store.models import ExceptionRecord
from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import exception_evidence, ident, raw_fault, record_connection
from tools.diagnosis.snapshot import Snapshot

_SHOWN = 5


def _listed(values: Any) -> str:
    items = [str(v) for v in values or []]
    shown = ", ".join(quoted(v) for v in items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "") if items else "none"


def duplicate_sku(s: Snapshot) -> list[Finding]:
    """`catalog.duplicate_sku`: two TikTok SKUs share one seller SKU, so one product was not pulled."""
    findings = []
    for record in s.open_exceptions("catalog.duplicate_sku"):
        sku = record.entity_id
        products = [str(p) for p in raw_fault(record).get("products") or []]
        if len(set(products)) > 1:
            where = f"TikTok products {', '.join(ident(p) for p in products)} all use"
        else:
            where = (
                f"TikTok product {ident(products[0]) if products else '(id unknown)'} uses, on several SKUs,"
            )
        findings.append(
            Finding(
                code="catalog.duplicate_sku",
                summary=(
                    f"{where} seller SKU {quoted(sku)}, so orders for it cannot be told apart and one "
                    "product was not pulled. Give each TikTok SKU its own seller SKU."
                ),
                evidence=exception_evidence(record) | {"sku": sku, "tiktok_products": products},
                next_steps=[
                    f"In TikTok Seller Center, change the seller SKU of all but one of them; only the one "
                    f"equal to master SKU {quoted(sku)} keeps it.",
                    "The next product pull reads them again.",
                ],
            )
        )
    return findings


def sku_conflict(s: Snapshot) -> list[Finding]:
    """`catalog.sku_conflict`: an SFCC product claims a master SKU that is another product's."""
    findings = []
    for record in s.open_exceptions("catalog.sku_conflict"):
        fault = raw_fault(record)
        sku = str(fault.get("master_sku") or record.entity_id)
        sfcc_id = fault.get("sfcc_product_id")
        conn = record_connection(s, record) or s.destination
        name = conn.name if conn else "the SFCC connection"
        product = s.products.get(sku)
        fix = None
        if sfcc_id and conn is not None:
            fix = Fix(
                tool="map_sku",
                arguments={"connection": conn.name, "channel_sku": str(sfcc_id)},
                missing_arguments=["sku"],
            )
        findings.append(
            Finding(
                code="catalog.sku_conflict",
                summary=(
                    f"SFCC product {quoted(sfcc_id)} on connection {name} claims master SKU {quoted(sku)}, "
                    "which is already a different product in the store; the store kept its product. Map the "
                    "SFCC product to its own master SKU, or fix its SKU in SFCC."
                ),
                evidence=exception_evidence(record)
                | {
                    "sfcc_product_id": sfcc_id,
                    "master_sku": sku,
                    "reason": fault.get("reason"),
                    "store_parent_sku": product.parent_sku if product else None,
                    "store_identifiers": product.identifiers if product else None,
                },
                fix=fix,
                next_steps=[
                    "Find which master product the SFCC product really is (find_sku, get_product).",
                    f"Map SFCC product {quoted(sfcc_id)} to that master SKU with map_sku, or correct its SKU "
                    "in Business Manager > Merchant Tools > Products.",
                ],
            )
        )
    return findings


def variants_inconsistent(s: Snapshot) -> list[Finding]:
    """`catalog.variants_inconsistent`: TikTok's variants differ from the master's; the update is blocked."""
    findings = []
    for record in s.open_exceptions("catalog.variants_inconsistent"):
        fault = raw_fault(record)
        extra, absent = fault.get("extra") or [], fault.get("absent") or []
        name = s.source.name
        findings.append(
            Finding(
                code="catalog.variants_inconsistent",
                summary=(
                    f"Product {quoted(record.entity_id)} is not updated on TikTok: its TikTok variants "
                    f"differ from the master's ({len(extra)} only on TikTok, {len(absent)} missing on "
                    f"TikTok) and connection {name} blocks such updates. Make the variants match, or lift "
                    "the block."
                ),
                evidence=exception_evidence(record) | {"only_on_tiktok": extra, "missing_on_tiktok": absent},
                next_steps=[
                    f"Only on TikTok: {_listed(extra)}. Missing on TikTok: {_listed(absent)}.",
                    "Add or remove those variants in TikTok Seller Center or in the master catalog.",
                    f"Or set block_inconsistent_variants = false under [connections.{name}.catalog] in "
                    "shopwright.toml: the push then adds the missing variants and DELETES the extra ones.",
                ],
            )
        )
    return findings


def _covered_by_listing(s: Snapshot, record: ExceptionRecord) -> bool:
    product = s.products.get(record.entity_id)
    if product is None:
        return False
    for listing in s.listings_of(product):
        if listing.connection_id != s.source.id:
            continue
        if record.code == "tiktok.attribute_missing":
            return bool(listing.missing_attributes)
        return bool(listing.validation_errors)
    return False


def listing_refusals(s: Snapshot) -> list[Finding]:
    """`tiktok.attribute_missing` and `tiktok.listing_invalid` as recorded, when the listing row holds
    nothing to show (a refusal by TikTok after the local checks passed, or a failed audit).
    """
    findings = []
    for code in ("tiktok.attribute_missing", "tiktok.listing_invalid"):
        for record in s.open_exceptions(code):
            if record.entity_type != "product" or _covered_by_listing(s, record):
                continue
            fault = raw_fault(record)
            tiktok_code = fault.get("tiktok_code")
            by = f"TikTok (code {tiktok_code})" if tiktok_code is not None else "TikTok or its audit"
            lacks = (
                "lacks data its category requires" if code == "tiktok.attribute_missing" else "breaks a rule"
            )
            findings.append(
                Finding(
                    code=code,
                    summary=(
                        f"Product {quoted(record.entity_id)} was refused by {by}: it {lacks}; the reason "
                        "is in the evidence. Correct the product in the master catalog and it is pushed "
                        "again."
                    ),
                    evidence=exception_evidence(record)
                    | {"sku": record.entity_id, "tiktok_code": tiktok_code},
                    next_steps=[
                        "Read TikTok's reason in the evidence and correct the product in the master catalog.",
                        "For missing attributes, propose values with suggest_attributes_for_sku.",
                    ],
                )
            )
    return findings


RULES = [duplicate_sku, sku_conflict, variants_inconsistent, listing_refusals]
