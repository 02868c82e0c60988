r"""Build and compile the agent graph.

START -> model --(tool calls)--> tools --(write calls queued)--> propose -> await_approval
           ^  \--(answer)--> END     \--(reads only)--> model          (interrupt, resume)
           \-------------------------------------------------------------------/
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agent.approvals import ApprovalService
from agent.context import AgentContext
from agent.nodes import Nodes
from agent.state import AgentState

Graph = CompiledStateGraph[AgentState, None, AgentState, AgentState]


def build_graph(context: AgentContext, checkpointer: BaseCheckpointSaver[Any]) -> Graph:
    """The compiled agent graph over ``context``, persisted by ``checkpointer`` per thread id."""
    approvals = approval_service(context)
    nodes = Nodes(context, approvals)
    builder: StateGraph[AgentState, None, AgentState, AgentState] = StateGraph(AgentState)
    builder.add_node("model", nodes.model)
    builder.add_node("tools", nodes.tools)
    builder.add_node("propose", nodes.propose)
    builder.add_node(
        "await_approval", nodes.await_approval, destinations=("model", "propose", "await_approval")
    )
    builder.add_edge(START, "model")
    builder.add_conditional_edges("model", _after_model, {"tools": "tools", END: END})
    builder.add_conditional_edges("tools", _after_tools, {"propose": "propose", "model": "model"})
    builder.add_conditional_edges(
        "propose",
        _after_propose,
        {"await_approval": "await_approval", "propose": "propose", "model": "model"},
    )
    return builder.compile(checkpointer=checkpointer)


def approval_service(context: AgentContext) -> ApprovalService:
    """The approval service the graph and the bot share (same store, clock, approvers and TTL)."""
    return ApprovalService(
        context.session_factory, context.clock, context.approvers, context.approval_ttl_minutes
    )


def _after_model(state: AgentState) -> str:
    last = state["messages"][-1]
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else END


def _after_tools(state: AgentState) -> str:
    return "propose" if state.get("queued_writes") else "model"


def _after_propose(state: AgentState) -> str:
    if state.get("pending"):
        return "await_approval"
    return "propose" if state.get("queued_writes") else "model"
