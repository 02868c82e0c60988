"""Exception tools: list open failures, explain one, and close one (write)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from store.models import ExceptionRecord
from store.repositories import ExceptionRepository
from tools.diagnosis import Finding, diagnose, load_snapshot
from tools.diagnosis.codes import describe
from tools.lookups import connection_names, find_order
from tools.models import ToolInput, ToolOutput
from tools.registry import Change, Tool, ToolContext, ToolError, WriteResult


class ExceptionOut(ToolOutput):
    id: int
    code: str
    category: str
    entity_type: str
    entity_id: str
    connection: str | None
    flow: str | None
    message: str = Field(description="The recorded message; may quote text from TikTok or SFCC.")
    count: int
    status: str
    first_seen_at: datetime
    last_seen_at: datetime


def exception_out(record: ExceptionRecord, names: dict[int, str]) -> ExceptionOut:
    return ExceptionOut(
        id=record.id,
        code=record.code,
        category=record.category,
        entity_type=record.entity_type,
        entity_id=record.entity_id,
        connection=names.get(record.connection_id) if record.connection_id else None,
        flow=record.flow,
        message=record.message,
        count=record.count,
        status=record.status,
        first_seen_at=record.first_seen_at,
        last_seen_at=record.last_seen_at,
    )


class ListExceptionsInput(ToolInput):
    code: str | None = Field(default=None, description="Only this code, e.g. 'sku.unmapped'.")
    category: (
        Literal["ingestion", "routing", "fulfillment", "inventory", "catalog", "connector", "state"] | None
    ) = None
    connection: str | None = Field(default=None, description="Only failures of this connection.")
    entity_type: str | None = Field(default=None, description="e.g. 'order', 'sku', 'connection'.")
    entity_id: str | None = None
    limit: int = Field(default=50, ge=1, le=500)


class ListExceptionsOutput(ToolOutput):
    exceptions: list[ExceptionOut]
    counts_by_code: dict[str, int]


def list_exceptions(ctx: ToolContext, params: ListExceptionsInput) -> ListExceptionsOutput:
    """List open failures, newest first, filtered by code, category, connection or entity.

    `counts_by_code` groups the returned rows by code so a summary can say "3 x sku.unmapped".
    """
    session = ctx.db()
    names = connection_names(session)
    connection_id = None
    if params.connection is not None:
        connection_id = next((cid for cid, name in names.items() if name == params.connection), -1)
    records = ExceptionRepository(session).list_open(
        entity_type=params.entity_type,
        entity_id=params.entity_id,
        code=params.code,
        connection_id=connection_id,
        category=params.category,
        limit=params.limit,
    )
    counts: dict[str, int] = {}
    for record in records:
        counts[record.code] = counts.get(record.code, 0) + 1
    return ListExceptionsOutput(exceptions=[exception_out(r, names) for r in records], counts_by_code=counts)


class ExplainExceptionInput(ToolInput):
    exception_id: int = Field(ge=1)


class ExplainExceptionOutput(ToolOutput):
    exception: ExceptionOut
    meaning: str
    cause_to_check: str
    fix: str
    fault: Any = Field(description="The raw downstream fault document, as data.")
    findings: list[Finding] = Field(
        description="Diagnosis findings of the order, when the entity is an order."
    )


def explain_exception(ctx: ToolContext, params: ExplainExceptionInput) -> ExplainExceptionOutput:
    """Explain one recorded failure: what its code means, what to check, the fix, the raw fault,
    and for an order the diagnosis findings with the same code.
    """
    session = ctx.db()
    record = ExceptionRepository(session).get_by_id(params.exception_id)
    if record is None:
        raise ToolError(
            f"No exception has id {params.exception_id}; list them with list_exceptions.",
            code="tool.not_found",
        )
    info = describe(record.code, record.category)
    findings: list[Finding] = []
    if record.entity_type == "order":
        try:
            order = find_order(session, record.entity_id)
        except ToolError:
            order = None
        if order is not None:
            findings = [f for f in diagnose(load_snapshot(ctx, order)).findings if f.code == record.code]
    return ExplainExceptionOutput(
        exception=exception_out(record, connection_names(session)),
        meaning=info.meaning,
        cause_to_check=info.cause_to_check,
        fix=info.fix,
        fault=record.fault,
        findings=findings,
    )


class ResolveExceptionInput(ToolInput):
    exception_id: int = Field(ge=1)
    outcome: Literal["resolved", "dismissed"] = Field(
        default="resolved",
        description="'resolved' when the cause is fixed, 'dismissed' to stop tracking a known failure.",
    )


class ResolveExceptionOutput(WriteResult):
    exception_id: int
    status: str


def _exception_state(record: ExceptionRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "status": record.status,
        "resolved_by": record.resolved_by,
        "resolved_at": record.resolved_at.isoformat() if record.resolved_at else None,
    }


def _open_record(ctx: ToolContext, exception_id: int) -> ExceptionRecord:
    record = ExceptionRepository(ctx.db()).get_by_id(exception_id)
    if record is None:
        raise ToolError(
            f"No exception has id {exception_id}; list them with list_exceptions.", code="tool.not_found"
        )
    if record.status != "open":
        raise ToolError(
            f"Exception {exception_id} ({record.code}) is already {record.status}; nothing to close.",
            code="tool.conflict",
        )
    return record


def preview_resolve_exception(ctx: ToolContext, params: ResolveExceptionInput) -> Change:
    record = _open_record(ctx, params.exception_id)
    who = ctx.approval.approved_by if ctx.approval else ctx.actor
    after = _exception_state(record) | {
        "status": params.outcome,
        "resolved_by": who,
        "resolved_at": ctx.now().isoformat(),
    }
    return Change(
        entity_type="exception", entity_id=str(record.id), before=_exception_state(record), after=after
    )


def resolve_exception(ctx: ToolContext, params: ResolveExceptionInput) -> ResolveExceptionOutput:
    """Close one open failure as resolved (cause fixed) or dismissed (known, not to be tracked).

    Needs approval. The daemon re-checks failures: if the cause is still there it opens again.
    """
    change = preview_resolve_exception(ctx, params)
    record = _open_record(ctx, params.exception_id)
    who = ctx.approval.approved_by if ctx.approval else ctx.actor
    ExceptionRepository(ctx.db()).resolve(record, now=ctx.now(), by=who, status=params.outcome)
    return ResolveExceptionOutput(change=change, exception_id=record.id, status=record.status)


TOOLS: list[Tool[Any, Any]] = [
    Tool("list_exceptions", "read", ListExceptionsInput, ListExceptionsOutput, list_exceptions),
    Tool("explain_exception", "read", ExplainExceptionInput, ExplainExceptionOutput, explain_exception),
    Tool(
        "resolve_exception",
        "write",
        ResolveExceptionInput,
        ResolveExceptionOutput,
        resolve_exception,
        preview=preview_resolve_exception,
    ),
]
