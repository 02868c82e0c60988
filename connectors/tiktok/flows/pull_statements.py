"""Pull TikTok settlement statements into the store, by statement_time.

A statement's payment status changes days after it is issued (processing, then paid), so every pass
re-reads ``statement_lookback_days`` before the cursor; upserts make the re-read harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.engine.registry import FlowContext, FlowResult
from connectors.tiktok.errors import TikTokError
from connectors.tiktok.flows.failures import connection_failure
from connectors.tiktok.flows.incremental import begin_pass, end_pass, read_pages
from connectors.tiktok.schemas import Statement
from connectors.tiktok.settings import TikTokSettings
from store.repositories.after_sales import StatementRepository

PAGES_PER_RUN = 20


def pull_statements(ctx: FlowContext) -> FlowResult:
    """Read statements issued since the cursor (minus the look-back) into Statement rows."""
    settings = ctx.settings
    assert isinstance(settings, TikTokSettings)
    read = begin_pass(ctx.cursor, int(ctx.now.timestamp()), settings.statement_lookback_days * 86_400)

    def fetch(page_token: str | None) -> tuple[Sequence[Statement], str]:
        page = ctx.client.get_statements(
            statement_time_ge=read.ge, statement_time_lt=read.lt, page_token=page_token
        )
        return page.statements, page.next_page_token

    try:
        ctx.count("statements", read_pages(read, fetch, lambda s: _store(ctx, s), PAGES_PER_RUN))
    except TikTokError as error:
        raise connection_failure(error, "Reading TikTok statements failed") from error
    return FlowResult(end_pass(ctx.cursor, read), more=not read.finished)


def _store(ctx: FlowContext, statement: Statement) -> None:
    ctx.exceptions.checked("statement", statement.id)
    problem = _problem(statement)
    if problem is not None:
        ctx.exceptions.observe(
            code="tiktok.record_invalid",
            category="ingestion",
            entity_type="statement",
            entity_id=statement.id,
            message=(
                f"TikTok statement {statement.id} was not stored: {problem}. Check it in TikTok Seller "
                "Center (Finance); it is read again on the next pull."
            ),
            fault=statement.model_dump(mode="json"),
        )
        ctx.count("invalid")
        return
    assert statement.settlement_amount is not None
    _, created = StatementRepository(ctx.session).upsert(ctx.connection.id, statement.id, _fields(statement))
    ctx.count("statements_created" if created else "statements_updated")


def _problem(statement: Statement) -> str | None:
    if len(statement.currency) != 3:
        return f"its currency {statement.currency!r} is not a 3-letter code"
    if statement.settlement_amount is None:
        return "it has no settlement amount"
    if statement.statement_time <= 0:
        return "it has no statement time"
    return None


def _fields(statement: Statement) -> dict[str, Any]:
    return {
        "statement_time": datetime.fromtimestamp(statement.statement_time, UTC),
        "currency": statement.currency,
        "settlement_amount": statement.settlement_amount,
        "revenue_amount": statement.revenue_amount,
        "fee_amount": statement.fee_amount,
        "status": statement.payment_status or None,
        "raw": statement.model_dump(mode="json"),
    }
