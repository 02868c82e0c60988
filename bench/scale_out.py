"""Scale-out proof: three daemons on PostgreSQL, two TikTok shops, one SFCC site, faults, a SIGKILL.

    .venv/bin/python bench/scale_out.py [--orders 10000] [--daemons 3] [--fault-rate 0.05]

Starts two TikTok Shop sandboxes and one SFCC sandbox as processes (5% of API calls answered with
an injected 5xx or 429), runs ``sync_daemon.py run`` three times over one PostgreSQL store (a fresh
schema of SHOPWRIGHT_DATABASE_URL, default postgresql+psycopg://127.0.0.1:5432/test), places the
orders on TikTok, ships each one in SFCC as it arrives there, and SIGKILLs the daemon that is in
the middle of the SFCC order push once half the orders are in SFCC (then starts it again).

The flows an order travels through run every --flow-seconds (a daemon plugin in
tests/support/scale_out/fast_flows.py compresses their production schedule), the hold window is 0
and the daemon tick 1 s. Prints progress while it runs, then: orders created in SFCC and
fulfillments on TikTok (lost, duplicated, unexpected), throughput, p50/p99 latency from an order
becoming pushable to its SFCC order existing, the share of each sandbox's rate limit used, and
peak memory per daemon. Exits non-zero if anything was lost or duplicated. With --timeout (or
Ctrl-C) it stops early and reports what was delivered by then. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from scale_out.deployment import PrivateSchema  # noqa: E402
from scale_out.scenario import ScenarioSettings, run_scenario  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://127.0.0.1:5432/test"


def _say(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--daemons", type=int, default=3)
    parser.add_argument("--fault-rate", type=float, default=0.05, help="share of API calls faulted")
    parser.add_argument("--tiktok-qps", type=float, default=40.0, help="per-shop limit; clients pace to it")
    parser.add_argument("--sfcc-rate-limit", type=float, default=300.0, help="SFCC requests/s per API client")
    parser.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds sent with 429s")
    parser.add_argument("--flow-seconds", type=float, default=2.0, help="interval of every flow")
    parser.add_argument(
        "--arrival-rate", type=float, default=None, help="orders per second (default: all at once)"
    )
    parser.add_argument("--no-kill", action="store_true", help="do not SIGKILL a daemon midway")
    parser.add_argument("--timeout", type=float, default=3600.0, help="give up after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the schema and the work directory")
    args = parser.parse_args(argv)

    settings = ScenarioSettings(
        orders=args.orders,
        daemons=args.daemons,
        fault_rate=args.fault_rate,
        tiktok_qps=args.tiktok_qps,
        sfcc_rate_limit=args.sfcc_rate_limit,
        retry_after=args.retry_after,
        flow_seconds=args.flow_seconds,
        arrival_rate=args.arrival_rate,
        kill_midway=not args.no_kill,
        timeout_seconds=args.timeout,
    )
    schema = PrivateSchema(os.environ.get("SHOPWRIGHT_DATABASE_URL") or DEFAULT_SERVER)
    workdir = Path(tempfile.mkdtemp(prefix="shopwright-scale-out-"))
    _say(f"store: schema {schema.name}; logs and configuration in {workdir}")
    try:
        result = run_scenario(settings, schema.url, workdir, _say)
    finally:
        if not args.keep:
            schema.drop()
    print()
    for line in result.lines():
        print(line)
    if not args.keep and result.ok:
        for path in sorted(workdir.iterdir()):
            path.unlink()
        workdir.rmdir()
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
