"""The sandbox's package and SKU rules for product create and edit, with TikTok's error codes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from connectors.tiktok.sandbox.catalog_rejection import Rejection, invalid
from connectors.tiktok.sandbox.state import SandboxState

MAX_SKUS = 100
MAX_SELLER_SKU = 50
MAX_QUANTITY = 999_999
IMPERIAL_REGIONS = ("US",)
DIMENSIONS_REGIONS = ("MY", "SG", "GB", "US")
# 150 lb in the US, 30 kg in GB, the EU and MX (reference section 5).
MAX_WEIGHT_KG = {
    "US": 150 * Decimal("0.45359237"),
    **{r: Decimal(30) for r in ("GB", "DE", "FR", "IT", "ES", "IE", "MX")},
}
CURRENCIES = {
    "US": "USD",
    "GB": "GBP",
    "ID": "IDR",
    "TH": "THB",
    "MY": "MYR",
    "PH": "PHP",
    "VN": "VND",
    "SG": "SGD",
}
PRICE_RANGES = {"US": (Decimal("0.01"), Decimal(7600)), "GB": (Decimal("0.01"), Decimal(5600))}
CODE_LENGTHS = {"GTIN": (14,), "EAN": (8, 13, 14), "UPC": (12,), "ISBN": (13,)}
_PAIR = {"KILOGRAM": "CENTIMETER", "POUND": "INCH"}


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def check_package(
    body: dict[str, Any], rules: dict[str, Any], region: str, *, draft: bool
) -> list[Rejection]:
    """Weight above zero in an allowed unit; whole-number dimensions when required; matching units."""
    problems: list[Rejection] = []
    weight = body.get("package_weight")
    weight_unit = None
    if not weight:
        if not draft:
            problems.append(invalid("package_weight", "is required"))
    else:
        value, weight_unit = _decimal(weight.get("value")), weight.get("unit")
        if value is None or value < 0:
            problems.append(Rejection(12019011, "Invalid package weight."))
        elif value == 0:
            problems.append(Rejection(12052181, "The package weight cannot be 0."))
        if weight_unit not in _PAIR:
            problems.append(Rejection(12019011, f"Invalid package weight unit {weight_unit}."))
        elif weight_unit == "POUND" and region not in IMPERIAL_REGIONS:
            problems.append(Rejection(12019061, "Imperial units are only supported for US products."))
        elif value is not None and value > 0 and region in MAX_WEIGHT_KG:
            in_kg = value * Decimal("0.45359237") if weight_unit == "POUND" else value
            if in_kg > MAX_WEIGHT_KG[region]:
                problems.append(Rejection(12019011, "The package weight exceeds the market's maximum."))
    problems.extend(_dimensions(body.get("package_dimensions"), rules, region, weight_unit, draft))
    return problems


def _dimensions(
    dimensions: Any, rules: dict[str, Any], region: str, weight_unit: Any, draft: bool
) -> list[Rejection]:
    sides = [(dimensions or {}).get(side) for side in ("length", "width", "height")]
    required = (rules.get("package_dimension") or {}).get("is_required") or region in DIMENSIONS_REGIONS
    if all(side in (None, "") for side in sides):
        return [Rejection(12052116, "The package dimensions are required.")] if required and not draft else []
    if any(side in (None, "") for side in sides):
        return [Rejection(12052116, "Give the package length, width and height together.")]
    numbers = [_decimal(side) for side in sides]
    if any(n is None or n < 0 or n != n.to_integral_value() for n in numbers):
        return [Rejection(12019012, "Invalid package size: dimensions are non-negative integers.")]
    unit = dimensions.get("unit")
    if unit not in _PAIR.values():
        return [Rejection(12019012, f"Invalid package dimension unit {unit}.")]
    if unit == "INCH" and region not in IMPERIAL_REGIONS:
        return [Rejection(12019061, "Imperial units are only supported for US products.")]
    if weight_unit in _PAIR and _PAIR[weight_unit] != unit:
        return [
            Rejection(12052915, f"The weight unit {weight_unit} does not match the dimension unit {unit}.")
        ]
    return []


def check_skus(state: SandboxState, skus: Any, region: str, *, draft: bool) -> list[Rejection]:
    """SKU count, seller SKUs, sales attributes, price, inventory and identifier codes."""
    if not isinstance(skus, list) or not skus:
        return [invalid("skus", "is required")]
    if len(skus) > MAX_SKUS:
        return [Rejection(12052050, f"A single product cannot have more than {MAX_SKUS} different SKUs.")]
    warehouses = {w["id"] for w in state.warehouses if w.get("type", "SALES_WAREHOUSE") == "SALES_WAREHOUSE"}
    problems: list[Rejection] = []
    seen_skus: set[str] = set()
    codes: set[str] = set()
    for index, sku in enumerate(skus):
        seller_sku = str(sku.get("seller_sku") or "")
        if len(seller_sku) > MAX_SELLER_SKU:
            problems.append(
                Rejection(12052054, f"seller_sku {seller_sku[:20]}... exceeds {MAX_SELLER_SKU} characters.")
            )
        if seller_sku and seller_sku in seen_skus:
            problems.append(
                Rejection(12019059, f"Invalid seller sku: {seller_sku} is used twice in the product.")
            )
        seen_skus.add(seller_sku)
        problems.extend(_price(sku.get("price"), region, draft))
        problems.extend(_inventory(sku.get("inventory"), warehouses, draft))
        problems.extend(_identifier(index, sku.get("identifier_code"), codes))
    problems.extend(_sales_attributes(skus))
    return problems


def _price(price: Any, region: str, draft: bool) -> list[Rejection]:
    if not price:
        return [] if draft else [Rejection(12052073, "The SKU price is required.")]
    amount = _decimal(price.get("amount"))
    low, high = PRICE_RANGES.get(region, (Decimal("0.01"), Decimal("100000000")))
    if amount is None or not low <= amount <= high:
        return [Rejection(12052073, f"Invalid price {price.get('amount')}: it must be {low} to {high}.")]
    expected = CURRENCIES.get(region)
    if expected and price.get("currency") != expected:
        return [Rejection(12052012, f"Invalid price currency {price.get('currency')}; use {expected}.")]
    return []


def _inventory(inventory: Any, warehouses: set[str], draft: bool) -> list[Rejection]:
    if not inventory:
        return [] if draft else [Rejection(12019022, "The SKU has no valid warehouse.")]
    for item in inventory:
        if str(item.get("warehouse_id")) not in warehouses:
            return [Rejection(12052097, f"Warehouse {item.get('warehouse_id')} does not exist.")]
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= MAX_QUANTITY:
            return [Rejection(12052055, f"Inventory {quantity} is out of range (0 to {MAX_QUANTITY}).")]
    return []


def _identifier(index: int, identifier: Any, codes: set[str]) -> list[Rejection]:
    if not identifier:
        return []
    kind, code = identifier.get("type"), str(identifier.get("code") or "")
    lengths = CODE_LENGTHS.get(str(kind))
    body_ok = code[:-1].isdigit() and (code[-1:].isdigit() or (kind == "ISBN" and code[-1:] == "X"))
    if lengths is None or len(code) not in lengths or not code.isascii() or not body_ok:
        return [invalid(f"skus[{index}].identifier_code", f"{kind} {code} is not a valid code")]
    if code in codes:
        return [invalid(f"skus[{index}].identifier_code", f"{code} is used by another SKU")]
    codes.add(code)
    return []


def _sales_attributes(skus: list[dict[str, Any]]) -> list[Rejection]:
    names_first: list[str] | None = None
    combos: set[tuple[tuple[str, str], ...]] = set()
    for index, sku in enumerate(skus):
        pairs = []
        for option in sku.get("sales_attributes") or []:
            name, value = str(option.get("name") or ""), str(option.get("value_name") or "")
            if not option.get("id") and not 1 <= len(name.strip()) <= 20:
                return [invalid(f"skus[{index}].sales_attributes", "names have 1 to 20 characters")]
            if not option.get("value_id") and not 1 <= len(value.strip()) <= 50:
                return [invalid(f"skus[{index}].sales_attributes", "values have 1 to 50 characters")]
            pairs.append((name.strip().casefold(), value.strip().casefold()))
        names = sorted(name for name, _ in pairs)
        if names_first is None:
            names_first = names
        elif names != names_first:
            return [invalid(f"skus[{index}].sales_attributes", "must name the same attributes on every SKU")]
        combo = tuple(sorted(pairs))
        if len(skus) > 1 and combo in combos:
            return [invalid(f"skus[{index}].sales_attributes", "repeat another SKU's values")]
        combos.add(combo)
    return []
