"""Connector rows of EXCEPTIONS.md: auth, permissions, rate limits, availability."""

from __future__ import annotations

from tests.tools.diagnosis.helpers import diagnose, only
from tests.tools.seeding import ORDER_ID, Seed
from tools.registry import ToolContext


def test_sfcc_auth_failed_names_the_failing_client(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    order = seed.order(tiktok)
    seed.route(order, sfcc, "failed", attempts=3)
    seed.exception(
        "sfcc.auth_failed",
        entity_type="connection",
        entity_id="sfcc-main",
        category="connector",
        connection=sfcc,
        fault={
            "type": "invalid_client",
            "message": "Client authentication failed",
            "arguments": {"client_id": "ocapi-client-1"},
        },
    )
    finding = only(diagnose(ctx), "sfcc.auth_failed")
    assert "OCAPI client of connection sfcc-main" in finding.summary
    assert finding.evidence["credential"] == "ocapi_client_id"
    assert any("SHOPWRIGHT_SFCC_MAIN_OCAPI_CLIENT_PASSWORD" in step for step in finding.next_steps)


def test_sfcc_auth_failed_without_a_named_credential_lists_what_to_check(
    seed: Seed, ctx: ToolContext
) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception(
        "sfcc.auth_failed",
        entity_type="connection",
        entity_id="sfcc-main",
        category="connector",
        fault={"type": "Unauthorized", "message": "no"},
    )
    finding = only(diagnose(ctx), "sfcc.auth_failed")
    assert "does not say which one" in finding.summary
    assert len(finding.next_steps) == 9
    assert "credential" not in finding.evidence


def test_sfcc_permission_denied_names_resource_and_method(seed: Seed, ctx: ToolContext) -> None:
    tiktok, sfcc = seed.standard()
    seed.route(seed.order(tiktok), sfcc, "failed")
    seed.exception(
        "sfcc.permission_denied",
        category="connector",
        fault={
            "fault": {
                "type": "ClientAccessForbiddenException",
                "message": "Access forbidden",
                "arguments": {
                    "resource": "/baskets/*/payment_instruments",
                    "method": "POST",
                    "client_id": "ocapi-client-1",
                },
            }
        },
    )
    finding = only(diagnose(ctx), "sfcc.permission_denied")
    assert 'POST on "/baskets/*/payment_instruments"' in finding.summary
    assert "Open Commerce API Settings" in finding.summary


def test_tiktok_auth_expired_gives_reauthorisation_steps(seed: Seed, ctx: ToolContext) -> None:
    tiktok, _ = seed.standard()
    seed.order(tiktok, status="onHold")
    seed.exception(
        "tiktok.auth_expired", entity_type="connection", entity_id="tiktok-us", category="connector"
    )
    finding = only(diagnose(ctx), "tiktok.auth_expired")
    assert "tiktok-us" in finding.summary
    assert any("master" in step for step in finding.next_steps)
    assert finding.fix is None


def test_tiktok_rate_limited_needs_nothing_and_shows_backlog(seed: Seed, ctx: ToolContext) -> None:
    from store.models import Lease
    from tests.tools.seeding import NOW

    tiktok, _ = seed.standard()
    seed.order(tiktok)
    seed.session.add(Lease(connection_name="tiktok-us", flow_name="orders", next_due_at=NOW, attempt=2))
    seed.exception(
        "tiktok.rate_limited", entity_type="connection", entity_id="tiktok-us", category="connector"
    )
    finding = only(diagnose(ctx), "tiktok.rate_limited")
    assert finding.fix is None
    assert "nothing needs doing" in finding.summary
    assert finding.evidence["backlog"][0]["flow"] == "orders"


def test_sfcc_unavailable_shows_the_next_attempt(seed: Seed, ctx: ToolContext) -> None:
    from datetime import timedelta

    from tests.tools.seeding import NOW

    tiktok, sfcc = seed.standard()
    order = seed.order(tiktok)
    seed.route(order, sfcc, "pending", attempts=2, next_attempt_at=NOW + timedelta(minutes=4))
    seed.exception(
        "sfcc.unavailable", category="connector", fault={"type": "http", "message": "503 sfdc_maintenance"}
    )
    finding = only(diagnose(ctx), "sfcc.unavailable")
    assert f"order {ORDER_ID}" in finding.summary
    assert "2026-11-23 12:04 UTC" in finding.summary
    assert finding.fix is None
