"""Shopwright sync daemon: runs every connector flow on a schedule.

python sync_daemon.py run [--metrics-port N]   loop until SIGTERM/SIGINT
python sync_daemon.py once [--flow NAME]       run every due flow once (or NAME now), then exit
python sync_daemon.py status                   table of flows, last runs and open exceptions
python sync_daemon.py migrate                  create or upgrade the database schema
python sync_daemon.py doctor                   check the configuration, the store and each connection
python sync_daemon.py authorize NAME --code C  exchange a seller's authorisation code for tokens
python sync_daemon.py export-incomplete-products [--connection NAME] [--output FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from connectors.config import ConfigError, ShopwrightConfig, load_config
from connectors.engine.app import create_daemon
from connectors.engine.authorize import run_authorize
from connectors.engine.clock import SystemClock
from connectors.engine.doctor import run_doctor
from connectors.engine.hooks import AuthorizationError, ServiceStartError
from connectors.engine.log import configure_logging
from connectors.engine.metrics import DaemonMetrics
from connectors.engine.registry import FlowRegistry
from connectors.engine.runner import RunReport
from connectors.engine.status import flow_status_rows, render_table
from connectors.types import DoctorCheck
from store.migrate import UnmigratedDatabaseError, current_revision, head_revision, upgrade
from store.session import create_session_factory, create_store_engine


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        # One line a person can act on; the rest of the problems follow, one per line.
        print(f"shopwright: configuration error in {error.source}: {error.problems[0]}", file=sys.stderr)
        for problem in error.problems[1:]:
            print(f"  also: {problem}", file=sys.stderr)
        return 2
    configure_logging(args.log_level, config.secret_values())
    command = args.command or "status"
    try:
        if command == "migrate":
            return _migrate(config)
        if command == "status":
            return _status(config)
        if command == "doctor":
            return _doctor(config)
        if command == "once":
            return _once(config, args.flow)
        if command == "run":
            return _run(config, args.metrics_port)
        if command == "authorize":
            return _authorize(config, args.connection, args.code)
        if command == "export-incomplete-products":
            from connectors.tiktok.catalog_export import export_from_config

            return export_from_config(config.database_url, args.connection, args.output)
        if command == "push-order":
            from connectors.sfcc.push_one import push_order_command

            return push_order_command(
                config, args.order_id, dry_run=args.dry_run, connection=args.sfcc, out=sys.stdout
            )
    except UnmigratedDatabaseError as error:
        print(f"shopwright: {error}", file=sys.stderr)
        return 3
    parser.error(f"unknown command {command}")
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sync_daemon.py", description="Shopwright sync daemon.")
    parser.add_argument(
        "--config", help="configuration file (default: $SHOPWRIGHT_CONFIG or shopwright.toml)"
    )
    parser.add_argument("--log-level", default="WARNING", help="DEBUG, INFO, WARNING (default) or ERROR")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run flows until SIGTERM or SIGINT")
    run.add_argument("--metrics-port", type=int, default=None, help="serve Prometheus metrics on this port")
    once = commands.add_parser("once", help="run every due flow once, then exit")
    once.add_argument("--flow", help="run only this flow now (NAME or CONNECTION:NAME), due or not")
    commands.add_parser("status", help="show flows, last runs and open exceptions")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    commands.add_parser("doctor", help="check configuration, store and connections")
    authorize = commands.add_parser(
        "authorize",
        help="exchange a seller's authorisation code for tokens",
        description="Exchange the code from the platform's authorisation redirect (?code=...) for tokens "
        "kept in the store. Without --code: re-check the stored tokens and shop, or say where to get a code.",
    )
    authorize.add_argument("connection", help="connection name, e.g. tiktok-us")
    authorize.add_argument("--code", help="authorisation code from the redirect URL (single use)")
    push = commands.add_parser("push-order", help="push one order to SFCC (test before enabling full sync)")
    push.add_argument("order_id", help="the TikTok order id")
    push.add_argument("--dry-run", action="store_true", help="print the exact requests, send none")
    push.add_argument("--connection", dest="sfcc", help="the SFCC connection (when there are several)")
    export = commands.add_parser("export-incomplete-products", help="CSV of products TikTok cannot list yet")
    export.add_argument("--connection", help="only this TikTok connection")
    export.add_argument("--output", help="write the CSV to this file (default: standard output)")
    return parser


def _migrate(config: ShopwrightConfig) -> int:
    engine = create_store_engine(config.database_url)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    engine.dispose()
    print(f"database {'already ' if before == after else ''}at revision {after} ({_safe_url(config)})")
    return 0


def _status(config: ShopwrightConfig) -> int:
    clock = SystemClock()
    registry = FlowRegistry.from_connections(config.connections)
    engine = create_store_engine(config.database_url)
    try:
        migrated = current_revision(engine) == head_revision()
        if migrated:
            with create_session_factory(engine)() as session:
                rows = flow_status_rows(registry, session)
        else:
            rows = flow_status_rows(registry, None)
    finally:
        engine.dispose()
    print(f"Shopwright status: {len(config.connections)} connection(s), store {_safe_url(config)}")
    print(render_table(rows, clock.now()))
    if not migrated:
        print("The database has no schema yet: run `python sync_daemon.py migrate` before `run`.")
    return 0


def _doctor(config: ShopwrightConfig) -> int:
    def emit(section: str, check: DoctorCheck) -> None:
        print(f"[{'ok' if check.ok else 'FAIL'}] {section}: {check.name}: {check.detail}")

    ok = run_doctor(config, SystemClock(), emit)
    print("all checks passed" if ok else "some checks failed: fix the lines marked FAIL")
    return 0 if ok else 1


def _once(config: ShopwrightConfig, flow_name: str | None) -> int:
    app = create_daemon(config)
    try:
        if flow_name:
            selected = app.registry.select(flow_name)
            if not selected:
                known = ", ".join(flow.key for flow in app.registry) or "none configured"
                print(f"shopwright: no flow named {flow_name}; known flows: {known}", file=sys.stderr)
                return 2
            reports = app.daemon.run_once(selected, force=True)
        else:
            reports = app.daemon.run_once()
    finally:
        app.close()
    for report in reports:
        print(_report_line(report))
    ran = [report for report in reports if report.outcome != "skipped"]
    print(f"{len(ran)} flow run(s); {sum(1 for r in ran if r.outcome in ('retry', 'failed'))} failed")
    return 1 if any(report.outcome in ("retry", "failed") for report in reports) else 0


def _run(config: ShopwrightConfig, metrics_port: int | None) -> int:
    metrics = DaemonMetrics()
    app = create_daemon(config, metrics=metrics)
    port = metrics_port if metrics_port is not None else config.daemon.metrics_port
    if port is not None:
        served = metrics.serve(port)
        print(f"metrics on http://127.0.0.1:{served}/metrics", flush=True)
    try:
        try:
            app.daemon.start_services()
        except ServiceStartError as error:
            print(f"shopwright: {error}", file=sys.stderr)
            return 2
        for service in app.daemon.services:
            print(service.description, flush=True)
        print(
            f"shopwright daemon running {len(app.registry)} flow(s); stop with Ctrl-C or SIGTERM", flush=True
        )
        print(app.daemon.run(), flush=True)
    finally:
        app.daemon.stop_services()
        app.close()
    return 0


def _authorize(config: ShopwrightConfig, connection: str, code: str | None) -> int:
    try:
        lines = run_authorize(config, connection, code, SystemClock())
    except AuthorizationError as error:
        print(f"shopwright: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


def _report_line(report: RunReport) -> str:
    counts = ", ".join(f"{key}={value}" for key, value in sorted(report.counts.items())) or "no records"
    line = f"{report.flow_key}: {report.outcome} ({counts}, {report.duration_s * 1000:.0f} ms)"
    if report.error:
        line += f": {report.error}"
    return line


def _safe_url(config: ShopwrightConfig) -> str:
    from sqlalchemy.engine import make_url

    return make_url(config.database_url).render_as_string(hide_password=True)


if __name__ == "__main__":
    raise SystemExit(main())
