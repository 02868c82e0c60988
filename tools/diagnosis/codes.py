"""The stable exception codes of EXCEPTIONS.md: what each means and what fixes it, in plain words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeInfo:
    code: str
    category: str
    meaning: str
    cause_to_check: str
    fix: str


_ROWS = (
    (
        "sfcc.auth_failed",
        "connector",
        "SFCC refused the connection's credentials.",
        "Which credential fails: short code, organization id, site id, OCAPI URL, one of the API clients, "
        "or the Business Manager user; a deactivated client or a changed password.",
        "Correct the one credential that fails, where it is set.",
    ),
    (
        "sfcc.permission_denied",
        "connector",
        "SFCC refused a call with 403 / not allowed.",
        "The client missing from the OCAPI settings for that resource and method, a missing OAuth scope, "
        "or a removed Business Manager role.",
        "Add the exact resource, method or scope.",
    ),
    (
        "sfcc.customer_missing",
        "routing",
        "SFCC rejected an order because it has no customer.",
        "Generic customer number unset or unknown; a matching strategy other than the generic customer.",
        "Set the generic customer number; switch to the generic-customer strategy.",
    ),
    (
        "mapping.shipping_method_missing",
        "routing",
        "An order was not pushed for want of a shipping method.",
        "The order's TikTok delivery option has no SFCC shipping method mapped.",
        "Map the delivery option to an SFCC shipping method id (map_shipping_method).",
    ),
    (
        "sfcc.invalid_shipping_method",
        "routing",
        "SFCC rejected an order's shipping method.",
        "A mapping points at an id the site does not have.",
        "Remap to a real shipping method id.",
    ),
    (
        "sfcc.invalid_payment_method",
        "routing",
        "SFCC rejected an order's payment method, or none applies.",
        "No payment method mapping, or an id SFCC rejects.",
        "Create or set the dedicated payment method (e.g. TTS) in the mapping (map_payment_method).",
    ),
    (
        "sku.unmapped",
        "ingestion",
        "An order line's SKU matches no product.",
        "The TikTok seller SKU equals no master SKU (case and whitespace count), or SFCC's SKU differs "
        "with no channel SKU mapping.",
        "Map the SFCC channel SKU (map_sku), or fix the SKU on TikTok.",
    ),
    (
        "sfcc.product_unavailable",
        "routing",
        "SFCC rejected an item of an order.",
        "Product unknown, offline, outside the site catalog, or not orderable.",
        "Check the SFCC product; map the right SKU.",
    ),
    (
        "order.on_hold",
        "state",
        "The order has not reached SFCC yet because it is on hold.",
        "TikTok's ON_HOLD window or the configured hold.",
        "None; it is released when the hold ends.",
    ),
    (
        "order.status_not_pushed",
        "state",
        "The order is not pushed to SFCC.",
        "Pushing orders off; the status not in the statuses to push; the source channel filtered out.",
        "Enable pushing, add the status, or add the channel.",
    ),
    (
        "order.cancel_not_propagated",
        "routing",
        "A TikTok cancellation did not cancel the SFCC order.",
        "'canceled' missing from the statuses to push.",
        "Add 'canceled' to the statuses to push.",
    ),
    (
        "fulfillment.not_pulled",
        "fulfillment",
        "Fulfillment data does not appear in Shopwright or on TikTok.",
        "Pulling fulfillment information from SFCC is off, or pushing fulfillments to TikTok is off.",
        "Enable the flow that is off.",
    ),
    (
        "tiktok.carrier_unsupported",
        "fulfillment",
        "Tracking did not reach TikTok.",
        "The carrier is not a shipping provider of the order's delivery option and no fallback applies.",
        "Map the carrier (map_carrier) or enable the fallback carrier.",
    ),
    (
        "catalog.not_pulled",
        "catalog",
        "SFCC products do not appear.",
        "Pulling the product catalog is off, or the scopes sfcc.products.rw / sfcc.catalogs.rw are missing.",
        "Enable the pull; add the scopes; force a catalog resync.",
    ),
    (
        "inventory.mismatch",
        "inventory",
        "Inventory totals look wrong.",
        "Pulling inventory off, inventory scopes missing, a location filter, or a buffer.",
        "Enable the pull; add the scopes; force an inventory resync.",
    ),
    (
        "tiktok.attribute_missing",
        "catalog",
        "A listing is stuck as draft or was rejected for missing data.",
        "Required category attributes, certifications, size chart or package dimensions missing.",
        "Approve an attribute proposal, or fill the listed attributes.",
    ),
    (
        "tiktok.listing_invalid",
        "catalog",
        "A listing was rejected by a local validation rule.",
        "Title, description HTML, images, identifier codes, weight or variants break a rule.",
        "Correct the field named by the rule.",
    ),
    (
        "tiktok.auth_expired",
        "connector",
        "Everything TikTok stopped.",
        "The access token could not be refreshed; the seller deauthorised the app; the one-year "
        "limit passed.",
        "Re-authorise from the shop's master account.",
    ),
    (
        "tiktok.rate_limited",
        "connector",
        "Sync is slow because TikTok limits the call rate.",
        "Sustained 429 / 36009002.",
        "None unless it persists; the backlog drains by itself.",
    ),
    (
        "sfcc.unavailable",
        "connector",
        "Pushes fail now and then because SFCC is busy or in maintenance.",
        "429, 503 (load or maintenance), timeouts.",
        "None; retried automatically.",
    ),
)

CODES: dict[str, CodeInfo] = {row[0]: CodeInfo(*row) for row in _ROWS}


def describe(code: str, category: str = "unknown") -> CodeInfo:
    """The entry for ``code``; a code added later without an entry gets a neutral description."""
    return CODES.get(code) or CodeInfo(
        code,
        category,
        "A failure Shopwright recorded with this code.",
        "The stored message and downstream fault.",
        "Follow the message; diagnose the entity for details.",
    )
