"""Shopwright's Slack bot: Socket Mode, HTTP mode behind a load balancer, or a terminal console.

    python bot.py                          # Socket Mode if SLACK_APP_TOKEN is set, else HTTP mode
    python bot.py --socket                 # SLACK_BOT_TOKEN, SLACK_APP_TOKEN
    python bot.py --http --port 3000       # SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (verified by Bolt)
    python bot.py --console [--as USER]    # no Slack; reads lines from stdin
    python bot.py --alerts-once            # post new exceptions to [bot] alerts_channel, then exit

OPENAI_API_KEY (and OPENAI_BASE_URL) select the OpenAI-compatible model; without a key the
offline backend answers. ``--backend`` forces one.

Nothing is created at import time: ``main`` builds the store, tools, graph and app.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy.orm import Session, sessionmaker

from agent.approvals import ApprovalService
from agent.approvers import Approvers
from agent.graph import Graph
from agent.runner import AgentRunner
from agent.standalone import StandaloneCards
from agent.toolset import ToolSet
from slack_app.alerts import AlertPoster
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
    toolset: ToolSet | None = None,
    config: Any = None,
) -> App:
    """The Bolt app: middleware, then listeners that ack at once and run the agent lazily.

    ``listener_executor`` runs the lazy listeners (a thread pool unless given). With ``toolset``
    the app also carries out decisions on AI attribute proposal cards (see ``agent.standalone``).
    """
    client = web_client(settings)
    options: dict[str, Any] = {"listener_executor": listener_executor} if listener_executor else {}
    app = App(
        client=client,
        signing_secret=settings.signing_secret,
        # No auth.test call at start-up; the first Web API call checks the token.
        token_verification_enabled=False,
        process_before_response=False,
        **options,
    )
    approvers = Approvers(
        settings.approvers,
        resolve_group=lambda group: slack_group_members(client, group),
        clock=settings.clock,
    )
    approvals = ApprovalService(session_factory, settings.clock, approvers, settings.approval_ttl_minutes)
    cards = StandaloneCards(approvals, toolset, session_factory, settings.clock, config) if toolset else None
    listeners = Listeners(AgentRunner(graph, approvals, cards), approvers.entries)
    app.use(DropRetries())
    app.use(ApproversOnly(approvals))
    app.event("app_mention")(ack=ack_now, lazy=[listeners.on_mention])
    app.event("message")(ack=ack_now, lazy=[listeners.on_message])
    app.action(APPROVE)(ack=ack_now, lazy=[listeners.on_decision])
    app.action(REJECT)(ack=ack_now, lazy=[listeners.on_decision])
    app.action(DIAGNOSE)(ack=ack_now, lazy=[listeners.on_diagnose])
    return app


def web_client(settings: BotSettings) -> WebClient:
    """The Slack Web API client; a 429 is retried after Slack's Retry-After (no floods, no drops)."""
    client = WebClient(token=settings.bot_token, base_url=settings.web_api_base_url or WebClient.BASE_URL)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


def alert_poster(
    settings: BotSettings, sessions: sessionmaker[Session], toolset: ToolSet | None, config: Any
) -> AlertPoster:
    """Alerts and proposal cards for ``[bot] alerts_channel``."""
    approvals = ApprovalService(sessions, settings.clock, settings.approvers, settings.approval_ttl_minutes)
    cards = StandaloneCards(approvals, toolset, sessions, settings.clock, config) if toolset else None
    return AlertPoster(
        web_client(settings), sessions, str(settings.alerts_channel), cards=cards, clock=settings.clock
    )


