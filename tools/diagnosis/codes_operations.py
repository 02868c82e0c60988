"""Codes the project added for single records: shipments, listings, stock, catalog rows, orders."""

from __future__ import annotations

from tools.diagnosis.codes import CodeInfo, FixTemplate

_CLOSE = FixTemplate("resolve_exception", ("exception_id",))
_CLOSE_STEP = "Once that is done, close the failure with resolve_exception: this shipment is not sent again."

ENTRIES = (
    CodeInfo(
        "fulfillment.tracking_missing",
        "fulfillment",
        "A shipment from SFCC has no tracking number, so it was not pushed to TikTok.",
        "The SFCC shipment's tracking number (and the carrier attribute) left empty.",
        "Enter the tracking number for those lines in TikTok Seller Center, then close the failure.",
        symptom='"The order shipped but TikTok still shows it awaiting shipment."',
        next_steps=(
            "Enter the tracking number for the shipment's lines in TikTok Seller Center.",
            _CLOSE_STEP,
        ),
        fix_tool=_CLOSE,
        entities=("fulfillment",),
    ),
    CodeInfo(
        "fulfillment.order_canceled",
        "fulfillment",
        "SFCC shipped an order that is canceled on TikTok; the shipment was not pushed.",
        "The cancellation reached SFCC too late, or not at all (see order.cancel_not_propagated).",
        "Stop or recall the parcel; check why SFCC shipped a canceled order; then close the failure.",
        symptom='"We shipped an order the buyer had canceled."',
        next_steps=(
            "Stop the parcel with the carrier if you still can, or arrange its return.",
            'Check that "canceled" is among the statuses the SFCC connection pushes.',
            _CLOSE_STEP,
        ),
        fix_tool=_CLOSE,
        entities=("fulfillment",),
    ),
    CodeInfo(
        "tiktok.order_not_found",
        "fulfillment",
        "TikTok does not return the order of a shipment for this shop, so it was not pushed.",
        "The order belongs to another shop or was deleted; the connection is authorised for another shop.",
        "Check the order in Seller Center and the connection's shop; then close the failure.",
        symptom='"Tracking never reached TikTok for this order."',
        next_steps=(
            "Search the order in TikTok Seller Center of the shop the connection is authorised for.",
            _CLOSE_STEP,
        ),
        fix_tool=_CLOSE,
        entities=("fulfillment",),
    ),
    CodeInfo(
        "tiktok.fulfillment_lines_unavailable",
        "fulfillment",
        "TikTok has no open line left for a shipment's items, so it was not pushed.",
        "The lines were shipped already (by hand in Seller Center or by another shipment) or "
        "canceled on TikTok.",
        "Compare the order in Seller Center with the SFCC shipment; then close the failure.",
        symptom='"TikTok shows different shipped items than Salesforce."',
        next_steps=(
            "Compare the order's packages in TikTok Seller Center with the SFCC shipment.",
            "Ship what is still open by hand in Seller Center if needed.",
            _CLOSE_STEP,
        ),
        fix_tool=_CLOSE,
        entities=("fulfillment",),
    ),
    CodeInfo(
        "tiktok.fulfillment_rejected",
        "fulfillment",
        "TikTok refused to take a shipment (tracking number, provider or order state).",
        "The TikTok message in the stored fault: a tracking number format, a provider, or the order's state.",
        "Correct the shipment on TikTok (Seller Center), then close the failure.",
        symptom='"Tracking isn\'t on TikTok" though the shipment is in Salesforce.',
        next_steps=(
            "Read TikTok's message in the stored fault and ship the lines in Seller Center.",
            _CLOSE_STEP,
        ),
        fix_tool=_CLOSE,
        entities=("fulfillment",),
    ),
    CodeInfo(
        "tiktok.listing_missing",
        "inventory",
        "Stock of a SKU was not pushed because TikTok lists no product with that seller SKU.",
        "No TikTok product has the seller SKU exactly (TikTok has no SKU mapping), or no master "
        "product has it.",
        "List the product on TikTok with that seller SKU, or leave the SKU out with inventory_skus.",
        symptom='"Inventory isn\'t updating on TikTok for some products."',
        next_steps=(
            "List the product on TikTok with the seller SKU exactly equal to the master SKU.",
            "Or, if it is not sold on TikTok, leave it out of the TikTok connection's inventory_skus.",
        ),
        entities=("sku",),
    ),
    CodeInfo(
        "tiktok.inventory_rejected",
        "inventory",
        "TikTok refused the quantity of one SKU; the product's other SKUs were updated.",
        "The product is not live on TikTok, a warehouse id is not one of the shop's warehouses, or a SKU "
        "stocked in several warehouses was not sent to all of them.",
        "Check the product is live and the warehouse ids are the shop's; it is sent again on the next run.",
        symptom='"Stock on TikTok is wrong for one SKU."',
        next_steps=(
            "Check the product's status in TikTok Seller Center.",
            "Check default_warehouse_id (or, per warehouse, inventory_warehouses: every warehouse the SKU "
            "is stocked in must be mapped) of the TikTok connection; `sync_daemon.py doctor` checks them.",
        ),
        entities=("sku",),
    ),
    CodeInfo(
        "tiktok.deactivate_failed",
        "inventory",
        "A sold-out pre-owned product could not be deactivated on TikTok.",
        "TikTok's refusal in the stored fault (product state, promotion, audit).",
        "Deactivate it in Seller Center, so the one item cannot be sold twice.",
        symptom='"A sold pre-owned item is still for sale on TikTok."',
        next_steps=(
            "Deactivate the product in TikTok Seller Center now; the daemon tries again on its next run.",
        ),
        entities=("sku",),
    ),
    CodeInfo(
        "catalog.duplicate_sku",
        "catalog",
        "Two TikTok SKUs share one seller SKU, so orders for it cannot be told apart; one was not pulled.",
        "The same seller SKU on two TikTok products, or on two SKUs of one product.",
        "Give one of them another seller SKU on TikTok.",
        symptom='"Orders go to the wrong product"; a TikTok product is missing in Shopwright.',
        next_steps=("Give one of the TikTok SKUs its own seller SKU in Seller Center.",),
        entities=("sku",),
    ),
    CodeInfo(
        "catalog.sku_conflict",
        "catalog",
        "An SFCC product claims a master SKU that belongs to another product; the store kept its product.",
        "Two SFCC products with one SKU, a variant under another master, or different identifiers.",
        "Map the SFCC product to its own master SKU (map_sku), or fix the SKU in SFCC.",
        symptom='"A product shows the wrong details" or one SFCC product never appears.',
        next_steps=(
            "Find which master product the SFCC product really is (find_sku).",
            "Map its SFCC id to that master SKU with map_sku, or correct the SKU in SFCC.",
        ),
        fix_tool=FixTemplate("map_sku", ("connection", "channel_sku"), ("sku",)),
        entities=("product",),
    ),
    CodeInfo(
        "catalog.variants_inconsistent",
        "catalog",
        "A TikTok product's variants differ from the master's, and the settings block the update.",
        "Variants only on TikTok or only in the master catalog.",
        "Make the variants match, or turn off block_inconsistent_variants.",
        symptom='"Product changes don\'t reach TikTok."',
        next_steps=(
            "Add the missing variants on TikTok or in the master catalog, and remove the extra ones.",
            "Or set block_inconsistent_variants = false in the connection's catalog table: the push then "
            "DELETES TikTok variants the master lacks.",
        ),
        entities=("product",),
    ),
    CodeInfo(
        "tiktok.record_invalid",
        "ingestion",
        "A TikTok return, cancellation or statement was not stored because a value is unusable.",
        "No order id, a negative refund, or a currency that is not a 3-letter code.",
        "Check the record in Seller Center; it is read again when TikTok updates it.",
        symptom='"A refund or statement is missing in Shopwright."',
        next_steps=("Check the record in TikTok Seller Center; it is read again when TikTok updates it.",),
        entities=("return", "cancellation", "statement"),
    ),
    CodeInfo(
        "order.address_missing",
        "ingestion",
        "An order has no usable shipping address, so it was not pushed to SFCC.",
        "TikTok hides the address while an order is on hold; or the address lacks a required field.",
        "Wait for the next order pull; check the address on TikTok if it stays missing.",
        symptom='"Order hasn\'t reached Salesforce" with an address error.',
        next_steps=(
            "Wait for the next TikTok order pull; the push re-checks the order on its own.",
            "If the address stays incomplete, check it in TikTok Seller Center.",
        ),
    ),
    CodeInfo(
        "order.push_failed",
        "routing",
        "An order's push to SFCC failed and no typed failure explains it.",
        "The route's last error.",
        "Fix the cause the last error names, then retry the order (retry_order_push).",
        symptom='"Order hasn\'t reached Salesforce."',
        next_steps=("Read the last error, fix its cause, then retry the push.",),
        fix_tool=FixTemplate("retry_order_push", ("order_id",)),
        recorded=False,
    ),
)
