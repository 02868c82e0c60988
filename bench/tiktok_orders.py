"""Benchmark: pull N orders from a local TikTok Shop sandbox at its rate limit.

    .venv/bin/python bench/tiktok_orders.py [--orders 10000] [--qps 20] [--page-size 100]

Starts the sandbox in-process (a uvicorn thread on loopback), seeds N orders, pulls them all with
the real client paced at the sandbox's limit, and prints orders/second, API calls, peak memory
(of the whole process, sandbox included) and achieved request rate / limit (target >= 0.9).
Exits non-zero when an order is lost or duplicated or the ratio misses the target.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.engine.clock import SystemClock
from connectors.sandbox_runner import running_sandbox
from connectors.tiktok.client import build_client
from connectors.tiktok.sandbox import create_app
from connectors.tiktok.sandbox.seed import DEFAULT_AUTH_CODE, generate_orders
from connectors.tiktok.settings import TikTokSettings
from connectors.tiktok.tokens import InMemoryTokenStore

APP_KEY = "bench_app_key"
APP_SECRET = "bench_app_secret_not_real"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument(
        "--qps", type=float, default=20.0, help="sandbox per-shop limit; the client paces to it"
    )
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args(argv)

    clock = SystemClock()
    app = create_app(APP_KEY, APP_SECRET, clock=clock, qps=args.qps)
    state = app.state.sandbox.state
    start_time = int(datetime.now(UTC).timestamp()) - args.orders - 3600
    expected = set(generate_orders(state, args.orders, start_time=start_time))

    with running_sandbox(app) as url, httpx.Client(timeout=30) as http:
        settings = TikTokSettings(
            app_key=APP_KEY,
            app_secret=SecretStr(APP_SECRET),
            api_base_url=url,
            auth_base_url=url,
            rate_limit_qps=args.qps,
            page_size=args.page_size,
        )
        client = build_client(settings, http, InMemoryTokenStore(), clock)
        client.exchange_auth_code(DEFAULT_AUTH_CODE)
        client.bind_shop()
        calls_before = client.caller.calls
        began = time.perf_counter()
        seen: list[str] = []
        for page in client.iter_order_pages({"update_time_ge": start_time}, page_size=args.page_size):
            seen.extend(order.id for order in page.orders)
        elapsed = time.perf_counter() - began
        calls = client.caller.calls - calls_before
        retries = client.caller.retries

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # Rate over the paced intervals: n calls span n-1 gaps, the first leaves at once.
    achieved = (calls - 1) / elapsed if calls > 1 and elapsed > 0 else float(calls)
    ratio = achieved / args.qps
    lost = len(expected - set(seen))
    duplicates = len(seen) - len(set(seen))
    print(f"orders pulled      {len(seen)} of {len(expected)} (lost {lost}, duplicates {duplicates})")
    print(f"elapsed            {elapsed:.2f} s")
    print(f"orders/second      {len(seen) / elapsed:.0f}")
    print(f"API calls          {calls} (retries {retries})")
    print(f"peak memory        {peak_mb:.1f} MiB (process, sandbox included)")
    print(f"request rate       {achieved:.2f}/s of a {args.qps:g}/s limit = {ratio:.2f} (target >= 0.9)")
    ok = lost == 0 and duplicates == 0 and ratio >= 0.9
    print("result             " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
