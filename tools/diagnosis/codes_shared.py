"""The codes of the shared EXCEPTIONS.md table, with the symptom people report for each."""

from __future__ import annotations

from tools.diagnosis.codes import CodeInfo, FixTemplate, Origin

_SHARED: Origin = "EXCEPTIONS.md"
_RETRY = "Then retry the order with retry_order_push."

ENTRIES = (
    CodeInfo(
        "sfcc.auth_failed",
        "connector",
        "SFCC refused the connection's credentials.",
        "Which credential fails: short code, organization id, site id, OCAPI URL, one of the API clients, "
        "or the Business Manager user; a deactivated client or a changed password.",
        "Correct the one credential that fails, where it is set.",
        symptom='"SFCC connection fails after entering credentials"; auth errors after it worked.',
        next_steps=(
            "Diagnose an order of the connection: it names the credential the fault points at.",
            "Check in Account Manager that the API clients are active and their passwords unchanged.",
        ),
        entities=("connection",),
        origin=_SHARED,
    ),
    CodeInfo(
        "sfcc.permission_denied",
        "connector",
        "SFCC refused a call with 403 / not allowed.",
        "The client missing from the OCAPI settings for that resource and method, a missing OAuth scope, "
        "or a removed Business Manager role.",
        "Add the exact resource, method or scope.",
        symptom='Calls fail with 403 / "not allowed".',
        next_steps=(
            "Read the resource, method or scope in the stored fault.",
            "Allow it in Business Manager > Administration > Site Development > Open Commerce API "
            "Settings, or add the scope to the API client in Account Manager.",
        ),
        entities=("connection",),
        origin=_SHARED,
    ),
    CodeInfo(
        "sfcc.customer_missing",
        "routing",
        "SFCC rejected an order because it has no customer.",
        "Generic customer number unset or unknown; a matching strategy other than the generic customer.",
        "Set the generic customer number; switch to the generic-customer strategy.",
        symptom='"Salesforce rejects orders because the customer is missing."',
        next_steps=(
            'Set customer_strategy = "generic_customer" and generic_customer_number on the SFCC connection.',
            _RETRY,
        ),
        origin=_SHARED,
    ),
    CodeInfo(
        "mapping.shipping_method_missing",
        "routing",
        "An order was not pushed for want of a shipping method.",
        "The order's TikTok delivery option has no SFCC shipping method mapped.",
        "Map the delivery option to an SFCC shipping method id (map_shipping_method).",
        symptom='Orders not pushed; "shipping method".',
        next_steps=("Map the delivery option with map_shipping_method.", _RETRY),
        fix_tool=FixTemplate(
            "map_shipping_method", ("connection", "delivery_option"), ("shipping_method_id",)
        ),
        origin=_SHARED,
    ),
    CodeInfo(
        "sfcc.invalid_shipping_method",
        "routing",
        "SFCC rejected an order's shipping method.",
        "A mapping points at an id the site does not have.",
        "Remap to a real shipping method id.",
        symptom='"Salesforce rejects orders because the shipping method is invalid."',
        next_steps=(
            "Find the site's shipping method ids in Business Manager > Merchant Tools > Ordering > "
            "Shipping Methods, and remap with map_shipping_method.",
            _RETRY,
        ),
        fix_tool=FixTemplate(
            "map_shipping_method", ("connection", "delivery_option"), ("shipping_method_id",)
        ),
        origin=_SHARED,
    ),
    CodeInfo(
        "sfcc.invalid_payment_method",
        "routing",
        "SFCC rejected an order's payment method, or none applies.",
        "No payment method mapping, or an id SFCC rejects.",
        "Create or set the dedicated payment method (e.g. TTS) in the mapping (map_payment_method).",
        symptom='"Salesforce rejects orders because the payment method is missing."',
        next_steps=(
            "Create a payment method such as TTS in Business Manager > Merchant Tools > Ordering > "
            "Payment Methods if the site has none for TikTok, and map it with map_payment_method.",
            _RETRY,
        ),
        fix_tool=FixTemplate("map_payment_method", ("connection", "source"), ("payment_method_id",)),
        origin=_SHARED,
    ),
    CodeInfo(
        "sku.unmapped",
        "ingestion",
        "An order line's SKU matches no product.",
        "The TikTok seller SKU equals no master SKU (case and whitespace count), or SFCC's SKU differs "
        "with no channel SKU mapping.",
        "Map the SFCC channel SKU (map_sku), or fix the SKU on TikTok.",
        symptom='"Products aren\'t matching across TikTok and Salesforce"; order line not found.',
        next_steps=(
            "Look the SKU up with find_sku.",
            "If SFCC knows the product under another SKU, map it with map_sku; if the TikTok seller SKU "
            "is wrong, change it in Seller Center (TikTok has no channel SKU).",
        ),
        fix_tool=FixTemplate("map_sku", ("connection", "sku"), ("channel_sku",)),
        origin=_SHARED,
    ),
    CodeInfo(
        "sfcc.product_unavailable",
        "routing",
        "SFCC rejected an item of an order.",
        "Product unknown, offline, outside the site catalog, or not orderable.",
        "Check the SFCC product; map the right SKU.",
        symptom="SFCC rejects an item.",
        next_steps=(
            "In Business Manager > Merchant Tools > Products, check the product is online, in the site "
            "catalog and orderable with inventory.",
            "If SFCC knows it under another SKU, map it with map_sku.",
            _RETRY,
        ),
        fix_tool=FixTemplate("map_sku", ("connection", "sku"), ("channel_sku",)),
        origin=_SHARED,
    ),
    CodeInfo(
        "order.on_hold",
        "state",
        "The order has not reached SFCC yet because it is on hold.",
        "TikTok's ON_HOLD window or the configured hold.",
        "None; it is released when the hold ends.",
        symptom='"Order hasn\'t reached Salesforce yet."',
        next_steps=("Nothing to do; the diagnosis says when the hold ends.",),
        origin=_SHARED,
        recorded=False,
    ),
    CodeInfo(
        "order.status_not_pushed",
        "state",
        "The order is not pushed to SFCC.",
        "Pushing orders off; the status not in the statuses to push; the source channel filtered out.",
        "Enable pushing, add the status, or add the channel.",
        symptom='"Orders aren\'t being pushed to Salesforce."',
        next_steps=(
            "Check push_orders, order_statuses_to_push and push_source_channels of the SFCC connection.",
        ),
        origin=_SHARED,
        recorded=False,
    ),
    CodeInfo(
        "order.cancel_not_propagated",
        "routing",
        "A TikTok cancellation did not cancel the SFCC order.",
        "'canceled' missing from the statuses to push, or SFCC refused to cancel a shipped order.",
        "Add 'canceled' to the statuses to push.",
        symptom='"Canceling a TikTok order doesn\'t cancel it in Salesforce."',
        next_steps=(
            'Add "canceled" to order_statuses_to_push of the SFCC connection.',
            "Until then, cancel the order by hand in Business Manager.",
        ),
        origin=_SHARED,
    ),
    CodeInfo(
        "fulfillment.not_pulled",
        "fulfillment",
        "Fulfillment data does not appear in Shopwright or on TikTok.",
        "Pulling fulfillment information from SFCC is off, or pushing fulfillments to TikTok is off.",
        "Enable the flow that is off.",
        symptom='"Fulfillment data isn\'t appearing in the app or on TikTok."',
        next_steps=("Set pull_fulfillments (SFCC) and push_fulfillments (TikTok) to true.",),
        origin=_SHARED,
        recorded=False,
    ),
    CodeInfo(
        "tiktok.carrier_unsupported",
        "fulfillment",
        "Tracking did not reach TikTok.",
        "The carrier is not a shipping provider of the order's delivery option and no fallback applies.",
        "Map the carrier (map_carrier) or enable the fallback carrier.",
        symptom="Tracking not on TikTok.",
        next_steps=(
            "Map the carrier to a shipping provider TikTok offers for the delivery option (map_carrier).",
            "Or set use_fallback_carrier and fallback_shipping_provider_id on the TikTok connection.",
        ),
        fix_tool=FixTemplate("map_carrier", ("connection", "carrier"), ("shipping_provider_id",)),
        entities=("fulfillment",),
        origin=_SHARED,
    ),
    CodeInfo(
        "catalog.not_pulled",
        "catalog",
        "SFCC products do not appear.",
        "Pulling the product catalog is off, or the scopes sfcc.products.rw / sfcc.catalogs.rw are missing.",
        "Enable the pull; add the scopes; force a catalog resync.",
        symptom='"Salesforce products aren\'t appearing."',
        next_steps=(
            "Set pull_product_catalog = true, add the scopes to the B2C API client, then set "
            "force_catalog_resync = true once.",
        ),
        entities=("connection",),
        origin=_SHARED,
    ),
    CodeInfo(
        "inventory.mismatch",
        "inventory",
        "Inventory totals look wrong.",
        "Pulling inventory off, inventory scopes missing, a location filter, or a buffer.",
        "Enable the pull; add the scopes; force an inventory resync.",
        symptom='"Inventory totals look wrong."',
        next_steps=(
            "Check pull_inventory, inventory_location, inventory_buffer and inventory_skus, then set "
            "force_inventory_resync = true once.",
        ),
        entities=("connection",),
        origin=_SHARED,
    ),
    CodeInfo(
        "tiktok.attribute_missing",
        "catalog",
        "A listing is stuck as draft or was rejected for missing data.",
        "Required category attributes, certifications, size chart or package dimensions missing.",
        "Approve an attribute proposal, or fill the listed attributes.",
        symptom="Product stuck as DRAFT; listing rejected.",
        next_steps=(
            "Review the pending proposals with list_attribute_proposals and approve one, or fill the "
            "attributes in the master catalog.",
        ),
        fix_tool=FixTemplate("apply_attribute_proposal", ("proposal_id",)),
        entities=("product",),
        origin=_SHARED,
    ),
    CodeInfo(
        "tiktok.listing_invalid",
        "catalog",
        "A listing was rejected by a local validation rule or by TikTok.",
        "Title, description HTML, images, identifier codes, weight or variants break a rule.",
        "Correct the field named by the rule.",
        symptom="Listing rejected.",
        next_steps=("Correct the field in the master catalog; the listing is pushed again when it changes.",),
        entities=("product",),
        origin=_SHARED,
    ),
    CodeInfo(
        "tiktok.auth_expired",
        "connector",
        "Everything TikTok stopped.",
        "The access token could not be refreshed; the seller deauthorised the app; the one-year "
        "limit passed.",
        "Re-authorise from the shop's master account.",
        symptom="Everything TikTok stopped.",
        next_steps=(
            "Sign in to TikTok Shop Seller Center with the shop's main (master) account and approve the "
            "app's authorisation link; then run "
            "`python sync_daemon.py authorize CONNECTION --code AUTH_CODE`.",
        ),
        entities=("connection",),
        origin=_SHARED,
    ),
    CodeInfo(
        "tiktok.rate_limited",
        "connector",
        "Sync is slow because TikTok limits the call rate.",
        "Sustained 429 / 36009002.",
        "None unless it persists; the backlog drains by itself.",
        symptom="Slow sync.",
        next_steps=("Nothing to do unless it lasts; flow_status shows the backlog and the next run.",),
        entities=("connection",),
        origin=_SHARED,
    ),
    CodeInfo(
        "sfcc.unavailable",
        "connector",
        "Pushes fail now and then because SFCC is busy or in maintenance.",
        "429, 503 (load or maintenance), timeouts.",
        "None; retried automatically.",
        symptom="Pushes failing intermittently.",
        next_steps=("Nothing to do; if it lasts, check SFCC maintenance windows and its status page.",),
        entities=("connection",),
        origin=_SHARED,
    ),
)
