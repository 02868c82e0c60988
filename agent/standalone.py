"""Approval cards outside any conversation: AI attribute proposals waiting for a person.

The catalog flow (or a model through ``propose_attribute_fill``) leaves pending
AttributeProposals in the store. Each gets one card with Approve and Reject, bound to an
Approval row like every other card (approvers only, used once, expiring, audited). Approve runs
``apply_attribute_proposal``; Reject runs ``reject_attribute_proposal``, so the proposal itself
is closed too, and both writes carry the decider as their approver. No graph run is involved:
there is no conversation to resume, only the decision to carry out.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent.approvals import ApprovalService, Decision
from agent.backends.answers import render_result
from agent.toolset import ToolSet
from connectors.engine.clock import Clock
from store.models import Approval as ApprovalRow
from store.models import AttributeProposal
from tools.registry import Approval, ToolContext, ToolError

logger = logging.getLogger(__name__)

CARD_PREFIX = "card:"
APPLY_TOOL = "apply_attribute_proposal"
REJECT_TOOL = "reject_attribute_proposal"
_LIVE = ("pending", "approved", "applied")


def card_key(proposal_id: int) -> str:
    """The approval's thread id for a proposal's card (not a conversation)."""
    return f"{CARD_PREFIX}proposal:{proposal_id}"


def is_standalone(thread_id: str | None) -> bool:
    return bool(thread_id) and str(thread_id).startswith(CARD_PREFIX)


class StandaloneCards:
    """Opens cards for pending proposals and carries out the decisions made on them."""

    def __init__(
        self,
        approvals: ApprovalService,
        toolset: ToolSet,
        session_factory: sessionmaker[Session],
        clock: Clock,
        config: Any = None,
    ) -> None:
        self.approvals = approvals
        self._toolset = toolset
        self._sessions = session_factory
        self._clock = clock
        self._config = config

    def open_proposal_cards(self, *, limit: int = 10) -> list[dict[str, Any]]:
        """Cards for pending proposals that have none alive (a card that expired is replaced)."""
        with self._sessions() as session:
            pending = session.scalars(
                select(AttributeProposal.id)
                .where(AttributeProposal.status == "pending")
                .order_by(AttributeProposal.id)
            ).all()
            live = set(
                session.scalars(
                    select(ApprovalRow.thread_id).where(
                        ApprovalRow.thread_id.like(f"{CARD_PREFIX}proposal:%"), ApprovalRow.status.in_(_LIVE)
                    )
                )
            )
        cards: list[dict[str, Any]] = []
        for proposal_id in pending:
            if len(cards) >= limit:
                break
            if card_key(proposal_id) in live:
                continue
            card = self._open(proposal_id)
            if card is not None:
                cards.append(card)
        return cards

    def decide(self, decision: Decision) -> str:
        """Carry out an accepted decision on a proposal card; returns what to tell people."""
        arguments = self._arguments(decision.token)
        if decision.decision == "approve":
            if not self.approvals.claim(decision.token, decision.decided_by):
                return f"Approval {decision.approval_id} was already used; nothing more was changed."
            tool = APPLY_TOOL
        else:
            tool = str(decision.change.get("on_reject") or REJECT_TOOL)
        approval = Approval(
            approved_by=decision.decided_by,
            source=f"card:{decision.approval_id}",
            approval_id=str(decision.approval_id),
        )
        ctx = self._context(actor=decision.decided_by, approval=approval)
        try:
            output = self._toolset.run(tool, ctx, arguments)
        except ToolError as error:
            if decision.decision == "approve":
                self.approvals.close(decision.token, status="failed", note=error.message)
            return render_result({"tool": tool, "ok": False, "error": error.message})
        artifact = {"tool": tool, "ok": True, "output": output.model_dump(mode="json")}
        return render_result(artifact | {"outcome": "applied", "decided_by": decision.decided_by})

    def _open(self, proposal_id: int) -> dict[str, Any] | None:
        tool = self._toolset.get(APPLY_TOOL)
        if tool is None:
            return None
        arguments = {"proposal_id": proposal_id}
        try:
            params = tool.input_model.model_validate(arguments)
            preview = self._toolset.preview(APPLY_TOOL, self._context(actor="catalog"), params) or {}
        except ToolError as error:
            logger.warning("no card for attribute proposal %s: %s", proposal_id, error.message)
            return None
        change = preview | {
            "tool": APPLY_TOOL,
            "arguments": arguments,
            "summary": "AI attribute proposal: apply it to the product, or reject it.",
            "why": self._why(proposal_id),
            "on_reject": REJECT_TOOL,
        }
        key = card_key(proposal_id)
        token, approval_id, expires_at = self.approvals.request(
            tool=APPLY_TOOL, arguments=arguments, change=change, thread_id=key, requested_by="catalog"
        )
        return {
            "kind": "approval",
            "token": token,
            "approval_id": approval_id,
            "tool": APPLY_TOOL,
            "arguments": arguments,
            "change": change,
            "expires_at": expires_at.isoformat(),
            "thread_id": key,
        }

    def _why(self, proposal_id: int) -> str:
        """The proposal's own reasons, for the approver: where the value came from and how sure."""
        with self._sessions() as session:
            proposal = session.get(AttributeProposal, proposal_id)
            if proposal is None:
                return ""
            return (
                f"{proposal.attribute_name} = {', '.join(map(str, proposal.values or []))} "
                f"(source {proposal.source}, confidence {proposal.confidence:.2f}): {proposal.rationale}"
            )

    def _arguments(self, token: str) -> dict[str, Any]:
        with self._sessions() as session:
            row = session.scalar(select(ApprovalRow).where(ApprovalRow.token == token))
            return dict(row.arguments) if row is not None else {}

    def _context(self, *, actor: str, approval: Approval | None = None) -> ToolContext:
        return ToolContext(
            session_factory=self._sessions,
            clock=self._clock,
            config=self._config,
            actor=actor,
            approval=approval,
        )