def slack_group_members(client: WebClient, group: str) -> list[str]:
    """The user ids in Slack user group ``group`` (scope ``usergroups:read``)."""
    response = client.usergroups_users_list(usergroup=group)
    return [str(user) for user in response.get("users") or []]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the mode, build everything, run until stopped."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("SHOPWRIGHT_LOG_LEVEL", "WARNING" if args.console else "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the migration check is not news
    from agent.checkpoint import open_checkpointer
    from agent.graph import build_graph
    from connectors.config import ConfigError, load_config
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
        sessions = create_session_factory(engine)
        context = _agent_context(args, config, settings, sessions)
        with open_checkpointer(config.database_url) as saver:
            graph = build_graph(context, saver)
            return _run_mode(args, settings, graph, sessions, context)
    except (UnmigratedDatabaseError, RuntimeError) as error:
        print(f"shopwright: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _agent_context(
    args: argparse.Namespace, config: Any, settings: BotSettings, sessions: sessionmaker[Session]
) -> Any:
    from agent.backends.offline import OfflineBackend
    from agent.backends.openai_chat import OpenAIBackend
    from agent.context import AgentContext
    from agent.toolset import ToolSet
    from connectors.engine.clock import SystemClock

    has_key = bool(os.environ.get("OPENAI_API_KEY"))
    use_openai = args.backend == "openai" or (args.backend == "auto" and has_key)
    backend: Any = (
        OpenAIBackend.from_environment(config.bot.openai_model)
        if use_openai
        else OfflineBackend(settings.approvers)
    )
    return AgentContext(
        backend=backend,
        toolset=ToolSet.from_registry(),
        session_factory=sessions,
        clock=SystemClock(),
        approvers=settings.approvers,
        approval_ttl_minutes=settings.approval_ttl_minutes,
        config=config,
    )


def _run_mode(
    args: argparse.Namespace,
    settings: BotSettings,
    graph: Graph,
    sessions: sessionmaker[Session],
    context: Any,
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
            strict=args.strict,
        )
    toolset, config = context.toolset, context.config
    if args.alerts_once:
        if not settings.alerts_channel or not settings.bot_token:
            print("shopwright: set [bot] alerts_channel and SLACK_BOT_TOKEN to post alerts", file=sys.stderr)
            return 2
        alert_poster(settings, sessions, toolset, config).post_new()
        return 0
    socket = args.socket or (not args.http and bool(settings.app_token))
    missing = settings.missing(socket=socket)
    if missing:
        print(
            f"shopwright: set {', '.join(missing)} in the environment to run the Slack bot "
            f"({'Socket Mode' if socket else 'HTTP mode'})",
            file=sys.stderr,
        )
        return 2
    app = create_app(settings, graph, sessions, toolset=toolset, config=config)
    if args.alerts_every > 0 and settings.alerts_channel:
        start_alert_loop(alert_poster(settings, sessions, toolset, config), args.alerts_every)
    if socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token).start()  # type: ignore[no-untyped-call]
        return 0
    from slack_app.http import serve

    logger.info("HTTP mode on %s:%d, Slack Request URL path /slack/events", args.host, args.port)
    serve(app, host=args.host, port=args.port)
    return 0


def start_alert_loop(poster: AlertPoster, every_seconds: float) -> threading.Thread:
    """Reconcile alerts every ``every_seconds`` in a daemon thread.

    Safe on every replica: one reconciles at a time and the others skip the round.
    """

    def loop() -> None:
        stop = threading.Event()  # never set: the thread ends with the process
        while not stop.wait(every_seconds):
            try:
                poster.post_new()
            except Exception:
                logger.exception("posting alerts failed; retrying in %s s", every_seconds)

    thread = threading.Thread(target=loop, name="shopwright-alerts", daemon=True)
    thread.start()
    return thread


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot.py",
        description="Shopwright's Slack bot. Without a mode flag: Socket Mode when SLACK_APP_TOKEN is "
        "set, else HTTP mode.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--socket", action="store_true", help="Socket Mode (SLACK_APP_TOKEN)")
    mode.add_argument("--http", action="store_true", help="HTTP mode behind a load balancer")
    mode.add_argument("--console", action="store_true", help="a terminal conversation (reads stdin)")
    mode.add_argument("--alerts-once", action="store_true", help="post new exceptions to the alerts channel")
    parser.add_argument("--port", type=int, default=3000)
    # Every interface by default: in HTTP mode the load balancer reaches the bot from outside.
    parser.add_argument("--host", default="0.0.0.0")  # noqa: S104
    parser.add_argument("--config", default=None, help="path to shopwright.toml (default: SHOPWRIGHT_CONFIG)")
    parser.add_argument("--as", dest="as_user", default="console", help="who is speaking in --console")
    parser.add_argument("--thread", default="main", help="conversation name in --console")
    parser.add_argument(
        "--strict", action="store_true", help="--console exits 1 if any step failed or was refused"
    )
    parser.add_argument("--backend", choices=("auto", "offline", "openai"), default="auto")
    parser.add_argument(
        "--alerts-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="with Socket or HTTP mode: post alerts and proposal cards this often (safe on every "
        "replica: one posts at a time, each alert once)",
    )
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
