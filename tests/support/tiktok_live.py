"""A sandbox on the wall clock and a configuration for it, for tests that run `sync_daemon.py`.

A daemon process signs with the real time, so its sandbox must keep the real time too (the shared
fixtures freeze the sandbox clock, which suits in-process clients only).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from connectors.engine.clock import SystemClock
from connectors.sandbox_runner import running_sandbox
from connectors.tiktok.sandbox import Sandbox, create_app

APP_KEY = "live_app_key"
APP_SECRET = "live_app_secret_not_real_0123"
CONNECTION = "tt"


@contextmanager
def live_sandbox(seed: dict[str, Any] | None = None) -> Iterator[tuple[str, Sandbox]]:
    """A running sandbox on the system clock: (base URL, its parts)."""
    app = create_app(APP_KEY, APP_SECRET, clock=SystemClock(), seed=seed)
    with running_sandbox(app) as url:
        yield url, app.state.sandbox


def write_config(tmp_path: Path, sandbox_url: str, **settings: Any) -> Path:
    """``shopwright.toml`` with one TikTok connection ``tt``; the app secret in a 0600 secrets file."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[connections.{CONNECTION}]\napp_secret = "{APP_SECRET}"\n')
    secrets.chmod(0o600)
    lines = [
        'secrets_file = "secrets.toml"',
        "[daemon]",
        "tick_seconds = 0.2",
        f"[connections.{CONNECTION}]",
        'type = "tiktok"',
        f'app_key = "{APP_KEY}"',
        f'api_base_url = "{sandbox_url}"',
        f'auth_base_url = "{sandbox_url}"',
        "rate_limit_qps = 100",
    ]
    for key, value in settings.items():
        lines.append(f"{key} = {json.dumps(value)}")  # JSON scalars are TOML scalars
    path = tmp_path / "shopwright.toml"
    path.write_text("\n".join(lines) + "\n")
    return path
