"""How the sandbox stores a listed product: the accepted request body, and the detail it renders.

The body is kept (with the SKU ids the sandbox assigned) so that a partial edit can merge into it and
be checked like a full one; the detail in `SandboxState.products` is re-rendered from it after every
write, so product search and product detail show exactly what was accepted. Call under the lock.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from connectors.tiktok.sandbox.state import SandboxState

# Fields whose change sends a live product back to audit; price, stock and package do not.
AUDITED_FIELDS = (
    "title",
    "description",
    "main_images",
    "product_attributes",
    "category_id",
    "brand_id",
    "certifications",
    "size_chart",
    "video",
)
LIVE_STATUSES = ("ACTIVATE", "SELLER_DEACTIVATED", "PLATFORM_DEACTIVATED", "FREEZE")


def _stable_id(*parts: str) -> str:
    """A numeric-looking id derived from names, so a custom value keeps its id across edits."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return "7" + str(int(digest[:15], 16)).zfill(18)[:18]


def assign_sku_ids(state: SandboxState, body: dict[str, Any], existing: dict[str, Any] | None) -> None:
    """Give every SKU of ``body`` an id: keep the ids sent, mint new ones for new SKUs."""
    for sku in body.get("skus") or []:
        if not sku.get("id"):
            sku["id"] = state.next_id()
        sku["id"] = str(sku["id"])


def unknown_sku_ids(body: dict[str, Any], existing: dict[str, Any] | None) -> list[str]:
    """SKU ids in an edit body that the product does not have (an edit cannot adopt foreign SKUs)."""
    known = {s["id"] for s in (existing or {}).get("skus") or []}
    return [str(s["id"]) for s in body.get("skus") or [] if s.get("id") and str(s["id"]) not in known]


def _sales_attributes(state: SandboxState, category_id: str, sku: dict[str, Any]) -> list[dict[str, Any]]:
    specs = {
        a["name"].casefold(): a
        for a in state.catalog.attributes.get(category_id, [])
        if a["type"] == "SALES_PROPERTY"
    }
    out = []
    for option in sku.get("sales_attributes") or []:
        name = str(option.get("name") or "")
        spec = specs.get(name.strip().casefold())
        attribute_id = str(option.get("id") or (spec["id"] if spec else _stable_id(category_id, name)))
        value_name = str(option.get("value_name") or "")
        values = {v["name"].casefold(): v for v in (spec or {}).get("values", [])}
        value = values.get(value_name.strip().casefold())
        value_id = str(
            option.get("value_id") or (value["id"] if value else _stable_id(attribute_id, value_name))
        )
        item: dict[str, Any] = {
            "id": attribute_id,
            "name": spec["name"] if spec else name,
            "value_id": value_id,
            "value_name": value_name or (value or {}).get("name", ""),
        }
        if option.get("sku_img"):
            item["sku_img"] = copy.deepcopy(option["sku_img"])
        out.append(item)
    return out


