"""Bot processes in HTTP mode for tests: started on free local ports, talking to a mock Slack."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from processes import wait_for
from tests.slackbot.signed import SECRET, signed_headers

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    """One ``bot.py --http`` process; ``log`` holds its stdout and stderr."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"bot {self.name} exited with {self.process.returncode}:\n{self.output()}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200
        except httpx.TransportError:
            return False

    def post(self, body: str, *, content_type: str = "application/json") -> httpx.Response:
        """POST a body to /slack/events, signed with the app's signing secret as Slack does."""
        headers = signed_headers(body, content_type=content_type, secret=SECRET)
        return httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=10.0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def start_bot(name: str, config: Path, slack_url: str, workdir: Path) -> BotProcess:
    """Start ``bot.py --http`` with the offline backend, Slack calls going to ``slack_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOPWRIGHT_", "OPENAI_", "SLACK_"))}
    env |= {
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SHOPWRIGHT_SLACK_API_URL": slack_url,
        "SHOPWRIGHT_SECRETS_FILE": str(workdir / "no-secrets.toml"),
    }
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bot.py"),
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--backend",
                "offline",
                "--config",
                str(config),
            ],
            env=env,
            cwd=str(workdir),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return BotProcess(name, port, process, log)


def wait_until_serving(*bots: BotProcess, timeout: float = 90.0) -> None:
    wait_for(lambda: all(bot.healthy() for bot in bots), timeout=timeout, what="the bots to serve /healthz")
