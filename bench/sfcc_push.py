"""Push N TikTok orders into a local SFCC sandbox and report throughput.

    .venv/bin/python bench/sfcc_push.py [--orders 2000] [--workers 4] [--rate-limit 400] [--api ocapi]

Prints orders per second, API calls per order, and the achieved request rate as a fraction of the
sandbox's per-client limit. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.engine.clock import SystemClock
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.basket_push import BasketPusher, MemoryStepRecorder
from connectors.sfcc.client import SfccClient
from connectors.sfcc.sandbox.app import create_app
from connectors.sfcc.sandbox.seeding import sandbox_settings, seed_with_ample_stock, single_mug_order
from connectors.sfcc.sandbox.state import FaultConfig

APIS = {"ocapi": "ocapi_basket", "scapi": "scapi_create_orders"}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate-limit", type=float, default=400.0, help="sandbox requests/second per client")
    parser.add_argument("--api", choices=sorted(APIS), default="ocapi", help="basket flow or createOrders")
    args = parser.parse_args()

    seed = seed_with_ample_stock()  # stock never runs out during the run
    app = create_app(seed, faults=FaultConfig(rate_limit_per_second=args.rate_limit, retry_after=1))
    with running_sandbox(app) as url, httpx.Client(timeout=30) as http:
        settings = sandbox_settings(url, seed, order_push_api=APIS[args.api])
        client = SfccClient(http, settings, clock=SystemClock())
        pusher = BasketPusher(client)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            results = list(
                pool.map(lambda n: pusher.push(single_mug_order(n), MemoryStepRecorder()), range(args.orders))
            )
        elapsed = time.perf_counter() - started
        stats = http.get(f"{url}/_sandbox/stats").json()

    created = sum(1 for r in results if r.created)
    requests = stats["requests_total"]
    rate = requests / elapsed
    print(f"API:                  {args.api} ({APIS[args.api]})")
    print(f"orders pushed:        {created}/{args.orders} in {elapsed:.1f} s with {args.workers} workers")
    print(f"orders per second:    {created / elapsed:.1f}")
    print(f"API calls per order:  {requests / max(created, 1):.2f} (incl. token and retried calls)")
    print(
        f"request rate:         {rate:.0f}/s = {rate / args.rate_limit:.0%} of the sandbox limit "
        f"({args.rate_limit:.0f}/s per client); 429s answered: {stats['responses_by_status'].get('429', 0)}"
    )


if __name__ == "__main__":
    main()
