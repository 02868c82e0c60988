"""``python -m tools``: list the tools, or call one against the configured store.

    python -m tools list [--json]
    python -m tools call NAME '<json arguments>' [--approved-by USER] [--config PATH]

Output is JSON on stdout; a refused or failed call exits non-zero with ``{"error": {...}}``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from connectors.config import ConfigError, load_config
from connectors.engine.clock import SystemClock
from store.session import create_session_factory, create_store_engine
from tools import TOOLS, preview_tool, run_tool
from tools.cli_approval import close_cli_approval, record_cli_approval
from tools.registry import ApprovalRequiredError, ToolContext, ToolError
from tools.runner import is_approver, lookup, who_may_approve

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3


def _out(line: str) -> None:
    # Command-line output is the product here, so it goes to stdout rather than to logging.
    sys.stdout.write(line + "\n")


def _emit(document: Any) -> None:
    _out(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def _error(code: str, message: str, status: int) -> int:
    _emit({"error": {"code": code, "message": message}})
    return status


def list_tools(as_json: bool) -> int:
    """Every tool with its effect, contract and input schema."""
    entries = [
        {"name": t.name, "effect": t.effect, "description": t.description, "input_schema": t.json_schema()}
        for t in TOOLS.values()
    ]
    if as_json:
        _emit(entries)
        return EXIT_OK
    for entry in entries:
        _out(f"{entry['name']}  [{entry['effect']}]")
        for line in str(entry["description"]).splitlines():
            _out(f"    {line.strip()}")
        schema = json.dumps(entry["input_schema"], indent=2).splitlines()
        _out("    input schema:")
        for line in schema:
            _out(f"      {line}")
        _out("")
    return EXIT_OK


def call_tool(name: str, raw_arguments: str, approved_by: str | None, config_path: str | None) -> int:
    """Validate and run one tool against the configured store; print its JSON output."""
    try:
        tool = lookup(TOOLS, name)
    except ToolError as error:
        return _error(error.code, error.message, EXIT_BAD_INPUT)
    try:
        arguments = json.loads(raw_arguments)
    except json.JSONDecodeError as error:
        return _error(
            "tool.invalid_input",
            f"The arguments are not valid JSON ({error.msg} at position "
            f'{error.pos}); pass one JSON object, e.g. \'{{"order_id": "576..."}}\'.',
            EXIT_BAD_INPUT,
        )
    if not isinstance(arguments, dict):
        return _error("tool.invalid_input", "The arguments must be one JSON object.", EXIT_BAD_INPUT)
    try:
        config = load_config(config_path)
    except ConfigError as error:
        return _error("config.invalid", str(error), EXIT_FAILED)
    if tool.effect == "write":
        if approved_by is None:
            return _error(
                "tool.approval_required",
                f"{name} changes the store: pass --approved-by USER. " + who_may_approve(config),
                EXIT_REFUSED,
            )
        if not is_approver(config, approved_by):
            return _error(
                "tool.approval_refused",
                f"{approved_by} may not approve {name}. " + who_may_approve(config),
                EXIT_REFUSED,
            )
    engine = create_store_engine(config.database_url)
    try:
        sessions, clock = create_session_factory(engine), SystemClock()
        ctx = ToolContext(session_factory=sessions, clock=clock, config=config, actor=approved_by or "cli")
        if tool.effect == "write" and approved_by is not None:
            change = preview_tool(name, ctx, arguments)
            approval = record_cli_approval(
                sessions, clock, tool=name, arguments=arguments, user=approved_by, change=change
            )
            try:
                result = run_tool(name, dataclasses.replace(ctx, approval=approval), arguments)
            except ToolError as error:
                close_cli_approval(sessions, clock, approval, ok=False, note=error.message)
                raise
            close_cli_approval(sessions, clock, approval, ok=True)
        else:
            result = run_tool(name, ctx, arguments)
    except ApprovalRequiredError as error:
        return _error(error.code, error.message, EXIT_REFUSED)
    except ToolError as error:
        status = EXIT_BAD_INPUT if error.code == "tool.invalid_input" else EXIT_FAILED
        return _error(error.code, error.message, status)
    except SQLAlchemyError as error:
        where = make_url(config.database_url).render_as_string(hide_password=True)
        return _error(
            "store.unavailable",
            f"The store at {where} could not be used ({type(error).__name__}); "
            "check SHOPWRIGHT_DATABASE_URL and run the migrations (sync_daemon.py migrate).",
            EXIT_FAILED,
        )
    finally:
        engine.dispose()
    _emit(result.model_dump(mode="json"))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools", description="Shopwright's typed tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="print every tool with its effect and input schema")
    listing.add_argument("--json", action="store_true", help="print one JSON document")
    call = commands.add_parser("call", help="run one tool against the configured store")
    call.add_argument("name")
    call.add_argument("arguments", nargs="?", default="{}", help="JSON object of arguments")
    call.add_argument("--approved-by", dest="approved_by", help="approver for a write tool ([bot] approvers)")
    call.add_argument("--config", help="configuration file (default: SHOPWRIGHT_CONFIG or shopwright.toml)")
    args = parser.parse_args(argv)
    if args.command == "list":
        return list_tools(args.json)
    return call_tool(args.name, args.arguments, args.approved_by, args.config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
