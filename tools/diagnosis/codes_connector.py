"""Codes the project added for whole-run failures: TikTok API errors, SFCC refusals, crashed flows."""

from __future__ import annotations

from tools.diagnosis.codes import CodeInfo, FixTemplate

_CONNECTION = ("connection",)
_FLOW_STATUS = "Run flow_status for the connection to see the flow's last runs and its next attempt."

ENTRIES = (
    CodeInfo(
        "tiktok.api_error",
        "connector",
        "TikTok Shop answered a call with an error Shopwright does not classify.",
        "The TikTok error code and message in the stored fault; the request id for TikTok support.",
        "Look the TikTok code up in the Partner Center error list; report it with the request id.",
        symptom="One TikTok flow keeps failing while the others run.",
        next_steps=(
            "Read the TikTok error code, message and request id in the stored fault.",
            "Look the code up in TikTok Shop Partner Center; if it persists, report it with the request id.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.auth_failed",
        "connector",
        "TikTok refused the connection's credentials for a call.",
        "A scope the app was not granted (105005), the server's IP missing from the app's allow list "
        "(36009033), an invalid access token (101000) or a wrong app key.",
        "Grant the scope, allow the IP, or correct the app key; re-authorise when the token is invalid.",
        symptom='"TikTok stopped syncing" for one kind of data; access denied.',
        next_steps=(
            "Read the TikTok error code in the stored fault: 105005 needs the API scope enabled for the app "
            "in Partner Center, 36009033 the daemon's IP in the app's allow list.",
            "For an invalid token, re-authorise the shop from its master account.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.signature_invalid",
        "connector",
        "TikTok refused the signature of the connection's calls (106001).",
        "The app secret set for the connection is not the app's current secret.",
        "Set the app's current secret for the connection.",
        symptom="Everything TikTok stopped right after a configuration change.",
        next_steps=(
            "Copy the app secret from TikTok Shop Partner Center into the connection's app_secret "
            "(environment variable or secrets file), then restart the daemon.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.request_rejected",
        "connector",
        "TikTok's gateway refused a request before reading it.",
        "A server clock off by more than a few minutes (stale timestamp), a missing or unexpected "
        "shop_cipher, or an API path, method or version TikTok does not serve.",
        "Fix the server clock or the shop cipher; report a path or version refusal.",
        symptom='"TikTok calls fail with invalid timestamp / shop_cipher."',
        next_steps=(
            "Check that the daemon's host keeps time (NTP): TikTok refuses timestamps over 5 minutes old.",
            "For a shop_cipher refusal, re-authorise so the shop cipher is fetched again.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.validation_failed",
        "connector",
        "TikTok refused a request of a whole run as invalid.",
        "A value TikTok does not accept in the run's request (a setting such as a warehouse or "
        "delivery option id, or a date range).",
        "Correct the setting the TikTok message names; report it with the request id otherwise.",
        symptom="A TikTok flow fails on every run with the same message.",
        next_steps=(
            "Read the TikTok message in the stored fault and correct the setting it names.",
            _FLOW_STATUS,
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.not_found",
        "connector",
        "TikTok answered a run's call with not found.",
        "An API path the app may not call (36009009), or an entity that is gone or belongs to another shop.",
        "Check the app's API permissions and the connection's shop.",
        symptom="A TikTok flow fails with not found.",
        next_steps=(
            "Check in Partner Center that the app may call the API named in the stored fault's path.",
            "Check that the connection is authorised for the shop that owns the entities.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.unavailable",
        "connector",
        "TikTok failed or timed out (5xx, internal error, timeout); the run is retried.",
        "A TikTok outage or a network problem between the daemon and TikTok.",
        "None; retried automatically with backoff.",
        symptom="TikTok sync is late now and then.",
        next_steps=(
            "Nothing to do unless it lasts; then check the network from the daemon's host.",
            _FLOW_STATUS,
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "tiktok.pagination_loop",
        "connector",
        "TikTok returned the same page token twice, so the run stopped instead of looping.",
        "A TikTok paging fault on that list; the run's cursor did not move.",
        "None; the next run reads the list again. Report it with the request id if it repeats.",
        symptom="A TikTok pull makes no progress.",
        next_steps=(
            _FLOW_STATUS,
            "If it repeats, report it to TikTok with the request id in the stored fault.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "engine.flow_crashed",
        "connector",
        "A flow stopped on an error nobody classified; nothing of that run was saved.",
        "The error type and message in the stored fault, and the daemon log for that flow.",
        "None at first: the run is retried. If it repeats, report it with the daemon log.",
        symptom="One flow fails on every run; data of that kind stops moving.",
        next_steps=(
            "Read the error type and message in the stored fault.",
            "Search the daemon log for the flow's name; report the error with that log if it repeats.",
        ),
        entities=_CONNECTION,
    ),
    CodeInfo(
        "sfcc.request_rejected",
        "routing",
        "SFCC refused a request for a reason Shopwright does not classify.",
        "The SFCC fault type and message, and the push step that failed (customer, items, addresses, "
        "payment, order creation).",
        "Correct what the fault names at that step, then retry the order.",
        symptom='"Salesforce rejects the order" with an unfamiliar error.',
        next_steps=(
            "Read the fault type, message and step in the stored fault.",
            "Correct the data or site configuration it names, then retry the order with retry_order_push.",
        ),
        entities=("order", "connection"),
    ),
    CodeInfo(
        "sfcc.not_found",
        "routing",
        "SFCC answered not found for something a push or a pull needed.",
        "A basket SFCC discarded during the push (the push starts over), a wrong site id, or an "
        "entity that is not on the site.",
        "Retry the order; check the site id when every call fails.",
        symptom="Pushes or pulls fail with 404.",
        next_steps=(
            "For an order whose basket vanished, retry it with retry_order_push.",
            "When every call fails, check site_id of the SFCC connection.",
        ),
        fix_tool=FixTemplate("retry_order_push", ("order_id",)),
        entities=("order", "connection"),
    ),
    CodeInfo(
        "sfcc.conflict",
        "routing",
        "SFCC refused a change because of the entity's state (409).",
        "An order number already taken by another SFCC order, or a status change SFCC forbids "
        "(e.g. canceling a shipped order).",
        "Change the order number prefix if numbers collide, then retry the order.",
        symptom='"Salesforce says the order already exists" but it is not ours.',
        next_steps=(
            "Look the order number up in Business Manager > Merchant Tools > Ordering > Orders.",
            "If another order holds it, change order_number_prefix of the SFCC connection, then retry the "
            "order with retry_order_push.",
        ),
        entities=("order", "connection"),
    ),
)
