"""The sandbox processes of the scenario: two TikTok Shop sandboxes (one shop each) and one SFCC.

Each sandbox runs as its own process, so that the daemons talk real HTTP to servers that do not
share their interpreter (or its CPU time). Faults and rate limits are set through each
sandbox's admin surface under ``/_sandbox/``, in the sandbox's own payload format.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from connectors.sandbox_runner import free_port
from connectors.sfcc import jsonwire
from connectors.sfcc.sandbox.app import default_seed as sfcc_default_seed
from connectors.sfcc.sandbox.seeding import OCAPI_CLIENT, client_secret
from connectors.tiktok.sandbox.seed import default_seed as tiktok_default_seed
from connectors.tiktok.sandbox.seed import make_order
from processes import ROOT, daemon_env, wait_for

TIKTOK_APP_KEY = "scale_out_app_key"


@dataclass
class SandboxProcess:
    """One running sandbox: its process, base URL and an admin client on it."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    admin: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.admin = httpx.Client(base_url=self.url, timeout=120)

    def stop(self) -> None:
        self.admin.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def post(self, path: str, payload: dict[str, Any]) -> Any:
        response = self.admin.post(path, content=jsonwire.dumps(payload))
        response.raise_for_status()
        return response.json()

    def get(self, path: str) -> Any:
        response = self.admin.get(path)
        response.raise_for_status()
        return response.json()


def _start(
    name: str,
    module: str,
    args: list[str],
    workdir: Path,
    ready_path: str,
    secret_env: dict[str, str] | None = None,
) -> SandboxProcess:
    port = free_port()
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=str(ROOT),
            # Sandboxes never touch the store (the URL is inert); secrets go in the environment,
            # never on the command line where the process list shows them.
            env={**daemon_env("sqlite://"), **(secret_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    sandbox = SandboxProcess(name, process, f"http://127.0.0.1:{port}", log_path)

    def answering() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"sandbox {name} exited with {process.returncode}; see {log_path}")
        try:
            return sandbox.admin.get(ready_path).status_code == 200
        except httpx.TransportError:
            return False

    wait_for(answering, timeout=60, what=f"sandbox {name} to answer on {sandbox.url}")
    return sandbox


def tiktok_seed(index: int) -> dict[str, Any]:
    """The default TikTok world with a shop of its own (id, cipher, name) for shop ``index``."""
    seed = copy.deepcopy(tiktok_default_seed())
    shop = seed["shops"][0]
    shop.update(
        id=f"74955407353657{index:05d}",
        name=f"Scale-out Shop {index}",
        cipher=f"ROW_scaleOutCipher{index:04d}AAAAeVAQra0eZWebFQq5",
        code=f"USSCALE{index:04d}",
    )
    return seed


def catalog_skus() -> list[tuple[str, str, str]]:
    """(seller SKU, name, price) of every SKU the TikTok sandbox puts in generated orders."""
    sample = make_order("1", status="AWAITING_SHIPMENT", create_time=0, units=[1, 1, 1])
    return [(line["seller_sku"], line["product_name"], line["sale_price"]) for line in sample["line_items"]]


def sfcc_seed() -> dict[str, Any]:
    """The shipped SFCC seed plus the TikTok catalog's SKUs, in perpetual stock."""
    seed = copy.deepcopy(sfcc_default_seed())
    for seller_sku, name, price in catalog_skus():
        seed["products"].append(
            {
                "id": seller_sku,
                "name": {"default": name},
                "online_flag": {"default": True},
                "type": {"item": True},
                "price": Decimal(price),
                "currency": "USD",
                "last_modified": "2025-01-01T00:00:00.000Z",
            }
        )
        seed["product_inventory_records"].append(
            {
                "inventory_list_id": "inventory_RefArch",
                "product_id": seller_sku,
                "allocation": {"amount": 0},
                "ats": 0,
                "stock_level": 0,
                "perpetual_flag": True,
            }
        )
    return seed


def sfcc_client_secret() -> str:
    """The OCAPI client's secret in the sandbox seed (a sandbox's fake credential)."""
    return client_secret(OCAPI_CLIENT, sfcc_seed()).get_secret_value()


def start_tiktok(index: int, app_secret: str, workdir: Path) -> SandboxProcess:
    seed_path = workdir / f"tiktok-{index}-seed.json"
    seed_path.write_text(jsonwire.dumps(tiktok_seed(index)))
    args = ["--app-key", TIKTOK_APP_KEY, "--seed", str(seed_path)]
    secret = {"TIKTOK_SANDBOX_APP_SECRET": app_secret}
    return _start(f"tiktok-{index}", "connectors.tiktok.sandbox", args, workdir, "/_sandbox/clock", secret)


def start_sfcc(workdir: Path) -> SandboxProcess:
    seed_path = workdir / "sfcc-seed.json"
    seed_path.write_text(jsonwire.dumps(sfcc_seed()))
    return _start("sfcc", "connectors.sfcc.sandbox", ["--seed", str(seed_path)], workdir, "/_sandbox/stats")


def set_tiktok_limits(
    sandbox: SandboxProcess, *, fault_rate: float, qps: float, retry_after: int, seed: int
) -> None:
    """Half the injected faults are HTTP 500s, half are 429s with Retry-After; a per-shop QPS."""
    sandbox.post("/_sandbox/rate_limit", {"qps": qps})
    faults = {"error_rate": fault_rate / 2, "rate_429": fault_rate / 2, "retry_after": retry_after}
    sandbox.post("/_sandbox/faults", {**faults, "seed": seed})


def set_sfcc_limits(
    sandbox: SandboxProcess, *, fault_rate: float, rate_limit: float, retry_after: int
) -> None:
    """Injected faults at ``fault_rate`` (503 or 429, see ``balance_sfcc_faults``) and a rate limit."""
    sandbox.post(
        "/_sandbox/faults",
        {
            "error_rate": fault_rate,
            "error_status": 503,
            "rate_limit_per_second": rate_limit,
            "retry_after": retry_after,
            "seed": 7,
        },
    )


def balance_sfcc_faults(sandbox: SandboxProcess, current: int) -> int:
    """Pick the status the SFCC sandbox injects next, so injected 503s and 429s stay about even.

    It injects one status at a time; flipping on a timer would favour 503s, because the push
    sleeps through each 429's Retry-After and sends fewer requests while 429s are being injected.
    Returns the status now in force.
    """
    answered = sandbox.get("/_sandbox/stats")["responses_by_status"]
    wanted = 429 if int(answered.get("503", 0)) > int(answered.get("429", 0)) else 503
    if wanted != current:
        sandbox.post("/_sandbox/faults", {"error_status": wanted})
    return wanted
