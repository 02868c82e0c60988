"""The graph's nodes: the model, the read-tool runner, and the two halves of an approval.

Writes are split in two nodes on purpose. ``propose`` stores the Approval row (a side effect that
must happen once); ``await_approval`` only calls ``interrupt()`` and, on resume, re-reads the row.
LangGraph re-runs an interrupted node from its start when it resumes, so nothing before the
``interrupt()`` call in that node may have side effects.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.types import Command, interrupt
from pydantic import BaseModel, ValidationError

from agent.approvals import ApprovalService
from agent.backends.base import ModelRequest, ToolSpec
from agent.context import AgentContext
from agent.data import wrap_data
from agent.policy import refusal_reason
from agent.prompts import render
from agent.state import AgentState, PendingApproval, QueuedWrite
from agent.toolset import describe_validation
from tools.registry import Approval, ToolContext, ToolError

logger = logging.getLogger(__name__)


class Nodes:
    """Node functions bound to one :class:`AgentContext`."""

    def __init__(self, context: AgentContext, approvals: ApprovalService) -> None:
        self.ctx = context
        self.approvals = approvals

    # -- model -------------------------------------------------------------------------------
    def model(self, state: AgentState) -> dict[str, Any]:
        """Ask the backend for the next step, unless the turn has used up its limits."""
        steps, tokens = state.get("turn_steps", 0), state.get("turn_tokens", 0)
        limits = self.ctx.limits
        if steps >= limits.max_steps or tokens >= limits.max_tokens:
            text = render("offline/limit_reached", steps=steps, tokens=tokens)
            return {"messages": [AIMessage(content=text)]}
        specs = self.tool_specs()
        system = render(
            "system",
            write_tools=", ".join(s.name for s in specs if s.effect == "write") or "none",
            approvers=self.approvals.who_may_approve(),
            data_open="<<<SHOPWRIGHT_DATA",
            data_close="<<<END_SHOPWRIGHT_DATA>>>",
            tool_list=", ".join(s.name for s in specs),
        )
        reply = self.ctx.backend.respond(ModelRequest(system=system, messages=state["messages"], tools=specs))
        return {"messages": [reply.message], "turn_steps": steps + 1, "turn_tokens": tokens + reply.tokens}

    def tool_specs(self) -> list[ToolSpec]:
        return [
            ToolSpec(tool.name, tool.description, tool.json_schema(), tool.effect)
            for tool in self.ctx.toolset.tools.values()
        ]

    # -- read tools ----------------------------------------------------------------------------
    def tools(self, state: AgentState) -> dict[str, Any]:
        """Run read calls now; send write calls through the write policy into the approval queue."""
        last = _last_ai(state["messages"])
        messages: list[BaseMessage] = []
        queued: list[QueuedWrite] = list(state.get("queued_writes") or [])
        admitted = state.get("turn_writes", 0)
        for call in last.tool_calls if last else []:
            name, arguments, call_id = call["name"], dict(call["args"]), str(call["id"])
            tool = self.ctx.toolset.get(name)
            if tool is None:
                messages.append(_result(call_id, name, ok=False, error=f"there is no tool named {name!r}"))
            elif tool.effect == "read":
                messages.append(self._run(call_id, name, arguments, state, approval=None))
            else:
                reason = refusal_reason(
                    name,
                    arguments,
                    state["messages"],
                    admitted_this_turn=admitted,
                    max_writes_per_turn=self.ctx.limits.max_writes_per_turn,
                    schema=tool.json_schema(),
                )
                if reason is None:
                    queued.append({"call_id": call_id, "tool": name, "arguments": arguments})
                    admitted += 1
                else:
                    logger.info("write %s not proposed in %s: %s", name, state.get("thread_id"), reason)
                    messages.append(_result(call_id, name, ok=False, error=reason, outcome="not_proposed"))
        return {"messages": messages, "queued_writes": queued, "turn_writes": admitted}

    # -- approvals -----------------------------------------------------------------------------
    def propose(self, state: AgentState) -> dict[str, Any]:
        """Validate the next queued write, preview its change, and store an Approval for it."""
        queued = list(state.get("queued_writes") or [])
        item = queued.pop(0)
        tool = self.ctx.toolset.get(item["tool"])
        assert tool is not None  # only registered write tools are queued
        try:
            params = tool.input_model.model_validate(item["arguments"])
            change = self._change(item, params, state)
        except ValidationError as error:
            message = f"invalid arguments: {describe_validation(error)}"
            return {
                "queued_writes": queued,
                "messages": [_result(item["call_id"], item["tool"], ok=False, error=message)],
            }
        except ToolError as error:
            return {
                "queued_writes": queued,
                "messages": [_result(item["call_id"], item["tool"], ok=False, error=error.message)],
            }
        arguments = params.model_dump(mode="json")
        thread_id = state.get("thread_id", "")
        token, approval_id, expires_at = self.approvals.request(
            tool=item["tool"],
            arguments=arguments,
            change=change,
            thread_id=thread_id,
            requested_by=state.get("actor", "agent"),
        )
        pending: PendingApproval = {
            "token": token,
            "approval_id": approval_id,
            "call_id": item["call_id"],
            "tool": item["tool"],
            "arguments": arguments,
            "change": change,
            "expires_at": expires_at.isoformat(),
            "thread_id": thread_id,
        }
        return {"queued_writes": queued, "pending": pending}

    def _change(self, item: QueuedWrite, params: BaseModel, state: AgentState) -> dict[str, Any]:
        arguments = params.model_dump(mode="json")
        shown: dict[str, Any] = {"entity": None, "before": None, "after": arguments}
        preview = self.ctx.toolset.preview(item["tool"], self._tool_context(state, None), params)
        if preview is not None:
            shown.update(preview)
        tool = self.ctx.toolset.get(item["tool"])
        summary = (tool.description.splitlines() or [""])[0] if tool else ""
        return {**shown, "tool": item["tool"], "arguments": arguments, "summary": summary}

    def await_approval(self, state: AgentState) -> Command[Any]:
        """Pause for a person's decision, then apply the write once or record why not."""
        pending = state.get("pending")
        if pending is None:
            return Command(goto="model")
        answer = interrupt({"kind": "approval", **pending, "approvers": list(self.approvals.approvers)})
        if not isinstance(answer, dict) or answer.get("token") != pending["token"]:
            return Command(goto="await_approval")  # not an answer to this card: keep waiting
        status = self.approvals.status(pending["token"])
        if status is not None and status[0] == "pending":
            return Command(goto="await_approval")  # not decided through the approval service
        by = str(answer.get("by", ""))
        message = self._outcome(pending, status, by, state)
        goto = "propose" if state.get("queued_writes") else "model"
        return Command(goto=goto, update={"messages": [message], "pending": None})

    def _outcome(
        self, pending: PendingApproval, status: tuple[str, str | None] | None, by: str, state: AgentState
    ) -> ToolMessage:
        call_id, name = pending["call_id"], pending["tool"]
        if status is None:
            return _result(call_id, name, ok=False, error="the approval record is missing", outcome="refused")
        current, decided_by = status
        if current == "rejected":
            return _result(
                call_id,
                name,
                ok=False,
                error=f"rejected by <@{decided_by}>",
                outcome="rejected",
                decided_by=decided_by,
            )
        if current != "approved" or decided_by != by or not self.approvals.claim(pending["token"], by):
            return _result(
                call_id,
                name,
                ok=False,
                error=f"the approval is {current}; it can be used once",
                outcome="refused",
            )
        approval = Approval(
            approved_by=by, source=pending["thread_id"] or "slack", approval_id=str(pending["approval_id"])
        )
        result = self._run(call_id, name, pending["arguments"], state, approval=approval)
        artifact = dict(result.artifact or {})
        if artifact.get("ok"):
            artifact.update(outcome="applied", decided_by=by)
            return ToolMessage(content=result.content, tool_call_id=call_id, name=name, artifact=artifact)
        self.approvals.close(pending["token"], status="failed", note=str(artifact.get("error")))
        return result

    # -- shared ----------------------------------------------------------------------------
    def _tool_context(self, state: AgentState, approval: Approval | None) -> ToolContext:
        return ToolContext(
            session_factory=self.ctx.session_factory,
            clock=self.ctx.clock,
            config=self.ctx.config,
            actor=state.get("actor", "agent"),
            approval=approval,
            extras={"thread_id": state.get("thread_id")},
        )

    def _run(
        self,
        call_id: str,
        name: str,
        arguments: dict[str, Any],
        state: AgentState,
        *,
        approval: Approval | None,
    ) -> ToolMessage:
        try:
            output = self.ctx.toolset.run(name, self._tool_context(state, approval), arguments)
        except ToolError as error:
            return _result(call_id, name, ok=False, error=error.message)
        except Exception:
            # The person sees what failed and where to look; the stack trace goes to the log only.
            logger.exception("tool %s failed in thread %s", name, state.get("thread_id"))
            return _result(
                call_id, name, ok=False, error=f"{name} failed unexpectedly; the bot's log has details"
            )
        payload = output.model_dump(mode="json")
        return _result(call_id, name, ok=True, output=payload, limit=self.ctx.limits.max_tool_output_chars)


def _result(
    call_id: str,
    name: str,
    *,
    ok: bool,
    output: Any = None,
    error: str | None = None,
    outcome: str | None = None,
    decided_by: str | None = None,
    limit: int = 12_000,
) -> ToolMessage:
    """A tool message: the model reads ``content`` (wrapped as data), the offline backend the artifact."""
    body = output if ok else {"error": error, "outcome": outcome}
    artifact = {
        "tool": name,
        "ok": ok,
        "output": output,
        "error": error,
        "outcome": outcome,
        "decided_by": decided_by,
    }
    return ToolMessage(
        content=wrap_data(f"tool:{name}", body, limit=limit),
        tool_call_id=call_id,
        name=name,
        artifact=artifact,
    )


def _last_ai(messages: Sequence[BaseMessage]) -> AIMessage | None:
    for message in reversed(messages):
        if isinstance(message, AIMessage):
            return message
        if isinstance(message, HumanMessage):
            return None
    return None
