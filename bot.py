"""Shopwright's Slack bot: Socket Mode, HTTP mode behind a load balancer, or a terminal console.

    python bot.py --socket                 # SLACK_BOT_TOKEN, SLACK_APP_TOKEN
    python bot.py --http --port 3000       # SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (verified by Bolt)
    python bot.py --console [--as USER]    # no Slack; reads lines from stdin
    python bot.py --alerts-once            # post new exceptions to [bot] alerts_channel, then exit

Nothing is created at import time: ``main`` builds the store, tools, graph and app.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from agent.approvals import ApprovalService
from agent.graph import Graph
from agent.runner import AgentRunner
from slack_app.blocks import APPROVE, DIAGNOSE, REJECT
from slack_app.listeners import Listeners, ack_now
from slack_app.middleware import ApproversOnly, DropRetries
from slack_app.settings import BotSettings

logger = logging.getLogger("shopwright.bot")


def create_app(
    settings: BotSettings,
    graph: Graph,
    session_factory: sessionmaker[Session],
    *,
    listener_executor: Executor | None = None,
) -> App:
    """The Bolt app: middleware, then listeners that ack at once and run the agent lazily.

    ``listener_executor`` runs the lazy listeners (a thread pool unless given).
    """
    client = WebClient(token=settings.bot_token, base_url=settings.web_api_base_url or WebClient.BASE_URL)
    options: dict[str, Any] = {"listener_executor": listener_executor} if listener_executor else {}
    app = App(
        client=client,
        signing_secret=settings.signing_secret,
        # No auth.test call at start-up; the first Web API call checks the token.
        token_verification_enabled=False,
        process_before_response=False,
        **options,
    )
    approvals = ApprovalService(
        session_factory, settings.clock, settings.approvers, settings.approval_ttl_minutes
    )
    listeners = Listeners(AgentRunner(graph, approvals), settings.approvers)
    app.use(DropRetries())
    app.use(ApproversOnly(settings.approvers, approvals))
    app.event("app_mention")(ack=ack_now, lazy=[listeners.on_mention])
    app.event("message")(ack=ack_now, lazy=[listeners.on_message])
    app.action(APPROVE)(ack=ack_now, lazy=[listeners.on_decision])
    app.action(REJECT)(ack=ack_now, lazy=[listeners.on_decision])
    app.action(DIAGNOSE)(ack=ack_now, lazy=[listeners.on_diagnose])
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the mode, build everything, run until stopped."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("SHOPWRIGHT_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from agent.backends.offline import OfflineBackend
    from agent.backends.openai_chat import OpenAIBackend
    from agent.checkpoint import open_checkpointer
    from agent.context import AgentContext
    from agent.graph import build_graph
    from agent.toolset import ToolSet
    from connectors.config import ConfigError, load_config
    from connectors.engine.clock import SystemClock
    from store.migrate import UnmigratedDatabaseError, require_migrated
    from store.session import create_session_factory, create_store_engine

    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"shopwright: {error}", file=sys.stderr)
        return 2
    settings = BotSettings.from_environment(config)
    engine = create_store_engine(config.database_url)
    try:
        require_migrated(engine)
        toolset = ToolSet.from_registry()
    except (UnmigratedDatabaseError, RuntimeError) as error:
        print(f"shopwright: {error}", file=sys.stderr)
        return 2
    use_openai = args.backend == "openai" or (
        args.backend == "auto" and not args.console and bool(os.environ.get("OPENAI_API_KEY"))
    )
    backend: Any = (
        OpenAIBackend.from_environment(config.bot.openai_model)
        if use_openai
        else OfflineBackend(settings.approvers)
    )
    sessions = create_session_factory(engine)
    context = AgentContext(
        backend=backend,
        toolset=toolset,
        session_factory=sessions,
        clock=SystemClock(),
        approvers=settings.approvers,
        approval_ttl_minutes=settings.approval_ttl_minutes,
        config=config,
    )
    try:
        with open_checkpointer(config.database_url) as saver:
            graph = build_graph(context, saver)
            return _run_mode(args, settings, graph, sessions)
    finally:
        engine.dispose()


def _run_mode(
    args: argparse.Namespace, settings: BotSettings, graph: Graph, sessions: sessionmaker[Session]
) -> int:
    if args.console:
        from slack_app.console import run_console

        approvals = ApprovalService(
            sessions, settings.clock, settings.approvers, settings.approval_ttl_minutes
        )
        return run_console(
            AgentRunner(graph, approvals),
            args.as_user,
            sys.stdin,
            sys.stdout,
            thread_id=f"console:{args.as_user}:{args.thread}",
        )
    if args.alerts_once:
        from slack_app.alerts import AlertPoster

        if not settings.alerts_channel or not settings.bot_token:
            print("shopwright: set [bot] alerts_channel and SLACK_BOT_TOKEN to post alerts", file=sys.stderr)
            return 2
        AlertPoster(WebClient(token=settings.bot_token), sessions, settings.alerts_channel).post_new()
        return 0
    missing = settings.missing(socket=args.socket)
    if missing:
        print(
            f"shopwright: set {', '.join(missing)} in the environment to run the Slack bot", file=sys.stderr
        )
        return 2
    app = create_app(settings, graph, sessions)
    if args.socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token).start()  # type: ignore[no-untyped-call]
    else:
        app.start(port=args.port)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description="Shopwright's Slack bot.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--socket", action="store_true", help="Socket Mode (SLACK_APP_TOKEN)")
    mode.add_argument("--http", action="store_true", help="HTTP mode behind a load balancer")
    mode.add_argument("--console", action="store_true", help="a terminal conversation (reads stdin)")
    mode.add_argument("--alerts-once", action="store_true", help="post new exceptions to the alerts channel")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--config", default=None, help="path to shopwright.toml (default: SHOPWRIGHT_CONFIG)")
    parser.add_argument("--as", dest="as_user", default="console", help="who is speaking in --console")
    parser.add_argument("--thread", default="main", help="conversation name in --console")
    parser.add_argument("--backend", choices=("auto", "offline", "openai"), default="auto")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
