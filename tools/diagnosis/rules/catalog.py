"""Catalog and inventory rules for the products of an order's lines."""

from __future__ import annotations

from typing import Any

from tools.diagnosis.findings import Finding, Fix, quoted
from tools.diagnosis.rules.common import exception_evidence, setting_location
from tools.diagnosis.snapshot import Snapshot, fault_info

CATALOG_SCOPES = ("sfcc.products.rw", "sfcc.catalogs.rw")
INVENTORY_SCOPES = ("sfcc.inventory.availability.rw", "sfcc.inventory.impex-inventory.rw")


def _scope_steps(records: list[Any], scopes: tuple[str, ...]) -> list[str]:
    named = [fault_info(r).arguments.get("scope") for r in records]
    missing = [scope for scope in scopes if scope in named] or list(scopes)
    return [f"Make sure the B2C API client has the scope {s} in Account Manager." for s in missing]


def catalog_not_pulled(s: Snapshot) -> list[Finding]:
    """`catalog.not_pulled`: products do not arrive because the pull is off or lacks scopes."""
    dest = s.destination
    records = s.open_exceptions("catalog.not_pulled")
    unknown = [line.sku for line in s.lines if line.sku not in s.products]
    if dest is None or not (records or (unknown and not dest.setting("pull_product_catalog"))):
        return []
    pull_on = bool(dest.setting("pull_product_catalog"))
    evidence: dict[str, Any] = {
        "connection": dest.name,
        "pull_product_catalog": pull_on,
        "unknown_skus": unknown,
    }
    if records:
        evidence |= exception_evidence(records[0])
    if not pull_on:
        summary = (
            f"SFCC products are not arriving: pulling the product catalog is off on connection {dest.name}. "
            "Switch it on, then force one resync."
        )
        steps = [f"Set pull_product_catalog = true in {setting_location(dest, 'pull_product_catalog')}."]
    else:
        summary = (
            f"The product catalog pull of connection {dest.name} is failing. Check the API client's "
            "scopes, then force a catalog resync."
        )
        steps = _scope_steps(records, CATALOG_SCOPES)
    steps.append(f"Set force_catalog_resync = true once in {setting_location(dest, 'force_catalog_resync')}.")
    return [Finding(code="catalog.not_pulled", summary=summary, evidence=evidence, next_steps=steps)]


def inventory_mismatch(s: Snapshot) -> list[Finding]:
    """`inventory.mismatch`: a pull is off, scopes are missing, or a filter or buffer applies."""
    records = s.open_exceptions("inventory.mismatch")
    if not records:
        return []
    dest = s.destination
    src = s.source
    record = records[0]
    causes: list[str] = []
    steps: list[str] = []
    if dest is not None and not dest.setting("pull_inventory"):
        causes.append(f"pulling inventory is off on {dest.name}")
        steps.append(f"Set pull_inventory = true in {setting_location(dest, 'pull_inventory')}.")
    buffer = src.setting("inventory_buffer") or 0
    if buffer:
        causes.append(f"{src.name} holds back a buffer of {buffer} units per SKU")
    if src.setting("inventory_location"):
        causes.append(f"{src.name} pushes stock of one location only")
    skus = src.setting("inventory_skus") or []
    if skus and record.entity_id not in skus:
        causes.append(f"{src.name} only updates the SKUs listed in inventory_skus")
    if not causes:
        steps.extend(_scope_steps([record], INVENTORY_SCOPES))
    if dest is not None:
        steps.append(
            f"Then set force_inventory_resync = true once in "
            f"{setting_location(dest, 'force_inventory_resync')}."
        )
    because = (
        "; ".join(causes) if causes else "no setting explains it, so check the API client's inventory scopes"
    )
    return [
        Finding(
            code="inventory.mismatch",
            summary=f"Inventory of {quoted(record.entity_id)} looks wrong because {because}.",
            evidence=exception_evidence(record)
            | {
                "inventory_buffer": buffer,
                "inventory_location": src.setting("inventory_location"),
                "inventory_skus": skus,
                "pull_inventory": dest.setting("pull_inventory") if dest else None,
            },
            next_steps=steps,
        )
    ]


def _names(missing: Any) -> list[str]:
    names = []
    for item in missing or []:
        if isinstance(item, dict):
            names.append(str(item.get("name") or item.get("attribute_name") or item.get("id")))
        else:
            names.append(str(item))
    return names


def attribute_missing(s: Snapshot) -> list[Finding]:
    """`tiktok.attribute_missing`: required category attributes are absent from a listing."""
    findings = []
    for sku, product in s.products.items():
        for listing in s.listings_of(product):
            names = _names(listing.missing_attributes)
            if listing.connection_id != s.source.id or not names:
                continue
            pending = [p for p in s.proposals if p.product_id == product.id]
            fix = (
                Fix(tool="apply_attribute_proposal", arguments={"proposal_id": pending[0].id})
                if pending
                else Fix(tool="suggest_attributes_for_sku", arguments={"sku": sku, "attribute": names[0]})
            )
            findings.append(
                Finding(
                    code="tiktok.attribute_missing",
                    summary=(
                        f"The TikTok listing of {quoted(sku)} is stuck as {listing.status}: it lacks "
                        f"{len(names)} required attribute(s) of its category. Fill them (a proposal can "
                        "be made for approval)."
                    ),
                    evidence={
                        "sku": sku,
                        "listing_status": listing.status,
                        "missing_attributes": names,
                        "pending_proposals": [p.id for p in pending],
                    },
                    fix=fix,
                    next_steps=["Missing: " + ", ".join(quoted(n) for n in names) + "."],
                )
            )
    return findings


def listing_invalid(s: Snapshot) -> list[Finding]:
    """`tiktok.listing_invalid`: a local validation rule fails; name the field and the rule."""
    findings = []
    for sku, product in s.products.items():
        for listing in s.listings_of(product):
            errors = [
                e
                for e in listing.validation_errors or []
                if not isinstance(e, dict)
                or e.get("code", "tiktok.listing_invalid") == "tiktok.listing_invalid"
            ]
            if listing.connection_id != s.source.id or not errors:
                continue
            pairs = [
                (str(e.get("field")), str(e.get("rule"))) if isinstance(e, dict) else ("?", str(e))
                for e in errors
            ]
            findings.append(
                Finding(
                    code="tiktok.listing_invalid",
                    summary=(
                        f"The TikTok listing of {quoted(sku)} breaks {len(pairs)} rule(s), first "
                        f"{quoted(pairs[0][1])} on field {quoted(pairs[0][0])}. Correct the product and it "
                        "is pushed again."
                    ),
                    evidence={"sku": sku, "listing_status": listing.status, "errors": errors},
                    next_steps=[f"Fix field {quoted(f)} (rule {quoted(r)})." for f, r in pairs],
                )
            )
    return findings


RULES = [catalog_not_pulled, inventory_mismatch, attribute_missing, listing_invalid]
