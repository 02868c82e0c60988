"""``bot.py --console``: the same graph and approvals in a terminal, scriptable through stdin.

Type a question; when a change waits for approval, type ``approve`` or ``reject`` (decided as
the ``--as`` user, who must be on ``[bot] approvers``). ``quit`` ends the session.
"""

from __future__ import annotations

import json
from typing import TextIO

from agent.approvals import ApprovalRefusedError
from agent.runner import AgentRunner, TurnResult


def run_console(runner: AgentRunner, user: str, stdin: TextIO, stdout: TextIO, *, thread_id: str) -> int:
    """Read lines until EOF or ``quit``; returns the exit status."""
    interactive = stdin.isatty()
    while True:
        if interactive:
            stdout.write("you> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if not text:
            continue
        if text.lower() in ("quit", "exit"):
            return 0
        if not interactive:
            stdout.write(f"you> {text}\n")
        command = text.lower()
        if command in ("approve", "reject"):
            waiting = runner.pending(thread_id)
            if waiting is None:
                stdout.write("bot> Nothing is waiting for approval in this conversation.\n")
                continue
            try:
                result = runner.decide(
                    str(waiting["token"]),
                    user,
                    "approve" if command == "approve" else "reject",
                    source="console",
                )
            except ApprovalRefusedError as refused:
                stdout.write(f"bot> {refused.message}\n")
                continue
            stdout.write(f"bot> {'Approved' if command == 'approve' else 'Rejected'} by {user}.\n")
        else:
            result = runner.ask(thread_id, user, text)
        _show(result, stdout)
        stdout.flush()


def _show(result: TurnResult, stdout: TextIO) -> None:
    if result.text:
        stdout.write(f"bot> {result.text}\n")
    card = result.approval
    if card:
        change = card.get("change") or {}
        arguments = json.dumps(card.get("arguments"), ensure_ascii=False)
        stdout.write(
            f"bot> Approval needed: {card.get('tool')} {arguments}\n"
            f"     entity: {change.get('entity') or 'new'}\n"
            f"     before: {json.dumps(change.get('before'), ensure_ascii=False, default=str)}\n"
            f"     after:  {json.dumps(change.get('after'), ensure_ascii=False, default=str)}\n"
            f"     expires {card.get('expires_at')}. Type `approve` or `reject`.\n"
        )
