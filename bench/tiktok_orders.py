"""Benchmark: pull N orders from a local TikTok Shop sandbox, at its rate limit, into the store.

    .venv/bin/python bench/tiktok_orders.py [--orders 10000] [--qps 10] [--page-size 100]
                                            [--database-url URL]

Starts the sandbox in-process (a uvicorn thread on loopback) with a per-shop limit of ``--qps``,
seeds N orders, authorises a connection through the real code-exchange path, then runs the real
``pull_orders`` flow through the daemon's runner (leases, one transaction per run, cursor) until
the backlog is gone. The client paces itself at the connection's ``rate_limit_qps`` (set to the
sandbox's limit). Prints orders per second, API calls, peak memory (of the whole process, sandbox
included), the achieved request rate over the limit (target >= 0.9), and lost/duplicate orders.
Exits non-zero when an order is lost or duplicated or the ratio misses the target.

``--client-only`` pages through the same orders with the client alone (no store, no flow), which
shows whether the client's pacing or the work between calls limits the request rate.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.config import load_config
from connectors.engine.app import DaemonApp, create_daemon
from connectors.engine.clock import SystemClock
from connectors.runtime import ConnectionRuntime
from connectors.sandbox_runner import running_sandbox
from connectors.tiktok.authorize import authorize_connection
from connectors.tiktok.client import ApiCaller, RateLimiter, build_client
from connectors.tiktok.sandbox import create_app
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, generate_orders
from connectors.tiktok.store_tokens import StoreTokenStore
from store.migrate import upgrade
from store.models import Order
from store.session import create_store_engine

APP_KEY = "bench_app_key"
APP_SECRET = "bench_app_secret_not_real"
CONNECTION = "tiktok-bench"
TARGET_RATIO = 0.9


def _config(tmp: Path, url: str, database_url: str, qps: float, page_size: int) -> Any:
    path = tmp / "shopwright.toml"
    path.write_text(
        f'database_url = "{database_url}"\n'
        f'[connections.{CONNECTION}]\ntype = "tiktok"\napp_key = "{APP_KEY}"\n'
        f'api_base_url = "{url}"\nauth_base_url = "{url}"\n'
        f"rate_limit_qps = {qps}\npage_size = {page_size}\n"
    )
    return load_config(path, environ={"SHOPWRIGHT_TIKTOK_BENCH_APP_SECRET": APP_SECRET})


@contextmanager
def _timed(owner: type, method: str, totals: Counter[str], key: str) -> Iterator[None]:
    """Add the wall time spent in ``owner.method`` to ``totals[key]`` (instrumentation only)."""
    original: Callable[..., Any] = getattr(owner, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] += time.perf_counter() - began  # type: ignore[assignment]

    setattr(owner, method, wrapper)
    try:
        yield
    finally:
        setattr(owner, method, original)


def _sandbox_calls(state: Any) -> int:
    """Every Open API request that reached the sandbox, answered or rate limited."""
    with state.lock:
        return sum(state.received.calls.values()) + sum(state.received.rejections.values())


def _pull_until_done(app: DaemonApp) -> Counter[str]:
    """Run pull_orders until a run leaves no backlog (a run with more to do is due again at once)."""
    flows = app.registry.select(f"{CONNECTION}:pull_orders")
    counts: Counter[str] = Counter()
    while True:
        (report,) = app.daemon.run_once(flows, force=True)
        if report.outcome not in ("success", "partial"):
            raise SystemExit(f"pull_orders run ended {report.outcome}: {report.error}")
        counts.update(report.counts)
        if report.next_due_at is None or report.next_due_at > app.daemon.clock.now():
            return counts


def _pull_client_only(app: DaemonApp, config: Any, http: httpx.Client, start_time: int) -> Counter[str]:
    """Every order id through the client's paginator alone; counts how often each id came."""
    settings = config.connections[CONNECTION].settings
    tokens = StoreTokenStore(app.session_factory, CONNECTION)
    client = build_client(settings, http, tokens, app.daemon.clock)
    seen: Counter[str] = Counter()
    for page in client.iter_order_pages({"update_time_ge": start_time}):
        seen.update(order.id for order in page.orders)
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument(
        "--qps", type=float, default=10.0, help="sandbox per-shop limit; the client paces to it"
    )
    parser.add_argument("--page-size", type=int, default=100, help="orders per search page (1-100)")
    parser.add_argument("--database-url", help="store to pull into (default: a fresh SQLite file)")
    parser.add_argument(
        "--client-only", action="store_true", help="page with the client alone: no flow, no store"
    )
    args = parser.parse_args(argv)

    clock = SystemClock()
    sandbox_app = create_app(APP_KEY, APP_SECRET, clock=clock, qps=args.qps)
    state = sandbox_app.state.sandbox.state
    start_time = int(datetime.now(UTC).timestamp()) - args.orders - 3600
    expected = set(generate_orders(state, args.orders, start_time=start_time))

    with tempfile.TemporaryDirectory() as tmp, running_sandbox(sandbox_app) as url:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = create_store_engine(database_url)
        upgrade(engine)
        engine.dispose()
        config = _config(Path(tmp), url, database_url, args.qps, args.page_size)
        app = create_daemon(config, clock=clock, holder="bench:1")
        try:
            with httpx.Client(timeout=30) as http:
                connection = config.connections[CONNECTION]
                runtime = ConnectionRuntime(CONNECTION, connection.settings, http, clock, app.session_factory)
                authorize_connection(runtime, DEFAULT_AUTH_CODE)
                calls_before = _sandbox_calls(state)
                spent: Counter[str] = Counter()
                began = time.perf_counter()
                # Where the time goes: pacing waits are inside the API time, so API - pacing is the
                # round trips; the rest is the flow storing orders and the runner's bookkeeping.
                with _timed(ApiCaller, "call", spent, "api"), _timed(RateLimiter, "acquire", spent, "pacing"):
                    if args.client_only:
                        seen = _pull_client_only(app, config, http, start_time)
                    else:
                        counts = _pull_until_done(app)
                elapsed = time.perf_counter() - began
            calls = _sandbox_calls(state) - calls_before
            with state.lock:
                limited = state.received.rejections.get(36009002, 0)
            if args.client_only:
                stored_ids, rows, created = set(seen), sum(seen.values()), sum(seen.values())
            else:
                with app.session_factory() as session:
                    stored_ids = set(session.scalars(select(Order.external_id)))
                    rows = int(session.scalar(select(func.count(Order.id))) or 0)
                created = counts["orders_created"]
        finally:
            app.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # n calls paced 1/qps apart span n-1 intervals: the first one leaves at once.
    achieved = (calls - 1) / elapsed if calls > 1 and elapsed > 0 else float(calls)
    ratio = achieved / args.qps
    lost = len(expected - stored_ids)
    # A row per order is enforced by the store; a second "created" for one order would be a duplicate.
    duplicates = (rows - len(stored_ids)) + max(0, created - len(stored_ids))
    verb = "received" if args.client_only else "stored  "
    print(f"orders {verb}    {len(stored_ids)} of {len(expected)} (lost {lost}, duplicates {duplicates})")
    print(f"elapsed            {elapsed:.2f} s")
    print(f"orders/second      {len(stored_ids) / elapsed:.0f}")
    print(f"API calls          {calls} ({limited} answered 429 by the sandbox)")
    print(
        f"time split         API {spent['api']:.2f} s (of which pacing waits {spent['pacing']:.2f} s), "
        f"between calls (storing, bookkeeping) {elapsed - spent['api']:.2f} s"
    )
    print(f"peak memory        {peak_mb:.1f} MiB (process, sandbox included)")
    print(f"request rate       {achieved:.2f}/s of a {args.qps:g}/s limit = {ratio:.2f} (target >= 0.9)")
    ok = lost == 0 and duplicates == 0 and ratio >= TARGET_RATIO
    print("result             " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
