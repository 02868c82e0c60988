"""``bot.py --console``: the same graph and approvals in a terminal, scriptable through stdin.

Type a question; when a change waits for approval, type ``approve`` or ``reject`` (decided as
the ``--as`` user, who must be on ``[bot] approvers``). ``quit`` ends the session. When stdin is
not a terminal every line read is echoed after ``you>``, so a piped script leaves a readable
transcript. With ``strict`` the exit status is 1 when any step failed or was refused.
"""

from __future__ import annotations

import json
import re
from typing import TextIO

from agent.approvals import ApprovalRefusedError
from agent.runner import AgentRunner, TurnResult

EXIT_OK = 0
EXIT_STEP_FAILED = 1
_USER_MENTION = re.compile(r"<@([A-Za-z0-9_.-]+)>")
_GROUP_MENTION = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")


def run_console(
    runner: AgentRunner,
    user: str,
    stdin: TextIO,
    stdout: TextIO,
    *,
    thread_id: str,
    strict: bool = False,
) -> int:
    """Read lines until EOF or ``quit``; returns the exit status."""
    interactive = stdin.isatty()
    failed = False
    while True:
        if interactive:
            stdout.write("you> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.lower() in ("quit", "exit"):
            break
        if not interactive:
            stdout.write(f"you> {text}\n")
        command = text.lower()
        if command in ("approve", "reject"):
            result = _decide(runner, user, thread_id, command, stdout)
            if result is None:
                failed = True
                stdout.flush()
                continue
        else:
            result = runner.ask(thread_id, user, text)
        failed = failed or bool(result.problems)
        _show(result, stdout)
        stdout.flush()
    return EXIT_STEP_FAILED if strict and failed else EXIT_OK


def _decide(
    runner: AgentRunner, user: str, thread_id: str, command: str, stdout: TextIO
) -> TurnResult | None:
    waiting = runner.pending(thread_id)
    if waiting is None:
        _say(stdout, "Nothing is waiting for approval in this conversation.")
        return None
    try:
        result = runner.decide(
            str(waiting["token"]), user, "approve" if command == "approve" else "reject", source="console"
        )
    except ApprovalRefusedError as refused:
        _say(stdout, refused.message)
        return None
    verb = "Approved" if command == "approve" else "Rejected"
    _say(stdout, f"{verb} by @{user}: approval {waiting.get('approval_id')} for {waiting.get('tool')}.")
    return result


def _show(result: TurnResult, stdout: TextIO) -> None:
    if result.text:
        _say(stdout, result.text)
    card = result.approval
    if card:
        change = card.get("change") or {}
        arguments = json.dumps(card.get("arguments"), ensure_ascii=False)
        _say(
            stdout,
            f"Approval needed (approval {card.get('approval_id')}): {card.get('tool')} {arguments}\n"
            f"entity: {change.get('entity') or 'new'}\n"
            f"before: {json.dumps(change.get('before'), ensure_ascii=False, default=str)}\n"
            f"after:  {json.dumps(change.get('after'), ensure_ascii=False, default=str)}\n"
            f"expires {card.get('expires_at')}. Type `approve` or `reject`.",
        )


def _say(stdout: TextIO, text: str) -> None:
    """Slack mentions read as @names in a terminal; continuation lines are indented."""
    plain = _GROUP_MENTION.sub(r"@\1", _USER_MENTION.sub(r"@\1", text))
    stdout.write("bot> " + plain.replace("\n", "\n     ") + "\n")
