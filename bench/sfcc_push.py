"""Push N TikTok orders into a local SFCC sandbox and report throughput.

    .venv/bin/python bench/sfcc_push.py [--orders 2000] [--workers 4] [--rate-limit 400]

Prints orders per second, API calls per order, and the achieved request rate as a fraction of the
sandbox's per-client limit. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import httpx
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.engine.clock import SystemClock
from connectors.sandbox_runner import running_sandbox
from connectors.sfcc.basket_push import BasketPusher, MemoryStepRecorder
from connectors.sfcc.client import SfccClient
from connectors.sfcc.order_mapping import Address, OrderLine, OrderTotals, SfccOrderInput
from connectors.sfcc.sandbox.app import create_app, default_seed
from connectors.sfcc.sandbox.state import FaultConfig
from connectors.sfcc.settings import SfccSettings

ADDRESS = Address(
    first_name="Bench",
    last_name="Buyer",
    address1="1 Main St",
    city="Austin",
    postal_code="78701",
    state_code="TX",
    country_code="US",
)


def make_order(n: int) -> SfccOrderInput:
    return SfccOrderInput(
        tiktok_order_id=f"9{n:017d}",
        lines=[OrderLine(sku="MUG-001", quantity=1, unit_price=Decimal("12.50"))],
        shipping_address=ADDRESS,
        delivery_option_name="Standard Shipping",
        totals=OrderTotals(
            subtotal=Decimal("12.50"), shipping=Decimal("5.99"), payment_total=Decimal("18.49")
        ),
        currency="USD",
        created_at=datetime.now(UTC),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate-limit", type=float, default=400.0, help="sandbox requests/second per client")
    args = parser.parse_args()

    seed = copy.deepcopy(default_seed())
    for record in seed["product_inventory_records"]:
        record["perpetual_flag"] = True  # stock never runs out during the run
    app = create_app(seed, faults=FaultConfig(rate_limit_per_second=args.rate_limit, retry_after=1))
    with running_sandbox(app) as url, httpx.Client(timeout=30) as http:
        settings = SfccSettings(
            short_code="sandbox1",
            organization_id="f_ecom_zzte_053",
            site_id="RefArch",
            ocapi_url=url,
            account_manager_url=url,
            scapi_url=url,
            ocapi_client_id="ocapi-client-0001",
            ocapi_client_password=SecretStr("sandbox-ocapi-secret"),
            generic_customer_number="00000001",
            shipping_method_mapping={"Standard Shipping": "001"},
        )
        client = SfccClient(http, settings, clock=SystemClock())
        pusher = BasketPusher(client)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            results = list(
                pool.map(lambda n: pusher.push(make_order(n), MemoryStepRecorder()), range(args.orders))
            )
        elapsed = time.perf_counter() - started
        stats = http.get(f"{url}/_sandbox/stats").json()

    created = sum(1 for r in results if r.created)
    requests = stats["requests_total"]
    rate = requests / elapsed
    print(f"orders pushed:        {created}/{args.orders} in {elapsed:.1f} s with {args.workers} workers")
    print(f"orders per second:    {created / elapsed:.1f}")
    print(f"API calls per order:  {requests / max(created, 1):.2f} (incl. token and retried calls)")
    print(
        f"request rate:         {rate:.0f}/s = {rate / args.rate_limit:.0%} of the sandbox limit "
        f"({args.rate_limit:.0f}/s); 429s answered: {stats['responses_by_status'].get('429', 0)}"
    )


if __name__ == "__main__":
    main()