def _attributes(state: SandboxState, category_id: str, given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    specs = {a["id"]: a for a in state.catalog.attributes.get(category_id, [])}
    out = []
    for attribute in given:
        spec = specs.get(str(attribute.get("id")), {"name": "", "values": []})
        names = {v["id"]: v["name"] for v in spec["values"]}
        by_name = {v["name"].casefold(): v for v in spec["values"]}
        values = []
        for value in attribute.get("values") or []:
            if value.get("id"):
                values.append({"id": str(value["id"]), "name": names.get(str(value["id"]), "")})
            else:
                known = by_name.get(str(value.get("name", "")).strip().casefold())
                values.append(
                    dict(known)
                    if known
                    else {"id": _stable_id(spec["name"], str(value["name"])), "name": value["name"]}
                )
        out.append({"id": str(attribute["id"]), "name": spec["name"], "values": values})
    return out


def render(
    state: SandboxState, product_id: str, body: dict[str, Any], status: str, created: int
) -> dict[str, Any]:
    """The product detail TikTok returns for an accepted body."""
    catalog = state.catalog
    category_id = str(body["category_id"])
    version = str(body.get("category_version") or "v1")
    brand = catalog.brands.get(str(body.get("brand_id") or ""))
    images = []
    for image in body.get("main_images") or []:
        record = catalog.images.get(str(image.get("uri")))
        if record is not None:
            images.append(
                {"uri": record.uri, "urls": [record.url], "width": record.width, "height": record.height}
            )
    skus = []
    for sku in body.get("skus") or []:
        rendered = {
            "id": sku["id"],
            "seller_sku": sku.get("seller_sku", ""),
            "price": {
                **(sku.get("price") or {}),
                "tax_exclusive_price": (sku.get("price") or {}).get("amount", ""),
            },
            "inventory": copy.deepcopy(sku.get("inventory") or []),
            "sales_attributes": _sales_attributes(state, category_id, sku),
        }
        for key in ("identifier_code", "external_sku_id", "list_price"):
            if sku.get(key):
                rendered[key] = copy.deepcopy(sku[key])
        skus.append(rendered)
    shop_region = next((s.get("region", "US") for s in state.shops.values()), "US")
    return {
        "id": product_id,
        "status": status,
        "title": body.get("title", ""),
        "description": body.get("description", ""),
        "category_chains": [
            {k: n[k] for k in ("id", "parent_id", "local_name", "is_leaf")}
            for n in catalog.chain(version, category_id)
        ],
        "brand": {"id": brand["id"], "name": brand["name"]} if brand else None,
        "main_images": images,
        "package_weight": copy.deepcopy(body.get("package_weight")),
        "package_dimensions": copy.deepcopy(body.get("package_dimensions")),
        "product_attributes": _attributes(state, category_id, body.get("product_attributes") or []),
        "certifications": copy.deepcopy(body.get("certifications") or []),
        "size_chart": copy.deepcopy(body.get("size_chart")),
        "skus": skus,
        "external_product_id": body.get("external_product_id", ""),
        "is_cod_allowed": bool(body.get("is_cod_allowed", False)),
        "is_pre_owned": bool(body.get("is_pre_owned", False)),
        "sales_regions": [shop_region],
        "audit_failed_reasons": [],
        "create_time": created,
        "update_time": state.clock.timestamp(),
    }


def store(state: SandboxState, product: dict[str, Any]) -> None:
    """Replace the product in the shared store, dropping SKU ids it no longer has."""
    old = state.products.get(product["id"])
    for sku in (old or {}).get("skus", []):
        state.sku_index.pop(sku["id"], None)
    state.put_product(product)


def set_status(state: SandboxState, product_id: str, status: str) -> None:
    product = state.products[product_id]
    product["status"] = status
    product["update_time"] = state.clock.timestamp()


def advance_audits(state: SandboxState) -> None:
    """Decide the audits whose time has come (lazily, on every catalog read or write)."""
    with state.lock:
        catalog = state.catalog
        now = state.clock.timestamp()
        for product_id, until in list(catalog.audit_until.items()):
            if until > now:
                continue
            del catalog.audit_until[product_id]
            product = state.products.get(product_id)
            if product is None or product.get("status") != "PENDING":
                continue
            text = f"{product.get('title', '')} {product.get('description', '')}".casefold()
            banned = [term.strip() for term in catalog.banned_terms if term in text]
            product["update_time"] = until
            if banned:
                product["status"] = "FAILED"
                product["audit_failed_reasons"] = [
                    {
                        "position": "title"
                        if banned[0] in str(product.get("title", "")).casefold()
                        else "description",
                        "reasons": [
                            f"The listing mentions '{banned[0]}', which breaks the prohibited content policy."
                        ],
                        "suggestions": [
                            f"Remove '{banned[0]}' from the title and description, then edit the product."
                        ],
                    }
                ]
            else:
                product["status"] = "ACTIVATE"
                product["audit_failed_reasons"] = []
