"""Price and stock rules: a price per SKU in the market's currency and range, stock 0 to 999,999."""

from __future__ import annotations

from decimal import Decimal

from .issue import ListingIssue, invalid, quote
from .model import ListingDraft

__all__ = ["MAX_QUANTITY", "PRICE_RANGES", "REGION_CURRENCIES", "check_prices"]

REGION_CURRENCIES = {
    "US": "USD",
    "GB": "GBP",
    "ID": "IDR",
    "TH": "THB",
    "MY": "MYR",
    "PH": "PHP",
    "VN": "VND",
    "SG": "SGD",
    "MX": "MXN",
    **{region: "EUR" for region in ("DE", "FR", "IT", "ES", "IE")},
}
# Ranges from the reference (official text for GB and ID, a peer connector for the rest). Markets
# without a known range are only checked for a positive price.
PRICE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "US": (Decimal("0.01"), Decimal(7600)),
    "GB": (Decimal("0.01"), Decimal(5600)),
    "ID": (Decimal(100), Decimal(100_000_000)),
    "MX": (Decimal("0.1"), Decimal(50_000)),
    **{region: (Decimal("0.01"), Decimal(6300)) for region in ("DE", "FR", "IT", "ES", "IE")},
}
MAX_QUANTITY = 999_999


def check_prices(draft: ListingDraft) -> list[ListingIssue]:
    """Checked only when the draft names its currency, so drafts built without prices stay valid."""
    if draft.currency is None:
        return []
    issues: list[ListingIssue] = []
    expected = REGION_CURRENCIES.get(draft.region)
    if expected and draft.currency != expected:
        issues.append(
            invalid(
                "currency",
                "price.currency",
                f"Prices are in {draft.currency} but TikTok Shop in {draft.region} lists in {expected}; "
                f"convert the prices to {expected}.",
            )
        )
    low, high = PRICE_RANGES.get(draft.region, (Decimal("0.01"), None))
    for index, sku in enumerate(draft.skus):
        label = quote(sku.seller_sku)
        if sku.price is None:
            issues.append(
                invalid(f"skus[{index}].price", "price.required", f"SKU {label} has no price; set one.")
            )
        elif sku.price < low or (high is not None and sku.price > high):
            bound = f"{low} to {high}" if high is not None else f"at least {low}"
            issues.append(
                invalid(
                    f"skus[{index}].price",
                    "price.range",
                    f"SKU {label} costs {sku.price} {draft.currency}; TikTok Shop in {draft.region} accepts "
                    f"{bound}, so correct the price.",
                )
            )
        if sku.quantity is not None and not 0 <= sku.quantity <= MAX_QUANTITY:
            issues.append(
                invalid(
                    f"skus[{index}].quantity",
                    "inventory.range",
                    f"SKU {label} has a stock of {sku.quantity}; TikTok Shop accepts 0 to {MAX_QUANTITY}.",
                )
            )
    return issues
